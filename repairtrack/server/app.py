"""The ASGI app `repairtrack dashboard` serves: Streamlit's `st.App` over `dashboard/app.py`, with our
routes beside it (sign-in and joining under `/auth` and `/join`, the HTTP API under `/api/v1`), run by
uvicorn.

The client's address is the socket's peer; uvicorn takes `X-Forwarded-For` (and `X-Forwarded-Proto`)
only from the `--trusted-proxy` address, and from nobody when none is given.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute

from repairtrack.config import Settings
from repairtrack.server.clock import server_clock
from repairtrack.server.options import ServeOptions
from repairtrack.server.web import unexpected_handler

if TYPE_CHECKING:
    from repairtrack.bootstrap import Services


@dataclass
class ServerContext:
    """What the routes share: how we serve, the store's services (built when the server starts) and
    the clock."""

    settings: Settings
    options: ServeOptions
    clock: Callable[[], datetime] = field(default_factory=server_clock)
    _services: Services | None = None

    @property
    def services(self) -> Services:
        if self._services is None:
            self._services = self._build()
        return self._services

    def _build(self) -> Services:
        from repairtrack.bootstrap import build

        return build(self.settings, clock=self.clock)

    def close(self) -> None:
        if self._services is not None:
            self._services.close()
            self._services = None

    @asynccontextmanager
    async def lifespan(self, _app: Any) -> AsyncIterator[dict[str, Any] | None]:
        self._services = await asyncio.to_thread(self._build)
        try:
            yield None
        finally:
            await asyncio.to_thread(self.close)


def routes(context: ServerContext) -> list[BaseRoute]:
    from repairtrack.server import api, auth

    return [*auth.routes(context), *api.routes(context), calendar_route(context)]


def calendar_route(context: ServerContext) -> BaseRoute:
    """`GET /calendar/{token}.ics` (SPEC section 11): the token alone authorizes it; an unknown, replaced
    or ended token answers 404 with no hint (`repairtrack.services.calendar.calendar_response`)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from repairtrack.services.calendar import calendar_response

    async def feed(request: Request) -> Response:
        status, headers, body = await run_in_threadpool(
            calendar_response,
            context.services,
            str(request.path_params["token"]),
            context.clock(),
            link=str(request.base_url),
        )
        return Response(body, status, headers)

    return Route("/calendar/{token}.ics", feed, methods=["GET"])


def build_app(context: ServerContext, script: Path) -> Any:
    """The `st.App` (Streamlit configured first: `streamlit_setup.configure`)."""
    from streamlit.web.server.starlette.starlette_app import App

    from repairtrack.server.oidc import auth_secrets

    return App(
        script,
        routes=routes(context),
        lifespan=context.lifespan,
        exception_handlers={Exception: unexpected_handler, 500: unexpected_handler},
        secrets=auth_secrets(context.settings, context.options),  # st.login's provider, when configured
    )


def serve(options: ServeOptions, settings: Settings, script: Path) -> None:
    """Listen until stopped (Ctrl+C or SIGTERM)."""
    import uvicorn
    from streamlit.web.server.starlette.starlette_server import _get_uvicorn_config_kwargs

    from repairtrack.server.oidc import cookie_secret
    from repairtrack.server.streamlit_setup import configure

    os.environ["REPAIRTRACK_DATA_DIR"] = str(settings.data_dir)  # the dashboard's pages read the same store
    configure(
        host=options.host,
        port=options.port,
        tls_cert=options.tls_cert,
        tls_key=options.tls_key,
        cookie_secret=cookie_secret(settings.data_dir) if settings.oidc is not None else None,
    )
    app = build_app(ServerContext(settings, options), script)
    streamlit_kwargs = _get_uvicorn_config_kwargs()  # Streamlit's websocket settings
    config = uvicorn.Config(
        app,
        host=options.host,
        port=options.port,
        ws=streamlit_kwargs.get("ws", "auto"),
        ws_ping_interval=streamlit_kwargs.get("ws_ping_interval"),
        ws_ping_timeout=streamlit_kwargs.get("ws_ping_timeout"),
        ws_max_size=streamlit_kwargs.get("ws_max_size", 16 * 1024 * 1024),
        ws_per_message_deflate=streamlit_kwargs.get("ws_per_message_deflate", True),
        ssl_certfile=str(options.tls_cert) if options.tls else None,
        ssl_keyfile=str(options.tls_key) if options.tls else None,
        proxy_headers=options.trusted_proxy is not None,
        forwarded_allow_ips=options.trusted_proxy or "",
        server_header=False,
        access_log=False,
        use_colors=False,
        log_level="warning",
    )
    uvicorn.Server(config).run()
