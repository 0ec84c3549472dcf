"""Save and load the fitted scikit-learn pipeline (model.skops) safely.

Models are stored with skops instead of pickle/joblib: loading a pickle can run arbitrary code,
while skops only rebuilds the object types it is told to trust. Two checks guard every load:

1. the file's SHA-256 must match the checksum written next to it at training time (or the one
   passed in), so a swapped or corrupted file is refused (checksums.py);
2. every type skops cannot vouch for must be on TRUSTED_TYPES below. We never pass
   `trusted=True`, which would accept whatever the file asks for.

Saving is deterministic: the same model (same data, same seed) gives the same bytes, so the same
SHA-256, on every run. skops alone does not: see canonical_archive().
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import skops.io as sio

from .checksums import ModelVerificationError, verified_bytes, write_with_checksum

# Where training writes the fitted pipeline (an absolute path, see settings.py).
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


def save_model(model: Any, path: Path = MODEL_FILE) -> str:
    """Write `model` to `path` and its SHA-256 to `<path>.sha256`; return the checksum."""
    return write_with_checksum(path, canonical_archive(sio.dumps(model)))


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


def load_model(path: Path = MODEL_FILE, expected_sha256: str | None = None) -> Any:
    """Load a model saved by `save_model` after verifying its checksum and its types."""
    data = verified_bytes(Path(path), expected_sha256)
    needed = sio.get_untrusted_types(data=data)
    unexpected = sorted(set(needed) - TRUSTED_TYPES)
    if unexpected:
        raise ModelVerificationError(
            f"{path} contains types that are not in TRUSTED_TYPES: {unexpected}. "
            "Review them and add them to model_io.TRUSTED_TYPES only if you trust them."
        )
    return sio.loads(data, trusted=needed)
