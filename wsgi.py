"""Entry point for gunicorn: `gunicorn -c gunicorn.conf.py wsgi:app`."""

from directory import create_app

app = create_app()
