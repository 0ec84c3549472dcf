#!/usr/bin/env bash
# "Check out and go" for Ubuntu and Debian (and derivatives that use apt): installs what the host
# needs to work on this project, then builds the host virtualenv (.venv) for the IDE.
#
#   scripts/go/go-linux-ubuntu.sh
#
# Safe to run again at any time: it installs only what is missing and never prompts (apt runs
# with -y), so it also works in CI and over ssh. Run it as your normal user; it uses sudo for apt
# (as root, no sudo is needed).
#   - git, and curl (for the scripts that send requests to the API)
#   - Python >= 3.11 with venv support (apt: python3 python3-venv, or python3.11 on older releases)
#   - Docker: the docker.io package, unless a docker client is already installed (Docker's own
#     packages, Docker Desktop or rootless Docker are left alone); plus Compose v2 for ./tasks.
#     In a container without a docker client it installs and starts no Docker, and says so.
#   - Java, only for projects that use batect (a runtime is enough: default-jre-headless)
# When the dev-container tasks cannot run yet it makes .venv, then exits 1 with a line per problem.
set -euo pipefail

project_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$project_dir"

say() { echo "go: $*"; }
warn() { echo "go: warning: $*" >&2; }
die() {
  echo "go: error: $*" >&2
  exit 1
}

[[ "$(uname -s)" == "Linux" ]] || die "this script is for Ubuntu/Debian; run the go script for your OS from scripts/go/ (the README lists them)"
[[ -r /etc/os-release ]] || die "cannot identify this Linux distribution (/etc/os-release is missing)"
# shellcheck source=/dev/null
. /etc/os-release
case " ${ID:-} ${ID_LIKE:-} " in
  *" debian "* | *" ubuntu "*) ;;
  *) die "${PRETTY_NAME:-this distribution} is not supported by this script (it needs apt). Install git, Python >= 3.11 with venv, Docker$([[ -f batect ]] && echo ' and Java') yourself, then run scripts/go/install-dependencies-on-host.sh" ;;
esac
command -v apt-get >/dev/null 2>&1 || die "apt-get not found, although ${PRETTY_NAME:-this system} looks Debian-based"

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "installing packages needs root: run this script as root, or install sudo (missing: $*)"
  fi
}

apt_updated=false
apt_install() {
  say "installing: $*"
  if [[ "$apt_updated" == false ]]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=true
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# True when apt knows a package (after an update): used to choose between alternative names.
available() {
  [[ "$apt_updated" == true ]] || { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq; apt_updated=true; }
  apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -qv '(none)'
}

# --- git ---------------------------------------------------------------------------------------
if command -v git >/dev/null 2>&1; then
  say "ok: $(git --version)"
else
  apt_install git ca-certificates
fi
command -v curl >/dev/null 2>&1 || apt_install curl ca-certificates

# --- Python >= 3.11 with venv ------------------------------------------------------------------
find_python() {
  local candidate
  for candidate in python3 python3.14 python3.13 python3.12 python3.11 /usr/local/bin/python3 /usr/bin/python3; do
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
  apt_install python3 python3-venv
  python="$(find_python || true)"
fi
if [[ -z "$python" ]]; then
  # Ubuntu 22.04 ships Python 3.10 as python3, with newer versions as separate packages.
  for version in 3.13 3.12 3.11; do
    if available "python$version-venv"; then
      apt_install "python$version" "python$version-venv"
      break
    fi
  done
  python="$(find_python || true)"
fi
[[ -n "$python" ]] || die "no Python 3.11 or newer is available from apt on ${PRETTY_NAME:-this system}; install one (e.g. with pyenv) and re-run"
# Debian and Ubuntu split venv support out of the system Python; other Pythons (pyenv, a build
# from source) have it built in.
py_minor="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
if [[ "$(readlink -f "$python")" == /usr/bin/* ]] && ! installed "python$py_minor-venv"; then
  apt_install "python$py_minor-venv"
fi
say "ok: Python $("$python" -c 'import platform; print(platform.python_version())') ($python)"

# --- Docker --------------------------------------------------------------------------------------
# Docker Engine 19.03 (API 1.40) or newer: the oldest that runs the Compose specification and batect.
problems=()
if ! command -v docker >/dev/null 2>&1; then
  if [[ -f /.dockerenv || -f /run/.containerenv ]]; then
    say "skipped: installing Docker (docker.io), starting its engine and checking Compose: this machine is a container; run the dev-container tasks on a host with Docker"
  else
    apt_install docker.io
  fi
fi
if command -v docker >/dev/null 2>&1; then
  say "ok: $(docker --version 2>/dev/null || echo 'docker client present')"
  if [[ -f compose.yaml ]] && ! docker compose version >/dev/null 2>&1; then
    # ./tasks needs Compose v2 (the `docker compose` plugin): its package name differs between
    # Docker's own apt repository, Ubuntu and Debian.
    for candidate in docker-compose-plugin docker-compose-v2; do
      if available "$candidate"; then
        apt_install "$candidate"
        break
      fi
    done
    docker compose version >/dev/null 2>&1 \
      || problems+=("Docker Compose v2 ('docker compose') is missing: install docker-compose-plugin from Docker's apt repository (see the README), then run ./tasks")
  fi
  # The engine is a separate concern from the client: it may be remote, rootless or not started.
  engine=up
  api=$(timeout 15 docker version --format '{{.Server.APIVersion}}' 2>&1) || engine=down
  IFS=. read -r major minor _ <<<"$api"
  # An engine older than the client's oldest API refuses it: "client version ... is too new".
  if [[ "$api" == *"is too new. Maximum supported API"* ]] || { [[ "$engine" == up ]] && ! ((major > 1 || (major == 1 && minor >= 40))); }; then
    problems+=("the Docker engine is older than Docker Engine 19.03 (API 1.40): upgrade it (sudo apt-get install --only-upgrade docker.io, or Docker's own packages)")
  elif [[ "$engine" == up ]]; then
    say "ok: Docker engine (API $api)"
  elif [[ "$api" == *"ermission denied"* ]]; then
    problems+=("the Docker engine runs but $(id -un) may not use it: run 'sudo usermod -aG docker $(id -un)' and log in again (this grants root-equivalent access), or use rootless Docker")
  else
    problems+=("no Docker engine answers: start it with 'sudo systemctl enable --now docker', then run this script again")
  fi
fi

# --- Java (batect only) --------------------------------------------------------------------------
if [[ -f batect ]]; then
  if java -version >/dev/null 2>&1; then
    say "ok: $(java -version 2>&1 | head -n 1)"
  else
    apt_install default-jre-headless
  fi
fi

# --- the project's own setup ---------------------------------------------------------------------
# How many problems are left: the next steps then say .venv is ready but the tasks are not.
GO_HOST_PROBLEMS="${#problems[@]}" bash scripts/go/install-dependencies-on-host.sh
for problem in "${problems[@]}"; do
  echo "go: error: $problem" >&2
done
if [[ "${#problems[@]}" -gt 0 ]]; then
  exit 1
fi
