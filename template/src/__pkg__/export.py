"""Exports the fitted pipeline to ONNX, the file the API serves, and proves the two agree.

skl2onnx converts each fitted step (imputers, encoders, the boosted trees) into ONNX
operators; ONNX Runtime then scores a request without scikit-learn or pandas (api/scoring.py).
Two things can go wrong when pipeline.py changes, and both fail loudly rather than serve a model
that differs from the one trained:

- a step skl2onnx has no converter for: `export_onnx` raises ExportError naming it;
- a step that converts but scores differently: `check_export` compares both on every held-out row
  and raises ExportMismatchError. Training runs it before writing model.onnx, and so does
  tests/api/test_onnx_export.py, in CI.

The file is deterministic: equal pipelines give byte-identical files, in any process (the graph's
name is fixed, where skl2onnx would pick a random one, and the operator sets are listed sorted).
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import pandas as pd
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from sklearn.impute import SimpleImputer

from .api.scoring import MISSING_LABEL, OnnxModel
from .features import FEATURES, NUMERICAL_FEATURES
from .settings import DECISION_THRESHOLD

# The largest difference in a probability allowed between the pipeline and its export. Both feed
# the trees the same float32 values, but ONNX Runtime adds up the trees' outputs in float32 where
# scikit-learn uses float64: about 4e-7 at most on this data. A step that scores differently (a
# value pushed across a split threshold) moves a probability by far more: 0.02 when the numbers
# were still scaled (pipeline.py).
TOLERANCE = 1e-5

# ONNX operator set versions, fixed so that an update of skl2onnx does not change the file.
TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}
GRAPH_NAME = "loan_default"
LABEL_TYPE = StringTensorType([None, 1])


class ExportError(RuntimeError):
    """The pipeline cannot be converted to ONNX."""


class ExportMismatchError(RuntimeError):
    """The exported model does not give the pipeline's answers."""


def export_onnx(pipeline: Any) -> bytes:
    """The fitted `pipeline` as an ONNX model, one input per feature column."""
    # One input per column: numbers as float32 (what the trees compare), labels as strings.
    inputs = [
        (name, FloatTensorType([None, 1]) if name in NUMERICAL_FEATURES else LABEL_TYPE)
        for name in FEATURES
    ]
    converted = _missing_labels_as_strings(pipeline)
    classifier = converted.steps[-1][1]
    try:
        model = convert_sklearn(
            converted,
            name=GRAPH_NAME,
            initial_types=inputs,
            target_opset=TARGET_OPSET,
            # Probabilities as a plain tensor rather than a list of dicts.
            options={id(classifier): {"zipmap": False}},
        )
    except Exception as error:
        msg = (
            f"skl2onnx cannot convert the pipeline ({type(error).__name__}: {error}). "
            "The API serves the ONNX export: keep pipeline.py to steps skl2onnx supports."
        )
        raise ExportError(msg) from error
    # skl2onnx lists the operator sets the model uses in an order that changes from one process
    # to the next (the graph itself does not): sorted, the same model gives the same bytes.
    opsets = sorted(model.opset_import, key=lambda opset: opset.domain)
    del model.opset_import[:]
    model.opset_import.extend(opsets)
    return model.SerializeToString(deterministic=True)


def _missing_labels_as_strings(pipeline: Any) -> Any:
    """A copy of `pipeline` whose label imputers look for MISSING_LABEL instead of NaN.

    In a DataFrame a missing label is NaN; an ONNX string tensor cannot hold NaN, so the API sends
    MISSING_LABEL and the exported imputers replace that. check_export proves it is the same.
    """
    clone = copy.deepcopy(pipeline)
    for estimator in _estimators(clone):
        learned = getattr(estimator, "statistics_", None)
        if (
            isinstance(estimator, SimpleImputer)
            and learned is not None
            and learned.dtype == object
            and _is_nan(estimator.missing_values)
        ):
            estimator.missing_values = MISSING_LABEL
    return clone


def _estimators(estimator: Any) -> list[Any]:
    """`estimator` and every estimator inside it (pipeline steps, column transformer branches)."""
    found = [estimator]
    for part in getattr(estimator, "steps", []):
        found += _estimators(part[1])
    for part in getattr(estimator, "transformers_", []):
        found += _estimators(part[1])
    return found


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def records_of(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of `frame` as the API hands them to the model: a dict each, None where missing."""
    rows = frame[FEATURES].astype(object).to_dict("records")
    return [{key: None if pd.isna(value) else value for key, value in row.items()} for row in rows]


def check_export(pipeline: Any, onnx_model: bytes, frame: pd.DataFrame) -> float:
    """Raise ExportMismatchError unless the export scores every row of `frame` as the pipeline.

    Same decision at DECISION_THRESHOLD on every row, and probabilities within TOLERANCE. Returns
    the largest difference found.
    """
    expected = pipeline.predict_proba(frame[FEATURES])[:, 1]
    actual = OnnxModel(onnx_model).probabilities(records_of(frame)).astype(np.float64)
    difference = np.abs(actual - expected)
    worst = float(difference.max(initial=0.0))
    decisions = int(((actual >= DECISION_THRESHOLD) != (expected >= DECISION_THRESHOLD)).sum())
    if worst > TOLERANCE or decisions:
        msg = (
            f"the ONNX export does not score like the pipeline on {len(frame)} rows: largest "
            f"difference in a probability {worst:.3g} (allowed {TOLERANCE:g}), {decisions} "
            "decision(s) differ. The API serves the export, so it must match: see export.py."
        )
        raise ExportMismatchError(msg)
    return worst
