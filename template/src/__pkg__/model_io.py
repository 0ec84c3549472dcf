"""Save and load the model file safely.

Models are stored with skops instead of pickle/joblib: loading a pickle can run arbitrary code,
while skops only rebuilds the object types it is told to trust. Two checks guard every load:

1. the file's SHA-256 must match the checksum written next to it at training time (or the one
   passed in, e.g. from a deployment variable), so a swapped or corrupted file is refused;
2. every type skops cannot vouch for must be on TRUSTED_TYPES below. We never pass
   `trusted=True`, which would accept whatever the file asks for.

Saving is deterministic: the same model (same data, same seed) gives the same bytes, so the same
SHA-256, on every run. skops alone does not: see canonical_archive().
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import skops.io as sio

# Where training writes the model and the API looks for it (an absolute path, see settings.py).
from .settings import MODEL_FILE

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
    data = canonical_archive(sio.dumps(model))
    digest = sha256_hex(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    checksum_path(path).write_text(f"{digest}  {path.name}\n", encoding="utf-8")
    return digest


# The zip format's earliest date: every entry carries it, whenever the model was saved.
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)


def canonical_archive(data: bytes) -> bytes:
    """The skops archive `data` rewritten so that equal models give byte-identical files.

    A skops file is a zip of schema.json plus one file per array. Two things in it changed from
    run to run although the model did not: every zip entry is stamped with the time of saving,
    and objects are numbered by their memory address, id() (the `__id__` of each node in
    schema.json, and the `<id>.npy` names of the array files). Here the ids are renumbered 1, 2,
    3, ... in the order schema.json lists them, each array file is renamed after its new id
    (other files, e.g. skops' random `<uuid>.bin` names, after their order of appearance), and
    the entries are written in name order with a fixed date, mode and compression (deflate: the
    trees of a boosted model compress to a fraction of their size). Renumbering keeps which nodes
    share an id, which is all skops uses the ids for, so the model loads exactly as before.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        files = {name: source.read(name) for name in source.namelist()}
    schema = json.loads(files.pop("schema.json"))

    ids: dict[int, int] = {}
    names: dict[str, str] = {}

    def renumber(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                renumber(item)
            return
        if not isinstance(node, dict):
            return
        # Only skops' own nodes (they all name their loader), never the content of a user dict.
        if "__loader__" in node:
            if isinstance(node.get("__id__"), int):
                node["__id__"] = ids.setdefault(node["__id__"], len(ids) + 1)
            old = node.get("file")
            if isinstance(old, str) and old in files:
                stem, _, suffix = old.partition(".")
                if stem.isdigit() and suffix == "npy":
                    new = f"{ids.setdefault(int(stem), len(ids) + 1)}.npy"
                else:
                    new = names.get(old) or f"file-{len(names) + 1}.{suffix or 'bin'}"
                node["file"] = names.setdefault(old, new)
        for value in node.values():
            renumber(value)

    renumber(schema)
    if len(set(names.values())) != len(names):
        raise ValueError("renumbering the skops archive mapped two files to one name")
    entries = {names.get(name, name): content for name, content in files.items()}
    entries["schema.json"] = json.dumps(schema, indent=2).encode("utf-8")

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.create_system = 3  # the same bytes whichever OS saves the model
            info.external_attr = 0o644 << 16
            target.writestr(info, entries[name], zipfile.ZIP_DEFLATED, compresslevel=6)
    return buffer.getvalue()


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
