"""``carezones serve``: the service on uvicorn, a start-up mistake told in one line.

Building the app loads the council's data file; the database must answer and have
every migration; starting the app builds the travel source (a road graph) and checks
that it covers the night bases. A mistake in any (a missing file, a database never
upgraded or not answering, a graph of the wrong place, a bad setting) stops the
server with one ``Error:`` line, as every other command does, instead of a
traceback. ``make run`` serves this way; ``uvicorn app.main:app`` still works and
shows the traceback.
"""

from __future__ import annotations

import sys

import typer
import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.commands.failures import failure_reason, one_line
from app.db import check_ready


class StartupFailureInOneLine:
    """ASGI wrapper: a start-up failure the user can mend is reported as one line.

    Starlette reports a failed start-up to the server with the whole traceback as
    the message; for a failure ``failure_reason`` knows, the wrapper sends the reason
    instead. A bug keeps its traceback.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def send_reason(message: Message) -> None:
            if message["type"] == "lifespan.startup.failed":
                exc = _handled_exception()
                reason = failure_reason(exc) if exc is not None else None
                if reason is not None:
                    message = {**message, "message": one_line(reason)}
            await send(message)

        await self.app(scope, receive, send_reason)


def _handled_exception() -> BaseException | None:
    # Starlette sends "startup.failed" from inside its `except` block, so the
    # exception being handled is the one that stopped the start-up.
    return sys.exc_info()[1]


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on"),
) -> None:
    """Serve the API and the pages (after 'carezones db upgrade')."""
    from app.main import create_app  # the app loads the council file: only when serving
    from app.settings import get_settings

    app = create_app()  # a council-file or settings mistake: one line from app.cli.main
    check_ready(get_settings().database_url)  # a database down or never migrated, likewise
    config = uvicorn.Config(StartupFailureInOneLine(app), host=host, port=port)
    server = uvicorn.Server(config)
    server.run()
    if not server.started:  # start-up failed; the reason is logged above
        raise typer.Exit(3)
