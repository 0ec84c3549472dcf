#!/usr/bin/env bash
# "Check out and go" for macOS (Apple silicon and Intel): installs what the host needs to work on
# this project with Homebrew, then builds the host virtualenv (.venv) for the IDE.
#
#   scripts/go/go-mac.sh                            # Docker runtime: Colima (free, no licence)
#   GO_DOCKER_RUNTIME=desktop scripts/go/go-mac.sh  # Docker runtime: Docker Desktop
#
# Safe to run again at any time: it installs only what is missing and never prompts.
#   - Homebrew must already be installed (this script does not pipe an installer into a shell)
#   - git, Python >= 3.11 (python@3.X from Homebrew, X from .python-version if present)
#   - Docker: nothing if a docker client exists; otherwise Colima + the docker CLI, or Docker Desktop
#   - Java, only for projects that use batect (Eclipse Temurin)
# Written for the bash 3.2 that macOS ships.
set -euo pipefail

project_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$project_dir"

say() { echo "go: $*"; }
warn() { echo "go: warning: $*" >&2; }
die() {
  echo "go: error: $*" >&2
  exit 1
}

[[ "$(uname -s)" == "Darwin" ]] || die "this script is for macOS; run the go script for your OS from scripts/go/ (the README lists them)"

# --- Homebrew --------------------------------------------------------------------------------------
brew_bin=""
for candidate in "$(command -v brew || true)" /opt/homebrew/bin/brew /usr/local/bin/brew; do
  if [[ -n "$candidate" && -x "$candidate" ]]; then
    brew_bin="$candidate"
    break
  fi
done
[[ -n "$brew_bin" ]] || die "Homebrew is needed: install it with the .pkg installer from https://github.com/Homebrew/brew/releases/latest (or see https://brew.sh), open a new terminal and re-run this script"
# Puts Homebrew's bin folder on PATH for the rest of this script, as a login shell would.
eval "$("$brew_bin" shellenv)"
# No auto-update or hints per install: faster, and the output stays readable.
export HOMEBREW_NO_AUTO_UPDATE=1 HOMEBREW_NO_ENV_HINTS=1 HOMEBREW_NO_INSTALL_CLEANUP=1 NONINTERACTIVE=1
say "ok: $(brew --version | head -n 1)"

brew_install() {
  say "installing: $*"
  brew install --quiet "$@"
}

# --- git -------------------------------------------------------------------------------------------
# /usr/bin/git is a stub until the Command Line Tools are installed, so run it rather than look for it.
if git --version >/dev/null 2>&1; then
  say "ok: $(git --version)"
else
  brew_install git
fi

# --- Python >= 3.11 --------------------------------------------------------------------------------
find_python() {
  local candidate
  for candidate in python3 python3.14 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 \
      && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}
python="$(find_python || true)"
if [[ -z "$python" ]]; then
  wanted="3.13"
  if [[ -f .python-version ]]; then
    wanted="$(sed -n '1s/^\([0-9]*\.[0-9]*\).*/\1/p' .python-version)"
  fi
  brew_install "python@${wanted:-3.13}"
  python="$(find_python || true)"
  [[ -n "$python" ]] || die "python@${wanted:-3.13} was installed but no Python 3.11+ is on PATH; open a new terminal and re-run"
fi
say "ok: Python $("$python" -c 'import platform; print(platform.python_version())') ($python)"

# --- Docker ----------------------------------------------------------------------------------------
runtime="${GO_DOCKER_RUNTIME:-colima}"
if command -v docker >/dev/null 2>&1; then
  say "ok: $(docker --version 2>/dev/null || echo 'docker client present')"
elif [[ "$runtime" == "desktop" ]]; then
  say "installing: Docker Desktop (its licence requires a paid subscription in larger companies)"
  brew install --quiet --cask docker-desktop
elif [[ "$runtime" == "colima" ]]; then
  brew_install colima docker docker-compose
else
  die "GO_DOCKER_RUNTIME must be 'colima' or 'desktop', not '$runtime'"
fi
if [[ -f compose.yaml ]] && ! docker compose version >/dev/null 2>&1 && [[ -x "$(brew --prefix)/lib/docker/cli-plugins/docker-compose" ]]; then
  # Homebrew's docker-compose is a CLI plugin, but the docker CLI only looks for plugins in its
  # own folders; register Homebrew's folder in ~/.docker/config.json (keeping other settings).
  say "registering Homebrew's docker compose plugin in ~/.docker/config.json"
  "$python" - "$(brew --prefix)/lib/docker/cli-plugins" <<'PY'
import json, pathlib, sys
path = pathlib.Path.home() / ".docker" / "config.json"
config = json.loads(path.read_text()) if path.exists() else {}
dirs = config.setdefault("cliPluginsExtraDirs", [])
if sys.argv[1] not in dirs:
    dirs.append(sys.argv[1])
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text(json.dumps(config, indent=2) + "\n")
PY
fi
if ! docker info >/dev/null 2>&1; then
  if command -v colima >/dev/null 2>&1; then
    warn "no Docker engine answers; start one with 'colima start --cpu 4 --memory 8' (once per boot)"
  else
    warn "no Docker engine answers; open Docker Desktop (Applications) and wait until it is running"
  fi
fi

# --- Java (batect only) ----------------------------------------------------------------------------
if [[ -f batect ]]; then
  # /usr/bin/java is a stub that fails when no JDK is installed, hence running it.
  if java -version >/dev/null 2>&1; then
    say "ok: $(java -version 2>&1 | head -n 1)"
  else
    say "installing: Eclipse Temurin 21 (Java runtime for batect)"
    brew install --quiet --cask temurin@21
  fi
fi

# --- the project's own setup -----------------------------------------------------------------------
exec bash scripts/go/install-dependencies-on-host.sh
