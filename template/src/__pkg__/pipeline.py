"""The model: preprocessing and classifier in one scikit-learn Pipeline.

Kept outside the training package so the API, the tests and model_io's list of trusted types
all describe the same model.
"""

from __future__ import annotations

from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

from .features import (
    CATEGORICAL_FEATURES,
    NUMERICAL_FEATURES,
    ORDINAL_CATEGORIES,
    ORDINAL_FEATURES,
)

RANDOM_STATE = 42


def build_pipeline(*, n_estimators: int = 150, random_state: int = RANDOM_STATE) -> Pipeline:
    """An unfitted pipeline; every random choice is seeded, so fitting is reproducible."""
    categorical = Pipeline(
        [
            ("impute", SimpleImputer(strategy="most_frequent")),
            # Labels never seen in training (a new organisation type) become all zeros.
            ("encode", OneHotEncoder(handle_unknown="ignore")),
        ]
    )
    ordinal = Pipeline(
        [
            ("impute", SimpleImputer(strategy="most_frequent")),
            (
                "encode",
                OrdinalEncoder(
                    categories=[ORDINAL_CATEGORIES[column] for column in ORDINAL_FEATURES],
                    handle_unknown="use_encoded_value",
                    unknown_value=-1,
                ),
            ),
        ]
    )
    # Numbers are only imputed, not scaled: trees split on thresholds, so scaling changes nothing
    # for them. It would cost exactness, though: the ONNX export the API serves (export.py) scales
    # in float32 where scikit-learn uses float64, and that moved values across split thresholds
    # (5 of 700 held-out rows, one decision changed). For a model that needs scaled inputs (a
    # linear one), add a StandardScaler here; the export check then says whether it still matches.
    numerical = SimpleImputer(strategy="mean")
    preprocess = ColumnTransformer(
        [
            ("categorical", categorical, CATEGORICAL_FEATURES),
            ("ordinal", ordinal, ORDINAL_FEATURES),
            ("numerical", numerical, NUMERICAL_FEATURES),
        ],
        # Columns the model does not use (the target, anything new in the data) are dropped.
        remainder="drop",
    )
    classifier = GradientBoostingClassifier(
        n_estimators=n_estimators,
        learning_rate=0.05,
        max_depth=3,
        subsample=0.8,
        random_state=random_state,
    )
    return Pipeline([("preprocess", preprocess), ("classify", classifier)])
