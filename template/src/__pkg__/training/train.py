"""Train the loan default model and write it, its checksum and its metrics to artifacts/.

    scripts/train-model.sh [--output-dir artifacts] [--sample-rows N]

The defaults are under the project root wherever this runs; paths given as options are taken as
the shell gives them (relative to the current folder).

Everything is seeded, so two runs on the same data give the same model and the same metrics.json.
The held-out rows (data/test.csv.gz) are only used to measure the model, never to fit it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score

from ..features import FEATURES, TARGET, TEST_DATA, TRAIN_DATA
from ..model_io import MODEL_FILE, save_model
from ..pipeline import RANDOM_STATE, build_pipeline
from ..settings import DECISION_THRESHOLD

METRICS_FILE_NAME = "metrics.json"


def load_dataset(path: Path) -> tuple[pd.DataFrame, pd.Series]:
    """Features and target from a CSV file (plain or .gz)."""
    df = pd.read_csv(path)
    missing = sorted({*FEATURES, TARGET} - set(df.columns))
    if missing:
        raise ValueError(f"{path} lacks the columns {missing}")
    return df[FEATURES], df[TARGET].astype(int)


def sample_per_class(
    features: pd.DataFrame, target: pd.Series, rows: int, seed: int = RANDOM_STATE
) -> tuple[pd.DataFrame, pd.Series]:
    """A seeded sample of about `rows` rows that keeps both classes (for quick smoke runs)."""
    rng = np.random.default_rng(seed)
    per_class = max(rows // target.nunique(), 1)
    chosen = np.concatenate(
        [
            rng.choice(index, size=min(per_class, len(index)), replace=False)
            for index in (target.index[target == label] for label in sorted(target.unique()))
        ]
    )
    chosen.sort()
    return features.loc[chosen], target.loc[chosen]


def evaluate(model: Any, features: pd.DataFrame, target: pd.Series) -> dict[str, float]:
    """Classification metrics on rows the model has not been fitted on."""
    probability = model.predict_proba(features)[:, 1]
    predicted = (probability >= DECISION_THRESHOLD).astype(int)
    metrics = {
        "roc_auc": roc_auc_score(target, probability),
        "accuracy": accuracy_score(target, predicted),
        # What accuracy a model gets by always predicting "no default".
        "baseline_accuracy": float(max(target.mean(), 1 - target.mean())),
        "precision": precision_score(target, predicted, zero_division=0),
        "recall": recall_score(target, predicted, zero_division=0),
        "f1": f1_score(target, predicted, zero_division=0),
    }
    # Rounded so that tiny floating point noise never shows up as a change in metrics.json.
    return {name: round(float(value), 6) for name, value in metrics.items()}


def train(
    train_data: Path = TRAIN_DATA,
    test_data: Path = TEST_DATA,
    output_dir: Path = MODEL_FILE.parent,
    sample_rows: int | None = None,
    n_estimators: int | None = None,
) -> dict[str, Any]:
    """Fit the pipeline, save the model and metrics into `output_dir`, return the metrics."""
    features, target = load_dataset(train_data)
    if sample_rows:
        features, target = sample_per_class(features, target, sample_rows)
    test_features, test_target = load_dataset(test_data)

    model = build_pipeline() if n_estimators is None else build_pipeline(n_estimators=n_estimators)
    model.fit(features, target)

    metrics: dict[str, Any] = {
        "held_out": evaluate(model, test_features, test_target),
        "train_rows": len(features),
        "test_rows": len(test_features),
        "decision_threshold": DECISION_THRESHOLD,
    }
    output_dir.mkdir(parents=True, exist_ok=True)
    save_model(model, output_dir / MODEL_FILE.name)
    (output_dir / METRICS_FILE_NAME).write_text(
        json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return metrics


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train the loan default model.")
    parser.add_argument("--train-data", type=Path, default=TRAIN_DATA)
    parser.add_argument("--test-data", type=Path, default=TEST_DATA)
    parser.add_argument("--output-dir", type=Path, default=MODEL_FILE.parent)
    parser.add_argument(
        "--sample-rows", type=int, default=None, help="fit on a small sample (smoke runs)"
    )
    args = parser.parse_args(argv)

    metrics = train(args.train_data, args.test_data, args.output_dir, args.sample_rows)
    print(f"model written to {args.output_dir / MODEL_FILE.name}")
    print(json.dumps(metrics, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
