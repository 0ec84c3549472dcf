"""Checks against a deployed API; skipped unless API_URL is set.

Run them with `API_URL=https://your-api.example.com scripts/tests/post-deployment-test.sh`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

API_URL = os.environ.get("API_URL", "").rstrip("/")

pytestmark = pytest.mark.skipif(
    not API_URL, reason="API_URL is not set; point it at a deployed API to run these checks"
)


@pytest.fixture(scope="module")
def api() -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=API_URL, timeout=30.0) as client:
        yield client


def test_health(api: httpx2.Client) -> None:
    response = api.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_predict_sample_application(api: httpx2.Client, project_root: Path) -> None:
    payload = json.loads(
        (project_root / "scripts" / "request-local-api-payload.json").read_text(encoding="utf-8")
    )
    response = api.post("/predict", json=payload)
    assert response.status_code == 200
    assert response.json()["prediction"] in (0, 1)


def test_bad_body_is_rejected(api: httpx2.Client) -> None:
    assert api.post("/predict", json={"INCOME": "a lot"}).status_code == 422


def test_nan_is_rejected_rather_than_failing(api: httpx2.Client) -> None:
    # Not JSON, but Python's JSON parser reads it; the answer must be a 422, not a 500.
    headers = {"content-type": "application/json"}
    assert api.post("/predict", content='{"INCOME": NaN}', headers=headers).status_code == 422
