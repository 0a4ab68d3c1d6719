"""The HTTP API of SPEC section 9 under `/api/v1`: JSON in and out (UTF-8), every call on behalf of the
signed-in actor (the `rt_session` cookie, or `Authorization: Bearer <token>`), every read and write
through the one service layer (`repairtrack.services.couples.Couples`), which applies section 8's rules.

A state-changing request authenticated by the cookie must carry an `Origin` equal to the server's own
(else 403): a page of another site cannot make a signed-in browser write. A token is not sent by
browsers on their own, so a request carrying one needs no `Origin`. In open mode (no account in the
store) nobody can sign in, so the API answers 401 to everyone.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from domain.errors import LineProblem, Problem, Refusal
from domain.limits import quote
from repairtrack.bounds import parse_moment, refuse
from repairtrack.server import openapi
from repairtrack.server.auth import COOKIE, actor_of_request
from repairtrack.server.web import (
    MAX_BODY,
    HttpError,
    guarded,
    json_response,
    not_found,
    problems_response,
    read_body,
    same_origin,
)
from repairtrack.services.actors import Actor

if TYPE_CHECKING:
    from repairtrack.server.app import ServerContext
    from repairtrack.services.couples import Couples

PREFIX = "/api/v1"
NDJSON = "application/x-ndjson"
CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _refused(field: str, code: str, detail: str) -> Refusal:
    return Refusal(field, code, detail)


# ----------------------------------------------------------------------------------------------
# Query parameters.
# ----------------------------------------------------------------------------------------------
def _moment(request: Request, name: str) -> datetime | None:
    return parse_moment(request.query_params.get(name), name)


def _integer(request: Request, name: str, default: int | None) -> int | None:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.strip().lstrip("-").isdigit() or len(text) > 12:
        raise _refused(name, "field.not_integer", f"{quote(text)} is not a whole number")
    return int(text)


def _window(request: Request) -> int:
    from domain.limits import DEFAULT_WINDOW_DAYS, window_problem

    days = _integer(request, "window_days", DEFAULT_WINDOW_DAYS)
    assert days is not None
    refuse(window_problem(days, "window_days"))
    return days


def _boolean(request: Request, name: str) -> bool:
    text = request.query_params.get(name)
    if text is None:
        return False
    if text.lower() in ("true", "1", "yes"):
        return True
    if text.lower() in ("false", "0", "no"):
        return False
    raise _refused(name, "field.not_boolean", f"{quote(text)}; write true or false")


def _day(request: Request, name: str) -> date | None:
    text = request.query_params.get(name)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _refused(name, "date.invalid", f"{quote(text)} is not a day like 2026-03-01") from None


# ----------------------------------------------------------------------------------------------
# Who asks.
# ----------------------------------------------------------------------------------------------
class Api:
    def __init__(self, context: ServerContext) -> None:
        self.context = context
        self._couples: Couples | None = None

    @property
    def couples(self) -> Couples:
        if self._couples is None:
            from repairtrack.services.couples import Couples

            self._couples = Couples(self.context.services)
        return self._couples

    async def actor(self, request: Request) -> Actor:
        """The signed-in actor, or 401; 403 for a cookie-borne change from another origin."""
        found, via = await run_in_threadpool(actor_of_request, self.context, request)
        if found is None:
            raise HttpError(401, "auth.required", "Please sign in (a session cookie or a personal token).")
        if (
            via == COOKIE
            and request.method in CHANGES
            and not same_origin(request, self.context.options.scheme)
        ):
            raise HttpError(
                403, "auth.origin", "A change made with the session cookie must come from this site."
            )
        return found

    def route(self, path: str, methods: list[str], work: Callable[[Request, Actor], Any]) -> Route:
        async def endpoint(request: Request) -> Response:
            actor = await self.actor(request)
            result = work(request, actor)
            if hasattr(result, "__await__"):
                result = await result
            response = result if isinstance(result, Response) else json_response(result)
            response.headers.setdefault("Cache-Control", "no-store")
            return response

        return Route(PREFIX + path, guarded(endpoint), methods=methods)

    def call(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return run_in_threadpool(function, *args, **kwargs)

    # ------------------------------------------------------------------------------------------
    def me(self, _request: Request, actor: Actor) -> dict[str, Any]:
        return {
            "account": actor.account,
            "name": actor.name,
            "role": actor.kind,
            "couple": actor.couple if actor.kind == "partner" else None,
            "partner": actor.partner if actor.kind == "partner" else None,
        }

    def list_couples(self, _request: Request, actor: Actor) -> Any:
        return self.call(self.couples.couples, actor)

    def metrics(self, request: Request, actor: Actor) -> Any:
        couple = request.path_params["couple"]
        return self.call(self.couples.metrics, actor, couple, _moment(request, "as_of"), _window(request))

    def entries(self, request: Request, actor: Actor) -> Any:
        couple = request.path_params["couple"]
        limit = _integer(request, "limit", None)
        return self.call(self.couples.entries, actor, couple, limit, request.query_params.get("before"))

    async def add_entries(self, request: Request, actor: Actor) -> Response:
        from repairtrack.services.importing import decode_line, read_jsonl

        couple = request.path_params["couple"]
        body = await read_body(request, MAX_BODY)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        items: list[Any]
        if kind == NDJSON:
            items, lines = read_jsonl(io.BytesIO(body))
        else:
            items, lines = [decode_line(body)], [1]
        if not items:
            return problems_response(
                [LineProblem(0, Problem("body", "input.empty", "the request holds no entry"))]
            )
        ids = await self.call(self.couples.record, actor, couple, items, lines=lines, source="api")
        return json_response({"ids": ids}, 201)

    def export(self, request: Request, actor: Actor) -> Any:
        from repairtrack.services.export import ExportOptions

        couple = request.path_params["couple"]
        options = ExportOptions(
            couple=couple,
            from_day=_day(request, "from"),
            to_day=_day(request, "to"),
            window_days=_window(request),
            include_notes=_boolean(request, "include_notes"),
            pseudonymize=_boolean(request, "pseudonymize"),
        )

        def make() -> Response:
            bundle = self.couples.export(actor, couple, options)
            return Response(
                bundle.zip_bytes(),
                media_type="application/zip",
                headers={"Content-Disposition": f'attachment; filename="{bundle.filename}"'},
            )

        return self.call(make)

    async def grant(self, request: Request, actor: Actor) -> Response:
        from repairtrack.services.importing import decode_line

        couple = request.path_params["couple"]
        value = decode_line(await read_body(request, MAX_BODY))
        if isinstance(value, Problem):
            return problems_response([LineProblem(1, value)])
        if not isinstance(value, dict):
            raise _refused("body", "entry.not_object", 'send {"counselor": ACCOUNT, "notes": true or false}')
        counselor, notes = value.get("counselor"), value.get("notes", False)
        if not isinstance(counselor, str):
            raise _refused("counselor", "field.not_string", "name the counselor's account")
        if not isinstance(notes, bool):
            raise _refused("notes", "field.not_boolean", "notes is true or false")
        granted = await self.call(self.couples.grant, actor, couple, counselor, notes)
        return json_response(granted, 201)

    async def revoke(self, request: Request, actor: Actor) -> Response:
        couple, account = request.path_params["couple"], request.path_params["account"]
        ended = await self.call(self.couples.revoke, actor, couple, account)
        if not ended:
            raise not_found()
        return Response(status_code=204)

    def grants(self, request: Request, actor: Actor) -> Any:
        return self.call(self.couples.grants, actor, request.path_params["couple"])

    def access_log(self, request: Request, actor: Actor) -> Any:
        return self.call(self.couples.access_log, actor, request.path_params["couple"])

    def caseload(self, request: Request, actor: Actor) -> Any:
        """SPEC section 10 (counselors only; anyone else 403)."""
        return self.call(self.couples.caseload, actor, _moment(request, "as_of"), _window(request))


async def _describe(_request: Request) -> Response:
    return json_response(openapi.DOCUMENT)


async def _nothing(_request: Request) -> Response:
    raise not_found()


def routes(context: ServerContext) -> list[BaseRoute]:
    api = Api(context)
    couple = "/couples/{couple}"
    return [
        Route(PREFIX + "/openapi.json", guarded(_describe), methods=["GET"]),
        api.route("/me", ["GET"], api.me),
        api.route("/couples", ["GET"], api.list_couples),
        api.route(couple + "/metrics", ["GET"], api.metrics),
        api.route(couple + "/entries", ["GET"], api.entries),
        api.route(couple + "/entries", ["POST"], api.add_entries),
        api.route(couple + "/export", ["GET"], api.export),
        api.route(couple + "/grants", ["GET"], api.grants),
        api.route(couple + "/grants", ["POST"], api.grant),
        api.route(couple + "/grants/{account}", ["DELETE"], api.revoke),
        api.route(couple + "/access-log", ["GET"], api.access_log),
        api.route("/caseload", ["GET"], api.caseload),
        Route(
            "/api/{rest:path}", guarded(_nothing), methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
        ),
    ]
