#!/usr/bin/env bash
# Shared last step of go-linux-ubuntu.sh and go-mac.sh (you can also run it on its own once the
# host prerequisites are there): picks a Python >= 3.11, runs setup_host.py to build .venv with
# the locked dependencies, then prints the next steps for this project's task runner.
set -euo pipefail

project_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$project_dir"

# The first interpreter that is new enough and runs, trying the plain name first so a pyenv or
# Homebrew python3 the developer already uses wins over the system one. (A pyenv shim fails when
# .python-version names a version pyenv does not have; the absolute paths cover that.)
python=""
for candidate in python3 python3.14 python3.13 python3.12 python3.11 /usr/local/bin/python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 \
    && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    python="$(command -v "$candidate")"
    break
  fi
done
if [[ -z "$python" ]]; then
  echo "go: error: no Python 3.11 or newer on PATH; run the go script for your OS (scripts/go/)" >&2
  exit 1
fi

"$python" scripts/go/setup_host.py

if [[ -f batect ]]; then
  runner="./batect"
  list="./batect --list-tasks"
else
  runner="./tasks"
  list="./tasks --list"
fi
# go-linux-ubuntu.sh prints the problems it found (engine down, Compose missing) after this.
status="all set"
if [[ "${GO_HOST_PROBLEMS:-0}" != 0 ]]; then
  status=".venv is ready, but the dev-container tasks cannot run yet (the errors below say why)"
fi
cat <<EOF

go: $status. Next steps:
  1. Make sure a Docker engine is running (Docker Desktop, Colima or Docker Engine; see README).
  2. Point your IDE at the interpreter printed above (.venv in this folder).
  3. Build the dev container and run the unit tests in it:  $runner unit-test
     Everything else:  $list
EOF
