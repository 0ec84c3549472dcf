#!/usr/bin/env python3
"""Refresh every pin the template ships: the newest releases that are safe to ship.

Nothing re-resolves a generated project's pins on a user's machine, so this script is how they
stay fresh. It reads each pin where it lives and asks the source a bot on GitHub would ask:

  pyproject.toml.ejs `==` pins, pins.json  PyPI JSON: newest final, unyanked release at least
    python.poetry/uv, tools.pipAudit/hadolint  --cooldown-days old whose files install on every
    tools.checkov                            target (tools/pinbot/pypi_pins.py, targets.py)
  pins.json actions.*                      GitHub releases -> tag -> commit SHA + version comment
  pins.json tools.trivy                    GitHub release + its archive's SHA-256
  pins.json batect                         checked only (archived upstream)
  pins.json cloud.*                        registry tags and digests (OCI distribution API)
  pins.json image.pythonDistro             Debian's stable codename, once Docker Hub has it

Only the changed values are rewritten, in place; EJS tags, comments and layout stay as they are.
Pins never move backwards. This repository's own workflows are Dependabot's, not the bot's: the
workflow token that pushes the bot's branch may not change workflow files.
A source that cannot be read leaves its pins as they are and is named in the report.

    .tools/venv/bin/python tools/bump-template-pins.py --dry-run
    .tools/venv/bin/python tools/bump-template-pins.py --only numpy,ruff --sources pypi

Exit status: 0 when every pin was checked or some sources could not be read (the report names
them), 1 when no source could be read at all, 2 for bad usage or a template it does not
understand. Needs `packaging` (pinned in .ci/tools.d/20-python-tools.sh, in .tools/venv).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
try:
    from pinbot.fetch import Http, Sources
    from pinbot.github_pins import read_github_pins, refresh_github_pin
    from pinbot.image_pins import read_image_pins, refresh_cli_image, refresh_distro
    from pinbot.pin import Pin, refresh_each
    from pinbot.pypi_pins import read_python_pins, refresh_python_pin
    from pinbot.rewrite import rewrite_json_strings, rewrite_pyproject
    from pinbot.targets import (
        CI_PLATFORM,
        TemplateError,
        image_pythons,
        offered_platforms,
        supported_pythons,
        targets_for,
    )
except ModuleNotFoundError as missing:
    sys.exit(
        f"bump-template-pins: error: needs the Python package {missing.name!r}: run "
        "bash .ci/tools.d/20-python-tools.sh and use .tools/venv/bin/python"
    )

SOURCES = ("pypi", "github", "registry", "debian")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    parser.add_argument("--only", default="", help="comma-separated pin names to consider")
    parser.add_argument(
        "--sources", default=",".join(SOURCES), help=f"comma-separated, of: {', '.join(SOURCES)}"
    )
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.add_argument(
        "--cooldown-days", type=int, default=7, help="minimum release age (default 7)"
    )
    parser.add_argument(
        "--template-dir", type=Path, default=REPO / "template", help="template to edit"
    )
    # Where the sources live: the real services unless told otherwise (the tests' loopback server).
    parser.add_argument("--pypi-url", default=Sources.pypi)
    parser.add_argument("--github-api-url", default=Sources.github_api)
    parser.add_argument("--debian-url", default=Sources.debian)
    parser.add_argument(
        "--registry-url", action="append", default=[], metavar="HOST=URL", help="repeatable"
    )
    args = parser.parse_args(argv)
    if args.cooldown_days < 0:
        parser.error("--cooldown-days must be >= 0")
    unknown = set(args.sources.split(",")) - set(SOURCES)
    if unknown:
        parser.error(
            f"--sources: unknown {', '.join(sorted(unknown))}; allowed: {', '.join(SOURCES)}"
        )
    if any("=" not in r for r in args.registry_url):
        parser.error("--registry-url takes HOST=URL, e.g. gcr.io=http://127.0.0.1:8080")
    return args


def select(pins: list[Pin], args: argparse.Namespace) -> list[Pin]:
    """The pins of the chosen sources, narrowed to --only's names (- or _ alike)."""
    kinds = set(args.sources.split(","))
    pins = [p for p in pins if p.kind in kinds]
    wanted = {n.strip().lower().replace("_", "-") for n in args.only.split(",") if n.strip()}
    if not wanted:
        return pins
    name = lambda p: p.name.lower().replace("_", "-")  # noqa: E731
    unknown = wanted - {name(p) for p in pins}
    if unknown:
        raise TemplateError(
            f"--only names no pin of the chosen sources: {', '.join(sorted(unknown))}"
        )
    return [p for p in pins if name(p) in wanted]


