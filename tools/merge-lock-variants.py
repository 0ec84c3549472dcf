#!/usr/bin/env python3
"""Merges lock files that differ by an answer into one EJS template that renders each exactly.

    merge-lock-variants.py BASE OUT [CONDITION FILE]...

BASE is the lock rendered when no CONDITION holds; each FILE is the lock for its CONDITION (an EJS
expression; at most one holds for a project, e.g. `training && cloud === 'aws'`). The lines a
variant adds or drops against BASE (its dependency group's packages, the project's own entry, a
content hash) are wrapped in `<% if (...) { -%>` blocks, so the template ships the shared text once.
The script renders nothing itself: it checks its output by undoing the blocks for every variant.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path


def merge(base: list[str], variants: list[tuple[str, list[str]]]) -> list[str]:
    inserts: dict[int, list[tuple[str, list[str]]]] = {}  # before base line i: (condition, lines)
    dropped: dict[int, list[str]] = {}  # base line i -> conditions under which it is left out
    for condition, lines in variants:
        matcher = difflib.SequenceMatcher(a=base, b=lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag in ("replace", "delete"):
                for i in range(i1, i2):
                    dropped.setdefault(i, []).append(condition)
            if tag in ("replace", "insert"):
                inserts.setdefault(i1, []).append((condition, lines[j1:j2]))
    out: list[str] = []
    for i in range(len(base) + 1):
        for condition, lines in inserts.get(i, []):
            out += [f"<% if ({condition}) {{ -%>\n", *lines, "<% } -%>\n"]
        if i == len(base):
            break
        if i in dropped:
            out += [f"<% if (!({' || '.join(dropped[i])})) {{ -%>\n", base[i], "<% } -%>\n"]
        else:
            out.append(base[i])
    return out


def unmerge(template: list[str], holds: str | None) -> list[str]:
    """The lines `template` renders when only `holds` is true (None: no condition holds)."""
    out: list[str] = []
    keep = [True]
    for line in template:
        if line.startswith("<% if (") and line.endswith(") { -%>\n"):
            condition = line[len("<% if (") : -len(") { -%>\n")]
            if condition.startswith("!("):
                keep.append(holds is None or holds not in condition[2:-1].split(" || "))
            else:
                keep.append(condition == holds)
        elif line == "<% } -%>\n":
            keep.pop()
        elif all(keep):
            out.append(line)
    return out


def main(argv: list[str]) -> int:
    if len(argv) < 2 or len(argv) % 2:
        print(__doc__, file=sys.stderr)
        return 2
    base = Path(argv[0]).read_text(encoding="utf-8").splitlines(keepends=True)
    variants = [
        (argv[i], Path(argv[i + 1]).read_text(encoding="utf-8").splitlines(keepends=True))
        for i in range(2, len(argv), 2)
    ]
    if any("<%" in line or "%>" in line for _, lines in [("", base), *variants] for line in lines):
        print("error: a lock contains an EJS marker", file=sys.stderr)
        return 1
    template = merge(base, variants)
    for condition, lines in [(None, base), *variants]:
        if unmerge(template, condition) != lines:
            print(f"error: the merged template does not give back the lock for {condition}", file=sys.stderr)
            return 1
    Path(argv[1]).write_text("".join(template), encoding="utf-8")
    added = sum(len(line) for line in template) - sum(len(line) for line in base)
    print(f"{argv[1]}: {len(variants)} variant(s) merged, {added} bytes over the base lock")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
