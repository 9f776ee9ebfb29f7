"""Which AWS operation a request to the sandbox is, read off the wire the way AWS would: the
service from the SigV4 credential scope, the operation by the service's protocol (json:
X-Amz-Target; query: the Action parameter; rest-json/rest-xml: method and path matched against
botocore's request URIs; smithy-rpc-v2-cbor: the path's last part)."""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import botocore.session

_SCOPE = re.compile(r"Credential=[^/]*/[^/]*/[^/]*/([^/]+)/aws4_request")
_SIGNING_ALIASES = {"monitoring": "cloudwatch", "execute-api": "apigateway"}
_MAX_QUERY_BODY = 1 << 20


@dataclass(frozen=True)
class Operation:
    service: str  # botocore's service name: dynamodb, lambda, sts...
    name: str  # the API operation: PutItem, UpdateFunctionConfiguration... ("?" if unknown)
    protocol: str  # json | query | rest-json | rest-xml | smithy-rpc-v2-cbor | ?


def identify(environ: dict[str, Any]) -> Operation:
    """The operation of a WSGI request. A query-protocol body is read and put back."""
    service = _service(environ)
    protocol = _protocol(service)
    name = "?"
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:  # the JSON protocol, whatever else the service speaks (CloudWatch: CBOR too)
        name, protocol = target.rpartition(".")[2], "json"
    elif protocol == "smithy-rpc-v2-cbor":
        name = environ.get("PATH_INFO", "").rstrip("/").rpartition("/")[2] or "?"
    elif protocol in ("query", "ec2"):
        name = _query_action(environ)
    elif protocol in ("rest-json", "rest-xml"):
        name = _rest_operation(service, environ.get("REQUEST_METHOD", ""), _path(environ))
    return Operation(service or "?", name, protocol)


def _service(environ: dict[str, Any]) -> str:
    match = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    if match is None:
        return ""
    signing = match.group(1)
    return _SIGNING_ALIASES.get(signing, signing)


@functools.lru_cache(maxsize=64)
def _model(service: str) -> Any:
    try:
        return _botocore().get_service_model(service)
    except Exception:  # an unknown service: no model, operation unknown
        return None


@functools.lru_cache(maxsize=1)
def _botocore() -> Any:
    return botocore.session.get_session()


def _protocol(service: str) -> str:
    model = _model(service) if service else None
    return str(model.metadata.get("protocol", "?")) if model is not None else "?"


def _path(environ: dict[str, Any]) -> str:
    return str(environ.get("PATH_INFO", "") or "/")


def _query_action(environ: dict[str, Any]) -> str:
    params = parse_qs(environ.get("QUERY_STRING", ""))
    if "Action" not in params:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if 0 < length <= _MAX_QUERY_BODY:
            body = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(body)
            params = parse_qs(body.decode("utf-8", "replace"))
    actions = params.get("Action", [])
    return actions[0] if actions else "?"


def _rest_operation(service: str, method: str, path: str) -> str:
    best = ("?", -1)
    for pattern, http_method, literal, name in _rest_routes(service):
        if http_method == method and literal > best[1] and pattern.match(path):
            best = (name, literal)
    return best[0]


@functools.lru_cache(maxsize=32)
def _rest_routes(service: str) -> tuple[tuple[re.Pattern[str], str, int, str], ...]:
    model = _model(service)
    if model is None:
        return ()
    routes = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        uri = str(http.get("requestUri", "/")).partition("?")[0]
        regex = re.sub(r"\{[^}]+\+\}", ".+", re.escape(uri).replace(r"\{", "{").replace(r"\}", "}"))
        regex = re.sub(r"\{[^}]+\}", "[^/]+", regex)
        literal = len(re.sub(r"\{[^}]+\}", "", uri))
        routes.append((re.compile(f"^{regex}/?$"), str(http.get("method", "")), literal, name))
    return tuple(routes)
