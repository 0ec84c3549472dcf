#!/usr/bin/env bash
# Refreshes the JSON schemas vendored for the tests (test/fixtures/schemas) from the URLs their
# publishers serve them at. Each file is downloaded, checked to parse as JSON, given the local
# edit test/fixtures/schemas/README.md describes (dependabot-2.0.json only), then written
# atomically; its checksum line in that README is rewritten and a summary of the change printed.
#
# Usage: tools/refresh-test-schemas.sh [--check]
#   --check  download and compare only: report which vendored copies differ from upstream,
#            change nothing. Exit 0 when all are the same, 1 when some differ.
# Exit 2 when a file could not be downloaded or is not JSON (one line per file says why); the
# other files are still handled. Needs curl, node and network access.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR="$ROOT/test/fixtures/schemas"
README="$DIR/README.md"
ME=refresh-test-schemas

# file name in test/fixtures/schemas, and the URL its publisher serves it at.
SCHEMAS=(
  "github-workflow.json https://json.schemastore.org/github-workflow.json"
  "dependabot-2.0.json https://json.schemastore.org/dependabot-2.0.json"
  "batect-configSchema.json https://ide-integration.batect.dev/v1/configSchema.json"
)

check=false
case "${1:-}" in
  '') ;;
  --check) check=true ;;
  -h | --help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "$ME: unknown argument '$1' (use --check or no argument)" >&2; exit 2 ;;
esac
[ "$#" -le 1 ] || { echo "$ME: too many arguments" >&2; exit 2; }
for tool in curl node; do
  command -v "$tool" >/dev/null || { echo "$ME: $tool is needed and not on PATH" >&2; exit 2; }
done
if command -v sha256sum >/dev/null; then
  sha256() { sha256sum -- "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null; then
  sha256() { shasum -a 256 -- "$1" | cut -d' ' -f1; }
else
  echo "$ME: sha256sum (or shasum) is needed and not on PATH" >&2; exit 2
fi
[ -f "$README" ] || { echo "$ME: $README is missing" >&2; exit 2; }

tmpfiles=()
trap '[ "${#tmpfiles[@]}" -eq 0 ] || rm -f -- "${tmpfiles[@]}"' EXIT
trap 'exit 130' INT TERM HUP

# The local edit (see the README): the copy these were first taken from dropped a host name from
# one description. Re-applied so an unchanged upstream gives a byte-identical file.
local_edit() { # file path
  [ "$1" = dependabot-2.0.json ] || return 0
  if grep -qF '(by default https://pypi.org/simple)' "$2"; then
    tmpfiles+=("$2.edit")
    sed 's|(by default https://pypi\.org/simple)|(by default the public Python package index)|' "$2" >"$2.edit"
    mv -f -- "$2.edit" "$2"
  else
    echo "$ME: note: $1: the replaces-base description no longer has the text the local edit replaces; kept as upstream has it (update the README's note)"
  fi
}

# "+added -removed" lines between two files.
line_changes() {
  local out
  out=$(diff -- "$1" "$2" || true)
  printf '+%s -%s' "$(grep -c '^>' <<<"$out" || true)" "$(grep -c '^<' <<<"$out" || true)"
}

failed=0 differ=0
for entry in "${SCHEMAS[@]}"; do
  read -r name url <<<"$entry"
  target="$DIR/$name"
  tmp=$(mktemp "$DIR/.$name.XXXXXX")
  tmpfiles+=("$tmp")

  if ! err=$(curl -fsSL --proto '=https' --retry 2 --connect-timeout 15 --max-time 120 -o "$tmp" "$url" 2>&1); then
    err=$(grep '^curl: ' <<<"$err" | tail -n 1 || true) # with --retry, curl repeats its error
    echo "$ME: $name: download from $url failed (${err:-curl: exited non-zero}); vendored copy left as it is" >&2
    failed=1
    continue
  fi
  if ! err=$(node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$tmp" 2>&1); then
    err=$(grep -m1 -E '^(SyntaxError|Error)' <<<"$err" || echo 'not JSON')
    echo "$ME: $name: what $url served is not JSON ($err); vendored copy left as it is" >&2
    failed=1
    continue
  fi
  local_edit "$name" "$tmp"

  new_sha=$(sha256 "$tmp")
  if [ -f "$target" ]; then
    old_sha=$(sha256 "$target")
  else
    old_sha=
  fi
  if [ "$new_sha" = "$old_sha" ]; then
    echo "$name: same as upstream ($new_sha)"
    continue
  fi
  differ=1
  if [ -n "$old_sha" ]; then
    summary="$(line_changes "$target" "$tmp") lines, $(wc -c <"$target" | tr -d ' ') -> $(wc -c <"$tmp" | tr -d ' ') bytes"
  else
    summary="new file, $(wc -c <"$tmp" | tr -d ' ') bytes"
  fi
  if $check; then
    echo "$name: differs from upstream ($summary)"
    continue
  fi

  chmod 644 "$tmp"
  mv -f -- "$tmp" "$target"
  echo "$name: updated ($summary), sha256 ${old_sha:-none} -> $new_sha"
  line="$new_sha  $name"
  if [ -n "$old_sha" ] && grep -qxF "$old_sha  $name" "$README"; then
    rtmp=$(mktemp "$DIR/.README.md.XXXXXX")
    tmpfiles+=("$rtmp")
    sed "s|^$old_sha  $name\$|$line|" "$README" >"$rtmp"
    chmod 644 "$rtmp"
    mv -f -- "$rtmp" "$README"
    echo "  README.md: checksum line updated; set the source commit and vendored date in its table by hand"
  else
    echo "  README.md has no checksum line for $name: add this line to its sha256 block, and a row to its table:"
    echo "  $line"
  fi
done

if [ "$failed" -ne 0 ]; then
  echo "$ME: some files could not be fetched or were not JSON (see above)" >&2
  exit 2
fi
if $check && [ "$differ" -ne 0 ]; then
  echo "$ME: vendored schemas differ from upstream; run tools/refresh-test-schemas.sh to update them"
  exit 1
fi
if ! $check && [ "$differ" -ne 0 ]; then
  echo "Review with: git diff --stat -- test/fixtures/schemas && git diff -- test/fixtures/schemas/README.md"
  echo "Then run the schema tests (see test/fixtures/schemas/README.md)."
fi
exit 0
