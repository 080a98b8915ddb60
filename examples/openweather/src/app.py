"""GET /weather: current weather from OpenWeather, with the API key read from Secrets Manager.

The key never leaves this module: it is not logged and not returned, not even in error messages.
"""
import json
import logging
import os
import urllib.error
import urllib.parse
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

logger = logging.getLogger()
logger.setLevel(logging.INFO)

DEFAULT_LAT, DEFAULT_LON = "48.208176", "16.373819"  # Vienna
SECRET_FIELD = "OPENWEATHER_API_KEY"

# Short timeouts and few retries: if the function cannot reach Secrets Manager (a VPC without a NAT
# gateway or endpoint), it answers with an error well before its own 10 s timeout.
_BOTO_CONFIG = Config(connect_timeout=3, read_timeout=5, retries={"max_attempts": 2})

# Module-level cache: warm invocations reuse the key instead of calling GetSecretValue every time.
_api_key = None
_secrets_client = None


class SecretError(Exception):
    """The key could not be read; the message is safe to log and to return."""


def _secrets():
    global _secrets_client
    if _secrets_client is None:
        _secrets_client = boto3.client("secretsmanager", config=_BOTO_CONFIG)
    return _secrets_client


def get_api_key():
    """The OpenWeather key: a JSON secret's OPENWEATHER_API_KEY field, or a plain-string secret."""
    global _api_key
    if _api_key is not None:
        return _api_key
    name = os.environ["SECRET_NAME"]
    try:
        value = _secrets().get_secret_value(SecretId=name)
    except ClientError as err:
        error = err.response.get("Error", {})
        raise SecretError(f"cannot read secret {name}: {error.get('Code')}: {error.get('Message')}") from None
    except BotoCoreError as err:  # no credentials, no route to the endpoint, ...
        raise SecretError(f"cannot read secret {name}: {type(err).__name__}: {err}") from None
    text = value.get("SecretString")
    if text is None:
        raise SecretError(f"secret {name} has no SecretString (binary secrets are not supported)")
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = text  # a plain-string secret holds just the key
    if isinstance(parsed, dict):
        parsed = parsed.get(SECRET_FIELD)
    if not isinstance(parsed, str) or not parsed.strip():
        raise SecretError(f"secret {name} is JSON but has no string field {SECRET_FIELD}")
    _api_key = parsed.strip()
    return _api_key


def fetch_weather(lat, lon, key):
    """Calls OpenWeather's current-weather endpoint; returns (status, parsed JSON body)."""
    base = os.environ.get("OPENWEATHER_BASE_URL", "https://api.openweathermap.org").rstrip("/")
    query = urllib.parse.urlencode({"lat": lat, "lon": lon, "appid": key, "units": "metric"})
    try:
        with urllib.request.urlopen(f"{base}/data/2.5/weather?{query}", timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as err:  # 401 bad key, 429 rate limit, ...
        try:
            return err.code, json.load(err)
        except ValueError:
            return err.code, {}


def _coordinates(event):
    params = (event or {}).get("queryStringParameters") or {}
    lat, lon = params.get("lat", DEFAULT_LAT), params.get("lon", DEFAULT_LON)
    float(lat), float(lon)  # raises ValueError for anything that is not a number
    return lat, lon


def _response(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def lambda_handler(event, context):
    try:
        lat, lon = _coordinates(event)
    except ValueError:
        return _response(400, {"error": "lat and lon must be numbers"})
    try:
        key = get_api_key()
    except SecretError as err:
        logger.error("%s", err)
        return _response(500, {"error": str(err)})
    try:
        status, data = fetch_weather(lat, lon, key)
    except (urllib.error.URLError, TimeoutError, ValueError) as err:
        # The reason (timeout, DNS, refused, bad JSON) never contains the URL, which carries the key.
        reason = f"{type(err).__name__}: {getattr(err, 'reason', err)}"
        logger.error("OpenWeather request failed: %s", reason)
        return _response(502, {"error": f"OpenWeather request failed: {reason}"})
    if status != 200:
        message = str(data.get("message", "no message")).replace(key, "***")
        logger.error("OpenWeather answered %s: %s", status, message)
        return _response(502, {"error": f"OpenWeather answered {status}: {message}"})
    return _response(200, {
        "city": data.get("name"),
        "temperature": data.get("main", {}).get("temp"),
        "description": (data.get("weather") or [{}])[0].get("description"),
    })
