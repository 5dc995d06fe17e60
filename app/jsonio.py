"""JSON out through orjson: fast, NumPy-aware, and NaN/inf written as null, never as invalid NaN."""

from __future__ import annotations

import orjson
from flask import Response


def respond(payload, status: int = 200) -> Response:
    body = orjson.dumps(payload, option=orjson.OPT_SERIALIZE_NUMPY)
    return Response(body, status=status, mimetype="application/json")


def error(message: str, status: int = 400) -> Response:
    return respond({"error": {"message": message}}, status)
