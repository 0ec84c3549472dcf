"""Generate the synthetic loan-default dataset in data/.

The project ships a small, license-clean stand-in for the loan-default data the original exercise
used: same 30 feature columns and `DEFAULT` target, but every row is drawn from a seeded random
process below. Defaults depend on age, employment, credit-to-income ratio, education, region
rating, the applicant's social circle and more, so a model has real signal to learn.

Run it from the project root (only needed to change or rebuild the data):

    python scripts/make_dataset.py

The same seed and the same numpy/pandas versions give byte-identical files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20240601
N_ROWS = 2800
TEST_FRACTION = 0.25
DAYS_PER_YEAR = 365
# Calibrated so that about one applicant in five defaults.
BASE_LOG_ODDS = -1.8

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "data"


def _choice(rng: np.random.Generator, options: dict[str, float], size: int) -> np.ndarray:
    """Draw `size` labels with the given relative frequencies."""
    labels = list(options)
    weights = np.array(list(options.values()), dtype=float)
    return rng.choice(labels, size=size, p=weights / weights.sum())


def _with_missing(rng: np.random.Generator, values: pd.Series, fraction: float) -> pd.Series:
    """Blank out a random fraction of values, as real application forms have gaps."""
    return values.mask(rng.random(len(values)) < fraction)


def generate(n_rows: int = N_ROWS, seed: int = SEED) -> pd.DataFrame:
    """Return `n_rows` synthetic applications with a `DEFAULT` label."""
    rng = np.random.default_rng(seed)
    n = n_rows

    age = rng.uniform(21, 69, n)
    income_type = np.where(
        age > 62,  # noqa: PLR2004 - retirement age of the synthetic population
        "Pensioner",
        _choice(
            rng,
            {"Working": 0.6, "Commercial associate": 0.27, "State servant": 0.1, "Pensioner": 0.03},
            n,
        ),
    )
    pensioner = income_type == "Pensioner"
    years_employed = np.where(pensioner, 0.0, np.minimum(rng.exponential(6.0, n), age - 18))

    education = _choice(
        rng,
        {
            "Lower secondary": 0.03,
            "Secondary / secondary special": 0.68,
            "Incomplete higher": 0.04,
            "Higher education": 0.24,
            "Academic degree": 0.01,
        },
        n,
    )
    income = np.round(rng.lognormal(np.log(150_000), 0.45, n), -3)
    income += np.where(np.isin(education, ["Higher education", "Academic degree"]), 40_000, 0)
    credit_ratio = rng.lognormal(np.log(3.5), 0.5, n)
    amt_credit = np.round(income * credit_ratio, -3)
    term_years = rng.choice([1, 2, 3, 5, 10, 15, 20], n)
    amt_annuity = np.round(amt_credit / term_years * 1.08, -1)
    region_rating = _choice(rng, {"1": 0.1, "2": 0.74, "3": 0.16}, n).astype(int)
    obs_30 = rng.poisson(1.4, n)
    gender = _choice(rng, {"F": 0.65, "M": 0.35}, n)
    own_car = _choice(rng, {"N": 0.66, "Y": 0.34}, n)
    housing = _choice(
        rng,
        {
            "House / apartment": 0.88,
            "With parents": 0.05,
            "Municipal apartment": 0.04,
            "Rented apartment": 0.02,
            "Office apartment": 0.01,
        },
        n,
    )
    reg_city_not_work = (rng.random(n) < 0.23).astype(int)  # noqa: PLR2004
    previous_loans = rng.poisson(4.0, n)

    # Risk score: each term nudges the log-odds of default; the noise keeps it a hard problem.
    risk = (
        BASE_LOG_ODDS
        - 0.05 * (age - 40)
        - 0.12 * np.minimum(years_employed, 15)
        + 1.2 * np.log(credit_ratio / 3.5)
        + np.select(
            [education == "Lower secondary", education == "Secondary / secondary special"],
            [1.0, 0.4],
            default=-0.4,
        )
        + 0.4 * (gender == "M")
        - 0.4 * (own_car == "Y")
        + np.select([region_rating == 1, region_rating == 3], [-0.6, 0.7], default=0.0)  # noqa: PLR2004
        + 0.7 * np.isin(housing, ["With parents", "Rented apartment"])
        + 0.4 * reg_city_not_work
        + 0.1 * previous_loans
        + rng.normal(0, 0.3, n)
    )
    default = rng.random(n) < 1 / (1 + np.exp(-risk))
    # Defaults spread among friends: risky applicants have more defaulted contacts.
    def_30 = rng.binomial(obs_30, np.where(default, 0.2, 0.05))

    organization = np.where(
        pensioner,
        "XNA",
        _choice(
            rng,
            {
                "Business Entity Type 3": 0.3,
                "Self-employed": 0.17,
                "Other": 0.08,
                "Medicine": 0.05,
                "Government": 0.05,
                "Business Entity Type 2": 0.05,
                "School": 0.04,
                "Trade: type 7": 0.04,
                "Construction": 0.03,
                "Transport: type 4": 0.03,
            },
            n,
        ),
    )
    df = pd.DataFrame(
        {
            "CONTRACT_TYPE": _choice(rng, {"Cash loans": 0.9, "Revolving loans": 0.1}, n),
            "GENDER": gender,
            "INCOME_TYPE": income_type,
            "FAMILY_STATUS": _choice(
                rng,
                {
                    "Married": 0.64,
                    "Single / not married": 0.15,
                    "Civil marriage": 0.1,
                    "Separated": 0.06,
                    "Widow": 0.05,
                },
                n,
            ),
            "HOUSING_TYPE": housing,
            "ORGANIZATION_TYPE": organization,
            "NAME_TYPE_SUITE": _choice(
                rng,
                {
                    "Unaccompanied": 0.81,
                    "Family": 0.13,
                    "Spouse, partner": 0.04,
                    "Children": 0.01,
                    "Other": 0.01,
                },
                n,
            ),
            "WEEKDAY_APPR_PROCESS_START": _choice(
                rng,
                {
                    "MONDAY": 0.17,
                    "TUESDAY": 0.18,
                    "WEDNESDAY": 0.17,
                    "THURSDAY": 0.16,
                    "FRIDAY": 0.16,
                    "SATURDAY": 0.11,
                    "SUNDAY": 0.05,
                },
                n,
            ),
            "FLAG_OWN_CAR": own_car,
            "FLAG_OWN_REALTY": _choice(rng, {"N": 0.31, "Y": 0.69}, n),
            "EDUCATION_TYPE": education,
            "COUNT_CHILDREN": rng.choice([0, 1, 2, 3, 4], n, p=[0.7, 0.2, 0.08, 0.015, 0.005]),
            "INCOME": income,
            "AMT_CREDIT": amt_credit,
            "AMT_ANNUITY": amt_annuity,
            "REGION_POPULATION_RELATIVE": np.round(rng.uniform(0.0005, 0.07, n), 4),
            "DAYS_BIRTH": -np.round(age * DAYS_PER_YEAR).astype(int),
            "DAYS_EMPLOYED": -np.round(years_employed * DAYS_PER_YEAR).astype(int),
            "DAYS_REGISTRATION": -rng.integers(0, 15_000, n),
            "DAYS_ID_PUBLISH": -rng.integers(0, 6_000, n),
            "REGION_RATING_CLIENT": region_rating,
            "HOUR_APPR_PROCESS_START": np.clip(np.round(rng.normal(12, 3, n)), 0, 23).astype(int),
            "REG_REGION_NOT_LIVE_REGION": (rng.random(n) < 0.02).astype(int),  # noqa: PLR2004
            "REG_REGION_NOT_WORK_REGION": (rng.random(n) < 0.05).astype(int),  # noqa: PLR2004
            "REG_CITY_NOT_LIVE_CITY": (rng.random(n) < 0.08).astype(int),  # noqa: PLR2004
            "REG_CITY_NOT_WORK_CITY": reg_city_not_work,
            "OBS_30_CNT_SOCIAL_CIRCLE": obs_30,
            "DEF_30_CNT_SOCIAL_CIRCLE": def_30,
            "DAYS_LAST_PHONE_CHANGE": -rng.integers(0, 3_000, n),
            "previous_loan_counts": previous_loans,
            "DEFAULT": default.astype(int),
        }
    )
    # A few gaps, so the pipeline's imputers have real work to do.
    df["NAME_TYPE_SUITE"] = _with_missing(rng, df["NAME_TYPE_SUITE"], 0.01)
    df["AMT_ANNUITY"] = _with_missing(rng, df["AMT_ANNUITY"], 0.01)
    df["DAYS_LAST_PHONE_CHANGE"] = _with_missing(rng, df["DAYS_LAST_PHONE_CHANGE"], 0.01)
    return df


def split(df: pd.DataFrame, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Seeded split, stratified on the target, into training rows and held-out test rows."""
    rng = np.random.default_rng(seed + 1)
    test_mask = np.zeros(len(df), dtype=bool)
    for _, index in df.groupby("DEFAULT").groups.items():
        chosen = rng.choice(index.to_numpy(), size=round(len(index) * TEST_FRACTION), replace=False)
        test_mask[chosen] = True
    return df[~test_mask].reset_index(drop=True), df[test_mask].reset_index(drop=True)


def write_csv_gz(df: pd.DataFrame, path: Path) -> None:
    # mtime=0 keeps the gzip header free of the current time, so reruns are byte-identical.
    df.to_csv(path, index=False, compression={"method": "gzip", "mtime": 0})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()

    train, test = split(generate())
    args.output_dir.mkdir(parents=True, exist_ok=True)
    write_csv_gz(train, args.output_dir / "train.csv.gz")
    write_csv_gz(test, args.output_dir / "test.csv.gz")
    print(
        f"wrote {len(train)} training and {len(test)} held-out rows to {args.output_dir} "
        f"(default rate {train['DEFAULT'].mean():.1%})"
    )


if __name__ == "__main__":
    main()
