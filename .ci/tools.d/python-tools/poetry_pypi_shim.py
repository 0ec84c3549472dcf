"""Work around a sandbox limitation for Poetry; installed only where it is needed.

Some CI sandboxes reach PyPI through a proxy that serves the Simple API and the per-project JSON
(/pypi/<name>/json) but answers 404 for the per-release JSON (/pypi/<name>/<version>/json), which
Poetry's PyPI repository needs for locking and installing. On such machines
.ci/tools.d/20-python-tools.sh adds this module (via a .pth file) to the tools venv only. It
answers the per-release request from the per-project JSON: the same files and hashes, and no
dependency list, so Poetry reads the dependencies from the package's own metadata (PEP 658) as it
does for any other index. Everything still comes from the real PyPI; generated projects are
untouched.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import re
import sys
from typing import Any

TARGET = "poetry.repositories.pypi_repository"
RELEASE_ENDPOINT = re.compile(r"pypi/(?P<name>[^/]+)/(?P<version>[^/]+)/json")


def _patch(module: Any) -> None:
    repo_class = module.PyPiRepository
    original_get = repo_class._get

    def _get(self: Any, endpoint: str, headers: dict[str, str] | None = None) -> Any:
        data = original_get(self, endpoint, headers)
        match = RELEASE_ENDPOINT.fullmatch(endpoint.strip("/"))
        if data is not None or match is None:
            return data
        name, version = match.group("name"), match.group("version")
        # The Simple API (PEP 691 JSON) lists every file with absolute URLs and hashes.
        simple = None
        for _attempt in range(3):  # parallel installer threads occasionally see a failed fetch
            simple = original_get(
                self, f"simple/{name}/", {"Accept": "application/vnd.pypi.simple.v1+json"}
            )
            if simple is not None:
                break
        if simple is None:
            return None
        files = [f for f in simple.get("files", []) if _file_version(f["filename"]) == version]
        if not files:
            return None
        project = original_get(self, f"pypi/{name}/json") or {"info": {}}
        return {
            "info": {
                "name": simple.get("name", name),
                "version": version,
                "summary": project["info"].get("summary") or "",
                "requires_dist": None,  # makes Poetry read the real metadata (PEP 658)
                "requires_python": next(
                    (f["requires-python"] for f in files if f.get("requires-python")), None
                ),
                "yanked": all(bool(f.get("yanked")) for f in files),
                "yanked_reason": None,
            },
            "urls": [
                {
                    "filename": f["filename"],
                    "url": f["url"],
                    "digests": {"sha256": f["hashes"]["sha256"]},
                    "packagetype": "bdist_wheel" if f["filename"].endswith(".whl") else "sdist",
                    "yanked": bool(f.get("yanked")),
                    "size": f.get("size"),
                    "upload_time_iso_8601": f.get("upload-time"),
                }
                for f in files
            ],
        }

    repo_class._get = _get
    # Per-release data comes back without dependencies; let Poetry fetch the metadata.
    original_init = repo_class.__init__

    def init_with_fallback(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self._fallback = True

    repo_class.__init__ = init_with_fallback


def _file_version(filename: str) -> str | None:
    """The normalized version in a wheel or sdist file name, or None for other files."""
    from packaging.utils import parse_sdist_filename, parse_wheel_filename  # noqa: PLC0415

    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[1])
        return str(parse_sdist_filename(filename)[1])
    except ValueError:
        return None


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != TARGET:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_and_patch(module: Any) -> None:
            exec_module(module)
            _patch(module)

        loader.exec_module = exec_and_patch  # type: ignore[method-assign]
        return spec


sys.meta_path.insert(0, _Finder())
