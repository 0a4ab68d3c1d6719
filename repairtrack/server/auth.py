"""Joining, signing in and out (SPEC section 8), over the accounts service
(`repairtrack.services.identity.Accounts`, built as `Services.accounts`).

- `POST /auth/join` (form fields `code`, `account`, `passphrase`, optional `remember`): 303 and a session
  cookie, or 400 with a sentence, nothing created.
- `POST /auth/signin` (`account`, `passphrase`, optional `remember`, optional `next`, a path of this
  site): 303 and a session cookie, or 401 with a sentence and no cookie; 429 with `Retry-After` during a
  check or a wait (no check made).
- `POST /auth/signout`: ends the session on the server, clears the cookie, 303 to the sign-in page (or,
  for a person signed in through the practice's provider, to Streamlit's `/auth/logout`, which ends that
  too: `repairtrack.server.oidc`).
- `GET /join/{code}` and `GET /auth/signin`: the small pages with those forms (`repairtrack.server.pages`).

A form may also be sent as JSON (`application/json`, the same fields); the answer is then JSON as well.
A form from another site's page is refused (an `Origin` that is not ours: 403), so nobody can sign a
visitor into their own account. The cookie is `rt_session`: HttpOnly, SameSite=Strict, Path=/, Secure
when browsers reach us over HTTPS (our TLS or the trusted proxy's); "keep me signed in" makes it last
30 days (Max-Age), otherwise it is a browser-session cookie. The server's limits (12 hours idle, 30 days
in all) are the same either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qs

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from domain.errors import Refusal
from repairtrack.server import pages
from repairtrack.server.oidc import LOGOUT, signed_in_with_provider
from repairtrack.server.web import (
    MAX_FORM,
    HttpError,
    client_address,
    error_response,
    guarded,
    json_response,
    read_body,
    same_origin,
)
from repairtrack.services.actors import Actor

if TYPE_CHECKING:
    from repairtrack.server.app import ServerContext
    from repairtrack.services.identity import Accounts

COOKIE_NAME: Final = "rt_session"
KEEP_SECONDS: Final = 30 * 24 * 3600
COOKIE: Final = "cookie"
TOKEN: Final = "token"  # noqa: S105 (how a request said who it is, not a secret)


def accounts(context: ServerContext) -> Accounts:
    return context.services.accounts


def actor_of_request(context: ServerContext, request: Request) -> tuple[Actor | None, str]:
    """The actor a request speaks for and how it said so (`TOKEN` or `COOKIE`). A request with an
    `Authorization` header is judged by it alone."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None, TOKEN
        return accounts(context).actor_for_token(token.strip()), TOKEN
    session = request.cookies.get(COOKIE_NAME)
    if not session:
        return None, COOKIE
    return accounts(context).actor_for_session(session), COOKIE


# ----------------------------------------------------------------------------------------------
def _wants_json(request: Request) -> bool:
    return request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/json"


async def _fields(request: Request) -> dict[str, str]:
    """The form's fields (URL-encoded or JSON), each a string (the first of repeated ones)."""
    body = await read_body(request, MAX_FORM)
    if _wants_json(request):
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise HttpError(400, "request.not_json", "The request body is not JSON.") from None
        if not isinstance(value, Mapping):
            raise HttpError(400, "request.not_object", "The request body must be a JSON object.")
        return {str(k): v if isinstance(v, str) else orjson.dumps(v).decode() for k, v in value.items()}
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise HttpError(400, "request.unreadable", "The form could not be read.") from None
    return {name: values[0] for name, values in parsed.items() if values}


def _foreign(context: ServerContext, request: Request) -> Response | None:
    """A form may come from no page (a script: no `Origin`) or from ours, never from another site's:
    the refusal (403) of one that does, as a page for a browser's form and as JSON for JSON."""
    if "origin" not in request.headers or same_origin(request, context.options.scheme):
        return None
    if _wants_json(request):
        return error_response(403, "auth.origin", "This form must be sent from this site.")
    return pages.message_page(
        "Not sent from this site",
        "This form must be sent from this site's own page. Please open the sign-in page and try again there.",
        403,
    )


