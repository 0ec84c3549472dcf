#!/usr/bin/env python3
"""Merges lock files that differ by some answers into one EJS template that renders each exactly.

    merge-lock-variants.py OUT KEY FILE [KEY FILE]...

Each KEY names the answers its FILE was locked for, as `dim=value,dim=value` (for example
`tracking=mlflow,cloud=aws`); every KEY names the same dimensions and together they cover every
combination of their values. The template reads the variant from a `lock` object with one field
per dimension, which the caller defines in the template's first line (tools/lock-template.sh).

Every line is shipped once, guarded by the variants that have it (`<% if (lock.cloud === 'aws')
{ -%>`), so a dependency group costs its own lines whatever else is chosen: the packages MLflow
brings are not repeated for each cloud. The script checks its output by rendering every variant
back from it (with a small evaluator of the guards it writes) before writing anything.
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
import sys
from pathlib import Path

Key = tuple[tuple[str, str], ...]  # (("tracking", "mlflow"), ("cloud", "aws"))


def parse_key(text: str) -> Key:
    pairs = [part.split("=", 1) for part in text.split(",")]
    if any(len(p) != 2 or not re.fullmatch(r"[a-z]+", p[0]) or not re.fullmatch(r"[a-z0-9-]+", p[1]) for p in pairs):
        raise ValueError(f"bad variant key {text!r}: use dim=value,dim=value")
    return tuple((d, v) for d, v in pairs)


def align(variants: list[tuple[Key, list[str]]]) -> list[tuple[str, frozenset[Key]]]:
    """One sequence holding every variant's lines in order, each line with the variants that have it."""
    merged: list[tuple[str, frozenset[Key]]] = []
    for key, lines in variants:
        matcher = difflib.SequenceMatcher(a=[line for line, _ in merged], b=lines, autojunk=False)
        out: list[tuple[str, frozenset[Key]]] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                out += [(line, keys | {key}) for line, keys in merged[i1:i2]]
                continue
            out += merged[i1:i2]  # lines this variant does not have (replace, delete)
            out += [(line, frozenset([key])) for line in lines[j1:j2]]  # lines only it has so far
        merged = out
    return merged


def js_value_test(dim: str, values: list[str], domain: list[str]) -> str | None:
    """`lock.dim` is one of `values` (None: any value of the dimension)."""
    if len(values) == len(domain):
        return None
    if len(values) == 1:
        return f"lock.{dim} === '{values[0]}'"
    if len(domain) - len(values) == 1:
        other = next(v for v in domain if v not in values)
        return f"lock.{dim} !== '{other}'"
    return "[" + ", ".join(f"'{v}'" for v in values) + f"].includes(lock.{dim})"


def guard(keys: frozenset[Key], dims: list[str], domains: dict[str, list[str]]) -> str | None:
    """A short EJS condition true exactly for `keys`, or None when every variant has the line."""
    if len(keys) == math.prod(len(domains[d]) for d in dims):
        return None
    first, rest = dims[0], dims[1:]
    # Values of the first dimension that go with the same combinations of the others make one term.
    groups: dict[frozenset[Key], list[str]] = {}
    for value in domains[first]:
        rests = frozenset(key[1:] for key in keys if key[0][1] == value)
        if rests:
            groups.setdefault(rests, []).append(value)
    terms = []
    for rests, values in groups.items():
        tests = [js_value_test(first, values, domains[first])]
        columns = [sorted({r[i][1] for r in rests}, key=domains[d].index) for i, d in enumerate(rest)]
        if math.prod(len(c) for c in columns) == len(rests):  # a product: one test per dimension
            tests += [js_value_test(d, c, domains[d]) for d, c in zip(rest, columns)]
        else:  # otherwise each combination by name
            tests.append(" || ".join("(" + " && ".join(f"lock.{d} === '{v}'" for d, v in r) + ")" for r in sorted(rests)))
        present = [t for t in tests if t is not None]
        terms.append(" && ".join(f"({t})" if "||" in t else t for t in present))
    return " || ".join(f"({t})" if "&&" in t and len(terms) > 1 else t for t in terms)


def render(merged: list[tuple[str, frozenset[Key]]], dims: list[str], domains: dict[str, list[str]]) -> list[str]:
    out: list[str] = []
    current = None
    for line, keys in merged:
        condition = guard(keys, dims, domains)
        if condition != current:
            if current is not None:
                out.append("<% } -%>\n")
            if condition is not None:
                out.append(f"<% if ({condition}) {{ -%>\n")
            current = condition
        out.append(line)
    if current is not None:
        out.append("<% } -%>\n")
    return out


def evaluate(condition: str, lock: dict[str, str]) -> bool:
    """Evaluates a guard `guard()` wrote (and nothing else) for one variant."""
    python = re.sub(r"(\[[^\]]*\])\.includes\((lock\.\w+)\)", r"(\2 in \1)", condition)
    python = re.sub(r"lock\.(\w+)", r"lock['\1']", python)
    python = python.replace("!==", "!=").replace("===", "==").replace("&&", " and ").replace("||", " or ")
    if not re.fullmatch(r"[\w\s'()\[\],=!-]*", python):
        raise ValueError(f"unexpected guard {condition!r}")
    return bool(eval(python, {"__builtins__": {}}, {"lock": lock}))  # noqa: S307 (our own output)


def unmerge(template: list[str], key: Key) -> list[str]:
    out, keep = [], True
    for line in template:
        if line.startswith("<% if (") and line.endswith(") { -%>\n"):
            keep = evaluate(line[len("<% if (") : -len(") { -%>\n")], dict(key))
        elif line == "<% } -%>\n":
            keep = True
        elif keep:
            out.append(line)
    return out


def main(argv: list[str]) -> int:
    if len(argv) < 3 or len(argv) % 2 == 0:
        print(__doc__, file=sys.stderr)
        return 2
    variants = [(parse_key(argv[i]), Path(argv[i + 1]).read_text(encoding="utf-8").splitlines(keepends=True)) for i in range(1, len(argv), 2)]
    dims = [d for d, _ in variants[0][0]]
    domains = {d: list(dict.fromkeys(dict(key)[d] for key, _ in variants)) for d in dims}
    expected = {tuple(zip(dims, combo)) for combo in itertools.product(*(domains[d] for d in dims))}
    if [tuple(d for d, _ in key) for key, _ in variants] != [tuple(dims)] * len(variants) or {k for k, _ in variants} != expected:
        print(f"error: the variants must cover every combination of {dims} once", file=sys.stderr)
        return 2
    if any("<%" in line or "%>" in line for _, lines in variants for line in lines):
        print("error: a lock contains an EJS marker", file=sys.stderr)
        return 1
    template = render(align(variants), dims, domains)
    for key, lines in variants:
        if unmerge(template, key) != lines:
            print(f"error: the merged template does not give back the lock for {key}", file=sys.stderr)
            return 1
    Path(argv[0]).write_text("".join(template), encoding="utf-8")
    largest = max(sum(len(line) for line in lines) for _, lines in variants)
    print(f"{argv[0]}: {len(variants)} variants merged, {sum(map(len, template)) - largest} bytes over the largest lock")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
