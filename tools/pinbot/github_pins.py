"""Pins that come from GitHub releases: the actions (commit SHA + version), Trivy, batect.

The newest release counts when it is published (not a draft), not marked pre-release, tagged with
a final version (v8.0.0-beta.1 is a pre-release whatever its flag says) and at least the cooldown
old. Its tag is resolved to the commit it points at through the git refs API (annotated tags
peeled). An action already at the newest version is checked too: if its tag now points at another
commit, the pin is kept and the report says so, since a moved tag is how compromised actions spread.
"""

from __future__ import annotations

import urllib.parse
from datetime import datetime
from typing import Any

from packaging.version import Version

from pinbot.fetch import FetchError, Http
from pinbot.pin import Pin, parse_time, version_or_none

TRIVY_REPO = "aquasecurity/trivy"
BATECT_REPO = "batect/batect"


def read_github_pins(pins_json: dict[str, Any]) -> list[Pin]:
    pins = [
        Pin(f"actions.{action}", f"{pin['version']} {pin['sha'][:12]}", "pins.json", "github")
        for action, pin in pins_json.get("actions", {}).items()
    ]
    trivy = pins_json.get("tools", {}).get("trivy")
    if trivy:
        pins.append(Pin("tools.trivy", trivy["version"], "pins.json", "github"))
    batect = pins_json.get("batect")
    if batect:
        pins.append(Pin("batect", batect["version"], "pins.json", "github"))
    return pins


def newest_release(
    http: Http, repo: str, cutoff: datetime
) -> tuple[Version, dict[str, Any]] | None:
    """The newest final, published release at least the cooldown old (first 100 releases)."""
    best: tuple[Version, dict[str, Any]] | None = None
    for release in http.github(f"/repos/{repo}/releases?per_page=100"):
        version = version_or_none(str(release.get("tag_name", "")))
        if (
            version is None
            or version.is_prerelease
            or version.is_devrelease
            or release.get("draft")
            or release.get("prerelease")
            or not release.get("published_at")
            or parse_time(release["published_at"]) > cutoff
        ):
            continue
        if best is None or version > best[0]:
            best = (version, release)
    return best


def tag_commit(http: Http, repo: str, tag: str) -> str:
    """The commit SHA a tag points at."""
    obj = http.github(f"/repos/{repo}/git/ref/tags/{urllib.parse.quote(tag, safe='')}")["object"]
    for _depth in range(5):  # a tag of a tag is legal; five levels is more than anyone uses
        if obj.get("type") != "tag":
            break
        obj = http.github(f"/repos/{repo}/git/tags/{obj['sha']}")["object"]
    if obj.get("type") != "commit":
        raise FetchError(f"GitHub: tag {tag} of {repo} does not point at a commit")
    return str(obj["sha"])


def refresh_action(http: Http, pin: Pin, current: dict[str, str], cutoff: datetime) -> None:
    action = pin.name.removeprefix("actions.")
    repo = "/".join(action.split("/")[:2])  # owner/repo/path actions live in owner/repo
    found = newest_release(http, repo, cutoff)
    now = version_or_none(current["version"])
    if found is None or now is None:
        pin.keep(
            "kept: no final release outside the cooldown"
            if found is None
            else "kept: version is not a release tag"
        )
        return
    version, release = found
    if version < now:
        pin.keep(f"up to date (newest allowed: {release['tag_name']})")
        return
    sha = tag_commit(http, repo, release["tag_name"])
    if version == now:
        if sha == current["sha"]:
            pin.keep("up to date")
        else:
            pin.keep(
                f"kept: tag {release['tag_name']} now points at {sha[:12]}; "
                "check before trusting it"
            )
        return
    major = " (new major version)" if version.major != now.major else ""
    pin.update(
        f"{release['tag_name']} {sha[:12]}",
        [(("actions", action, "sha"), sha), (("actions", action, "version"), release["tag_name"])],
        f"update{major}",
    )


def refresh_trivy(http: Http, pin: Pin, cutoff: datetime) -> None:
    """Version and the SHA-256 of the Linux x86_64 archive the generated CI downloads."""
    found = newest_release(http, TRIVY_REPO, cutoff)
    now = version_or_none(pin.current)
    if found is None or now is None or found[0] <= now:
        pin.keep(
            "up to date" if found and now and found[0] == now else "kept: no newer final release"
        )
        return
    version_text = found[1]["tag_name"].removeprefix("v")
    archive = f"trivy_{version_text}_Linux-64bit.tar.gz"
    asset = next((a for a in found[1].get("assets", []) if a.get("name") == archive), None)
    digest = str((asset or {}).get("digest") or "")
    if not digest.startswith("sha256:"):
        pin.keep(f"kept: release {found[1]['tag_name']} has no {archive} with a SHA-256 digest")
        return
    pin.update(
        version_text,
        [
            (("tools", "trivy", "version"), version_text),
            (("tools", "trivy", "linuxAmd64Sha256"), digest.removeprefix("sha256:")),
        ],
    )


def refresh_batect(http: Http, pin: Pin, cutoff: datetime) -> None:
    """Checked, never rewritten: template/batect and batect.cmd carry the same version and hash."""
    if http.github(f"/repos/{BATECT_REPO}").get("archived"):
        pin.keep("kept: archived upstream, no release will follow")
        return
    found = newest_release(http, BATECT_REPO, cutoff)
    now = version_or_none(pin.current)
    if found is not None and now is not None and found[0] > now:
        pin.keep(
            f"kept: {found[1]['tag_name']} is out; "
            "update pins.json, template/batect and batect.cmd by hand"
        )
    else:
        pin.keep("up to date")


def refresh_github_pin(http: Http, pin: Pin, pins_json: dict[str, Any], cutoff: datetime) -> None:
    if pin.name.startswith("actions."):
        refresh_action(http, pin, pins_json["actions"][pin.name.removeprefix("actions.")], cutoff)
    elif pin.name == "tools.trivy":
        refresh_trivy(http, pin, cutoff)
    else:
        refresh_batect(http, pin, cutoff)
