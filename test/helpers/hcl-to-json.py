"""Prints the Terraform files of each folder given as JSON: {folder: {file name: parsed HCL}}.

python-hcl2 (.ci/tools.d/45-infra-tools.sh) does the parsing; the options give the classic shape:
blocks as lists of dicts, block labels and strings without their quotes, expressions as "${...}".
Used by test/helpers/infra-projects.ts (test/e2e/infra.test.ts, configure-github.test.ts) to cross-check
infra/ against the workflows.
"""

import json
import sys
from pathlib import Path

import hcl2
from hcl2.utils import SerializationOptions

OPTIONS = SerializationOptions(with_comments=False, explicit_blocks=False, strip_string_quotes=True)

result = {}
for folder in sys.argv[1:]:
    result[folder] = {
        path.name: hcl2.loads(path.read_text(encoding="utf-8"), serialization_options=OPTIONS)
        for path in sorted(Path(folder).glob("*.tf"))
    }
json.dump(result, sys.stdout)
