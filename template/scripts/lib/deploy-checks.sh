# shellcheck shell=bash
# Checks shared by aws.sh, gcp.sh and azure.sh (sourced, not run): they fail early, with one line
# that says what to set, before any cloud call is made.

# require_vars CLOUD VAR...: names every variable that is unset or empty.
require_vars() {
  local cloud=$1 var
  shift
  local missing=()
  for var in "$@"; do
    if [ -z "${!var:-}" ]; then missing+=("$var"); fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "deploy-api ($cloud): missing variable(s): ${missing[*]}" >&2
    exit 1
  fi
}

# require_name_length CLOUD PRODUCT MIN MAX: the cloud refuses other lengths of SERVICE_NAME. A
# long project name needs its own SERVICE_NAME (in CI: a repository or environment variable).
require_name_length() {
  local cloud=$1 product=$2 min=$3 max=$4
  if [ "${#SERVICE_NAME}" -lt "$min" ] || [ "${#SERVICE_NAME}" -gt "$max" ]; then
    echo "deploy-api ($cloud): SERVICE_NAME '$SERVICE_NAME' has ${#SERVICE_NAME} characters; $product allows $min to $max: set SERVICE_NAME" >&2
    exit 1
  fi
}
