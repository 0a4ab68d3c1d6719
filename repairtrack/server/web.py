"""What every route of the server shares: bounded bodies, JSON answers, the error shapes of SPEC
section 9, the client's address and the same-origin rule.

No answer ever holds a traceback: `guarded` turns every failure of a handler into one of the shapes
below, an unexpected one into a 500 that says only that something went wrong (the details go to the
server's log, never to the client).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Final

import orjson
from starlette.requests import Request
from starlette.responses import Response

from domain.errors import (
    BatchRefused,
    DomainError,
    EntryRefused,
    LineProblem,
    Problem,
    Refusal,
    StoreContention,
)

MAX_BODY: Final = 5 * 1024 * 1024  # SPEC section 9: bodies over 5 MiB get 413
MAX_FORM: Final = 64 * 1024  # a sign-in or join form is a few hundred bytes
JSON: Final = "application/json"

LOG = logging.getLogger("repairtrack.server")

Handler = Callable[[Request], Awaitable[Response]]


class HttpError(Exception):
    """An answer other than success, raised from anywhere in a handler."""

    def __init__(
        self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def json_response(value: Any, status: int = 200, *, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(value), status_code=status, media_type=JSON, headers=headers)


def error_response(
    status: int, code: str, message: str, *, headers: dict[str, str] | None = None
) -> Response:
    return json_response({"error": {"code": code, "message": message}}, status, headers=headers)


def problems_response(problems: Iterable[LineProblem]) -> Response:
    return json_response(
        {
            "problems": [
                {"line": p.line, "field": p.problem.field, "code": p.problem.code, "detail": p.problem.detail}
                for p in problems
            ]
        },
        422,
    )


def not_found() -> HttpError:
    return HttpError(404, "not_found", "There is nothing here, or nothing you may see.")


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    """The request's body, refused with 413 as soon as it holds more than `limit` bytes: a declared
    length over the limit is refused before reading, and a streamed body is never read further than
    one chunk past it."""
    too_large = HttpError(413, "body.too_large", f"A request body may hold at most {limit // 1024} KiB.")
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def client_address(request: Request) -> str:
    """The client's address: the socket's peer, or what the trusted proxy said (uvicorn takes
    `X-Forwarded-For` from that peer only; see `repairtrack.server.app.serve`)."""
    return request.client.host if request.client is not None else "unknown"


def own_origin(request: Request, scheme: str) -> str:
    host = request.headers.get("host", "")
    return f"{scheme}://{host}".lower()


def same_origin(request: Request, scheme: str) -> bool:
    """Whether the request says it comes from a page of this server (its `Origin` header)."""
    origin = request.headers.get("origin")
    return origin is not None and origin.rstrip("/").lower() == own_origin(request, scheme)


def _line_problems(error: DomainError) -> list[LineProblem]:
    if isinstance(error, BatchRefused):
        return list(error.problems)
    if isinstance(error, EntryRefused):
        return [LineProblem(1, p) for p in error.problems]
    if isinstance(error, Refusal):
        return [LineProblem(0, p) for p in error.problems]
    return []


def _codes(error: DomainError) -> set[str]:
    problems: list[Problem] = [p.problem for p in _line_problems(error)]
    return {p.code for p in problems}


def domain_response(error: DomainError) -> Response:
    """A refusal of the domain or the service layer as its status and shape."""
    if isinstance(error, StoreContention):
        return error_response(
            409, "store.contention", "Someone else wrote at the same moment; please try again."
        )
    codes = _codes(error)
    if codes & {"access.not_found", "couple.unknown"} and len(codes) == 1:
        raise not_found()
    if isinstance(error, Refusal) and any(code.startswith("access.") for code in codes):
        return error_response(403, error.code, error.detail)
    if isinstance(error, Refusal) and error.transient:
        return error_response(503, error.code, error.detail, headers={"Retry-After": "5"})
    problems = _line_problems(error)
    if problems:
        return problems_response(problems)
    return error_response(400, "request.refused", "That request was refused.")


def guarded(handler: Handler) -> Handler:
    """`handler` with every failure turned into an answer of SPEC section 9's shapes."""

    @functools.wraps(handler)
    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except HttpError as error:
            return error_response(error.status, error.code, error.message, headers=error.headers)
        except DomainError as error:
            try:
                return domain_response(error)
            except HttpError as answer:
                return error_response(answer.status, answer.code, answer.message)
        except Exception:
            LOG.exception("an API request failed")
            return unexpected()

    return run


def unexpected() -> Response:
    return error_response(
        500, "server.unexpected", "Something went wrong on the server. Please try again later."
    )


async def unexpected_handler(_request: Request, _error: Exception) -> Response:
    """The last resort for any route (Streamlit's too): never a traceback."""
    return unexpected()
