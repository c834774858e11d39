"""Static files with their content's hash in the name, so they can be cached for a year.

`url_for("static", filename="site.css")` gives `/static/site.<hash>.css`. A changed file gets a new
name, so a browser or a CDN never serves an old stylesheet with a new page: the hashed names are
`public, max-age=31536000, immutable`. The plain name still answers (a page cached before a release
may ask for it), but only for an hour. A name that matches nothing is a 404 that no cache keeps.
"""

import hashlib
from pathlib import Path

from flask import Flask, abort, current_app, send_from_directory

YEAR = 31536000
PLAIN_MAX_AGE = 3600


def _hashed(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{path.stem}.{digest}{path.suffix}"


def fingerprints(folder: Path) -> dict[str, str]:
    """Each file's name -> its fingerprinted name, read once when the app starts."""
    return {p.name: _hashed(p) for p in sorted(Path(folder).iterdir()) if p.is_file()}


def init_app(app: Flask) -> None:
    """Replace Flask's static route with one that knows the fingerprinted names."""
    folder = Path(app.static_folder)
    names = fingerprints(folder)
    originals = {hashed: name for name, hashed in names.items()}
    app.extensions["directory.assets"] = names

    # Flask registered `/static/<path:filename>` for its own view; ours takes the same endpoint.
    def static(filename: str):
        if filename in originals:
            response = send_from_directory(folder, originals[filename], max_age=YEAR)
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        elif filename in names:
            response = send_from_directory(folder, filename, max_age=PLAIN_MAX_AGE)
            response.headers["Cache-Control"] = f"public, max-age={PLAIN_MAX_AGE}"
        else:
            abort(404)
        return response

    app.view_functions["static"] = static

    @app.url_defaults
    def fingerprint(endpoint, values):
        if endpoint == "static" and values.get("filename") in names:
            values["filename"] = current_app.extensions["directory.assets"][values["filename"]]
