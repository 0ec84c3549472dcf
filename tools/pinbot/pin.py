"""One pin the bot looks after, and what it found out about it."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from packaging.version import InvalidVersion, Version

from pinbot.fetch import FetchError

JsonPath = tuple[str, ...]


@dataclass
class Pin:
    """`current`/`proposed` are what a reader compares; `edits` what gets written."""

    name: str
    current: str
    source: str  # the file the pin lives in: "pyproject.toml.ejs" or "pins.json"
    kind: str  # which source answers for it: pypi, github, registry, debian
    proposed: str = ""
    note: str = ""
    unreachable: bool = False
    marker: str = ""  # PEP 508 environment marker of a pyproject.toml.ejs pin, if any
    # pins.json path -> new string value (pins.json pins); empty for pyproject.toml.ejs pins.
    edits: list[tuple[JsonPath, str]] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return bool(self.proposed) and self.proposed != self.current

    def keep(self, note: str) -> None:
        self.proposed, self.note = self.current, note

    def update(
        self, proposed: str, edits: list[tuple[JsonPath, str]], note: str = "update"
    ) -> None:
        self.proposed, self.edits, self.note = proposed, edits, note


def refresh_each(pins: list[Pin], refresh: Callable[[Pin], None]) -> None:
    """Runs `refresh` on every pin; a source that cannot be read leaves only its pin as it was."""

    def one(pin: Pin) -> None:
        try:
            refresh(pin)
        except FetchError as error:
            pin.unreachable = True
            pin.keep(f"kept, unreachable: {error}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, pins))


def version_or_none(text: str) -> Version | None:
    """A PEP 440 version (a leading "v" allowed, as in tags), or None for anything else."""
    try:
        return Version(text.removeprefix("v"))
    except InvalidVersion:
        return None


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
