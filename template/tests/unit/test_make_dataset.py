"""The dataset generator (scripts/make_dataset.py) makes seeded data of the expected shape."""

from __future__ import annotations

from types import ModuleType

import pandas as pd


def test_generated_rows_have_every_column_and_both_classes(make_dataset: ModuleType) -> None:
    df = make_dataset.generate(n_rows=300, seed=1)
    train, test = make_dataset.split(df, seed=1)
    assert len(train) + len(test) == 300
    assert set(df["DEFAULT"].unique()) == {0, 1}
    assert (df.filter(like="DAYS_").dropna() <= 0).all().all()


def test_same_seed_gives_the_same_rows(make_dataset: ModuleType) -> None:
    pd.testing.assert_frame_equal(
        make_dataset.generate(n_rows=100, seed=7), make_dataset.generate(n_rows=100, seed=7)
    )
