"""The open-data files of the build being served, for anyone to download and reuse."""

from flask import Blueprint, Response, current_app, request

from . import export

bp = Blueprint("opendata", __name__, url_prefix="/open-data")


def _send(name: str, mimetype: str) -> Response:
    folder = current_app.extensions["directory.current"].get().path
    # The build wrote a gzip copy (builds._compress): sent as it is to clients that accept gzip, so
    # no download is compressed again (flask-compress leaves a response with Content-Encoding alone).
    # Builds made before the copies existed send the plain file.
    compressed = folder / f"{name}.gz"
    gzipped = bool(request.accept_encodings["gzip"]) and compressed.exists()
    # Read whole so no file handle outlives the request.
    response = Response((compressed if gzipped else folder / name).read_bytes(), mimetype=mimetype)
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    response.headers["Content-Disposition"] = f"attachment; filename={name}"
    response.headers["Cache-Control"] = "public, max-age=3600"
    # Each build has its own folder; the two encodings are different bytes, so different tags.
    response.set_etag(f"{folder.name}-{name}{'-gzip' if gzipped else ''}")
    return response.make_conditional(request)


@bp.get("/" + export.CSV_NAME)
def csv_file():
    return _send(export.CSV_NAME, "text/csv")


@bp.get("/" + export.JSON_NAME)
def json_file():
    return _send(export.JSON_NAME, "application/json")
