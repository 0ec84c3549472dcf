"""The only place the pins bot talks to the network.

Every source is an HTTP API a bot on GitHub can reach: PyPI's per-project JSON, the GitHub REST
API, the OCI distribution API of each container registry and Debian's archive. `Sources` holds
their base URLs, so the tests point all of them at a loopback server that answers with recorded
shapes of those APIs (test/e2e/pins-bot.test.ts); nothing else in the bot builds a URL from a
host name.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

USER_AGENT = "create-ml-project tools/bump-template-pins.py"
TIMEOUT_SECONDS = 30
# Docker Hub's registry API is not served from the name images use.
REGISTRY_ALIASES = {"docker.io": "registry-1.docker.io"}


class FetchError(Exception):
    """A source could not be read: the message is the one line the report shows."""


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes

    def json(self, what: str) -> Any:
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise FetchError(f"{what} sent invalid JSON: {error}") from error


@dataclass
class Sources:
    """Where each API lives; the defaults are the real services."""

    pypi: str = "https://pypi.org"
    github_api: str = "https://api.github.com"
    debian: str = "https://deb.debian.org/debian"
    registries: dict[str, str] = field(default_factory=dict)  # host -> base URL override
    github_token: str | None = None  # sent to github_api only, never to another source

    def registry(self, host: str) -> str:
        host = REGISTRY_ALIASES.get(host, host)
        return self.registries.get(host, f"https://{host}").rstrip("/")


class Http:
    """GET/HEAD with one error type; a 401 from a registry runs its anonymous token dance."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self._registry_tokens: dict[str, str] = {}

    def request(
        self,
        url: str,
        what: str,
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        accept_status: tuple[int, ...] = (200,),
    ) -> Reply:
        all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
        request = urllib.request.Request(url, method=method, headers=all_headers)  # noqa: S310 - http(s) only, from Sources
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                reply = Reply(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            reply = Reply(error.code, error.headers, error.read() if error.fp else b"")
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise FetchError(f"cannot reach {what}: {reason}") from error
        if reply.status not in accept_status:
            raise FetchError(f"{what} answered HTTP {reply.status}")
        return reply

    # --- PyPI and Debian ----------------------------------------------------------------------

    def pypi_project(self, name: str) -> dict[str, Any]:
        url = f"{self.sources.pypi.rstrip('/')}/pypi/{urllib.parse.quote(name)}/json"
        data = self.request(url, f"PyPI for {name}", headers={"Accept": "application/json"})
        return data.json(f"PyPI for {name}")

    def debian_release(self, suite: str) -> str:
        url = f"{self.sources.debian.rstrip('/')}/dists/{suite}/Release"
        return self.request(url, f"Debian's {suite} Release file").body.decode("utf-8", "replace")

    # --- GitHub -------------------------------------------------------------------------------

    def github(self, path: str) -> Any:
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if self.sources.github_token:
            headers["Authorization"] = f"Bearer {self.sources.github_token}"
        url = self.sources.github_api.rstrip("/") + path
        return self.request(url, f"GitHub ({path})", headers=headers).json(f"GitHub ({path})")

    # --- container registries (OCI distribution API) --------------------------------------------

    def registry(
        self,
        host: str,
        path: str,
        *,
        method: str = "GET",
        accept: str = "",
        missing_ok: bool = False,
    ) -> Reply:
        """One registry call; anonymous pull tokens are fetched and reused as the registry asks.

        With `missing_ok` a 404 is an answer (the reply), not an error.
        """
        base = self.sources.registry(host)
        what = f"registry {host} ({path.split('?', maxsplit=1)[0]})"
        headers = {"Accept": accept} if accept else {}
        token = self._registry_tokens.get(host)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        answers = (200, 404) if missing_ok else (200,)
        reply = self.request(
            base + path, what, method=method, headers=headers, accept_status=(*answers, 401)
        )
        if reply.status == 401:
            token = self._anonymous_token(host, reply.headers.get("WWW-Authenticate", ""), what)
            self._registry_tokens[host] = token
            headers["Authorization"] = f"Bearer {token}"
            reply = self.request(
                base + path, what, method=method, headers=headers, accept_status=answers
            )
        return reply

    def _anonymous_token(self, host: str, challenge: str, what: str) -> str:
        """The pull token a `WWW-Authenticate: Bearer realm=…,service=…,scope=…` points at."""
        if not challenge.lower().startswith("bearer "):
            raise FetchError(f"{what} asked for credentials ({challenge or 'no challenge'})")
        params = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
        realm = params.pop("realm", "")
        if not realm.startswith(("https://", "http://")):
            raise FetchError(f"{what} sent a token challenge without a usable realm")
        query = urllib.parse.urlencode(
            {k: v for k, v in params.items() if k in ("service", "scope")}
        )
        data = self.request(f"{realm}?{query}" if query else realm, f"token service of {host}")
        body = data.json(f"token service of {host}")
        token = body.get("token") or body.get("access_token")
        if not isinstance(token, str):
            raise FetchError(f"token service of {host} sent no token")
        return token
