"""The prediction API.

The model is loaded and verified once, at start-up (FastAPI lifespan), not per request, and
scored with ONNX Runtime (scoring.py). It is read from artifacts/model.onnx, the pipeline exported
by training, or from the path in the MODEL_PATH environment variable; its checksum from the file
next to it, or from MODEL_SHA256 when that is set (settings.py lists every setting). The version
shown in /docs and openapi.json is the package's own, from its metadata.

Local run: scripts/start-api-locally.sh, then open http://localhost:8000/docs.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ..checksums import read_checksum, verified_bytes
from ..settings import DECISION_THRESHOLD, Settings, package_version
from .limits import RequestLimits
from .schemas import Health, LoanApplication, Prediction
from .scoring import OnnxModel


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = Settings.from_env()
    model_path = settings.model_path
    if not model_path.is_file():
        # Say what to do rather than fail on the missing checksum file next to it.
        msg = (
            f"no model at {model_path}: set MODEL_PATH to a model file,"
            " or see README.md for how to get one"
        )
        raise FileNotFoundError(msg)
    expected = settings.model_sha256 or read_checksum(model_path)
    # Fails start-up (and so the health check) when the model is missing or not trusted.
    app.state.model = OnnxModel(verified_bytes(model_path, expected))
    app.state.model_sha256 = expected
    yield


app = FastAPI(
    title="Loan default prediction",
    description="Predicts whether a loan applicant will default. Interactive docs at /docs.",
    version=package_version(),
    lifespan=lifespan,
)


# Outermost: a body over the size limit, or too slow to arrive, never reaches FastAPI (limits.py).
app.add_middleware(RequestLimits)

# An error answer lists at most this many errors, and repeats at most this much of any input.
MAX_ERRORS = 40
EXCERPT_CHARS = 100


@app.exception_handler(RequestValidationError)
async def reject_bad_body(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's own 422 answer, made safe to send back whatever the client sent.

    FastAPI's default handler repeats each refused input in full: a 60 KB field came back whole,
    the whole body once per missing field, and an input that JSON cannot encode (NaN, a lone
    UTF-16 surrogate such as "\\ud800") made the answer itself fail with a 500. Here each error
    keeps its type, location and message, and its input only as a short excerpt.
    """
    errors = exc.errors()
    content: dict[str, object] = {"detail": [_safe_error(error) for error in errors[:MAX_ERRORS]]}
    if len(errors) > MAX_ERRORS:
        content["more_errors"] = len(errors) - MAX_ERRORS
    return JSONResponse(status_code=422, content=content)


def _safe_error(error: Mapping[str, Any]) -> dict[str, Any]:
    safe: dict[str, Any] = {
        "type": error["type"],
        "loc": [part if isinstance(part, int) else _excerpt(part) for part in error["loc"]],
        "msg": _excerpt(error["msg"]),
    }
    # An object or list input (the whole body, for a missing field) is left out: loc says where.
    if "input" in error and not isinstance(error["input"], Mapping | list | tuple):
        safe["input"] = _excerpt(error["input"])
    if "ctx" in error:
        safe["ctx"] = {key: _excerpt(value) for key, value in error["ctx"].items()}
    return safe


def _excerpt(value: object) -> object:
    """A JSON-safe, short stand-in for `value`: numbers and short text as they are."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)  # NaN and Infinity are not JSON
    if isinstance(value, int) and abs(value) < 2**63:
        return value
    # Lone surrogates become their escape (\\ud800), so the text can be encoded as UTF-8.
    text = str(value).encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"


@app.get("/health")
def health(request: Request) -> Health:
    """Liveness and readiness: the app is up and its model is loaded."""
    return Health(status="ok", model_sha256=request.app.state.model_sha256)


# async, so it runs on the event loop: scoring takes well under a millisecond (scoring.py), less
# than handing the request to a worker thread would cost.
# Both spellings answer directly: /predict/ is the path the book's API and its clients use, and a
# redirect from one to the other would cost clients a round trip (or fail those that do not follow
# redirects for a POST).
@app.post("/predict")
@app.post("/predict/", include_in_schema=False)
async def predict(application: LoanApplication, request: Request) -> Prediction:
    """Probability that the applicant defaults, and the yes/no decision at DECISION_THRESHOLD."""
    model: OnnxModel = request.app.state.model
    probability = float(model.probabilities([application.features()])[0])
    return Prediction(prediction=int(probability >= DECISION_THRESHOLD), probability=probability)
