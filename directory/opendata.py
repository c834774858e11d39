"""The open-data files of the build being served, for anyone to download and reuse."""

from flask import Blueprint, Response, current_app, request

from . import export

bp = Blueprint("opendata", __name__, url_prefix="/open-data")


def _send(name: str, mimetype: str) -> Response:
    folder = current_app.extensions["directory.current"].get().path
    # Read whole (they are small) so no file handle outlives the request.
    response = Response((folder / name).read_bytes(), mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename={name}"
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.set_etag(f"{folder.name}-{name}")  # each build has its own folder
    return response.make_conditional(request)


@bp.get("/" + export.CSV_NAME)
def csv_file():
    return _send(export.CSV_NAME, "text/csv")


@bp.get("/" + export.JSON_NAME)
def json_file():
    return _send(export.JSON_NAME, "application/json")
