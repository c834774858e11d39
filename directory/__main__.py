"""`python -m directory check|build|run`: the Flask CLI without needing `--app`."""

from flask.cli import FlaskGroup

from . import create_app

FlaskGroup(create_app=create_app)(prog_name="python -m directory")