def refresh(
    pins: list[Pin], pins_json: dict, pyproject_text: str, args: argparse.Namespace
) -> dict:
    """Asks every source; returns what the report prints about the targets."""
    options = REPO / "src" / "options.ts"
    pythons = supported_pythons(pyproject_text, options)
    platforms = offered_platforms(options)
    targets = {
        "everywhere": targets_for(pythons, platforms),
        "ci": targets_for(pythons, {CI_PLATFORM: platforms[CI_PLATFORM]}),
    }
    cutoff = datetime.now(UTC) - timedelta(days=args.cooldown_days)
    registries = dict(r.split("=", 1) for r in args.registry_url)
    http = Http(
        Sources(
            args.pypi_url,
            args.github_api_url,
            args.debian_url,
            registries,
            os.environ.get("GITHUB_TOKEN") or None,
        )
    )
    images = image_pythons(options)

    def one(pin: Pin) -> None:
        if pin.kind == "pypi":
            refresh_python_pin(http, pin, cutoff, targets)
        elif pin.kind == "github":
            refresh_github_pin(http, pin, pins_json, cutoff)
        elif pin.kind == "registry":
            refresh_cli_image(http, pin)
        else:
            refresh_distro(http, pin, images)

    refresh_each(pins, one)
    return {"pythons": [f"{a}.{b}" for a, b in pythons], "platforms": list(platforms)}


def apply(args: argparse.Namespace, pyproject_text: str, pins_text: str, pins: list[Pin]) -> None:
    changed = [p for p in pins if p.changes]
    project = {p.name: p.proposed for p in changed if p.source == "pyproject.toml.ejs"}
    if project:
        (args.template_dir / "pyproject.toml.ejs").write_text(
            rewrite_pyproject(pyproject_text, project), encoding="utf-8"
        )
    edits = [edit for p in changed for edit in p.edits]
    if edits:
        (args.template_dir / "pins.json").write_text(
            rewrite_json_strings(pins_text, edits), encoding="utf-8"
        )


def report(pins: list[Pin], args: argparse.Namespace, about: dict) -> None:
    changed = [p for p in pins if p.changes]
    unreachable = [p for p in pins if p.unreachable]
    verb = "would change" if args.dry_run else "changed"
    summary = (
        f"bump-template-pins: {len(changed)} of {len(pins)} pins {verb}, "
        f"{len(unreachable)} unreachable "
        f"(cooldown {args.cooldown_days} days, Python {about['pythons'][0]}-{about['pythons'][-1]})"
    )
    if args.json:
        document = {
            "dry_run": args.dry_run,
            "cooldown_days": args.cooldown_days,
            **about,
            "pins": [asdict(p) | {"changes": p.changes} for p in pins],
        }
        print(json.dumps(document, indent=2))
    else:
        width = max((len(p.name) for p in pins), default=0)
        for p in pins:
            detail = (
                f"{p.current} -> {p.proposed}  {p.note}" if p.changes else f"{p.current}  {p.note}"
            )
            print(f"  {p.name:<{width}}  {detail}  [{p.source}]")
    for p in unreachable:
        print(f"bump-template-pins: unreachable: {p.name}: {p.note}", file=sys.stderr)
    print(summary, file=sys.stderr if args.json else sys.stdout)  # with --json, stdout stays JSON


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        pyproject_text = (args.template_dir / "pyproject.toml.ejs").read_text(encoding="utf-8")
        pins_text = (args.template_dir / "pins.json").read_text(encoding="utf-8")
        pins_json = json.loads(pins_text)
        every = [
            *read_python_pins(pyproject_text, pins_json),
            *read_github_pins(pins_json),
            *read_image_pins(pins_json),
        ]
        pins = select(every, args)
        about = refresh(pins, pins_json, pyproject_text, args)
        if not args.dry_run:
            apply(args, pyproject_text, pins_text, pins)
    except (TemplateError, OSError, ValueError, KeyError) as error:
        print(f"bump-template-pins: error: {error}", file=sys.stderr)
        return 2
    report(pins, args, about)
    if pins and all(p.unreachable for p in pins):
        print(
            "bump-template-pins: error: no source could be read; nothing was checked",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
