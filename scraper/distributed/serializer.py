"""JSON for requests in Redis (``SCHEDULER_SERIALIZER``): plain data in, plain data out, no pickle.

scrapy-redis pickles requests by default, so anyone who can write to the Redis can run code in
every worker. Here a request travels as JSON: callbacks by name (Scrapy's ``Request.to_dict``
already names spider methods), bytes tagged ``{"$b": base64}``, dicts with non-string keys (the
headers) as ``{"$d": [[key, value], ...]}``, and the few plain value classes our spiders put in
``cb_kwargs`` (``Source``) by an allow-list, ``{"$t": "Source", "v": {...}}``. Anything else is
refused when a request is queued; anything else found in Redis is refused when it is read.

A module with ``dumps``/``loads``, as scrapy-redis expects of a serializer.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import Any

from scraper.sites import Source

#: Value classes that may travel in meta/cb_kwargs: plain frozen dataclasses of strings.
ALLOWED_TYPES: dict[str, type] = {"Source": Source}


class SerializationError(ValueError):
    """A request holds something that is not plain data, or Redis holds something not ours."""


def dumps(obj: dict[str, Any]) -> bytes:
    return json.dumps(_encode(obj), separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def loads(data: bytes | str) -> dict[str, Any]:
    try:
        decoded = json.loads(data)
    except (UnicodeDecodeError, ValueError) as error:
        raise SerializationError(f"not a JSON request ({_preview(data)}): {error}") from None
    result = _decode(decoded)
    if not isinstance(result, dict):
        raise SerializationError(f"not a request object: {_preview(data)}")
    return result


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (bytes, bytearray)):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"$d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    name = type(value).__name__
    if ALLOWED_TYPES.get(name) is type(value) and dataclasses.is_dataclass(value):
        return {"$t": name, "v": {f.name: _encode(getattr(value, f.name))
                                  for f in dataclasses.fields(value)}}
    raise SerializationError(
        f"{name} cannot travel between workers: request meta and cb_kwargs must be plain data "
        f"(str, numbers, lists, dicts) or one of {sorted(ALLOWED_TYPES)}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1 and "$b" in value:
        return base64.b64decode(value["$b"])
    if len(value) == 1 and "$d" in value:
        return {_freeze(_decode(k)): _decode(v) for k, v in value["$d"]}
    if set(value) == {"$t", "v"}:
        kind = ALLOWED_TYPES.get(value["$t"])
        if kind is None or not isinstance(value["v"], dict):
            raise SerializationError(f"value type {value['$t']!r} is not allowed")
        return kind(**{k: _decode(v) for k, v in value["v"].items()})
    return {k: _decode(v) for k, v in value.items()}


def _freeze(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def _preview(data: bytes | str) -> str:
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "replace")
    return f"{len(raw)} bytes starting {raw[:12]!r}"
