"""Container image pins: the cloud CLI images (tag and digest) and the base image's Debian release.

A CLI image moves to the newest tag of the same shape (same number of version parts, same suffix,
so 562.0.0-slim only ever becomes another N.N.N-slim and a 563.0.0-rc1-slim is never picked) and
to the digest the registry serves for that tag now; an image pinned by digest stays pinned by
digest, one pinned by tag alone stays so. Registries publish no push date through the distribution
API, so no cooldown applies here; the pull request's full test run is the check.

The base image is python:<X.Y>-slim-<Debian codename>; the codename follows Debian's stable
release once Docker Hub has that variant for every Python the generator offers.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from pinbot.fetch import FetchError, Http
from pinbot.pin import Pin, version_or_none

# Index first: the pin is the multi-platform digest, the one `docker pull` resolves by tag.
MANIFEST_TYPES = ", ".join(
    (
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    )
)
IMAGE_RE = re.compile(
    r"^(?P<name>[^:@\s]+):(?P<tag>[\w][\w.-]*)(?:@(?P<digest>sha256:[0-9a-f]{64}))?$"
)
TAG_SHAPE_RE = re.compile(r"^(?P<version>\d+(?:\.\d+)*)(?P<suffix>.*)$")
PYTHON_IMAGE = "docker.io/library/python"
MAX_TAG_PAGES = 50


def read_image_pins(pins_json: dict[str, Any]) -> list[Pin]:
    pins = [
        Pin(f"cloud.{key}", ref, "pins.json", "registry")
        for key, ref in pins_json.get("cloud", {}).items()
    ]
    distro = pins_json.get("image", {}).get("pythonDistro")
    if distro:
        pins.append(Pin("image.pythonDistro", distro, "pins.json", "debian"))
    return pins


def split_name(name: str) -> tuple[str, str]:
    """Registry host and repository of an image name (Docker Hub's defaults filled in)."""
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        host, repository = first, rest
    else:
        host, repository = "docker.io", name
    if host == "docker.io" and "/" not in repository:
        repository = f"library/{repository}"
    return host, repository


def list_tags(http: Http, host: str, repository: str) -> list[str]:
    """Every tag, following the `Link: <…>; rel="next"` pages the registry hands out."""
    path = f"/v2/{repository}/tags/list?n=1000"
    found: list[str] = []
    for _page in range(MAX_TAG_PAGES):
        reply = http.registry(host, path)
        found += reply.json(f"registry {host}").get("tags") or []
        link = re.search(r'<([^>]+)>\s*;\s*rel="?next"?', reply.headers.get("Link", ""))
        if link is None:
            return found
        target = urllib.parse.urlsplit(link[1])
        path = target.path + (f"?{target.query}" if target.query else "")
    return found


def tag_digest(http: Http, host: str, repository: str, tag: str) -> str:
    reply = http.registry(
        host, f"/v2/{repository}/manifests/{tag}", method="HEAD", accept=MANIFEST_TYPES
    )
    digest = reply.headers.get("Docker-Content-Digest", "")
    if not re.fullmatch(r"sha256:[0-9a-f]{64}", digest):
        raise FetchError(f"registry {host} sent no digest for {repository}:{tag}")
    return digest


def tag_exists(http: Http, host: str, repository: str, tag: str) -> bool:
    reply = http.registry(
        host,
        f"/v2/{repository}/manifests/{tag}",
        method="HEAD",
        accept=MANIFEST_TYPES,
        missing_ok=True,
    )
    return reply.status == 200


def newest_same_shape(current: str, tags: list[str]) -> str:
    shape = TAG_SHAPE_RE.match(current)
    now = version_or_none(shape["version"]) if shape else None
    if shape is None or now is None:
        return current
    parts = shape["version"].count(".")
    best, best_version = current, now
    for tag in tags:
        other = TAG_SHAPE_RE.match(tag)
        if (
            other is None
            or other["suffix"] != shape["suffix"]
            or other["version"].count(".") != parts
        ):
            continue
        version = version_or_none(other["version"])
        if version is not None and version > best_version:
            best, best_version = tag, version
    return best


def refresh_cli_image(http: Http, pin: Pin) -> None:
    match = IMAGE_RE.match(pin.current)
    if match is None:
        pin.keep("kept: not an image reference the bot understands (name:tag[@sha256:…])")
        return
    host, repository = split_name(match["name"])
    tag = newest_same_shape(match["tag"], list_tags(http, host, repository))
    reference = f"{match['name']}:{tag}"
    if match["digest"]:
        reference += f"@{tag_digest(http, host, repository, tag)}"
    if reference == pin.current:
        pin.keep("up to date")
        return
    note = "update" if tag != match["tag"] else "update (same tag, new digest)"
    pin.update(reference, [(("cloud", pin.name.removeprefix("cloud.")), reference)], note)


def refresh_distro(http: Http, pin: Pin, image_pythons: list[str]) -> None:
    release = http.debian_release("stable")
    codename = re.search(r"^Codename:\s*(\S+)\s*$", release, re.MULTILINE)
    if codename is None:
        pin.keep("kept: Debian's stable Release file names no codename")
        return
    stable = codename[1]
    if stable == pin.current:
        pin.keep("up to date")
        return
    host, repository = split_name(PYTHON_IMAGE)
    missing = [
        p for p in image_pythons if not tag_exists(http, host, repository, f"{p}-slim-{stable}")
    ]
    if missing:
        pin.keep(
            f"kept: Debian stable is {stable}, "
            f"but python:{missing[0]}-slim-{stable} is not published yet"
        )
        return
    pin.update(
        stable,
        [(("image", "pythonDistro"), stable)],
        "update (new Debian release: read the Dockerfile's apt lines)",
    )
