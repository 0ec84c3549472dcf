"""Where a pinned Python package must install: interpreters by platforms, as `packaging` tags.

A wheel is usable on a target when one of its tags (python, ABI and platform) is among the tags
that target's CPython accepts; `packaging.tags` generates those, the same way pip does for the
machine it runs on, here for machines the bot does not run on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packaging import tags
from packaging.markers import Marker

# Oldest systems a generated project supports, by the OS option values of src/options.ts.
# Linux: glibc 2.35 (Ubuntu 22.04, the oldest Ubuntu LTS still in standard support; Debian 12 has
# 2.36 and the images' Debian 13 has 2.41), on x86_64 hosts and on the aarch64 containers
# Docker runs on Apple silicon and ARM servers. macOS 14, the oldest Apple still patches, on
# Apple silicon and Intel. Windows on x86_64.
GLIBC_FLOOR = 35
MACOS_FLOOR = (14, 0)
# PEP 600 names for glibc 2.17/2.12/2.5, which older wheels still carry.
LEGACY_MANYLINUX = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}


def _manylinux(arch: str) -> list[str]:
    oldest = 5 if arch == "x86_64" else 17  # aarch64 wheels start at manylinux2014
    names = []
    for minor in range(GLIBC_FLOOR, oldest - 1, -1):
        names.append(f"manylinux_2_{minor}_{arch}")
        if minor in LEGACY_MANYLINUX:
            names.append(f"{LEGACY_MANYLINUX[minor]}_{arch}")
    return names


PLATFORMS: dict[str, dict[str, list[str]]] = {
    "linux": {"Linux x86_64": _manylinux("x86_64"), "Linux aarch64": _manylinux("aarch64")},
    "mac": {
        "macOS arm64": list(tags.mac_platforms(MACOS_FLOOR, "arm64")),
        "macOS x86_64": list(tags.mac_platforms(MACOS_FLOOR, "x86_64")),
    },
    "windows": {"Windows x86_64": ["win_amd64"]},
}
# What PEP 508 markers see on each platform (a pin marked `sys_platform != 'win32'` skips Windows).
MARKER_ENVIRONMENTS = {
    "Linux x86_64": ("linux", "Linux", "x86_64", "posix"),
    "Linux aarch64": ("linux", "Linux", "aarch64", "posix"),
    "macOS arm64": ("darwin", "Darwin", "arm64", "posix"),
    "macOS x86_64": ("darwin", "Darwin", "x86_64", "posix"),
    "Windows x86_64": ("win32", "Windows", "AMD64", "nt"),
}
# The generated CI (ubuntu-24.04 runners) is the only place the CI tools are installed.
CI_PLATFORM = "Linux x86_64"

REQUIRES_PYTHON_RE = re.compile(r'^requires-python\s*=\s*">=\s*3\.(\d+)"', re.MULTILINE)


class TemplateError(Exception):
    """The template or src/options.ts is not what the bot understands (exit 2)."""


@dataclass(frozen=True)
class Target:
    """One CPython X.Y (GIL build) on one platform, and every wheel tag it accepts."""

    python: tuple[int, int]
    platform: str
    tags: frozenset[tags.Tag]

    def admits_marker(self, marker: str) -> bool:
        """Whether a pin's PEP 508 marker (empty: none) selects this target."""
        if not marker:
            return True
        sys_platform, system, machine, os_name = MARKER_ENVIRONMENTS[self.platform]
        version = f"{self.python[0]}.{self.python[1]}"
        return Marker(marker).evaluate(
            {
                "sys_platform": sys_platform,
                "platform_system": system,
                "platform_machine": machine,
                "os_name": os_name,
                "python_version": version,
                "python_full_version": f"{version}.0",
                "implementation_name": "cpython",
                "platform_python_implementation": "CPython",
            }
        )

    @property
    def label(self) -> str:
        return f"CPython {self.python[0]}.{self.python[1]} on {self.platform}"


def make_target(python: tuple[int, int], platform: str, names: list[str]) -> Target:
    interpreter = f"cp{python[0]}{python[1]}"
    # abis given explicitly: the free-threaded ABI (cp313t) does not serve the normal build.
    accepted = [
        *tags.cpython_tags(python, abis=[interpreter], platforms=names),
        *tags.compatible_tags(python, interpreter=interpreter, platforms=names),
    ]
    return Target(python, platform, frozenset(accepted))


def _list_in(source: str, constant: str, options_file: Path) -> list[str]:
    found = re.search(rf"{constant}\s*=\s*\[([^\]]*)\]", source)
    if found is None:
        raise TemplateError(f"no {constant} list in {options_file}")
    return re.findall(r"'([^']*)'", found[1])


def supported_pythons(pyproject_text: str, options_file: Path) -> list[tuple[int, int]]:
    """The requires-python floor (host venvs) up to the newest image Python the generator offers."""
    floor = REQUIRES_PYTHON_RE.search(pyproject_text)
    if floor is None:
        raise TemplateError('pyproject.toml.ejs has no `requires-python = ">=3.N"` line')
    try:
        source = options_file.read_text(encoding="utf-8")
    except OSError as error:
        raise TemplateError(f"cannot read {options_file}: {error}") from error
    minors = [int(v.split(".")[1]) for v in _list_in(source, "PYTHON_VALUES", options_file)]
    newest = max([int(floor[1]), *minors])
    return [(3, minor) for minor in range(int(floor[1]), newest + 1)]


def image_pythons(options_file: Path) -> list[str]:
    """The Python versions the generator offers for the image (python:<X.Y>-slim-<distro>)."""
    return _list_in(options_file.read_text(encoding="utf-8"), "PYTHON_VALUES", options_file)


def offered_platforms(options_file: Path) -> dict[str, list[str]]:
    """Platform label -> tag names, for every OS the generator's `--os` offers."""
    source = options_file.read_text(encoding="utf-8")
    platforms: dict[str, list[str]] = {}
    for os_name in _list_in(source, "OS_VALUES", options_file):
        if os_name not in PLATFORMS:
            raise TemplateError(
                f"--os offers '{os_name}', whose wheel platforms the bot does not know "
                "(add them to PLATFORMS in tools/pinbot/targets.py)"
            )
        platforms.update(PLATFORMS[os_name])
    return platforms


def targets_for(pythons: list[tuple[int, int]], platforms: dict[str, list[str]]) -> list[Target]:
    return [make_target(p, label, names) for p in pythons for label, names in platforms.items()]
