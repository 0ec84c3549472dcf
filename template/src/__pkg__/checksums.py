"""SHA-256 checksums of model files, written next to them and checked before every load.

Standard library only: the API (whose image has no scikit-learn) and training both use it.
A model file `model.onnx` has its checksum in `model.onnx.sha256`, in the `sha256sum` format,
so `sha256sum -c model.onnx.sha256` checks it too.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path


class ModelVerificationError(RuntimeError):
    """The model file failed its checksum or contains types we do not trust."""


def checksum_path(model_path: Path) -> Path:
    """Where the checksum of `model_path` lives: `model.onnx` -> `model.onnx.sha256`."""
    return model_path.with_name(model_path.name + ".sha256")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_with_checksum(path: Path, data: bytes) -> str:
    """Write `data` to `path` and its SHA-256 to `<path>.sha256`; return the checksum."""
    digest = sha256_hex(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    checksum_path(path).write_text(f"{digest}  {path.name}\n", encoding="utf-8")
    return digest


def read_checksum(path: Path) -> str:
    """The expected SHA-256 recorded next to the model file."""
    sidecar = checksum_path(path)
    if not sidecar.is_file():
        raise ModelVerificationError(f"checksum file {sidecar} is missing; refusing to load {path}")
    return sidecar.read_text(encoding="utf-8").split()[0].lower()


def verified_bytes(path: Path, expected_sha256: str | None = None) -> bytes:
    """The bytes of `path`, once their SHA-256 matches `expected_sha256` (default: the sidecar).

    The file is read once and the very bytes checked are returned, so there is no window in which
    it could be swapped between the check and the load.
    """
    data = Path(path).read_bytes()
    expected = (expected_sha256 or read_checksum(Path(path))).strip().lower()
    actual = sha256_hex(data)
    if not hmac.compare_digest(actual, expected):
        raise ModelVerificationError(
            f"{path} has SHA-256 {actual}, expected {expected}; refusing to load it"
        )
    return data
