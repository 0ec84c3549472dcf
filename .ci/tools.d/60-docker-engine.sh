#!/usr/bin/env bash
# A real Docker engine for the container tests (test/helpers/docker.ts starts and stops it):
#   - dockerd, containerd and runc from Debian's docker.io package (apt only when missing);
#   - the Compose v2 and buildx CLI plugins, built from their Go modules at pinned versions with
#     the version set at build time (without it `docker compose build` refuses: it needs
#     buildx >= 0.17), into .tools/docker/plugins-<versions>/cli-plugins;
#   - the stand-in base image's root filesystem (debootstrap; no registry is reachable), cached
#     as a tarball under .tools/docker/ keyed on its inputs (test/e2e/make-base-rootfs.sh).
# Nothing is written to ~/.docker: the tests point DOCKER_CONFIG at a folder of their own.
# Idempotent: a second run only checks what is there (.tools/ is git-ignored).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Pinned plugin versions (the Go module proxy serves both).
COMPOSE_VERSION=v5.6.0
BUILDX_VERSION=v0.38.2

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ "${#missing[@]}" -gt 0 ]; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

plugins="$root/.tools/docker/plugins-compose-$COMPOSE_VERSION-buildx-$BUILDX_VERSION/cli-plugins"
build_plugin() { # module version package ldflag-variable output
  local module=$1 version=$2 package=$3 variable=$4 out=$5 src tmp
  [ -x "$out" ] && return 0
  command -v go >/dev/null || { echo "60-docker-engine: Go is needed to build $module (install golang)" >&2; exit 1; }
  src=$(go mod download -json "$module@$version" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  tmp=$(mktemp -d)
  # The module's own folder: its go.mod has exclude directives, so `go install pkg@version` refuses.
  cp -r "$src" "$tmp/src" && chmod -R u+w "$tmp/src"
  echo "building $module $version..."
  (cd "$tmp/src" && GOFLAGS=-buildvcs=false go build -trimpath -o "$out.partial" -ldflags "-s -w -X $variable=$version" "$package")
  mv "$out.partial" "$out"
  rm -rf "$tmp"
}
mkdir -p "$plugins"
build_plugin github.com/docker/compose/v5 "$COMPOSE_VERSION" ./cmd github.com/docker/compose/v5/internal.Version "$plugins/docker-compose"
build_plugin github.com/docker/buildx "$BUILDX_VERSION" ./cmd/buildx github.com/docker/buildx/version.Version "$plugins/docker-buildx"
# Where the test helper finds them (one line: the folder).
echo "$plugins" >"$root/.tools/docker/plugins-dir"

# The stand-in for python:3.13-slim-trixie (the template's default Python and Debian release).
rootfs=$(bash "$root/test/e2e/make-base-rootfs.sh" trixie)

echo "docker engine tools:"
dockerd --version
"$plugins/docker-compose" version
"$plugins/docker-buildx" version
echo "base rootfs: $rootfs ($(du -h "$rootfs" | cut -f1))"
