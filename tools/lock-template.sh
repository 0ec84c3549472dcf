#!/usr/bin/env bash
# Regenerates the lock files the template ships (template/locks/*), one per package manager and
# API choice (each an EJS template holding the lock with and without MLflow, --tracking), from the
# rendered pyproject.toml. Run it after changing template/pyproject.toml.ejs
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
  lock=poetry.lock
  if [ "$pm" = uv ]; then lock=uv.lock; fi
  # A project that tracks its training with MLflow has mlflow-skinny (and what it needs) in its
  # lock, one with --tracking none does not: each is locked, then both are merged into one
  # template that renders the right one (tools/merge-lock-variants.py).
  for tracking in none mlflow; do
    dir="$work/$variant-$tracking"
    # Rendering also writes the currently shipped lock, which the lockers start from.
    (cd "$root" && npx tsx test/helpers/render.ts "$dir" "name=$sentinel" "packageManager=$pm" "api=$api" training=true "tracking=$tracking" >/dev/null)
    echo "== $variant, tracking=$tracking"
    if [ "$pm" = poetry ]; then
      args=(lock --no-interaction)
      if [ "$upgrade" = true ]; then args+=(--regenerate); fi
      (cd "$dir" && "$poetry" "${args[@]}")
    else
      args=(lock)
      if [ "$upgrade" = true ]; then args+=(--upgrade); fi
      (cd "$dir" && "$uv" "${args[@]}")
    fi
  done
  mkdir -p "$root/template/locks/$variant"
  out="$root/template/locks/$variant/$lock.ejs"
  python3 "$root/tools/merge-lock-variants.py" "$work/$variant-none/$lock" "$out.tmp" \
    "training && tracking === 'mlflow'" "$work/$variant-mlflow/$lock"
  if [ "$pm" = uv ]; then
    # Only the project's own entry carries its name.
    sed -i "s/^name = \"$sentinel\"\$/name = \"<%- name %>\"/" "$out.tmp"
  fi
  if grep -q "$sentinel" "$out.tmp"; then
    echo "error: $sentinel is still in the $lock of $variant" >&2
    exit 1
  fi
  mv "$out.tmp" "$out"
done
echo "locks written to template/locks/"
# validate.ts refuses project names taken by a locked distribution: keep its list in step.
(cd "$root" && npx tsx tools/locked-names.ts)
