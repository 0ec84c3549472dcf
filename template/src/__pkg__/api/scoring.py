"""Scores loan applications with the exported model, model.onnx, on ONNX Runtime.

Training fits the scikit-learn pipeline (pipeline.py), converts it to ONNX (export.py) and checks
that both give the same answers on every held-out row; the API serves the ONNX file. Scoring one
row takes ONNX Runtime a fraction of a millisecond, where the pipeline itself needs several (pandas
builds a frame and scikit-learn checks its input again in every step), and the production image
needs neither scikit-learn nor pandas. The tests hold the two to the same answers
(tests/api/test_onnx_export.py), so a change to pipeline.py that the export cannot follow fails
them, and training, instead of serving something else.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from typing import Any

# ONNX Runtime (1.29 and later) keeps a device id and sends usage telemetry from Linux and macOS
# unless this is set before its first session: off here.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import numpy as np
import onnxruntime as ort

Record = Mapping[str, Any]

# A missing label (None in a request) reaches the model as this string: ONNX strings have no NaN,
# so the export makes the pipeline's label imputers look for it (export.py).
MISSING_LABEL = ""

# The exported classifier's outputs: the predicted labels, then one probability per class.
PROBABILITIES_OUTPUT = "probabilities"
POSITIVE_CLASS = 1

# What an input column of each ONNX element type is built as, and how a missing value looks there.
_COLUMN_TYPES: dict[str, tuple[Any, Any]] = {
    "tensor(string)": (object, MISSING_LABEL),
    "tensor(float)": (np.float32, math.nan),
    "tensor(double)": (np.float64, math.nan),
}


class ModelInputError(ValueError):
    """The model asks for an input the API cannot give it."""


class OnnxModel:
    """An ONNX model that takes one input per feature column and outputs class probabilities."""

    def __init__(self, data: bytes) -> None:
        options = ort.SessionOptions()
        # One request at a time per worker, each a few microseconds of work: extra threads would
        # only add wake-ups and contend for the cores with the server.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            data, sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.columns: list[tuple[str, Any, Any]] = []
        for node in self.session.get_inputs():
            if node.type not in _COLUMN_TYPES:
                msg = f"the model's input {node.name!r} has the type {node.type}, not a column type"
                raise ModelInputError(msg)
            self.columns.append((node.name, *_COLUMN_TYPES[node.type]))
        outputs = [node.name for node in self.session.get_outputs()]
        if PROBABILITIES_OUTPUT not in outputs:
            msg = f"the model has no {PROBABILITIES_OUTPUT!r} output (it has {outputs})"
            raise ModelInputError(msg)

    @property
    def input_names(self) -> list[str]:
        return [name for name, _, _ in self.columns]

    def inputs(self, records: Sequence[Record]) -> dict[str, np.ndarray]:
        """The model's inputs for `records` (dicts of feature name to value, None if missing)."""
        return {
            name: np.array(
                [[missing if (value := record.get(name)) is None else value] for record in records],
                dtype=dtype,
            )
            for name, dtype, missing in self.columns
        }

    def probabilities(self, records: Sequence[Record]) -> np.ndarray:
        """The probability of default for each record."""
        (probabilities,) = self.session.run([PROBABILITIES_OUTPUT], self.inputs(records))
        return probabilities[:, POSITIVE_CLASS]
