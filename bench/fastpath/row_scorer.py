"""The generated API's hand-written scorer until December 2026, kept here only as the bench's baseline.

It replayed the fitted preprocessing (imputer fill values, encoder categories, scaler means and
scales) in plain Python, then called the fitted scikit-learn classifier; the project now serves
the pipeline's ONNX export instead (src/<pkg>/export.py, api/scoring.py). bench/fastpath/serve.py
runs it on the pipeline shape it was written for (numbers imputed, then scaled).

Unchanged from the template's last version except the import of the feature lists, which comes
from the bench project here.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from bench_project.features import FEATURES, NUMERICAL_FEATURES

log = logging.getLogger(__name__)

Record = Mapping[str, Any]
# Writes one input column's encoded value(s) into a row of the classifier's input.
Writer = Callable[[Record, np.ndarray], None]

# Both kinds of Pipeline here have two steps: (preprocess, classify) and (impute, encode).
TWO_STEPS = 2
# A label no training data contains: the probes use it to exercise the "unknown label" path.
UNSEEN_LABEL = "\x00unseen label"


class Scorer(Protocol):
    name: str

    def probabilities(self, records: Sequence[Record]) -> np.ndarray:
        """The probability of default for each record (a dict of feature name to value)."""
        ...


class PipelineScorer:
    """The general path: the records as a DataFrame through the whole fitted pipeline."""

    name = "pipeline"

    def __init__(self, pipeline: Any) -> None:
        self.pipeline = pipeline

    def probabilities(self, records: Sequence[Record]) -> np.ndarray:
        return self.pipeline.predict_proba(as_frame(records))[:, 1]


class RowScorer:
    """Preprocessing replayed from the fitted parameters, then the fitted classifier."""

    name = "fast"

    def __init__(self, writers: list[Writer], width: int, classifier: Any) -> None:
        self.writers = writers
        self.width = width
        self.classifier = classifier

    def features(self, records: Sequence[Record]) -> np.ndarray:
        """What the pipeline's preprocessing step would hand the classifier."""
        features = np.zeros((len(records), self.width))
        for record, row in zip(records, features, strict=True):
            for write in self.writers:
                write(record, row)
        return features

    def probabilities(self, records: Sequence[Record]) -> np.ndarray:
        return self.classifier.predict_proba(self.features(records))[:, 1]


def as_frame(records: Sequence[Record]) -> pd.DataFrame:
    """Records as the DataFrame the pipeline was trained on."""
    frame = pd.DataFrame(list(records), columns=FEATURES)
    # Optional numbers arrive as None; the imputers expect NaN in a float column.
    frame[NUMERICAL_FEATURES] = frame[NUMERICAL_FEATURES].astype(float)
    return frame.fillna(np.nan)


def preprocessed(pipeline: Any, records: Sequence[Record]) -> np.ndarray:
    """The pipeline's own preprocessing of `records`, as a dense array."""
    features = pipeline[:-1].transform(as_frame(records))
    return features.toarray() if hasattr(features, "toarray") else np.asarray(features)


def make_scorer(pipeline: Any) -> Scorer:
    """RowScorer when it gives exactly the pipeline's answers, else the pipeline itself."""
    fast = row_scorer_for(pipeline)
    if fast is None:
        log.warning("the model is not shaped like pipeline.py builds it: scoring with the pipeline")
        return PipelineScorer(pipeline)
    # Compare what reaches the classifier, column by column: a column the model barely uses
    # could hide a difference in the probabilities alone.
    probes = probe_records(pipeline)
    if not np.array_equal(fast.features(probes), preprocessed(pipeline, probes)):
        log.warning("the fast scorer disagrees with the model on probe rows: using the pipeline")
        return PipelineScorer(pipeline)
    return fast


def row_scorer_for(pipeline: Any) -> RowScorer | None:
    """A RowScorer for a fitted pipeline of the known shape, or None for any other."""
    steps = _two_steps(pipeline)
    if steps is None:
        return None
    preprocess, classifier = steps
    if not isinstance(preprocess, ColumnTransformer) or not hasattr(classifier, "predict_proba"):
        return None
    writers: list[Writer] = []
    filled = 0
    for name, columns, imputer, encoder in _branches(preprocess):
        branch = _branch_writers(imputer, encoder, columns, preprocess.output_indices_[name].start)
        if branch is None:
            return None
        writers += branch
        filled += preprocess.output_indices_[name].stop - preprocess.output_indices_[name].start
    width = getattr(classifier, "n_features_in_", None)
    if width != filled:
        return None
    return RowScorer(writers, width, classifier)


