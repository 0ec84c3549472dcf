#!/usr/bin/env bash
# Installs buildah (daemonless image builds, no Docker engine needed) and debootstrap (makes the
# local stand-in base image, see test/e2e/make-base-image.sh), plus shellcheck for the generated
# task scripts. Idempotent: apt is only called when a tool is missing.
set -euo pipefail

missing=()
command -v buildah >/dev/null || missing+=(buildah)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v shellcheck >/dev/null || missing+=(shellcheck)

if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

echo "container tools:"
buildah --version
debootstrap --version
shellcheck --version | sed -n 2p
