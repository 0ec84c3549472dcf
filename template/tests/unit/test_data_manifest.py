"""data/ is exactly what data/manifest.sha256 names, so CI trains on the data the review saw.

After changing the data, `scripts/data.sh push` uploads it and rewrites the manifest; a new
checkout gets it with `scripts/data.sh pull` (README, "Data").
"""

from __future__ import annotations

import hashlib
from pathlib import Path

MANIFEST = "data/manifest.sha256"


def test_data_matches_the_manifest(project_root: Path) -> None:
    listed = {}
    for line in (project_root / MANIFEST).read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, path = line.split(maxsplit=1)
            listed[path] = digest
    present = {
        path.relative_to(project_root).as_posix()
        for path in (project_root / "data").rglob("*")
        if path.is_file() and not path.name.startswith(".") and path.suffix != ".part"
    } - {MANIFEST}
    assert present == set(listed), "data/ and the manifest list other files: scripts/data.sh push"
    for path, digest in listed.items():
        actual = hashlib.sha256((project_root / path).read_bytes()).hexdigest()
        assert actual == digest, f"{path}: sha256 {actual}, manifest {digest}: scripts/data.sh push"