def probe_records(pipeline: Any) -> list[dict[str, Any]]:
    """Rows that visit every learned category, an unseen label and every missing value."""
    choices: dict[str, list[Any]] = {}
    for _, columns, _, encoder in _branches(pipeline.steps[0][1]):
        if isinstance(encoder, StandardScaler):
            for column, mean, scale in zip(columns, encoder.mean_, encoder.scale_, strict=True):
                choices[column] = [None, float(mean), float(mean + 2 * scale), float(mean - scale)]
        else:
            for column, categories in zip(columns, encoder.categories_, strict=True):
                choices[column] = [None, UNSEEN_LABEL, *categories.tolist()]
    count = max(len(values) for values in choices.values())
    # Column k starts k places along its list, so values meet in many combinations.
    return [
        {
            column: values[(i + k) % len(values)]
            for k, (column, values) in enumerate(choices.items())
        }
        for i in range(count)
    ]


def _two_steps(pipeline: Any) -> tuple[Any, Any] | None:
    if not isinstance(pipeline, Pipeline) or len(pipeline.steps) != TWO_STEPS:
        return None
    return pipeline.steps[0][1], pipeline.steps[1][1]


def _branches(preprocess: ColumnTransformer) -> list[tuple[str, list[str], Any, Any]]:
    """(name, columns, imputer, encoder) of each fitted branch that produces output."""
    branches = []
    for name, transformer, columns in preprocess.transformers_:
        if isinstance(transformer, str) or len(columns) == 0:  # "drop", or a branch with no columns
            continue
        steps = _two_steps(transformer)
        imputer, encoder = steps if steps is not None else (None, None)
        branches.append((name, list(columns), imputer, encoder))
    return branches


def _branch_writers(
    imputer: Any, encoder: Any, columns: list[str], start: int
) -> list[Writer] | None:
    """Writers for one imputer-then-encoder branch whose outputs begin at `start`."""
    if not _plain_imputer(imputer) or not all(isinstance(column, str) for column in columns):
        return None
    fills = list(imputer.statistics_)
    if isinstance(encoder, OneHotEncoder) and _plain_one_hot(encoder):
        writers, position = [], start
        for column, fill, categories in zip(columns, fills, encoder.categories_, strict=True):
            slots = {label: position + i for i, label in enumerate(categories.tolist())}
            writers.append(_one_hot(column, fill, slots))
            position += len(slots)
        return writers
    if isinstance(encoder, OrdinalEncoder) and _plain_ordinal(encoder):
        unknown = float(encoder.unknown_value)
        return [
            _ordinal(
                column,
                fill,
                {label: float(i) for i, label in enumerate(levels.tolist())},
                unknown,
                slot=start + k,
            )
            for k, (column, fill, levels) in enumerate(
                zip(columns, fills, encoder.categories_, strict=True)
            )
        ]
    if isinstance(encoder, StandardScaler) and encoder.with_mean and encoder.with_std:
        return [
            _scaled(column, float(fill), float(mean), float(scale), slot=start + k)
            for k, (column, fill, mean, scale) in enumerate(
                zip(columns, fills, encoder.mean_, encoder.scale_, strict=True)
            )
        ]
    return None


def _plain_imputer(imputer: Any) -> bool:
    return (
        isinstance(imputer, SimpleImputer)
        and not imputer.add_indicator
        and _missing(imputer.missing_values)
        # A column that was empty in training has no fill value and is dropped from the output.
        and not any(_missing(value) for value in imputer.statistics_)
    )


def _plain_one_hot(encoder: OneHotEncoder) -> bool:
    return (
        encoder.drop is None
        and encoder.handle_unknown == "ignore"
        and encoder.min_frequency is None
        and encoder.max_categories is None
    )


def _plain_ordinal(encoder: OrdinalEncoder) -> bool:
    return (
        encoder.handle_unknown == "use_encoded_value"
        and encoder.min_frequency is None
        and encoder.max_categories is None
    )


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _one_hot(column: str, fill: Any, slots: dict[Any, int]) -> Writer:
    def write(record: Record, row: np.ndarray) -> None:
        value = record.get(column)
        slot = slots.get(fill if _missing(value) else value)
        if slot is not None:  # an unseen label sets no slot, as handle_unknown="ignore" does
            row[slot] = 1.0

    return write


def _ordinal(column: str, fill: Any, codes: dict[Any, float], unknown: float, slot: int) -> Writer:
    def write(record: Record, row: np.ndarray) -> None:
        value = record.get(column)
        row[slot] = codes.get(fill if _missing(value) else value, unknown)

    return write


def _scaled(column: str, fill: float, mean: float, scale: float, slot: int) -> Writer:
    def write(record: Record, row: np.ndarray) -> None:
        value = record.get(column)
        # The same two float operations, in the same order, as SimpleImputer then StandardScaler.
        row[slot] = ((fill if _missing(value) else float(value)) - mean) / scale

    return write
