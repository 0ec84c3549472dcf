#!/usr/bin/env bash
# Regenerates the lock files the template ships (template/locks/*), one per package manager and
# API choice, from the rendered pyproject.toml. Each is an EJS template holding one lock per
# combination of the answers that add a dependency group: --tracking (MLflow in the train group)
# and a cloud with a training job (its SDK in the optional "cloud" group). Run it after changing
# template/pyproject.toml.ejs or the "python" pins; test/e2e/python-project.test.ts fails while a
# lock is stale.
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

# Clouds whose record has a training job; a project without training has neither group.
job_clouds=$(cd "$root/template/clouds" && grep -l '"training"' ./*/cloud.json | cut -d/ -f2 | sort)
# The template's first line: which lock this project gets (tools/merge-lock-variants.py's `lock`).
preamble="<% const lock = { tracking: training ? tracking : 'none', cloud: training && cloudRecord?.training ? cloud : 'none' }; -%>"

# The clouds a shipped lock template has a variant for: those its guards name, in any of the three
# forms tools/merge-lock-variants.py writes: lock.cloud === 'aws', lock.cloud !== 'aws' and
# ['aws', 'gcp'].includes(lock.cloud). Prints one a line; nothing for a lock not shipped yet.
locked_clouds() {
  [ -f "$1" ] || return 0
  grep -oE "lock\.cloud [!=]== '[a-z0-9-]+'|\[[^]]*\]\.includes\(lock\.cloud\)" "$1" |
    grep -oE "'[a-z0-9-]+'" | tr -d "'" | sort -u || true
}

for variant in poetry-api poetry-core uv-api uv-core; do
  pm=${variant%%-*}
  api=false
  if [ "${variant#*-}" = api ]; then
    api=true
  fi
  lock=poetry.lock
  if [ "$pm" = uv ]; then lock=uv.lock; fi
  merge=()
  known=$(locked_clouds "$root/template/locks/$variant/$lock.ejs")
  for tracking in none mlflow; do
    for cloud in none $job_clouds; do
      dir="$work/$variant-$tracking-$cloud"
      # Rendering also writes the currently shipped lock, which the lockers start from.
      (cd "$root" && npx tsx test/helpers/render.ts "$dir" "name=$sentinel" "packageManager=$pm" "api=$api" training=true "tracking=$tracking" "cloud=$cloud" >/dev/null)
      # A cloud the shipped template has no variant for yet starts from the one without a cloud.
      if [ "$cloud" != none ] && ! grep -qxF "$cloud" <<<"$known"; then
        cp "$work/$variant-$tracking-none/$lock" "$dir/$lock"
      fi
      echo "== $variant, tracking=$tracking, cloud=$cloud"
      if [ "$pm" = poetry ]; then
        args=(lock --no-interaction)
        if [ "$upgrade" = true ]; then args+=(--regenerate); fi
        (cd "$dir" && "$poetry" "${args[@]}")
      else
        args=(lock)
        if [ "$upgrade" = true ]; then args+=(--upgrade); fi
        (cd "$dir" && "$uv" "${args[@]}")
      fi
      merge+=("tracking=$tracking,cloud=$cloud" "$dir/$lock")
    done
  done
  mkdir -p "$root/template/locks/$variant"
  out="$root/template/locks/$variant/$lock.ejs"
  python3 "$root/tools/merge-lock-variants.py" "$out.body" "${merge[@]}"
  { echo "$preamble"; cat "$out.body"; } >"$out.tmp"
  rm "$out.body"
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
