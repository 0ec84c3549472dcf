#!/usr/bin/env bash
# Tools `npm run bench` (bench/run.mjs) needs. Not used by `npm test`.
#   hyperfine 1.15.0, wrk 4.1.0: Debian bookworm packages
#   copier 9.x:                  PyPI, private venv at .tools/venv-copier, linked as .tools/bin/copier
# Idempotent: installs only what is missing.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
copier_version="9.19.1"
venv="$repo/.tools/venv-copier"
mkdir -p "$repo/.tools/bin"

missing=()
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "bench-tools: ${missing[*]} missing and this is not root (no sudo)" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  echo "bench-tools: installing ${missing[*]} (apt)"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! "$repo/.tools/bin/copier" --version 2>/dev/null | grep -q "$copier_version"; then
  echo "bench-tools: installing copier $copier_version into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --disable-pip-version-check --no-input --quiet "copier==$copier_version"
  ln -sf "../venv-copier/bin/copier" "$repo/.tools/bin/copier"
fi

echo "bench-tools: $(hyperfine --version), wrk $(wrk -v 2>&1 | sed -n '1s/^wrk \([^ ]*\).*/\1/p'), $("$repo/.tools/bin/copier" --version)"
