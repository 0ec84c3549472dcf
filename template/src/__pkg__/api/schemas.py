"""Request and response bodies of the API.

Field names are the dataset's column names (features.py), so a request row goes straight into
the model. Types and bounds are checked by pydantic: a bad body is answered with 422 and a
description of what is wrong, before it reaches the model.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..features import FEATURES

FEATURE_NAMES = frozenset(FEATURES)

# Every number has an upper and a lower bound, generous for any real application: the model reads
# its input as float32, where a value such as 1e308 becomes infinity and could not be scored.
Label = Annotated[str, Field(min_length=1, max_length=100)]
Flag = Literal[0, 1]
# Days before the application, as in the data: zero or negative, at most about 150 years back.
DaysBefore = Annotated[int, Field(ge=-55_000, le=0)]
Count = Annotated[int, Field(ge=0, le=1_000)]
# An amount of money, in the data's currency.
Amount = Annotated[float, Field(le=1e12)]

# One realistic application; shown in the OpenAPI docs (/docs) as the "Try it out" body.
EXAMPLE_APPLICATION = {
    "CONTRACT_TYPE": "Cash loans",
    "GENDER": "F",
    "INCOME_TYPE": "Working",
    "FAMILY_STATUS": "Married",
    "HOUSING_TYPE": "House / apartment",
    "ORGANIZATION_TYPE": "Business Entity Type 3",
    "NAME_TYPE_SUITE": "Unaccompanied",
    "WEEKDAY_APPR_PROCESS_START": "TUESDAY",
    "FLAG_OWN_CAR": "N",
    "FLAG_OWN_REALTY": "Y",
    "EDUCATION_TYPE": "Secondary / secondary special",
    "COUNT_CHILDREN": 1,
    "INCOME": 157500.0,
    "AMT_CREDIT": 545040.0,
    "AMT_ANNUITY": 26640.0,
    "REGION_POPULATION_RELATIVE": 0.0188,
    "DAYS_BIRTH": -12005,
    "DAYS_EMPLOYED": -1542,
    "DAYS_REGISTRATION": -5186,
    "DAYS_ID_PUBLISH": -2903,
    "REGION_RATING_CLIENT": 2,
    "HOUR_APPR_PROCESS_START": 11,
    "REG_REGION_NOT_LIVE_REGION": 0,
    "REG_REGION_NOT_WORK_REGION": 0,
    "REG_CITY_NOT_LIVE_CITY": 0,
    "REG_CITY_NOT_WORK_CITY": 1,
    "OBS_30_CNT_SOCIAL_CIRCLE": 2,
    "DEF_30_CNT_SOCIAL_CIRCLE": 0,
    "DAYS_LAST_PHONE_CHANGE": -1106,
    "previous_loan_counts": 3,
}


class LoanApplication(BaseModel):
    """One loan application: the 30 features the model uses, and OCCUPATION_TYPE.

    These are the 31 fields of the request body of the book's exercise API (the seed repository's
    POST /predict/), so a client written for that API works unchanged.
    """

    # Unknown fields are an error rather than silently ignored (catches typos in clients): a body
    # is refused (422) when it has any field not listed here.
    # NaN and Infinity are not JSON, but Python's JSON parser reads them: refuse them too.
    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={"examples": [EXAMPLE_APPLICATION]},
    )

    # Categorical: any label; labels the model has never seen are handled by the encoder.
    CONTRACT_TYPE: Label
    GENDER: Label
    INCOME_TYPE: Label
    FAMILY_STATUS: Label
    HOUSING_TYPE: Label
    ORGANIZATION_TYPE: Label
    NAME_TYPE_SUITE: Label | None = Field(default=None, description="who came with the client")
    WEEKDAY_APPR_PROCESS_START: Label

    # Ordinal: only the known levels (features.ORDINAL_CATEGORIES).
    FLAG_OWN_CAR: Literal["N", "Y"]
    FLAG_OWN_REALTY: Literal["N", "Y"]
    EDUCATION_TYPE: Literal[
        "Lower secondary",
        "Secondary / secondary special",
        "Incomplete higher",
        "Higher education",
        "Academic degree",
    ]

    # Numerical. Fields that may be unknown are optional; the model imputes them.
    COUNT_CHILDREN: Count
    INCOME: Amount = Field(gt=0)
    AMT_CREDIT: Amount = Field(gt=0)
    AMT_ANNUITY: Amount | None = Field(default=None, ge=0)
    REGION_POPULATION_RELATIVE: float = Field(ge=0, le=1)
    DAYS_BIRTH: DaysBefore
    DAYS_EMPLOYED: DaysBefore
    DAYS_REGISTRATION: DaysBefore
    DAYS_ID_PUBLISH: DaysBefore
    REGION_RATING_CLIENT: int = Field(ge=1, le=3)
    HOUR_APPR_PROCESS_START: int = Field(ge=0, le=23)
    REG_REGION_NOT_LIVE_REGION: Flag
    REG_REGION_NOT_WORK_REGION: Flag
    REG_CITY_NOT_LIVE_CITY: Flag
    REG_CITY_NOT_WORK_CITY: Flag
    OBS_30_CNT_SOCIAL_CIRCLE: Count
    DEF_30_CNT_SOCIAL_CIRCLE: Count
    DAYS_LAST_PHONE_CHANGE: DaysBefore | None = None
    previous_loan_counts: Count

    # Not a feature: the book's API takes it, but the data has no such column, so this model cannot
    # use it. Accepted (and checked like any label) so that clients written for that API work.
    OCCUPATION_TYPE: Label | None = Field(default=None, description="accepted, not used")

    def features(self) -> dict[str, object]:
        """The fields the model reads, by name (features.FEATURES)."""
        return self.model_dump(include=FEATURE_NAMES)


class Prediction(BaseModel):
    prediction: Literal[0, 1] = Field(description="1 if the client is predicted to default")
    probability: float = Field(ge=0, le=1, description="predicted probability of default")


class Health(BaseModel):
    status: Literal["ok"]
    model_sha256: str
