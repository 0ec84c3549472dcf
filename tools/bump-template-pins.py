#!/usr/bin/env python3
"""Bump the template's exact Python pins to the newest releases that are safe to ship.

Every generated project pins its direct dependencies with `==` (template/pyproject.toml.ejs) and
its package managers exactly (template/pins.json, section "python"). Nothing re-resolves them on a
user's machine, so this script is how they stay fresh: for each pin it asks PyPI's per-project
JSON for the newest release that is

  - final (no pre-release or dev release),
  - not yanked,
  - at least --cooldown-days old (per file, like uv's `exclude-newer`): a compromised upload is
    usually caught within days, and the template's own locks use the same 7-day window,
  - installable on every Python the template supports: from the template's `requires-python`
    floor up to the newest image Python the generator offers (src/options.ts, PYTHON_VALUES).
    Each such Python must be admitted by the files' `requires_python` and, when the release
    ships wheels, be covered by one (so nobody silently falls back to building an sdist).

Only version strings are rewritten in place; EJS tags, comments and layout stay as they are.
Pins are never moved backwards. Run tools/lock-template.sh --upgrade afterwards (or
tools/refresh-template-deps.sh, which does the whole refresh).

    python3 tools/bump-template-pins.py --dry-run            # show the plan
    python3 tools/bump-template-pins.py --only numpy,ruff    # bump just these
    python3 tools/bump-template-pins.py --dry-run --json     # machine-readable plan

Exit status: 0 whether or not anything changed, 1 when PyPI cannot be read, 2 for bad usage.
Standard library only, so it runs on any Python >= 3.11 without a virtualenv.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PYPI_PROJECT_URL = "https://pypi.org/pypi/{name}/json"
USER_AGENT = "create-ml-project tools/bump-template-pins.py"
TIMEOUT_SECONDS = 30

# A quoted PEP 508 requirement pinned with == ("numpy==2.4.6", "poetry-core==2.5.0"). The name
# must be present, so `requires-poetry = "==<%- pins.python.poetry %>"` is not mistaken for one.
PIN_RE = re.compile(
    r'"(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?P<extras>\[[^\]]*\])?'
    r"\s*==\s*(?P<version>[0-9][A-Za-z0-9.!+_-]*)(?=[\";\s])"
)
REQUIRES_PYTHON_RE = re.compile(r'^requires-python\s*=\s*">=\s*3\.(\d+)"', re.MULTILINE)
PYTHON_VALUES_RE = re.compile(r"PYTHON_VALUES\s*=\s*\[([^\]]*)\]")
# PEP 440, enough of it to tell final releases apart and order them.
VERSION_RE = re.compile(
    r"^(?:(?P<epoch>\d+)!)?(?P<release>\d+(?:\.\d+)*)"
    r"(?P<pre>[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?\d*)?"
    r"(?P<post>-\d+|[-_.]?(?:post|rev|r)[-_.]?(?P<postnum>\d*))?"
    r"(?P<dev>[-_.]?dev[-_.]?\d*)?(?:\+[a-z0-9._-]+)?$",
    re.IGNORECASE,
)
SPECIFIER_RE = re.compile(r"^(?P<op>~=|===|==|!=|<=|>=|<|>)\s*(?P<version>[^\s]+)$")
# The package managers generated projects pin exactly (template/pins.json "python").
TOOL_PINS = ("poetry", "uv")

VersionKey = tuple[int, tuple[int, ...], int]


class UsageError(Exception):
    """Bad arguments or a template this script does not understand (exit 2)."""


class FetchError(Exception):
    """PyPI could not be read (exit 1): the message is the one line the user sees."""


@dataclass
class Pin:
    """One pinned version: where it lives and what it is."""

    name: str
    current: str
    source: str  # "pyproject.toml.ejs" or "pins.json"
    proposed: str = ""  # filled in by plan(); equal to current when nothing changes
    note: str = ""

    @property
    def changes(self) -> bool:
        return bool(self.proposed) and self.proposed != self.current


# --- versions and specifiers ----------------------------------------------------------------


def normalize(name: str) -> str:
    """PEP 503 name, so --only and PyPI agree whatever the spelling (uv_build = uv-build)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_version(text: str) -> tuple[VersionKey, bool] | None:
    """Sort key and "is a final release" flag, or None when the text is not PEP 440."""
    match = VERSION_RE.match(text.strip())
    if match is None:
        return None
    release = tuple(int(part) for part in match["release"].split("."))
    # Trailing zeros do not matter for ordering (1.0 == 1.0.0).
    while len(release) > 1 and release[-1] == 0:
        release = release[:-1]
    post = -1
    if match["post"]:
        digits = match["postnum"] if match["postnum"] is not None else match["post"].lstrip("-")
        post = int(digits or 0)
    final = not match["pre"] and not match["dev"]
    return (int(match["epoch"] or 0), release, post), final


