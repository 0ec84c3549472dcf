"""Writing pins back: only the changed string values move; every other byte stays as it was.

pins.json is not re-serialised (that would reflow a file people read and review): the string
value at each JSON path is located in the text and replaced.
"""

from __future__ import annotations

import json
import re

from packaging.utils import canonicalize_name

from pinbot.pin import JsonPath
from pinbot.pypi_pins import PIN_RE
from pinbot.targets import TemplateError

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")


def _string_end(text: str, start: int) -> int:
    """Index just past the JSON string that opens at `start`."""
    _value, end = json.decoder.scanstring(text, start + 1)
    return end


def string_spans(text: str) -> dict[JsonPath, tuple[int, int]]:
    """Path -> (start, end) of every string value in a JSON document (quotes included)."""
    spans: dict[JsonPath, tuple[int, int]] = {}

    def value(at: int, path: JsonPath) -> int:
        at = _WHITESPACE.match(text, at).end()
        char = text[at]
        if char == '"':
            end = _string_end(text, at)
            spans[path] = (at, end)
            return end
        if char in "{[":
            closing, index = ("}" if char == "{" else "]"), 0
            at = _WHITESPACE.match(text, at + 1).end()
            while text[at] != closing:
                if char == "{":
                    key_end = _string_end(text, at)
                    key = json.loads(text[at:key_end])
                    at = _WHITESPACE.match(text, key_end).end() + 1  # past the colon
                    at = value(at, (*path, key))
                else:
                    at = value(at, (*path, str(index)))
                    index += 1
                at = _WHITESPACE.match(text, at).end()
                if text[at] == ",":
                    at = _WHITESPACE.match(text, at + 1).end()
            return at + 1
        scalar = _SCALAR.match(text, at)
        if scalar is None:
            raise TemplateError(f"pins.json: cannot read the value at offset {at}")
        return scalar.end()

    value(0, ())
    return spans


def rewrite_json_strings(text: str, edits: list[tuple[JsonPath, str]]) -> str:
    """`text` with the string at each path replaced; a path that is not a string is an error."""
    spans = string_spans(text)
    located = []
    for path, new in edits:
        if path not in spans:
            raise TemplateError(f'pins.json has no string at "{".".join(path)}"')
        located.append((spans[path], json.dumps(new)))
    for (start, end), literal in sorted(located, reverse=True):  # back to front: offsets hold
        text = text[:start] + literal + text[end:]
    return text


def rewrite_pyproject(text: str, bumps: dict[str, str]) -> str:
    """`text` with the version of each bumped pin replaced (bumps keyed by any spelling)."""
    bumps = {canonicalize_name(name): version for name, version in bumps.items()}

    def replace(match: re.Match[str]) -> str:
        new = bumps.get(canonicalize_name(match["name"]))
        if new is None:
            return match[0]
        start, end = match.span("version")
        offset = match.start()
        return match[0][: start - offset] + new + match[0][end - offset :]

    return PIN_RE.sub(replace, text)
