"""The Azure ML command job's requests, checked offline against azure-ai-ml's own models.

azure-ai-ml (Azure ML's SDK) comes with the optional "cloud" dependency group:
INSTALL_CLOUD_SDK=1 scripts/setup.sh, then pytest tests/cloud. Without it these tests are skipped.
"""

from __future__ import annotations

import copy
import importlib.util
import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
import urllib3

pytest.importorskip(
    "azure.ai.ml", reason="the cloud group is not installed: INSTALL_CLOUD_SDK=1 scripts/setup.sh"
)
# The REST API's models (the service's own) and the SDK's entities, which check them by its schema.
import azure.ai.ml._restclient.arm_ml_service as service
from azure.ai.ml._restclient.arm_ml_service.models import EnvironmentVersion, JobBase
from azure.ai.ml.entities import Environment, Job
from azure.core.credentials import AccessToken
from azure.core.pipeline.transport import RequestsTransport

# azure-ai-ml's own schemas use what marshmallow 4 removes: hundreds of warnings, none of ours.
pytestmark = pytest.mark.filterwarnings("ignore::marshmallow.warnings.RemovedInMarshmallow4Warning")

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train_in_cloud.py"
ENV = {
    "AZURE_SUBSCRIPTION_ID": "00000000-0000-0000-0000-000000000000",
    "AZURE_ML_RESOURCE_GROUP": "example-ml",
    "AZURE_ML_WORKSPACE": "example-workspace",
    "AZURE_ML_DATASTORE": "exampledata",
    "AZURE_STORAGE_ACCOUNT": "exampledata",
    "AZURE_DATA_CONTAINER": "data",
    "TRAINING_IMAGE": "example.azurecr.io/example:train-0123abc",
}


