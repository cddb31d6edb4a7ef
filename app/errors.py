"""The app's own exceptions and the one place that maps every error to HTTP.

Error body, always::

    {"error": {"status": 422, "code": "invalid_input", "message": "...",
               "fields": [{"field": "body.lat", "reason": "..."}]},
     "request_id": "..."}
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from geo.errors import CoordinateError, GeoError, PostcodeFormatError, PostcodeNotFoundError
from routing.errors import PlanCheckError, RoutingError

log = logging.getLogger("carezones")


class AppError(Exception):
    """An error with an HTTP status, a machine code and a message safe to show."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        extra: Any = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra
        if code is not None:  # a machine code for this case, more precise than the class's
            self.code = code


class NotFound(AppError, LookupError):
    status, code = 404, "not_found"


class PostcodeNotFound(NotFound):
    code = "postcode_not_found"


class Conflict(AppError):
    status, code = 409, "conflict"


class Unauthorized(AppError):
    status, code = 401, "unauthorized"


class Forbidden(AppError):
    status, code = 403, "forbidden"


class InvalidInput(AppError, ValueError):
    status, code = 422, "invalid_input"


def request_id(request: Request) -> str:
    return getattr(request.state, "request_id", "-")


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    fields: list[dict[str, str]] | None = None,
    extra: Any = None,
) -> JSONResponse:
    body: dict[str, Any] = {"status": status, "code": code, "message": message}
    if fields:
        body["fields"] = fields
    if extra is not None:
        body["detail"] = extra
    # Set here as well as by the middleware: a 500 is answered outside the middleware.
    headers = {"X-Request-ID": request_id(request)}
    if status == 401:
        headers["WWW-Authenticate"] = "ApiKey"
    return JSONResponse(
        {"error": body, "request_id": request_id(request)}, status_code=status, headers=headers
    )


def reason_of(error: Mapping[str, Any]) -> str:
    """A pydantic error's message for people: without pydantic's "Value error, " prefix,
    which it puts before what our own validators say."""
    message = str(error.get("msg", ""))
    return message.removeprefix("Value error, ") if error.get("type") == "value_error" else message


def _field_of(location: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in location)


def sign_in_url(request: Request) -> str:
    """The sign-in page, coming back afterwards to this page and its query (``?plan=12``)."""
    query = request.url.query
    target = f"{request.url.path}?{query}" if query else request.url.path
    return f"/sign-in?next={quote(target)}"


def _browser_navigation(request: Request) -> bool:
    """A GET a browser made by following a link (it asks for HTML), not an API call."""
    return request.method == "GET" and "text/html" in request.headers.get("accept", "")


def _page_address(request: Request) -> bool:
    """A browser following a link to an address outside the API and the assets."""
    path = request.url.path
    return _browser_navigation(request) and not path.startswith(("/v1/", "/assets/", "/static/"))


def install(app: FastAPI) -> None:
    """Register the handlers and the request-id and body-size middleware."""

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [
            {"field": _field_of(err.get("loc", ())), "reason": reason_of(err)}
            for err in exc.errors()
        ]
        summary = "; ".join(f"{f['field']}: {f['reason']}" for f in fields)
        return error_response(request, 422, "invalid_input", summary, fields)

    @app.exception_handler(AppError)
    async def _app(request: Request, exc: AppError) -> Response:
        if isinstance(exc, Unauthorized) and _browser_navigation(request):
            # A CSV or run sheet link followed after the session ended: sign in, then
            # come back to it, rather than a page of JSON.
            return RedirectResponse(sign_in_url(request), status_code=303)
        fields = [{"field": exc.field, "reason": exc.message}] if exc.field else None
        return error_response(request, exc.status, exc.code, exc.message, fields, exc.extra)

    @app.exception_handler(PostcodeNotFoundError)
    async def _postcode(request: Request, exc: PostcodeNotFoundError) -> JSONResponse:
        fields = [{"field": "body.postcode", "reason": str(exc)}]
        return error_response(request, 404, "postcode_not_found", str(exc), fields)

    @app.exception_handler(CoordinateError)
    async def _coordinate(request: Request, exc: CoordinateError) -> JSONResponse:
        fields = [{"field": f"body.{exc.field}", "reason": str(exc)}]
        return error_response(request, 422, "invalid_coordinates", str(exc), fields)

    @app.exception_handler(PostcodeFormatError)
    async def _postcode_format(request: Request, exc: PostcodeFormatError) -> JSONResponse:
        fields = [{"field": "body.postcode", "reason": str(exc)}]
        return error_response(request, 422, "invalid_postcode", str(exc), fields)

    @app.exception_handler(GeoError)
    async def _geo(request: Request, exc: GeoError) -> JSONResponse:
        return error_response(request, 422, "invalid_input", str(exc))

    @app.exception_handler(PlanCheckError)
    async def _plan_check(request: Request, exc: PlanCheckError) -> JSONResponse:
        log.error("plan failed its check request_id=%s: %s", request_id(request), exc)
        return error_response(
            request, 500, "plan_check_failed", "The planner produced a plan that failed its check."
        )

    @app.exception_handler(RoutingError)
    async def _routing(request: Request, exc: RoutingError) -> JSONResponse:
        return error_response(request, 422, "invalid_input", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
            # FastAPI's answer when the JSON decoder itself fails (nesting too deep for
            # it): a 422 on the body, like any other JSON it cannot read.
            reason = "Expected a JSON body the service can read (is it nested too deeply?)."
            fields = [{"field": "body", "reason": reason}]
            return error_response(request, 422, "invalid_json", reason, fields)
        page = getattr(request.app.state, "page_not_found", None)
        if exc.status_code == 404 and page is not None and _page_address(request):
            # A mistyped page address (/referrals/abc): a page, not a body of JSON.
            response: Response = page(request)
            return response
        codes = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}
        return error_response(
            request, exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail)
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The traceback is logged with the request id; request bodies never are.
        log.error(
            "unexpected error request_id=%s %s: %s",
            request_id(request),
            type(exc).__name__,
            exc,
            exc_info=False,
        )
        return error_response(
            request, 500, "internal_error", "Unexpected error; quote the request id to support."
        )

    app.add_middleware(BodyLimitMiddleware, max_bytes=lambda: app.state.settings.max_body_bytes)
    # RequestIdMiddleware is added last of all by create_app, so it is outermost and
    # every answer has an id, the pages' CSRF refusals included.


class RequestIdMiddleware:
    """Give every request an id (or keep the caller's ``X-Request-ID``) and echo it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")[:64]
        rid = given if given.replace("-", "").isalnum() else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                if not any(name.lower() == b"x-request-id" for name, _ in headers):
                    headers.append((b"x-request-id", rid.encode()))
            await send(message)

        await self.app(scope, receive, send_with_id)


class BodyLimitMiddleware:
    """Refuse bodies over the limit with 413, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: Any) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes()
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await _too_large(scope, send, limit)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise StarletteHTTPException(413, f"Request body is over {limit} bytes.")
            return message

        await self.app(scope, limited_receive, send)


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    request = Request(scope)
    response = error_response(
        request, 413, "payload_too_large", f"Request body is over {limit} bytes."
    )
    await response(scope, request.receive, send)


class ProviderFull(Conflict):
    """The allocation would take a provider past its commissioned hours; ``extra`` lists
    other zones' providers with spare hours, nearest first."""

    code = "provider_full"


class UcrCapReached(Conflict):
    code = "ucr_cap_reached"
