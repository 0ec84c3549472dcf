"""Save and load the model file safely.

Models are stored with skops instead of pickle/joblib: loading a pickle can run arbitrary code,
while skops only rebuilds the object types it is told to trust. Two checks guard every load:

1. the file's SHA-256 must match the checksum written next to it at training time (or the one
   passed in, e.g. from a deployment variable), so a swapped or corrupted file is refused;
2. every type skops cannot vouch for must be on TRUSTED_TYPES below. We never pass
   `trusted=True`, which would accept whatever the file asks for.
"""

from __future__ import annotations

import hashlib
import hmac
import zipfile
from pathlib import Path
from typing import Any

import skops.io as sio

MODEL_FILE = Path("artifacts/model.skops")

# Types in our pipeline (pipeline.py) that skops does not trust by default. Review any addition:
# an entry here lets a model file construct that type. To list what a model file needs, run
#   python -c "import skops.io as s; print(s.get_untrusted_types(file='artifacts/model.skops'))"
TRUSTED_TYPES: frozenset[str] = frozenset(
    {
        "numpy.dtype",
        "sklearn.tree._tree.Tree",
    }
)


class ModelVerificationError(RuntimeError):
    """The model file failed its checksum or contains types we do not trust."""


def checksum_path(model_path: Path) -> Path:
    """Where the checksum of `model_path` lives: `model.skops` -> `model.skops.sha256`."""
    return model_path.with_name(model_path.name + ".sha256")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def save_model(model: Any, path: Path = MODEL_FILE) -> str:
    """Write `model` to `path` and its SHA-256 to `<path>.sha256`; return the checksum.

    The checksum file uses the `sha256sum` format, so `sha256sum -c model.skops.sha256` works too.
    """
    # Deflate: the trees of a boosted model compress to a fraction of their size.
    data = sio.dumps(model, compression=zipfile.ZIP_DEFLATED)
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


def load_model(path: Path = MODEL_FILE, expected_sha256: str | None = None) -> Any:
    """Load a model saved by `save_model` after verifying its checksum and its types."""
    # Read once and check the very bytes we load (no window to swap the file in between).
    data = Path(path).read_bytes()
    expected = (expected_sha256 or read_checksum(Path(path))).strip().lower()
    actual = sha256_hex(data)
    if not hmac.compare_digest(actual, expected):
        raise ModelVerificationError(
            f"{path} has SHA-256 {actual}, expected {expected}; refusing to load it"
        )

    needed = sio.get_untrusted_types(data=data)
    unexpected = sorted(set(needed) - TRUSTED_TYPES)
    if unexpected:
        raise ModelVerificationError(
            f"{path} contains types that are not in TRUSTED_TYPES: {unexpected}. "
            "Review them and add them to model_io.TRUSTED_TYPES only if you trust them."
        )
    return sio.loads(data, trusted=needed)
