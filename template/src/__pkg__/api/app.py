"""The prediction API.

The model is loaded and verified once, at start-up (FastAPI lifespan), not per request, and
scorer.py picks how to score with it. It is read from artifacts/model.skops, or from the path in
the MODEL_PATH environment variable; its checksum from the file next to it, or from MODEL_SHA256
when that is set.

Local run: scripts/start-api-locally.sh, then open http://localhost:8000/docs.
"""

from __future__ import annotations

import math
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ..model_io import MODEL_FILE, load_model, read_checksum
from .schemas import Health, LoanApplication, Prediction
from .scorer import Scorer, make_scorer

# Same cut-off as training/train.py uses for its metrics.
DECISION_THRESHOLD = 0.5


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    model_path = Path(os.environ.get("MODEL_PATH", str(MODEL_FILE)))
    if not model_path.is_file():
        # Say what to do rather than fail on the missing checksum file next to it.
        msg = (
            f"no model at {model_path}: set MODEL_PATH to a model file,"
            " or see README.md for how to get one"
        )
        raise FileNotFoundError(msg)
    expected = os.environ.get("MODEL_SHA256") or read_checksum(model_path)
    # Fails start-up (and so the health check) when the model is missing or not trusted.
    app.state.scorer = make_scorer(load_model(model_path, expected_sha256=expected))
    app.state.model_sha256 = expected
    yield


app = FastAPI(
    title="Loan default prediction",
    description="Predicts whether a loan applicant will default. Interactive docs at /docs.",
    version="0.1.0",
    lifespan=lifespan,
)


@app.exception_handler(RequestValidationError)
async def reject_bad_body(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's own 422 answer, except that NaN and Infinity are echoed back as text.

    The schema refuses them, but FastAPI's default handler would put the refused value in the
    error, and a response with NaN in it cannot be encoded as JSON: the client got a 500.
    """
    errors = jsonable_encoder(exc.errors(), custom_encoder={float: _json_number})
    return JSONResponse(status_code=422, content={"detail": errors})


def _json_number(value: float) -> float | str:
    return value if math.isfinite(value) else str(value)


@app.get("/health")
def health(request: Request) -> Health:
    """Liveness and readiness: the app is up and its model is loaded."""
    return Health(status="ok", model_sha256=request.app.state.model_sha256)


# async, so it runs on the event loop: scoring takes ~0.3 ms (scorer.py), less than handing the
# request to a worker thread would. (The pipeline fallback, ~8 ms, holds the GIL either way.)
@app.post("/predict")
async def predict(application: LoanApplication, request: Request) -> Prediction:
    """Probability that the applicant defaults, and the yes/no decision at 0.5."""
    scorer: Scorer = request.app.state.scorer
    probability = float(scorer.probabilities([application.model_dump()])[0])
    return Prediction(prediction=int(probability >= DECISION_THRESHOLD), probability=probability)
