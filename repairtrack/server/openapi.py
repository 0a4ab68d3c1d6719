"""The OpenAPI 3.1 description of the HTTP API (`GET /api/v1/openapi.json`), written by hand from SPEC
section 9; a test checks that every route of `repairtrack.server.api` is described and nothing else."""

from __future__ import annotations

from typing import Any, Final


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    words = {
        401: "Not signed in",
        403: "Not allowed (or a cookie-borne change from another site)",
        404: "No such couple, or one you may not see",
        409: "A conflicting write that failed after retries",
        413: "The body is over 5 MiB",
        422: "Refused input, every problem by line",
        429: "Throttled",
    }
    return {
        str(code): _json(_ref("Problems") if code == 422 else _ref("Error"), words[code]) for code in codes
    }


STRING: Final = {"type": "string"}
STRING_OR_NULL: Final = {"type": ["string", "null"]}
INTEGER: Final = {"type": "integer"}
BOOLEAN: Final = {"type": "boolean"}
DATE_TIME: Final = {"type": "string", "format": "date-time"}


def _object(*required: str, **properties: Any) -> dict[str, Any]:
    """An object schema with these properties, of which those named in `required` must be there."""
    return {"type": "object", **({"required": list(required)} if required else {}), "properties": properties}


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


LINE_PROBLEM: Final = {"line": INTEGER, "field": STRING, "code": STRING, "detail": STRING}
COUPLE: Final = {"name": "couple", "in": "path", "required": True, "schema": STRING}
AS_OF: Final = {
    "name": "as_of",
    "in": "query",
    "schema": {"type": "string", "format": "date-time"},
    "description": "The moment T, ISO-8601 with an offset (default: now).",
}
WINDOW: Final = {
    "name": "window_days",
    "in": "query",
    "schema": {"type": "integer", "minimum": 1, "maximum": 3660, "default": 28},
}
READ: Final = (401, 404, 422)
ANY_OBJECT: Final = {"type": "object", "additionalProperties": True}


def _get(
    summary: str, ok: dict[str, Any], *parameters: dict[str, Any], errors: tuple[int, ...] = READ
) -> Any:
    return {
        "summary": summary,
        "parameters": list(parameters),
        "responses": {"200": ok, **_errors(*errors)},
    }


DOCUMENT: Final[dict[str, Any]] = {
    "openapi": "3.1.0",
    "info": {
        "title": "repairtrack",
        "version": "1",
        "description": (
            "Authenticate with the rt_session cookie (POST /auth/signin) or `Authorization: Bearer <token>` "
            "(`repairtrack account token NAME`). A change made with the cookie must carry this site's Origin."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"token": []}, {"session": []}],
    "paths": {
        "/me": {
            "get": _get(
                "Who is signed in",
                _json(_ref("Me"), "The signed-in account"),
                errors=(401,),
            )
        },
        "/couples": {
            "get": _get(
                "The couples you may see",
                _json(_array(_ref("Couple")), "Couples"),
                errors=(401,),
            )
        },
        "/couples/{couple}/metrics": {
            "get": _get(
                "The metrics object of SPEC section 4", _json(ANY_OBJECT, "Metrics"), COUPLE, AS_OF, WINDOW
            )
        },
        "/couples/{couple}/entries": {
            "get": _get(
                "Entries, newest first, each with `retracted`",
                _json(_array(ANY_OBJECT), "Entries"),
                COUPLE,
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                {"name": "before", "in": "query", "schema": {"type": "string"}},
            ),
            "post": {
                "summary": "Log entries (partners only): one JSON object, or JSON Lines; all or nothing",
                "parameters": [COUPLE],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": ANY_OBJECT},
                        "application/x-ndjson": {"schema": {"type": "string"}},
                    },
                },
                "responses": {
                    "201": _json(
                        _object(ids=_array(STRING)),
                        "Stored",
                    ),
                    **_errors(401, 403, 404, 409, 413, 422),
                },
            },
        },
        "/couples/{couple}/export": {
            "get": {
                "summary": "The counselor bundle of SPEC section 6 (a zip), within what you may read",
                "parameters": [
                    COUPLE,
                    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
                    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
                    WINDOW,
                    {"name": "include_notes", "in": "query", "schema": {"type": "boolean", "default": False}},
                    {"name": "pseudonymize", "in": "query", "schema": {"type": "boolean", "default": False}},
                ],
                "responses": {
                    "200": {
                        "description": "The bundle",
                        "content": {
                            "application/zip": {"schema": {"type": "string", "contentEncoding": "binary"}}
                        },
                    },
                    **_errors(*READ),
                },
            }
        },
        "/couples/{couple}/grants": {
            "get": _get(
                "Current grants, newest first (partners only)",
                _json(_array(_ref("Grant")), "Grants"),
                COUPLE,
                errors=(401, 403, 404),
            ),
            "post": {
                "summary": "Grant a counselor access (partners only)",
                "parameters": [COUPLE],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": _object("counselor", counselor=STRING, notes=BOOLEAN)}
                    },
                },
                "responses": {"201": _json(_ref("Grant"), "Granted"), **_errors(401, 403, 404, 413, 422)},
            },
        },
        "/couples/{couple}/grants/{account}": {
            "delete": {
                "summary": "Revoke a counselor's access (partners only)",
                "parameters": [
                    COUPLE,
                    {"name": "account", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                "responses": {"204": {"description": "Revoked"}, **_errors(401, 403, 404)},
            }
        },
        "/couples/{couple}/access-log": {
            "get": _get(
                "When which counselor opened what, newest first (partners only)",
                _json(_array(ANY_OBJECT), "Access log"),
                COUPLE,
                errors=(401, 403, 404),
            )
        },
        "/caseload": {
            "get": _get(
                "The counselor's caseload (SPEC section 10; counselors only)",
                _json(_array(ANY_OBJECT), "Caseload"),
                AS_OF,
                WINDOW,
                errors=(401, 403, 422),
            )
        },
    },
    "components": {
        "securitySchemes": {
            "token": {"type": "http", "scheme": "bearer"},
            "session": {"type": "apiKey", "in": "cookie", "name": "rt_session"},
        },
        "schemas": {
            "Error": _object("error", error=_object("code", "message", code=STRING, message=STRING)),
            "Problems": _object(
                "problems",
                problems=_array(_object(*LINE_PROBLEM, **LINE_PROBLEM)),  # every field of a problem is there
            ),
            "Me": _object(
                account=STRING,
                name=STRING,
                role={"enum": ["partner", "counselor"]},
                couple=STRING_OR_NULL,
                partner=STRING_OR_NULL,
            ),
            "Couple": _object(
                couple=STRING, partners=_array(_object(handle=STRING, name=STRING)), timezone=STRING
            ),
            "Grant": _object(
                counselor=STRING, name=STRING, notes=BOOLEAN, granted_by=STRING, granted_at=DATE_TIME
            ),
        },
    },
}
