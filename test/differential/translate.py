"""
Truth side of the differential harness: AWS's own SAM translator (aws-sam-translator, pinned through
aws-sam-cli in .venv-sam) turns each SAM template into CloudFormation, in one process for speed.
Reads one JSON document per line on stdin: {"template": {...}, "parameters": {...}}; writes one JSON
line per input: {"ok": true, "cfn": {...}} or {"ok": false, "error": "..."}.
With --managed-policies PATH it also writes moto's AWS managed policy snapshot as {arn: document}
(moto is Apache-2.0; the same snapshot the shipped data is generated from, read here independently).
"""
import json
import sys

from samtranslator.parser.parser import Parser
from samtranslator.translator.transform import transform
from samtranslator.public.exceptions import InvalidDocumentException


def managed_policy_map(path):
    with open(path) as f:
        return json.load(f)["names"]


def main():
    names = managed_policy_map(sys.argv[1])
    for line in sys.stdin:
        if not line.strip():
            continue
        case = json.loads(line)
        try:
            cfn = transform(case["template"], case.get("parameters", {}), _Loader(names))
            out = {"ok": True, "cfn": cfn}
        except InvalidDocumentException as e:
            out = {"ok": False, "error": "; ".join(str(c) for c in e.causes)}
        except Exception as e:  # a translator crash is a finding of the generator, not of the tool
            out = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(out, default=str) + "\n")
        sys.stdout.flush()


class _Loader:
    """The translator asks IAM for name -> ARN; answer from the snapshot instead (no AWS call)."""

    def __init__(self, names):
        self._names = names

    def load(self):
        return self._names


if __name__ == "__main__":
    main()
