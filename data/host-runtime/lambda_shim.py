"""weather-secrets' host runtime for Python handlers: `invoke --local --runtime host`.

Runs one invocation of HANDLER (module.function, found under CODE_DIR) the way the Lambda Python
runtime does, without a container: the event from stdin, a context object, the root logger set up
like Lambda's, the handler's errors turned into Lambda's error object. Everything the handler prints
is log (stdout and stderr); the protocol with weather-secrets travels on file descriptor 3, one JSON
message per line: runtime (version), start (the handler is about to run), result or error.

Usage: lambda_shim.py CODE_DIR HANDLER REQUEST_ID TIMEOUT_MS  (the event JSON on stdin)
"""
import decimal
import importlib
import json
import logging
import os
import platform
import sys
import time
import traceback

CODE_DIR, HANDLER, REQUEST_ID, TIMEOUT_MS = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
CHANNEL = os.fdopen(3, "w", buffering=1)


def send(message):
    CHANNEL.write(json.dumps(message) + "\n")
    CHANNEL.flush()


class LambdaContext:
    """The attributes and method the Lambda Python runtime's context object offers."""

    def __init__(self, deadline):
        self._deadline = deadline
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = os.environ.get("WEATHER_SECRETS_FUNCTION_ARN", "")
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
        self.aws_request_id = REQUEST_ID
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None

    def get_remaining_time_in_millis(self):
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = REQUEST_ID
        return True


def setup_logging():
    # Lambda's format: "[LEVEL]\t<timestamp>Z\t<request id>\t<message>", on the root logger.
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S"))
    handler.formatter.converter = time.gmtime
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.WARNING)


def error_object(error_type, message, tb=None):
    trace = traceback.format_list(traceback.extract_tb(tb)) if tb is not None else []
    return {"errorMessage": message, "errorType": error_type, "requestId": REQUEST_ID, "stackTrace": trace}


def fail(error, log_line):
    sys.stdout.write(f"[ERROR] {log_line}\n")
    sys.stdout.flush()
    send({"type": "error", "error": error, "maxMemoryMb": max_memory_mb()})
    sys.exit(0)


def load_handler():
    module_name, _, function_name = HANDLER.rpartition(".")
    if not module_name:
        fail(error_object("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack" % HANDLER), "Runtime.MalformedHandlerName")
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ModuleNotFoundError as err:
        message = "Unable to import module '%s': No module named '%s'" % (module_name, err.name)
        send({"type": "missing-module", "module": err.name})
        fail(error_object("Runtime.ImportModuleError", message), "Runtime.ImportModuleError: " + message)
    except Exception as err:  # noqa: BLE001 (any import-time failure is the handler's)
        message = "Unable to import module '%s': %s" % (module_name, err)
        fail(error_object("Runtime.ImportModuleError", message, err.__traceback__), "Runtime.ImportModuleError: " + message)
    handler = getattr(module, function_name, None)
    if handler is None:
        message = "Handler '%s' missing on module '%s'" % (function_name, module_name)
        fail(error_object("Runtime.HandlerNotFound", message), "Runtime.HandlerNotFound: " + message)
    return handler


def to_json(value):
    # Like the Lambda runtime: Decimals become numbers; anything else unserialisable is a MarshalError.
    def default(obj):
        if isinstance(obj, decimal.Decimal):
            return int(obj) if obj == obj.to_integral_value() else float(obj)
        raise TypeError("Object of type %s is not JSON serializable" % type(obj).__name__)

    return json.dumps(value, default=default)


def max_memory_mb():
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024))
    except Exception:  # noqa: BLE001 (not available on every platform)
        return None


def main():
    send({"type": "runtime", "language": "python", "version": platform.python_version(), "executable": sys.executable})
    event = json.loads(sys.stdin.read() or "{}")
    sys.path.insert(0, CODE_DIR)
    os.chdir(CODE_DIR)
    setup_logging()
    handler = load_handler()
    send({"type": "start"})
    started = time.monotonic()
    context = LambdaContext(started + TIMEOUT_MS / 1000)
    try:
        result = handler(event, context)
    except Exception as err:  # noqa: BLE001 (the handler's error becomes Lambda's error object)
        duration = (time.monotonic() - started) * 1000
        name = type(err).__name__
        tb = "".join(traceback.format_exception(type(err), err, err.__traceback__))
        sys.stdout.write("[ERROR] %s: %s\n%s" % (name, err, tb))
        sys.stdout.flush()
        send({"type": "error", "error": error_object(name, str(err), err.__traceback__), "durationMs": duration, "maxMemoryMb": max_memory_mb()})
        return
    duration = (time.monotonic() - started) * 1000
    try:
        payload = to_json(result)
    except (TypeError, ValueError) as err:
        message = "Unable to marshal response: %s" % err
        send({"type": "error", "error": error_object("Runtime.MarshalError", message), "durationMs": duration, "maxMemoryMb": max_memory_mb()})
        return
    send({"type": "result", "payload": payload, "durationMs": duration, "maxMemoryMb": max_memory_mb()})


if __name__ == "__main__":
    sys.dont_write_bytecode = True  # keep the app's folder free of __pycache__
    main()
