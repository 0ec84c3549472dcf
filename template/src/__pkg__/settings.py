"""Where the project's files are, and every environment variable the Python code reads.

Standard library only. Paths are absolute, built from PROJECT_ROOT, so training, the API and the
tests find data/ and artifacts/ wherever they are started from (not only from the project root).

PROJECT_ROOT is the folder holding pyproject.toml above this package's source (a checkout, where
the package is installed in editable mode); for an installed wheel, as in the production image,
it is the current working directory (the image's WORKDIR, /app).

Environment variables, read by `Settings.from_env()` (the API reads them once, at start-up):

    MODEL_PATH               model file the API serves (default artifacts/model.onnx); a relative
                             path is taken from PROJECT_ROOT
    MODEL_SHA256             its expected SHA-256 (default: the .sha256 file next to it)
    HOST, PORT               where the production server listens (default 0.0.0.0:8000)
    MAX_BODY_BYTES           largest request body accepted, in bytes (default 65536 = 64 KiB)
    REQUEST_TIMEOUT_SECONDS  time allowed for a request's headers and body (default 10)
    KEEP_ALIVE_SECONDS       how long an idle connection stays open after a response (default 5)
    MAX_CONCURRENCY          connections (and requests) at once; more get a 503 (default 100)

A value that is set but invalid (a typo, zero, a negative number) fails start-up with its name,
rather than silently keeping the default. The shell scripts read two more: MODEL_URL and
MODEL_SHA256 in scripts/fetch-model.sh (where to download a model from, and its checksum).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parents[2]
PROJECT_ROOT = _SOURCE_ROOT if (_SOURCE_ROOT / "pyproject.toml").is_file() else Path.cwd()

DATA_DIR = PROJECT_ROOT / "data"
ARTIFACTS_DIR = PROJECT_ROOT / "artifacts"
# The fitted scikit-learn pipeline (model_io.py), and the same model exported to ONNX, the file the
# API serves (export.py, api/scoring.py).
MODEL_FILE = ARTIFACTS_DIR / "model.skops"
SERVED_MODEL_FILE = ARTIFACTS_DIR / "model.onnx"

# A client counts as "will default" when the predicted probability reaches this value. Training
# measures its metrics with it and the API decides with it: this is the only copy.
DECISION_THRESHOLD = 0.5

DEFAULT_MAX_BODY_BYTES = 64 * 1024
DEFAULT_REQUEST_TIMEOUT_SECONDS = 10.0


def package_version() -> str:
    """This package's version, from its installed metadata (pyproject.toml's `version`)."""
    try:
        return version(__name__.partition(".")[0])
    except PackageNotFoundError:  # imported from a source tree that was never installed
        return "0+unknown"


def project_path(value: str | Path) -> Path:
    """`value` as an absolute path; a relative one is taken from PROJECT_ROOT."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def _positive(environ: Mapping[str, str], name: str, default: float) -> float:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        msg = f"{name} must be a positive number, not {text!r}"
        raise ValueError(msg)
    return value


def _whole(environ: Mapping[str, str], name: str, default: int) -> int:
    value = _positive(environ, name, default)
    if value != int(value):
        msg = f"{name} must be a whole number, not {environ[name].strip()!r}"
        raise ValueError(msg)
    return int(value)


@dataclass(frozen=True)
class Settings:
    """The environment variables above, parsed and checked."""

    model_path: Path = SERVED_MODEL_FILE
    model_sha256: str | None = None
    host: str = "0.0.0.0"  # noqa: S104 - a container must listen on all interfaces
    port: int = 8000
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    request_timeout_seconds: float = DEFAULT_REQUEST_TIMEOUT_SECONDS
    keep_alive_seconds: int = 5
    max_concurrency: int = 100

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        defaults = cls()
        model_path = env.get("MODEL_PATH", "").strip()
        return cls(
            model_path=project_path(model_path) if model_path else defaults.model_path,
            model_sha256=env.get("MODEL_SHA256", "").strip().lower() or None,
            host=env.get("HOST", "").strip() or defaults.host,
            port=_whole(env, "PORT", defaults.port),
            max_body_bytes=_whole(env, "MAX_BODY_BYTES", defaults.max_body_bytes),
            request_timeout_seconds=_positive(
                env, "REQUEST_TIMEOUT_SECONDS", defaults.request_timeout_seconds
            ),
            keep_alive_seconds=_whole(env, "KEEP_ALIVE_SECONDS", defaults.keep_alive_seconds),
            max_concurrency=_whole(env, "MAX_CONCURRENCY", defaults.max_concurrency),
        )
