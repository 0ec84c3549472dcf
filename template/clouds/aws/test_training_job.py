"""The SageMaker training job request, checked offline against botocore's own service model.

botocore (the AWS SDK's core) comes with the optional "cloud" dependency group:
INSTALL_CLOUD_SDK=1 scripts/setup.sh, then pytest tests/cloud. Without it these tests are skipped.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

botocore_session = pytest.importorskip(
    "botocore.session",
    reason="the cloud group is not installed: INSTALL_CLOUD_SDK=1 scripts/setup.sh",
)
from botocore.validate import ParamValidator  # noqa: E402 - after the skip above

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "train_in_cloud.py"
ENV = {
    "AWS_REGION": "eu-west-1",
    "AWS_DATA_BUCKET": "example-data",
    "AWS_SAGEMAKER_ROLE_ARN": "arn:aws:iam::123456789012:role/example-sagemaker-job",
    "TRAINING_IMAGE": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/example:train-0123abc",
}


def load_script():
    spec = importlib.util.spec_from_file_location("train_in_cloud", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def problems(request: dict) -> str:
    """botocore's parameter validation for CreateTrainingJob: empty when the request is valid."""
    model = botocore_session.get_session().get_service_model("sagemaker")
    shape = model.operation_model("CreateTrainingJob").input_shape
    report = ParamValidator().validate(request, shape)
    return report.generate_report() if report.has_errors() else ""


@pytest.mark.parametrize("spot", ["false", "true"])
def test_request_matches_the_service_model(spot: str):
    script = load_script()
    job = script.job_from_env({**ENV, "TRAINING_SPOT": spot}, now=datetime(2026, 1, 2, tzinfo=UTC))
    request = script.build_request(job)
    assert problems(request) == ""
    assert request["EnableManagedSpotTraining"] is (spot == "true")
    stopping = request["StoppingCondition"]
    assert stopping["MaxRuntimeInSeconds"] == 3600
    assert ("MaxWaitTimeInSeconds" in stopping) is (spot == "true")
    assert request["TrainingJobName"] == f"{script.PROJECT[:46]}-20260102-000000"


def test_the_job_reads_the_committed_data_and_writes_to_the_bucket():
    script = load_script()
    request = script.build_request(script.job_from_env(ENV))
    manifest = script.read_manifest()
    uris = {
        c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"]
        for c in request["InputDataConfig"]
    }
    store = f"s3://example-data/{script.PROJECT}"
    assert uris == {option: f"{store}/sha256/{digest}" for option, digest in manifest.items()}
    assert request["OutputDataConfig"]["S3OutputPath"] == f"{store}/models"
    arguments = request["AlgorithmSpecification"]["ContainerArguments"]
    assert arguments[-2:] == ["--output-dir", "/opt/ml/model"]


def test_the_job_gets_the_forwarded_variables_but_no_credentials():
    script = load_script()
    forwarded = {name: f"https://{name.lower()}.example.com" for name in script.FORWARDED}
    # The credentials that go with each (e.g. a tracking server's token) stay out of the request.
    secrets = {name.removesuffix("_URI") + "_TOKEN": "secret-token" for name in script.FORWARDED}
    request = script.build_request(script.job_from_env({**ENV, **forwarded, **secrets}))
    assert problems(request) == ""
    assert request["Environment"] == forwarded
    assert "secret" not in json.dumps(request)
    # Unset, a run store beside the model: what SageMaker uploads brings the run back.
    alone = script.build_request(script.job_from_env(ENV))["Environment"]
    assert sorted(alone) == sorted(forwarded)
    assert all(uri.startswith(f"sqlite:///{script.MODEL_DIR}/") for uri in alone.values())


def test_the_validation_catches_a_broken_request():
    script = load_script()
    request = script.build_request(script.job_from_env(ENV))
    del request["RoleArn"]
    request["ResourceConfig"]["InstanceCount"] = "one"
    report = problems(request)
    assert "RoleArn" in report
    assert "InstanceCount" in report


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this project's own script
        [sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True, check=False
    )


def test_dry_run_prints_the_request_and_sends_nothing():
    result = run("--dry-run", env={"PATH": "", **ENV, "TRAINING_INSTANCE_TYPE": "ml.c5.xlarge"})
    assert result.returncode == 0, result.stderr
    request = json.loads(result.stdout)
    assert problems(request) == ""
    assert request["ResourceConfig"]["InstanceType"] == "ml.c5.xlarge"


def test_bad_values_are_refused_in_one_line():
    result = run("--dry-run", env={**ENV, "TRAINING_MAX_RUNTIME_SECONDS": "forever"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "train_in_cloud.py: TRAINING_MAX_RUNTIME_SECONDS=forever: "
        "use a whole number of seconds from 60 to 2419200"
    ]
    missing = run(env={k: v for k, v in ENV.items() if k != "AWS_SAGEMAKER_ROLE_ARN"})
    assert missing.returncode == 2
    assert "set AWS_SAGEMAKER_ROLE_ARN" in missing.stderr
