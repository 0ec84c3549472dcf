#!/usr/bin/env bash
# The whole refresh of the pins the template ships, as the weekly bot
# (.github/workflows/refresh-template-deps.yml) or a maintainer runs it:
#
#   1. tools/bump-template-pins.py      newest safe releases for every == pin in
#                                       template/pyproject.toml.ejs and every pin in pins.json
#                                       (PyPI tools, action SHAs, Trivy, CLI images, base image);
#                                       GITHUB_TOKEN, when set, goes to the GitHub API only
#   2. tools/lock-template.sh --upgrade re-resolve the four shipped locks (transitive deps too),
#                                       with the same 7-day cooldown
#   3. UPDATE_SNAPSHOTS=1 snapshot test the default project's snapshot records pyproject.toml and
#                                       the lock hashes; without this the next test run fails
#   4. git diff --stat                  what changed, for the log or the PR
#
#   tools/refresh-template-deps.sh                 # everything
#   tools/refresh-template-deps.sh --only numpy    # extra options go to bump-template-pins.py
#
# Idempotent: a second run with nothing new upstream changes nothing. It never commits; review
# the diff and run the full suite (bash .ci/run) before committing.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

for arg in "$@"; do
  if [ "$arg" = --dry-run ]; then
    echo "refresh-template-deps: for a dry run use: .tools/venv/bin/python tools/bump-template-pins.py --dry-run" >&2
    exit 2
  fi
done

# lock-template.sh renders the template with tsx; a fresh clone has no node_modules yet.
if [ ! -x node_modules/.bin/tsx ]; then
  npm ci --no-audit --no-fund
fi

# The bot needs `packaging`, pinned in the tools venv (lock-template.sh installs it too).
bash .ci/tools.d/20-python-tools.sh >/dev/null

echo "::: bump pins"
.tools/venv/bin/python tools/bump-template-pins.py "$@"
# The token only raises GitHub's API rate limit for the bump; locking may build sdists (their
# code runs), so it does not see it.
unset GITHUB_TOKEN

echo "::: lock (tools/lock-template.sh --upgrade)"
bash tools/lock-template.sh --upgrade

echo "::: update the default-project snapshot"
UPDATE_SNAPSHOTS=1 node --import tsx --test test/snapshot/*.test.ts >/dev/null

echo "::: changes"
if git diff --quiet; then
  echo "nothing changed: the template's pins are up to date"
else
  git diff --stat
fi