def load_script():
    spec = importlib.util.spec_from_file_location("train_in_cloud", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def differences(sent: Any, back: Any, path: str) -> list[str]:
    """What the models dropped or changed: a key they do not know is not written back."""
    if isinstance(sent, dict) and isinstance(back, dict):
        return [
            problem
            for key, value in sent.items()
            for problem in (
                differences(value, back[key], f"{path}.{key}")
                if key in back
                else [f"{path}.{key}: dropped"]
            )
        ]
    return [] if sent == back else [f"{path}: {sent!r} came back as {back!r}"]


def problems(request: dict) -> list[str]:
    """azure-ai-ml's findings: each body read into its REST model, checked, written back."""
    found = []
    try:
        command = Job._from_rest_object(JobBase(request["job"]))
        # The SDK's job schema (what `az ml job create` checks a YAML file with).
        found += [f"job {k}: {v}" for k, v in command._validate().error_messages.items()]
        job = command._to_job()
        job._validate()  # the command's ${{inputs.*}} against the inputs
        back = job._to_rest_object().as_dict()["properties"]
        found += differences(request["job"]["properties"], back, "job")
    except Exception as error:  # any refusal is a finding
        found.append(f"job: {error}")
    try:
        environment = Environment._from_rest_object(EnvironmentVersion(request["environment"]))
        environment.validate()
        back = environment._to_rest_object().as_dict()["properties"]
        found += differences(request["environment"]["properties"], back, "environment")
    except Exception as error:
        found.append(f"environment: {error}")
    return found


@pytest.mark.parametrize(("spot", "runtime"), [("false", "3600"), ("true", "5400")])
def test_request_matches_the_service_model(spot: str, runtime: str):
    script = load_script()
    env = {**ENV, "TRAINING_SPOT": spot, "TRAINING_MAX_RUNTIME_SECONDS": runtime}
    request = script.build_request(script.job_from_env(env, now=datetime(2026, 1, 2, tzinfo=UTC)))
    assert problems(request) == []
    job = request["job"]["properties"]
    assert job["queueSettings"] == {"jobTier": "Spot" if spot == "true" else "Standard"}
    assert job["resources"] == {"instanceCount": 1, "instanceType": "Standard_DS3_v2"}
    assert request["job"]["id"].endswith(f"/jobs/{script.PROJECT[:46]}-20260102-000000")
    assert job["environmentId"] == request["environment"]["id"]


def test_a_compute_cluster_runs_it_without_serverless_settings():
    script = load_script()
    request = script.build_request(script.job_from_env({**ENV, "AZURE_ML_COMPUTE": "cpu-cluster"}))
    assert problems(request) == []
    job = request["job"]["properties"]
    assert job["computeId"].endswith("/workspaces/example-workspace/computes/cpu-cluster")
    assert "queueSettings" not in job
    with pytest.raises(script.SettingError, match="AZURE_ML_COMPUTE"):
        script.build_request(
            script.job_from_env({**ENV, "AZURE_ML_COMPUTE": "cpu-cluster", "TRAINING_SPOT": "true"})
        )


def test_the_job_reads_the_committed_data_and_writes_to_the_container():
    script = load_script()
    job = script.build_request(script.job_from_env(ENV))["job"]["properties"]
    manifest = script.read_manifest()
    store = f"https://exampledata.blob.core.windows.net/data/{script.PROJECT}"
    uris = {option: entry["uri"] for option, entry in job["inputs"].items()}
    assert uris == {option: f"{store}/sha256/{digest}" for option, digest in manifest.items()}
    assert job["outputs"]["model"]["uri"].startswith(
        f"azureml://datastores/exampledata/paths/{script.PROJECT}/models/"
    )
    assert job["command"].endswith("--output-dir ${{outputs.model}}")


def test_the_job_gets_the_forwarded_variables_but_no_credentials():
    script = load_script()
    forwarded = {name: f"https://{name.lower()}.example.com" for name in script.FORWARDED}
    # The credentials that go with each (e.g. a tracking server's token) stay out of the request.
    secrets = {name.removesuffix("_URI") + "_TOKEN": "secret-token" for name in script.FORWARDED}
    request = script.build_request(script.job_from_env({**ENV, **forwarded, **secrets}))
    assert problems(request) == []
    assert request["job"]["properties"]["environmentVariables"] == forwarded
    assert "secret" not in json.dumps(request)
    # Unset, a run store in the folder Azure ML keeps with the job.
    alone = script.build_request(script.job_from_env(ENV))["job"]["properties"]
    assert sorted(alone["environmentVariables"]) == sorted(forwarded)
    assert all(v.startswith("sqlite:///outputs/") for v in alone["environmentVariables"].values())


def test_the_validation_catches_a_broken_request():
    script = load_script()
    good = script.build_request(script.job_from_env(ENV))
    cases = {
        "environment is required": lambda job: job.pop("environmentId"),
        "jobTier: dropped": lambda job: job["queueSettings"].update(jobTier="Cheapest"),
        "data binding string: one": lambda job: job["resources"].update(instanceCount="one"),
        "input type csv": lambda job: job["inputs"]["train"].update(jobInputType="csv"),
        "'test' referenced in command": lambda job: job["inputs"].pop("test"),
    }
    for expected, breaks in cases.items():
        request = copy.deepcopy(good)
        breaks(request["job"]["properties"])
        assert expected in " ".join(problems(request)), expected
    request = copy.deepcopy(good)
    del request["environment"]["properties"]["image"]
    assert any("Docker image" in problem for problem in problems(request))


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this project's own script
        [sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True, check=False
    )


def test_dry_run_prints_the_request_and_sends_nothing():
    result = run("--dry-run", env={"PATH": "", **ENV, "TRAINING_INSTANCE_TYPE": "Standard_F4s_v2"})
    assert result.returncode == 0, result.stderr
    request = json.loads(result.stdout)
    assert problems(request) == []
    assert request["job"]["properties"]["resources"]["instanceType"] == "Standard_F4s_v2"


def test_bad_values_are_refused_in_one_line():
    result = run("--dry-run", env={**ENV, "TRAINING_MAX_RUNTIME_SECONDS": "forever"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "train_in_cloud.py: TRAINING_MAX_RUNTIME_SECONDS=forever: "
        "use a whole number of seconds from 60 to 2419200"
    ]
    missing = run(env={k: v for k, v in ENV.items() if k != "AZURE_ML_WORKSPACE"})
    assert missing.returncode == 2
    assert "set AZURE_ML_WORKSPACE" in missing.stderr


class AzureResourceManager(requests.adapters.BaseAdapter):
    """Answers the SDK's HTTP requests as the REST API would, and keeps what it was sent."""

    def __init__(self, statuses: list[str]):
        super().__init__()
        self.sent: list[tuple[str, str, Any]] = []
        self.statuses = statuses
        self.job: dict = {}

    def send(self, request, **kwargs):
        body = json.loads(request.body) if request.body else None
        self.sent.append((request.method, request.url, body))
        if request.method == "PUT" and "/jobs/" in request.url:
            self.job = body
        answer = body if request.method == "PUT" else copy.deepcopy(self.job)
        if request.method == "GET":
            answer["properties"]["status"] = self.statuses.pop(0)
        response = requests.Response()
        response.status_code, response.url, response.request = 200, request.url, request
        response.headers["Content-Type"] = "application/json"
        content = json.dumps(answer).encode()
        response.raw = urllib3.HTTPResponse(io.BytesIO(content), preload_content=False)
        return response

    def close(self):
        pass


def test_submit_sends_the_printed_requests_and_waits(monkeypatch, capsys):
    """submit() through the SDK's own client and HTTP pipeline, answered here, not by Azure."""
    script = load_script()
    request = script.build_request(script.job_from_env(ENV))
    arm = AzureResourceManager(statuses=["Queued", "Running", "Completed"])
    session = requests.Session()
    session.mount("https://", arm)
    client = service.MachineLearningServicesMgmtClient
    monkeypatch.setattr(
        service,
        "MachineLearningServicesMgmtClient",
        lambda credential, subscription: client(
            credential, subscription, transport=RequestsTransport(session=session)
        ),
    )

    class Login:
        def get_token(self, *scopes, **kwargs):
            return AccessToken("token", int(datetime.now(UTC).timestamp()) + 3600)

    monkeypatch.setattr(script, "credential", Login)
    monkeypatch.setattr(script.time, "sleep", lambda seconds: None)
    assert script.submit(request, wait=True) == 0
    puts = [(url.split("?")[0], body) for method, url, body in arm.sent if method == "PUT"]
    base = "https://management.azure.com"
    assert puts == [
        (base + request["environment"]["id"], {"properties": request["environment"]["properties"]}),
        (base + request["job"]["id"], {"properties": request["job"]["properties"]}),
    ]
    assert [method for method, _, _ in arm.sent].count("GET") == 3
    assert f"{request['job']['id'].rsplit('/', 1)[1]}: Completed\n" in capsys.readouterr().out
    arm.statuses = ["Failed"]
    assert script.submit(request, wait=True) == 1
