"""HTTP plumbing shared by all routes: body parsing, JSON responses, the recording middleware.

The middleware is where Discord's cross-cutting behaviour lives: authentication, rate-limit
headers and 429s, ApiError -> error body, 404 for unknown routes, and the request log.
"""

from __future__ import annotations

import json
import mimetypes
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import BodyPartReader, web

from discord_sandbox.context import CTX, Context
from discord_sandbox.errors import ApiError, invalid_form, unauthorized, unknown_route
from discord_sandbox.injected import InjectedFailure
from discord_sandbox.messages import UploadedFile
from discord_sandbox.requestlog import RecordedRequest

API_PREFIX = "/api/v10"
GATEWAY_PATH = "/gateway-ws"
BODY = web.RequestKey("sandbox_body", object)
FILES = web.RequestKey("sandbox_files", list)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_UNAUTHENTICATED = ("/interactions/", "/webhooks/")
_MAJOR = ("channel_id", "guild_id", "interaction_id", "token")


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """Answer JSON with a Content-Type of exactly ``application/json`` (no charset)."""
    all_headers = {"Content-Type": "application/json"} | (headers or {})
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


def no_content() -> web.Response:
    """204 No Content."""
    return web.Response(status=204)


def ctx(request: web.Request) -> Context:
    """Return the sandbox context of the app serving ``request``."""
    return request.app[CTX]


def body(request: web.Request) -> dict[str, Any]:
    """Return the JSON body (or multipart ``payload_json``) as a dict; empty if not an object."""
    value = request.get(BODY)
    return value if isinstance(value, dict) else {}


def body_list(request: web.Request) -> list[dict[str, Any]]:
    """Return a JSON array body (bulk overwrites), or raise 400 50035."""
    value = request.get(BODY)
    if not isinstance(value, list):
        raise invalid_form(
            "_errors", "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType"
        )
    return value


def files(request: web.Request) -> list[UploadedFile]:
    """Return the uploaded ``files[n]`` parts, in index order."""
    return list(request.get(FILES) or [])


def snowflake(request: web.Request, name: str) -> int:
    """Parse a path parameter as a snowflake, or raise 400 50035 like Discord."""
    value = request.match_info[name]
    if not value.isdigit():
        raise invalid_form(name, "NUMBER_TYPE_COERCE", f"Value {value!r} is not snowflake.")
    return int(value)


async def _read_body(request: web.Request) -> tuple[Any, list[UploadedFile]]:
    if request.content_type == "multipart/form-data":
        payload: Any = None
        uploads: list[UploadedFile] = []
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "payload_json":
                payload = json.loads(await part.text())
            elif part.name and part.name.startswith("files[") and part.name.endswith("]"):
                name = part.filename or "file"
                kind = mimetypes.guess_type(name)[0]
                uploads.append(
                    UploadedFile(int(part.name[6:-1]), name, bytes(await part.read()), kind)
                )
        return payload, sorted(uploads, key=lambda u: u.index)
    if not request.can_read_body:
        return None, []
    text = await request.text()
    return (json.loads(text) if text else None), []


@web.middleware
async def sandbox_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Authenticate, rate-limit, run the route, map errors, add headers, record."""
    context = ctx(request)
    started = time.monotonic()
    resource = request.match_info.route.resource
    unmatched = request.match_info.http_exception is not None
    route = None if unmatched or resource is None else resource.canonical.removeprefix(API_PREFIX)
    if route == GATEWAY_PATH:
        return await handler(request)
    decision = None
    error_code: int | None = None
    payload: Any = None
    uploads: list[UploadedFile] = []
    try:
        try:
            payload, uploads = await _read_body(request)
        except (ValueError, UnicodeDecodeError):
            raise ApiError(400, 50109, "The request body contains invalid JSON.") from None
        request[BODY], request[FILES] = payload, uploads
        if route is None:
            raise unknown_route()
        _authenticate(request, context, route)
        staged = context.failures.take(request.method, route, request.match_info.get("channel_id"))
        if staged is not None and not staged.after:
            raise _staged_error(staged)
        major = "+".join(request.match_info.get(k, "") for k in _MAJOR)
        exempt = route.startswith(("/interactions/", "/webhooks/"))
        decision = context.limiter.check(request.method, route, major, exempt_global=exempt)
        if decision.retry_after is not None:
            limited = {
                "message": "You are being rate limited.",
                "retry_after": decision.retry_after,
                "global": decision.is_global,
            }
            response: web.StreamResponse = json_response(limited, 429, {"Via": "1.1 google"})
        else:
            response = await handler(request)
            if staged is not None:
                raise _staged_error(staged)
    except _StagedRateLimit as limited:
        body = {"message": "You are being rate limited.", "retry_after": limited.retry_after}
        headers = {"Via": "1.1 google", "Retry-After": str(limited.retry_after)}
        response = json_response(body | {"global": False}, 429, headers)
    except ApiError as error:
        error_code = error.code
        response = json_response(error.body(), error.status)
    if decision is not None:
        response.headers.update(decision.headers)
    context.log.record(
        RecordedRequest(
            method=request.method,
            route=route,
            path=request.path.removeprefix(API_PREFIX),
            params=dict(request.match_info),
            query=dict(request.query),
            body=payload,
            files=tuple((u.filename, len(u.data)) for u in uploads),
            status=response.status,
            error_code=error_code,
            at=time.time(),
            duration=time.monotonic() - started,
        )
    )
    return response


class _StagedRateLimit(Exception):
    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after


def _staged_error(staged: InjectedFailure) -> Exception:
    """Build the error for a test-staged 429 (Discord-shaped, with `Via`) or server error."""
    if staged.status == 429:
        return _StagedRateLimit(staged.retry_after)
    return ApiError(staged.status, 0, "Internal Server Error (staged by the sandbox)")


def _authenticate(request: web.Request, context: Context, route: str) -> None:
    if not request.path.startswith(API_PREFIX) or route.startswith(_UNAUTHENTICATED):
        return
    if request.headers.get("Authorization") != f"Bot {context.token}":
        raise unauthorized()
