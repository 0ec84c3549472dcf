"""The dataset's columns, grouped by how the model pipeline preprocesses them.

Training, the API request schema and the tests all read these lists, so a new feature is added
here (and to the data) rather than in several places.
"""

from __future__ import annotations

from .settings import DATA_DIR

TARGET = "DEFAULT"

# Unordered labels: one-hot encoded.
CATEGORICAL_FEATURES: list[str] = [
    "CONTRACT_TYPE",
    "GENDER",
    "INCOME_TYPE",
    "FAMILY_STATUS",
    "HOUSING_TYPE",
    "ORGANIZATION_TYPE",
    "NAME_TYPE_SUITE",
    "WEEKDAY_APPR_PROCESS_START",
]

# Labels with a natural order: encoded as 0, 1, 2, ... in the order listed here.
ORDINAL_CATEGORIES: dict[str, list[str]] = {
    "FLAG_OWN_CAR": ["N", "Y"],
    "FLAG_OWN_REALTY": ["N", "Y"],
    "EDUCATION_TYPE": [
        "Lower secondary",
        "Secondary / secondary special",
        "Incomplete higher",
        "Higher education",
        "Academic degree",
    ],
}
ORDINAL_FEATURES: list[str] = list(ORDINAL_CATEGORIES)

# Numbers: mean-imputed (pipeline.py says why not scaled). DAYS_* count days before the application.
NUMERICAL_FEATURES: list[str] = [
    "COUNT_CHILDREN",
    "INCOME",
    "AMT_CREDIT",
    "AMT_ANNUITY",
    "REGION_POPULATION_RELATIVE",
    "DAYS_BIRTH",
    "DAYS_EMPLOYED",
    "DAYS_REGISTRATION",
    "DAYS_ID_PUBLISH",
    "REGION_RATING_CLIENT",
    "HOUR_APPR_PROCESS_START",
    "REG_REGION_NOT_LIVE_REGION",
    "REG_REGION_NOT_WORK_REGION",
    "REG_CITY_NOT_LIVE_CITY",
    "REG_CITY_NOT_WORK_CITY",
    "OBS_30_CNT_SOCIAL_CIRCLE",
    "DEF_30_CNT_SOCIAL_CIRCLE",
    "DAYS_LAST_PHONE_CHANGE",
    "previous_loan_counts",
]

FEATURES: list[str] = CATEGORICAL_FEATURES + ORDINAL_FEATURES + NUMERICAL_FEATURES

# Absolute paths under the project root (settings.py), so any working directory will do.
TRAIN_DATA = DATA_DIR / "train.csv.gz"
# Held-out rows: never used for fitting, only to measure the trained model.
TEST_DATA = DATA_DIR / "test.csv.gz"
