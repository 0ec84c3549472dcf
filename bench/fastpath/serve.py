"""Serves the bench project's API with one of three ways of scoring a request.

    .venv/bin/python bench/fastpath/serve.py onnx|pipeline|hand-written    (from the bench project)

bench/run.mjs starts it in the trained bench project (`bench-project`, package bench_project) to
put the fast-path options side by side. Everything but the model is the project's production
server as generated (api/server.py: uvicorn on httptools and uvloop, with its limits):

- onnx: the project as it is, artifacts/model.onnx on ONNX Runtime (api/scoring.py);
- pipeline: the fitted scikit-learn pipeline, artifacts/model.skops, one DataFrame per request;
- hand-written: row_scorer.py, the re-implementation of the fitted preprocessing the project
  used until December 2026, on the pipeline shape it was written for (numbers imputed, then
  scaled), fitted here on data/train.csv.gz. It refuses to start unless row_scorer accepts it.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_project.api.app import app  # noqa: E402
from bench_project.api.server import serve  # noqa: E402


def pipeline_model():  # noqa: ANN201
    from bench_project.model_io import load_model
    from row_scorer import PipelineScorer

    return PipelineScorer(load_model())


def hand_written_model():  # noqa: ANN201
    import pandas as pd
    from bench_project.features import FEATURES, TARGET, TRAIN_DATA
    from bench_project.pipeline import build_pipeline
    from row_scorer import make_scorer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    pipeline = build_pipeline()
    preprocess = pipeline.named_steps["preprocess"]
    name, _, columns = preprocess.transformers[-1]
    scaled = Pipeline([("impute", SimpleImputer(strategy="mean")), ("scale", StandardScaler())])
    preprocess.transformers[-1] = (name, scaled, columns)
    frame = pd.read_csv(TRAIN_DATA)
    scorer = make_scorer(pipeline.fit(frame[FEATURES], frame[TARGET]))
    if scorer.name != "fast":
        raise SystemExit("row_scorer did not accept the pipeline: no hand-written path to measure")
    return scorer


def main(option: str) -> None:
    if option == "onnx":
        serve()
        return
    model = {"pipeline": pipeline_model, "hand-written": hand_written_model}[option]()

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[None]:
        application.state.model = model
        application.state.model_sha256 = option
        # /health of a project with MLflow tracking reports the model's run; these models have none.
        application.state.model_origin = {"run_id": None, "model_version": None}
        yield

    app.router.lifespan_context = lifespan
    serve()


if __name__ == "__main__":
    main(sys.argv[1])
