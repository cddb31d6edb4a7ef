"""The pages' session: what the signed cookie holds, the CSRF token, and sign-out.

The cookie (Starlette's ``SessionMiddleware``) is signed, HttpOnly and
SameSite=Strict, and Secure in production. It holds the key's id (which
``app.deps.current_principal`` reads), a session id and a CSRF token. It never
holds the API key itself.

CSRF: a write (POST, PUT, PATCH, DELETE) to the JSON API that is authenticated
by the cookie rather than by an ``X-API-Key`` header must carry the session's
token in ``X-CSRF-Token``. The pages' own forms carry it in a hidden field,
checked by ``check_form_token``. SameSite=Strict already keeps the cookie off
cross-site requests; the token is the second lock.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import Request
from sqlalchemy import delete
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from app.db import get_sessionmaker
from app.errors import Forbidden, error_response
from app.pages.models import EndedSession

SESSION_COOKIE = "carezones_session"
SESSION_MAX_AGE_S = 12 * 3600  # one shift, so a forgotten session does not live for days
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class EndedSessions:
    """Session ids signed out before their cookie expires, kept in the database.

    A signed cookie cannot be recalled from the browser, so a copy of it would
    stay valid until ``max_age``; remembering ended ids closes that. They are
    stored (table ``ended_sessions``), so every worker process sees them and a
    restart does not forget them; each is kept only as long as its cookie could
    still be valid.
    """

    def __init__(self, database_url: str) -> None:
        self._url = database_url

    def end(self, sid: str) -> None:
        now = datetime.now(UTC)
        with get_sessionmaker(self._url)() as db, db.begin():
            db.execute(delete(EndedSession).where(EndedSession.expires_at <= now))
            db.merge(EndedSession(sid=sid, expires_at=now + timedelta(seconds=SESSION_MAX_AGE_S)))

    def __contains__(self, sid: object) -> bool:
        if not isinstance(sid, str):
            return False
        with get_sessionmaker(self._url)() as db:
            row = db.get(EndedSession, sid)
            return row is not None and row.expires_at > datetime.now(UTC)


def csrf_token(session: dict[str, Any]) -> str:
    """The session's CSRF token, made on first use."""
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def start(session: dict[str, Any], key_id: int) -> None:
    """Sign in: a fresh session id and CSRF token, so nothing from before carries over."""
    session.clear()
    session["key_id"] = key_id
    session["sid"] = secrets.token_urlsafe(16)
    session["csrf"] = secrets.token_urlsafe(32)


def end(request: Request) -> None:
    """Sign out: forget the session here and remember its id as ended."""
    sid = request.session.get("sid")
    if isinstance(sid, str):
        ended: EndedSessions = request.app.state.ended_sessions
        ended.end(sid)
    request.session.clear()


def token_matches(session: dict[str, Any], given: str | None) -> bool:
    expected = session.get("csrf")
    return bool(given) and isinstance(expected, str) and secrets.compare_digest(given, expected)


def check_form_token(request: Request, given: str | None) -> None:
    if not token_matches(request.session, given):
        raise Forbidden("The form's CSRF token is missing or stale; reload the page and try again.")


class SessionGuard:
    """Drop ended sessions, and hold cookie-authenticated API writes to the CSRF token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "session" not in scope:
            await self.app(scope, receive, send)
            return
        session: dict[str, Any] = scope["session"]
        ended: EndedSessions = scope["app"].state.ended_sessions
        sid = session.get("sid")
        if sid is not None and await run_in_threadpool(ended.__contains__, sid):
            session.clear()
        if self._needs_token(scope, session):
            headers = dict(scope.get("headers") or [])
            given = headers.get(CSRF_HEADER.lower().encode(), b"").decode("latin-1")
            if not token_matches(session, given):
                request = Request(scope)
                response = error_response(
                    request,
                    403,
                    "csrf_failed",
                    f"A write signed in by cookie needs the session's {CSRF_HEADER} header.",
                    [{"field": f"header.{CSRF_HEADER}", "reason": "missing or does not match"}],
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    @staticmethod
    def _needs_token(scope: Scope, session: dict[str, Any]) -> bool:
        if scope["method"] in SAFE_METHODS or session.get("key_id") is None:
            return False
        headers = dict(scope.get("headers") or [])
        # A caller with its own key is not riding on the browser's cookie.
        return b"x-api-key" not in headers and scope["path"].startswith("/v1/")
