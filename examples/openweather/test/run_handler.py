"""Test driver: runs app.lambda_handler in one long-lived process, like a warm Lambda container.

Each line on stdin is one invocation: a JSON event, or an empty line for events/event.json.
Each result is printed as one JSON line on stdout; the handler's logs go to stderr.
"""
import json
import logging
import pathlib
import sys

sys.dont_write_bytecode = True  # keep src/ free of __pycache__
HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
logging.basicConfig(stream=sys.stderr, format="%(levelname)s %(message)s")

import app  # noqa: E402  (needs the path above)

SAMPLE_EVENT = json.loads((HERE.parent / "events" / "event.json").read_text())

for line in sys.stdin:
    event = json.loads(line) if line.strip() else SAMPLE_EVENT
    print(json.dumps(app.lambda_handler(event, None)), flush=True)
