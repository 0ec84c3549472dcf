#!/usr/bin/env bash
# Installs the linters that check the generated GitHub automation (test/e2e/ci-workflows.test.ts):
#   actionlint  - workflow syntax, expressions and (with shellcheck on PATH) every `run:` script
#   zizmor      - GitHub Actions security audits (offline audits only; no GitHub token here)
#   ShellCheck  - used by actionlint for `run:` blocks and by the tests for scripts/deploy/*.sh
# Everything lands in <repo>/.tools/ (git-ignored). Idempotent: a tool already at the pinned
# version is left alone, so a second run costs a few milliseconds.
set -euo pipefail

ACTIONLINT_VERSION=v1.7.12
ZIZMOR_VERSION=1.32.0

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools="$repo_root/.tools"
mkdir -p "$tools/bin"

# actionlint, built from the Go module proxy (no prebuilt binary download).
if ! "$tools/bin/actionlint" -version 2>/dev/null | head -n1 | grep -qx "$ACTIONLINT_VERSION"; then
  echo "installing actionlint $ACTIONLINT_VERSION"
  GOBIN="$tools/bin" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
fi

# zizmor from PyPI (binary wheels), in its own venv so it never touches the system Python.
if ! "$tools/zizmor-venv/bin/zizmor" --version 2>/dev/null | grep -q " $ZIZMOR_VERSION\$"; then
  echo "installing zizmor $ZIZMOR_VERSION"
  rm -rf "$tools/zizmor-venv"
  python3 -m venv "$tools/zizmor-venv"
  "$tools/zizmor-venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: "zizmor==$ZIZMOR_VERSION"
fi
ln -sf "../zizmor-venv/bin/zizmor" "$tools/bin/zizmor"

# ShellCheck from Debian. actionlint picks it up from PATH to lint `run:` scripts.
if ! command -v shellcheck >/dev/null 2>&1; then
  echo "installing shellcheck (Debian)"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends shellcheck >/dev/null
  else
    echo "shellcheck is missing and this is not root: install it with apt-get install shellcheck" >&2
    exit 1
  fi
fi

"$tools/bin/actionlint" -version | head -n1 | sed 's/^/actionlint /'
"$tools/bin/zizmor" --version
shellcheck --version | sed -n 2p
