"""The London services directory: a Flask app over a read-only build of `data/agencies.csv`."""

import logging
import os
from pathlib import Path

# numpy's OpenBLAS starts a thread per core when imported, which search's array sums (scores.py) never
# use: with one, the gunicorn master stays single-threaded and can fork its build's process safely
# (builds.build_apart). Set before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import click  # noqa: E402
from flask import Flask, g, redirect, render_template, request  # noqa: E402
from flask_babel import Babel  # noqa: E402
from flask_compress import Compress  # noqa: E402

from . import assets, builds, entry_text, i18n, logs  # noqa: E402
from .config import Config, check_site_url  # noqa: E402

# Deny every powerful browser feature: the site uses none of them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "ambient-light-sensor", "autoplay", "bluetooth", "browsing-topics", "camera",
        "display-capture", "encrypted-media", "fullscreen", "geolocation", "gyroscope", "hid",
        "idle-detection", "magnetometer", "microphone", "midi", "payment", "picture-in-picture",
        "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
)  # fmt: skip


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# On every answer: the app's (privacy_headers below), gunicorn's own errors (gunicorn.conf.py) and
# nginx's (deploy/nginx/directory-headers.conf, checked against these by tests/test_production.py).
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    # Sites we link to must not learn that a visitor came from this directory.
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


# Headers that apply only to documents (pages, and an SVG opened as one): a stylesheet or script
# (SUBRESOURCE_TYPES) is sent without them.
DOCUMENT_ONLY = ("Content-Security-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy")
SUBRESOURCE_TYPES = {"text/css", "text/javascript", "application/javascript"}


def _serving() -> bool:
    """False inside admin commands (`check`, `build`), which must not build as a side effect."""
    ctx = click.get_current_context(silent=True)
    return ctx is None or ctx.info_name == "run"


class Directory(Flask):
    def log_exception(self, exc_info) -> None:
        """Flask logs "Exception on <path> [<method>]": the path and method are what a client typed.
        Log the route's pattern instead (`/<lang>/service/<service_id>`)."""
        rule = request.url_rule.rule if request.url_rule else "(no route)"
        self.logger.error("Exception on %s [%s]", rule, logs.method(request.method), exc_info=exc_info)


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory: config, Babel, the site blueprint, the CLI and error pages."""
    app = Directory(__name__)
    app.config.from_object(Config)
    app.config.from_prefixed_env("DIRECTORY")
    if test_config:
        app.config.update(test_config)
    for key in ("CSV_PATH", "BUILD_ROOT", "DISTRICTS_PATH"):
        app.config[key] = Path(app.config[key])
    if app.config["SITE_URL"]:
        app.config["SITE_URL"] = check_site_url(app.config["SITE_URL"])
    elif _serving() and not (app.debug or app.testing):
        # Absolute links (QR codes, share links, open data) come only from here, never from the
        # request's Host header, which a client can forge.
        raise RuntimeError("Set DIRECTORY_SITE_URL to the site's address, e.g. DIRECTORY_SITE_URL=https://example.org")
    # Tracebacks name the exception's type and frames, never its message (it can quote a request).
    handler = logging.StreamHandler()
    handler.setFormatter(logs.PrivateFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    # The development server logs each client's address and query string: keep those out of logs.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    Babel(app, locale_selector=i18n.select_locale)
    i18n.install_gettext(app)
    assets.init_app(app)
    Compress(app)

    if app.config["AUTO_BUILD"] and _serving():
        builds.ensure_fresh(
            app.config["CSV_PATH"],
            app.config["BUILD_ROOT"],
            app.config["DISTRICTS_PATH"],
            app.config["SITE_URL"],
            translations=app.config["BABEL_TRANSLATION_DIRECTORIES"],
        )
    app.extensions["directory.current"] = builds.Current(app.config["BUILD_ROOT"])
    app.extensions["directory.entry_text"] = entry_text.Translator(app.config["BABEL_TRANSLATION_DIRECTORIES"])

    from . import cli, opendata, views

    app.register_blueprint(views.bp)
    app.register_blueprint(opendata.bp)
    cli.register(app)

    @app.get("/")
    def root():
        # The only place the browser's language is consulted; every other URL names its language.
        response = redirect(f"/{i18n.best_for_request()}/", code=302)
        response.headers["Vary"] = "Accept-Language"
        return response

    @app.get("/robots.txt")
    def robots():
        # Search result pages repeat the entry pages, and the borough choice repeats the borough
        # pages; keep crawlers to the pages people share.
        rules = "User-agent: *\nDisallow: /*/search\nDisallow: /*/areas/choose\n"
        return rules, 200, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(404)
    def not_found(error):
        g.error_page = True
        return render_template("error.html", status=404), 404

    @app.errorhandler(400)
    @app.errorhandler(405)
    @app.errorhandler(413)
    def not_allowed(error):
        # A malformed or oversized request (a form post, say) gets a page with the quick exit too.
        g.error_page = True
        return render_template("error.html", status=405), error.code

    @app.errorhandler(500)
    def server_error(error):
        g.error_page = True
        return render_template("error.html", status=500), 500

    @app.after_request
    def privacy_headers(response):
        # No page of ours ever needs a cookie; drop any a library might add.
        response.headers.pop("Set-Cookie", None)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        for name, value in SECURITY_HEADERS.items():
            if name != "Content-Security-Policy":
                response.headers[name] = value
        # The configured address says whether the site is served over HTTPS (the request cannot be
        # trusted to say so); browsers ignore the header on plain http, as they should.
        if app.config["SITE_URL"].startswith("https://") or request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if response.status_code >= 400:
            # An error is never kept by a browser or a shared cache: a missing file may appear with
            # the next release, and an error page must not outlive the problem.
            response.headers["Cache-Control"] = "no-store"
        if request.path.startswith("/static/"):
            if response.mimetype in SUBRESOURCE_TYPES:
                # A stylesheet or script is never a document: the document policies mean nothing on it,
                # and they were 1.3 KB of a phone's first load (the 14 KB budget, docs/performance.md).
                for name in DOCUMENT_ONLY:
                    del response.headers[name]
            # Cache-Control says how long (a year); a download's file name is not needed to show it.
            for name in ("Expires", "Content-Disposition"):
                response.headers.pop(name, None)
            if response.direct_passthrough:
                # Our static files are a few KB: read them whole so flask-compress compresses a
                # plain body (its streaming path leaves the file to the garbage collector).
                stream = response.response
                response.direct_passthrough = False
                response.set_data(b"".join(stream))
                stream.close()
        return response

    return app