def is_newer(candidate: str, current: str) -> bool:
    """Whether `candidate` sorts after `current`; an unparsable current pin is always replaced."""
    new, old = parse_version(candidate), parse_version(current)
    if new is None:
        return False
    return old is None or new[0] > old[0]


def _padded(a: Sequence[int], b: Sequence[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    width = max(len(a), len(b))
    return tuple(a) + (0,) * (width - len(a)), tuple(b) + (0,) * (width - len(b))


def _release(text: str) -> tuple[int, ...] | None:
    parsed = parse_version(text)
    return None if parsed is None else parsed[0][1]


def _clause_admits(clause: str, python: tuple[int, int]) -> bool:
    """Whether one specifier clause (">=3.9", "!=3.11.*") admits every patch of `python`.

    The interpreter is taken as X.Y.0, the lowest patch: a floor such as ">=3.11.4" would break
    hosts on an older 3.11 patch, so it does not count as supporting 3.11.
    """
    match = SPECIFIER_RE.match(clause)
    if match is None:
        return False
    op, text = match["op"], match["version"]
    here = (*python, 0)
    if text.endswith(".*") and op in ("==", "!="):
        prefix = _release(text[:-2])
        if prefix is None:
            return False
        same = _padded(here, prefix)[0][: len(prefix)] == prefix
        return same if op == "==" else not same
    wanted = _release(text)
    if wanted is None or op == "===":
        return False
    mine, theirs = _padded(here, wanted)
    if op == "~=":
        return mine >= theirs and mine[: len(wanted) - 1] == theirs[: len(wanted) - 1]
    return {
        "==": mine == theirs,
        "!=": mine != theirs,
        "<=": mine <= theirs,
        ">=": mine >= theirs,
        "<": mine < theirs,
        ">": mine > theirs,
    }[op]


def admits(requires_python: str | None, python: tuple[int, int]) -> bool:
    """Whether a `requires_python` value admits `python`; an empty one admits everything."""
    clauses = [c.strip() for c in (requires_python or "").split(",") if c.strip()]
    return all(_clause_admits(clause, python) for clause in clauses)


# --- release selection -----------------------------------------------------------------------


def wheel_covers(filename: str, python: tuple[int, int]) -> bool:
    """Whether a wheel's Python/ABI tags install on CPython `python` (X.Y, GIL build)."""
    parts = filename.removesuffix(".whl").split("-")
    if len(parts) < 5:  # noqa: PLR2004 - name-version-python-abi-platform is the minimum
        return False
    py_tags, abi_tags = parts[-3].split("."), parts[-2].split(".")
    major, minor = python
    for tag in py_tags:
        if tag == f"py{major}":
            return True  # pure wheel (py3-none-any), or py2.py3 split above
        generic = re.fullmatch(rf"py{major}(\d+)", tag)
        if generic is not None and int(generic[1]) <= minor:
            return True
        cp = re.fullmatch(rf"cp{major}(\d+)", tag)
        if cp is None:
            continue
        # abi3 wheels run on their Python and every later one; others on exactly their own.
        if "abi3" in abi_tags and int(cp[1]) <= minor:
            return True
        if int(cp[1]) == minor and any(not abi.endswith("t") for abi in abi_tags):
            return True  # a free-threaded-only (cp313t) wheel does not serve the normal build
    return False


def release_covers(files: Sequence[dict[str, Any]], pythons: Iterable[tuple[int, int]]) -> bool:
    """Whether `files` (already filtered) install on every one of `pythons`."""
    wheels = [f for f in files if f.get("packagetype") == "bdist_wheel"]
    # A source-only project is fine everywhere its requires_python allows; a project that ships
    # wheels must ship one for each Python, or users there would build from source unexpectedly.
    candidates = wheels or files
    for python in pythons:
        if not any(
            admits(f.get("requires_python"), python)
            and (not wheels or wheel_covers(f["filename"], python))
            for f in candidates
        ):
            return False
    return True


def usable_files(files: Sequence[dict[str, Any]], cutoff: datetime) -> list[dict[str, Any]]:
    """The files of a release that are neither yanked nor younger than the cooldown."""
    usable = []
    for f in files:
        if f.get("yanked"):
            continue
        uploaded = datetime.fromisoformat(f["upload_time_iso_8601"])
        if uploaded <= cutoff:
            usable.append(f)
    return usable


def newest_allowed(
    releases: dict[str, list[dict[str, Any]]], cutoff: datetime, pythons: Sequence[tuple[int, int]]
) -> str | None:
    """The newest release passing every rule, or None when no release does."""
    ranked = []
    for version, files in releases.items():
        parsed = parse_version(version)
        if parsed is None or not parsed[1]:
            continue
        ranked.append((parsed[0], version, files))
    for _key, version, files in sorted(ranked, key=lambda r: r[0], reverse=True):
        usable = usable_files(files, cutoff)
        if usable and release_covers(usable, pythons):
            return version
    return None


def fetch_releases(name: str) -> dict[str, list[dict[str, Any]]]:
    """PyPI's per-project JSON `releases` table (the per-release JSON is not always reachable)."""
    request = urllib.request.Request(  # noqa: S310 - fixed https URL
        PYPI_PROJECT_URL.format(name=normalize(name)),
        headers={"Accept": "application/json", "User-Agent": USER_AGENT},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - fixed https URL
            data = json.load(response)
    except urllib.error.HTTPError as error:
        raise FetchError(f"PyPI answered HTTP {error.code} for {name}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"cannot reach PyPI for {name}: {reason}") from error
    except ValueError as error:
        raise FetchError(f"PyPI sent invalid JSON for {name}: {error}") from error
    releases = data.get("releases")
    if not isinstance(releases, dict):
        raise FetchError(f"PyPI's JSON for {name} has no releases table")
    return releases


# --- reading and writing the template ------------------------------------------------------


def supported_pythons(pyproject_text: str, options_file: Path) -> list[tuple[int, int]]:
    """Every Python X.Y a generated project may run on.

    That is the requires-python floor (host and IDE virtualenvs) up to the newest container
    image Python the generator offers.
    """
    floor = REQUIRES_PYTHON_RE.search(pyproject_text)
    if floor is None:
        raise UsageError('pyproject.toml.ejs has no `requires-python = ">=3.N"` line')
    try:
        offered = PYTHON_VALUES_RE.search(options_file.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"cannot read {options_file}: {error}") from error
    if offered is None:
        raise UsageError(f"no PYTHON_VALUES list in {options_file}")
    minors = [int(m) for m in re.findall(r"'3\.(\d+)'", offered[1])]
    newest = max([int(floor[1]), *minors])
    return [(3, minor) for minor in range(int(floor[1]), newest + 1)]


def read_pins(pyproject_text: str, pins_json: dict[str, Any]) -> list[Pin]:
    """Every exact pin, once per package (a package pinned twice must agree with itself)."""
    pins: dict[str, Pin] = {}
    for match in PIN_RE.finditer(pyproject_text):
        key = normalize(match["name"])
        seen = pins.get(key)
        if seen is not None and seen.current != match["version"]:
            raise UsageError(
                f"{match['name']} is pinned to both {seen.current} and {match['version']}"
            )
        pins.setdefault(key, Pin(match["name"], match["version"], "pyproject.toml.ejs"))
    for tool in TOOL_PINS:
        version = pins_json.get("python", {}).get(tool)
        if not isinstance(version, str):
            raise UsageError(f'pins.json has no "python"."{tool}" version')
        pins[normalize(tool)] = Pin(tool, version, "pins.json")
    return list(pins.values())


def rewrite_pyproject(text: str, bumps: dict[str, str]) -> str:
    """`text` with the version of each bumped pin replaced, and nothing else touched."""

    def replace(match: re.Match[str]) -> str:
        new = bumps.get(normalize(match["name"]))
        if new is None:
            return match[0]
        start, end = match.span("version")
        offset = match.start()
        return match[0][: start - offset] + new + match[0][end - offset :]

    return PIN_RE.sub(replace, text)


def rewrite_pins_json(text: str, bumps: dict[str, str]) -> str:
    """`text` with the "python" section's tool versions replaced in place (layout kept)."""
    section = re.search(r'"python"\s*:\s*\{[^{}]*\}', text)
    if section is None:
        raise UsageError('pins.json has no flat "python" section')
    body = section[0]
    for tool, version in bumps.items():
        body, count = re.subn(
            rf'("{re.escape(tool)}"\s*:\s*")[^"]*(")', rf"\g<1>{version}\g<2>", body
        )
        if count != 1:
            raise UsageError(f'pins.json "python" section has {count} "{tool}" entries')
    return text[: section.start()] + body + text[section.end() :]


# --- the plan --------------------------------------------------------------------------------


def plan(pins: list[Pin], cooldown_days: int, pythons: list[tuple[int, int]]) -> None:
    """Fill in `proposed` and `note` for every pin (PyPI is asked in parallel)."""
    cutoff = datetime.now(UTC) - timedelta(days=cooldown_days)
    with ThreadPoolExecutor(max_workers=8) as pool:
        all_releases = list(pool.map(lambda pin: fetch_releases(pin.name), pins))
    for pin, releases in zip(pins, all_releases, strict=True):
        best = newest_allowed(releases, cutoff, pythons)
        if best is None:
            pin.proposed, pin.note = pin.current, "no release passes the rules; kept"
        elif not is_newer(best, pin.current):
            # Never move backwards: a newer pin was set by hand (or is inside the cooldown).
            pin.proposed = pin.current
            pin.note = (
                "up to date" if best == pin.current else f"up to date (newest allowed: {best})"
            )
        else:
            pin.proposed, pin.note = best, "update"


def apply(template_dir: Path, pyproject_text: str, pins: list[Pin]) -> None:
    """Write the bumped versions into pyproject.toml.ejs and pins.json."""
    project = {
        normalize(p.name): p.proposed
        for p in pins
        if p.changes and p.source == "pyproject.toml.ejs"
    }
    tools = {p.name: p.proposed for p in pins if p.changes and p.source == "pins.json"}
    if project:
        path = template_dir / "pyproject.toml.ejs"
        path.write_text(rewrite_pyproject(pyproject_text, project), encoding="utf-8")
    if tools:
        path = template_dir / "pins.json"
        text = path.read_text(encoding="utf-8")
        path.write_text(rewrite_pins_json(text, tools), encoding="utf-8")


def report(pins: list[Pin], args: argparse.Namespace, pythons: list[tuple[int, int]]) -> None:
    """The plan as text (one line a pin) or JSON on stdout, and a summary line."""
    changed = [p for p in pins if p.changes]
    verb = "would change" if args.dry_run else "changed"
    python_range = f"{pythons[0][0]}.{pythons[0][1]}-{pythons[-1][0]}.{pythons[-1][1]}"
    summary = (
        f"bump-template-pins: {len(changed)} of {len(pins)} pins {verb} "
        f"(cooldown {args.cooldown_days} days, Python {python_range})"
    )
    if args.json:
        document = {
            "dry_run": args.dry_run,
            "cooldown_days": args.cooldown_days,
            "pythons": [f"{major}.{minor}" for major, minor in pythons],
            "pins": [asdict(p) | {"changes": p.changes} for p in pins],
        }
        print(json.dumps(document, indent=2))
        print(summary, file=sys.stderr)  # stdout stays pure JSON
        return
    width = max(len(p.name) for p in pins)
    for p in pins:
        detail = f"{p.current} -> {p.proposed}" if p.changes else f"{p.current}  {p.note}"
        print(f"  {p.name:<{width}}  {detail}  [{p.source}]")
    print(summary)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    parser.add_argument("--only", default="", help="comma-separated package names to consider")
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.add_argument(
        "--cooldown-days", type=int, default=7, help="minimum release age (default 7)"
    )
    parser.add_argument(
        "--template-dir",
        type=Path,
        default=REPO / "template",
        help="template to edit (default: template/)",
    )
    args = parser.parse_args(argv)
    if args.cooldown_days < 0:
        parser.error("--cooldown-days must be >= 0")
    return args


def select(pins: list[Pin], only: str) -> list[Pin]:
    """The pins named by --only (all of them without it)."""
    wanted = {normalize(n) for n in only.split(",") if n.strip()}
    if not wanted:
        return pins
    unknown = wanted - {normalize(p.name) for p in pins}
    if unknown:
        raise UsageError(f"--only names unpinned package(s): {', '.join(sorted(unknown))}")
    return [p for p in pins if normalize(p.name) in wanted]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        pyproject_text = (args.template_dir / "pyproject.toml.ejs").read_text(encoding="utf-8")
        pins_json = json.loads((args.template_dir / "pins.json").read_text(encoding="utf-8"))
        pythons = supported_pythons(pyproject_text, REPO / "src" / "options.ts")
        pins = select(read_pins(pyproject_text, pins_json), args.only)
        plan(pins, args.cooldown_days, pythons)
        if not args.dry_run:
            apply(args.template_dir, pyproject_text, pins)
    except FetchError as error:
        print(f"bump-template-pins: error: {error}", file=sys.stderr)
        return 1
    except (UsageError, OSError, ValueError) as error:
        print(f"bump-template-pins: error: {error}", file=sys.stderr)
        return 2
    report(pins, args, pythons)
    return 0


if __name__ == "__main__":
    sys.exit(main())