def _remember(fields: Mapping[str, str]) -> bool:
    return fields.get("remember", "").lower() in ("1", "on", "true", "yes")


def _next(fields: Mapping[str, str]) -> str:
    """Where to go after signing in: a path of this site, never another site."""
    target = fields.get("next") or "/"
    if (
        not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 for c in target)
    ):
        return "/"
    return target


def _signed_in(context: ServerContext, request: Request, token: str, remember: bool, target: str) -> Response:
    response: Response = (
        json_response({"signed_in": True})
        if _wants_json(request)
        else RedirectResponse(target, status_code=303)
    )
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=KEEP_SECONDS if remember else None,
        path="/",
        secure=context.options.secure,
        httponly=True,
        samesite="strict",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _sentence(error: Refusal) -> str:
    detail = error.detail
    return (detail[:1].upper() + detail[1:]).rstrip(".") + "."


# ----------------------------------------------------------------------------------------------
def routes(context: ServerContext) -> list[BaseRoute]:
    async def join(request: Request) -> Response:
        if (refused := _foreign(context, request)) is not None:
            return refused
        fields = await _fields(request)
        code, account, passphrase = (fields.get(k, "") for k in ("code", "account", "passphrase"))
        try:
            token = await run_in_threadpool(
                accounts(context).join, code, account, passphrase, client_address(request)
            )
        except Refusal as error:
            if _wants_json(request):
                return error_response(400, error.code, _sentence(error))
            return pages.join_page(code, problem=_sentence(error), account=account, status=400)
        return _signed_in(context, request, token, _remember(fields), "/")

    async def signin(request: Request) -> Response:
        from repairtrack.services.identity import Throttled

        if (refused := _foreign(context, request)) is not None:
            return refused
        fields = await _fields(request)
        account, passphrase = fields.get("account", ""), fields.get("passphrase", "")
        try:
            token = await run_in_threadpool(
                accounts(context).signin, account, passphrase, client_address(request)
            )
        except Throttled as error:
            headers = {"Retry-After": error.retry_after_header}
            if _wants_json(request):
                return error_response(429, error.code, _sentence(error), headers=headers)
            page = pages.signin_page(
                problem=_sentence(error), account=account, next_path=_next(fields), status=429
            )
            page.headers.update(headers)
            return page
        except Refusal as error:
            if _wants_json(request):
                return error_response(401, error.code, _sentence(error))
            return pages.signin_page(
                problem=_sentence(error), account=account, next_path=_next(fields), status=401
            )
        return _signed_in(context, request, token, _remember(fields), _next(fields))

    async def signout(request: Request) -> Response:
        if (refused := _foreign(context, request)) is not None:
            return refused
        await read_body(request, MAX_FORM)
        session = request.cookies.get(COOKIE_NAME)
        if session:
            await run_in_threadpool(accounts(context).signout, session)
        # Signed in through the practice's provider: Streamlit's /auth/logout ends that too.
        provider = context.settings.oidc is not None and signed_in_with_provider(request.cookies)
        response: Response = (
            json_response({"signed_in": False})
            if _wants_json(request)
            else RedirectResponse(LOGOUT if provider else "/auth/signin", 303)
        )
        response.delete_cookie(
            COOKIE_NAME, path="/", secure=context.options.secure, httponly=True, samesite="strict"
        )
        return response

    async def join_page(request: Request) -> Response:
        return pages.join_page(str(request.path_params["code"]))

    async def signin_page(request: Request) -> Response:
        return pages.signin_page(next_path=_next({"next": request.query_params.get("next", "/")}))

    form: Any = guarded
    return [
        Route("/auth/join", form(join), methods=["POST"]),
        Route("/auth/signin", form(signin), methods=["POST"]),
        Route("/auth/signout", form(signout), methods=["POST"]),
        Route("/join/{code}", form(join_page), methods=["GET"]),
        Route("/auth/signin", form(signin_page), methods=["GET"]),
    ]
