"""The Vertex AI custom job request, checked offline against the API's own discovery document.

google-api-python-client ships that document and builds the HTTP request from it; it comes with
the optional "cloud" dependency group: INSTALL_CLOUD_SDK=1 scripts/setup.sh, then pytest
tests/cloud. Without it these tests are skipped.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

discovery_cache = pytest.importorskip(
    "googleapiclient.discovery_cache",
    reason="the cloud group is not installed: INSTALL_CLOUD_SDK=1 scripts/setup.sh",
)
from googleapiclient.http import HttpMock  # noqa: E402 - after the skip above

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train_in_cloud.py"
ENV = {
    "GCP_PROJECT_ID": "example-project",
    "GCP_REGION": "europe-west1",
    "GCP_DATA_BUCKET": "example-data",
    "GCP_VERTEX_SERVICE_ACCOUNT": "example-vertex@example-project.iam.gserviceaccount.com",
    "TRAINING_IMAGE": "europe-west1-docker.pkg.dev/example-project/example/train:0123abc",
}
DOCUMENT = json.loads(discovery_cache.get_static_doc("aiplatform", "v1"))
# Label keys and values: at most 64 lowercase letters, digits, underscores and dashes (the
# CustomJob schema's `labels`); a key starts with a letter.
LABEL_KEY, LABEL_VALUE = re.compile(r"^[a-z][a-z0-9_-]{0,63}$"), re.compile(r"^[a-z0-9_-]{0,64}$")


def load_script():
    spec = importlib.util.spec_from_file_location("train_in_cloud", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


# A project that tracks its runs names its server: a Vertex AI job needs one (FORWARDED).
ENV |= dict.fromkeys(load_script().FORWARDED, "https://tracking.example.com")


def walk(value, schema: dict, at: str) -> list[str]:
    """What in `value` the discovery schema does not allow: unknown or output-only fields, missing
    "Required." ones, wrong types, values outside an enum, malformed int64 and durations."""
    schema = DOCUMENT["schemas"][schema["$ref"]] if "$ref" in schema else schema
    kind = schema.get("type")
    if kind in {"object", "array"} and not isinstance(value, dict if kind == "object" else list):
        return [f"{at}: {kind} expected, got {value!r}"]
    if kind == "array":
        return [p for i, v in enumerate(value) for p in walk(v, schema["items"], f"{at}[{i}]")]
    if kind == "object" and "properties" not in schema:  # a map, e.g. labels
        item = schema.get("additionalProperties", {})
        return [p for key, v in value.items() for p in walk(v, item, f"{at}.{key}")]
    if kind == "object":
        fields = schema["properties"]
        found = [
            f"{at}.{key}: required"
            for key, field in fields.items()
            if field.get("description", "").startswith("Required.") and key not in value
        ]
        for key, item in value.items():
            field = fields.get(key)
            if field is None or field.get("readOnly"):
                found.append(f"{at}.{key}: {'output only' if field else 'unknown field'}")
            else:
                found += walk(item, field, f"{at}.{key}")
        return found
    return scalar(value, schema, at)


def scalar(value, schema: dict, at: str) -> list[str]:
    kind = schema["type"]
    expected = {"string": str, "boolean": bool, "integer": int, "number": (int, float)}[kind]
    if not isinstance(value, expected) or (kind != "boolean" and isinstance(value, bool)):
        return [f"{at}: {kind} expected, got {value!r}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{at}: {value!r} is none of {schema['enum']}"]
    format_ = {"int64": r"-?\d+", "google-duration": r"\d+(\.\d{1,9})?s"}.get(schema.get("format"))
    if format_ and not re.fullmatch(format_, value):
        return [f"{at}: {value!r} is no {schema['format']}"]
    return []


def problems(request: dict) -> list[str]:
    """Empty when the body is a valid CustomJob and its labels follow the label rules."""
    body = request["body"]
    create = DOCUMENT["resources"]["projects"]["resources"]["locations"]["resources"]
    found = walk(body, create["customJobs"]["methods"]["create"]["request"], "body")
    for key, value in body.get("labels", {}).items():
        if not (LABEL_KEY.match(key) and LABEL_VALUE.match(value)):
            found.append(f"label {key}={value} breaks the label rules")
    return found


@pytest.mark.parametrize("spot", ["false", "true"])
def test_request_matches_the_discovery_schema(spot: str):
    script = load_script()
    job = script.job_from_env({**ENV, "TRAINING_SPOT": spot}, now=datetime(2026, 1, 2, tzinfo=UTC))
    request = script.build_request(job)
    assert problems(request) == []
    scheduling = request["body"]["jobSpec"]["scheduling"]
    assert scheduling == {"strategy": "SPOT" if spot == "true" else "STANDARD", "timeout": "3600s"}
    assert request["body"]["displayName"] == f"{script.PROJECT[:46]}-20260102-000000"


def test_the_client_builds_the_call_for_the_regional_endpoint():
    script = load_script()
    request = script.build_request(script.job_from_env(ENV))
    # The SDK checks `parent` against the method's pattern and builds the call; HttpMock sends
    # nothing.
    call = script.vertex_jobs("europe-west1", http=HttpMock()).create(**request)
    assert call.method == "POST"
    parent = "projects/example-project/locations/europe-west1"
    url = f"https://europe-west1-aiplatform.googleapis.com/v1/{parent}/customJobs"
    assert call.uri.split("?")[0] == url
    assert json.loads(call.body) == request["body"]


def test_the_job_reads_the_committed_data_and_writes_where_vertex_uploads_from():
    script = load_script()
    request = script.build_request(script.job_from_env(ENV))
    manifest = script.read_manifest()
    container = request["body"]["jobSpec"]["workerPoolSpecs"][0]["containerSpec"]
    mounted = f"/gcs/example-data/{script.PROJECT}"
    inputs = dict(zip(container["args"][:-2:2], container["args"][1:-2:2], strict=True))
    assert inputs == {f"--{o}-data": f"{mounted}/sha256/{d}" for o, d in manifest.items()}
    output = request["body"]["jobSpec"]["baseOutputDirectory"]["outputUriPrefix"]
    assert output.startswith(f"gs://example-data/{script.PROJECT}/models/")
    # AIP_MODEL_DIR is <baseOutputDirectory>/model/, which the mount shows under /gcs/.
    assert container["args"][-2:] == ["--output-dir", output.replace("gs://", "/gcs/") + "/model"]
    assert request["body"]["labels"]["train-data-sha256"] == manifest["train"]


def test_the_job_gets_the_forwarded_variables_but_no_credentials():
    script = load_script()
    # The credentials that go with each (e.g. a tracking server's token) stay out of the request.
    secrets = {name.removesuffix("_URI") + "_TOKEN": "secret-token" for name in script.FORWARDED}
    request = script.build_request(script.job_from_env({**ENV, **secrets}))
    assert problems(request) == []
    container = request["body"]["jobSpec"]["workerPoolSpecs"][0]["containerSpec"]
    passed_on = {e["name"]: e["value"] for e in container["env"]}
    assert passed_on == {name: ENV[name] for name in script.FORWARDED}
    assert "secret" not in json.dumps(request)
    # Unset, the job has nowhere to keep its run: refused, naming the variable.
    for name in script.FORWARDED:
        without = {k: v for k, v in ENV.items() if k != name}
        with pytest.raises(script.SettingError, match=f"set {name}"):
            script.build_request(script.job_from_env(without))


def test_the_checks_catch_a_broken_request():
    script = load_script()
    request = script.build_request(script.job_from_env(ENV))
    del request["body"]["displayName"]
    spec = request["body"]["jobSpec"]
    spec["scheduling"]["strategy"] = "PREEMPTIBLE"
    spec["workerPoolSpecs"][0]["replicaCount"] = 1
    spec["workerPoolSpecs"][0]["machineSpec"]["gpus"] = 1
    request["body"]["labels"]["Project"] = "Example"
    report = "\n".join(problems(request))
    for broken in ["displayName", "PREEMPTIBLE", "replicaCount", "gpus", "Project"]:
        assert broken in report
    with pytest.raises(TypeError, match="does not match the pattern"):
        script.vertex_jobs("europe-west1", http=HttpMock()).create(
            parent="example-project/europe-west1", body=request["body"]
        )


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this project's own script
        [sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True, check=False
    )


def test_dry_run_prints_the_request_and_sends_nothing():
    result = run("--dry-run", env={"PATH": "", **ENV, "TRAINING_INSTANCE_TYPE": "e2-standard-8"})
    assert result.returncode == 0, result.stderr
    request = json.loads(result.stdout)
    assert problems(request) == []
    machine = request["body"]["jobSpec"]["workerPoolSpecs"][0]["machineSpec"]
    assert machine == {"machineType": "e2-standard-8"}


def test_bad_values_are_refused_in_one_line():
    result = run("--dry-run", env={**ENV, "TRAINING_MAX_RUNTIME_SECONDS": "forever"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "train_in_cloud.py: TRAINING_MAX_RUNTIME_SECONDS=forever: "
        "use a whole number of seconds from 60 to 604800"
    ]
    missing = run(env={k: v for k, v in ENV.items() if k != "GCP_VERTEX_SERVICE_ACCOUNT"})
    assert missing.returncode == 2
    assert "set GCP_VERTEX_SERVICE_ACCOUNT" in missing.stderr
