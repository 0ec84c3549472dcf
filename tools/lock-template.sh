#!/usr/bin/env bash
# Regenerates the lock files the template ships (template/locks/*), one per package manager and
# API choice, from the rendered pyproject.toml. Run it after changing template/pyproject.toml.ejs
# or the "python" pins; test/e2e/python-project.test.ts fails while a lock is stale.
#
#   tools/lock-template.sh            # keep locked versions where still allowed (minimal change)
#   tools/lock-template.sh --upgrade  # re-resolve everything to the newest allowed versions
#
# Uses the pinned poetry and uv in .tools/venv (installed by .ci/tools.d/20-python-tools.sh).
# The cooldowns configured in the template (7 days) apply here too.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
upgrade=false
if [ "${1:-}" = --upgrade ]; then
  upgrade=true
fi

bash "$root/.ci/tools.d/20-python-tools.sh" >/dev/null
poetry="$root/.tools/venv/bin/poetry"
uv="$root/.tools/venv/bin/uv"

# uv.lock names the project; the shipped file says <%- name %> there and is rendered with EJS.
sentinel=lock-template-project
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for variant in poetry-api poetry-core uv-api uv-core; do
  pm=${variant%%-*}
  api=false
  if [ "${variant#*-}" = api ]; then
    api=true
  fi
  dir="$work/$variant"
  # Rendering also writes the currently shipped lock, which the lockers start from.
  (cd "$root" && npx tsx test/helpers/render.ts "$dir" "name=$sentinel" "packageManager=$pm" "api=$api" training=true >/dev/null)
  echo "== $variant"
  if [ "$pm" = poetry ]; then
    args=(lock --no-interaction)
    if [ "$upgrade" = true ]; then args+=(--regenerate); fi
    (cd "$dir" && "$poetry" "${args[@]}")
    mkdir -p "$root/template/locks/$variant"
    cp "$dir/poetry.lock" "$root/template/locks/$variant/poetry.lock"
  else
    args=(lock)
    if [ "$upgrade" = true ]; then args+=(--upgrade); fi
    (cd "$dir" && "$uv" "${args[@]}")
    mkdir -p "$root/template/locks/$variant"
    # Only the project's own entry carries its name.
    sed "s/^name = \"$sentinel\"\$/name = \"<%- name %>\"/" "$dir/uv.lock" >"$root/template/locks/$variant/uv.lock.ejs"
    if grep -q "$sentinel" "$root/template/locks/$variant/uv.lock.ejs"; then
      echo "error: $sentinel is still in the uv.lock of $variant" >&2
      exit 1
    fi
  fi
done
echo "locks written to template/locks/"
# validate.ts refuses project names taken by a locked distribution: keep its list in step.
(cd "$root" && npx tsx tools/locked-names.ts)
