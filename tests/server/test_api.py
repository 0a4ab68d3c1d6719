"""The HTTP API over real HTTP (SPEC section 9): who is asking, the Origin rule, the error shapes
(401/403/404/413/422, never a traceback), entries as one object or JSON Lines, a personal token ended by
disabling the account, the export without private notes and metrics equal to `repairtrack metrics --json`."""

from __future__ import annotations

import io
import json
import subprocess
import uuid
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest

from tests.server.conftest import People
from tests.server.support import ROOT, Reply, Server, clean_env, repairtrack

AS_OF = "2026-05-31T20:00:00+00:00"
AS_OF_QUERY = AS_OF.replace("+", "%2B")
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def cookie(server: Server, people: People) -> str:
    server.settle()
    return server.session(people.first)


def check_in(
    by: str, *, note: str | None = None, private: bool = False, at: str = "2026-05-31T09:00:00+00:00"
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "type": "check_in",
        "id": f"api-{uuid.uuid4().hex[:12]}",
        "occurred_at": at,
        "by": by,
        "closeness": 7,
        "trust": 6,
    }
    if note is not None:
        entry |= {"note": note, "private": private}
    return entry


def error_of(reply: Reply) -> dict[str, Any]:
    assert reply.headers["Content-Type"].startswith("application/json")
    assert b"Traceback" not in reply.body and b'File "' not in reply.body
    body = reply.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    error: dict[str, Any] = body["error"]
    return error


def test_me_and_couples_answer_for_the_signed_in_partner(server: Server, people: People, cookie: str) -> None:
    me = server.api("GET", "/me", cookie=cookie)
    assert me.status == 200
    assert me.json() == {
        "account": people.first,
        "name": me.json()["name"],
        "role": "partner",
        "couple": "demo",
        "partner": people.first,
    }
    couples = server.api("GET", "/couples", cookie=cookie).json()
    assert [c["couple"] for c in couples] == ["demo"]
    assert {p["handle"] for p in couples[0]["partners"]} == {people.first, people.second}


def test_401_without_a_session_or_with_a_bad_token(server: Server) -> None:
    for reply in (
        server.api("GET", "/me"),
        server.api("GET", "/me", cookie="made-up"),
        server.api("GET", "/me", token="rt_made-up"),
        server.api("GET", "/couples/demo/metrics", headers={"Authorization": "Basic abc"}),
    ):
        assert reply.status == 401
        assert error_of(reply)["code"] == "auth.required"


def test_404_for_an_unknown_couple_and_for_one_you_may_not_see_alike(server: Server, cookie: str) -> None:
    unknown = server.api("GET", "/couples/no-such-couple/metrics", cookie=cookie)
    other = server.api("GET", "/couples/cara-dan/metrics", cookie=cookie)
    assert unknown.status == other.status == 404
    assert error_of(unknown) == error_of(other)
    assert server.api("GET", "/couples/cara-dan/entries", cookie=cookie).status == 404
    assert server.api("GET", "/no-such-route", cookie=cookie).status == 404


def test_a_cookie_change_needs_this_sites_origin(server: Server, people: People, cookie: str) -> None:
    body = check_in(people.first)
    missing = server.api("POST", "/couples/demo/entries", cookie=cookie, body=body, origin=False)
    assert missing.status == 403 and error_of(missing)["code"] == "auth.origin"
    foreign = server.api(
        "POST", "/couples/demo/entries", cookie=cookie, body=body, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status == 403
    stored = server.api("POST", "/couples/demo/entries", cookie=cookie, body=body)
    assert stored.status == 201 and stored.json() == {"ids": [body["id"]]}


def test_403_for_a_counselor_writing(server: Server, people: People) -> None:
    server.settle()
    counselor = server.session(people.counselor)
    reply = server.api("POST", "/couples/demo/entries", cookie=counselor, body=check_in(people.first))
    assert reply.status in (403, 404)  # without a grant the couple is not even visible
    granted = server.api(
        "POST",
        "/couples/demo/grants",
        cookie=server.session(people.first),
        body={"counselor": people.counselor, "notes": False},
    )
    assert granted.status == 201, granted.body
    reply = server.api("POST", "/couples/demo/entries", cookie=counselor, body=check_in(people.first))
    assert reply.status == 403 and error_of(reply)["code"] == "access.read_only"
    assert server.api("GET", "/couples/demo/metrics?as_of=" + AS_OF_QUERY, cookie=counselor).status == 200
    assert server.api("GET", "/couples/demo/grants", cookie=counselor).status == 403


def post_lines(server: Server, cookie: str, lines: bytes) -> Reply:
    """POST JSON Lines to the demo couple's entries."""
    return server.api(
        "POST",
        "/couples/demo/entries",
        cookie=cookie,
        raw=lines,
        headers={"Content-Type": "application/x-ndjson"},
    )


def test_422_lists_every_problem_by_line(server: Server, people: People, cookie: str) -> None:
    good, bad = check_in(people.first), check_in(people.first)
    bad["closeness"] = 99
    lines = b"\n".join([json.dumps(good).encode(), b"{not json", json.dumps(bad).encode()]) + b"\n"
    reply = post_lines(server, cookie, lines)
    assert reply.status == 422
    problems = reply.json()["problems"]
    assert {p["line"] for p in problems} == {2, 3}
    assert all(set(p) == {"line", "field", "code", "detail"} for p in problems)
    entries = server.api("GET", "/couples/demo/entries?limit=50", cookie=cookie).json()
    assert good["id"] not in {e["id"] for e in entries}  # all or nothing
    other = server.api("POST", "/couples/demo/entries", cookie=cookie, body=check_in(people.second))
    assert other.status == 422 and other.json()["problems"][0]["code"] == "access.check_in_not_you"
    naming = {**check_in(people.first), "logged_by": people.second}
    named = server.api("POST", "/couples/demo/entries", cookie=cookie, body=naming)
    assert named.status == 422 and named.json()["problems"][0]["code"] == "access.logged_by_not_you"
    bad_query = server.api("GET", "/couples/demo/metrics?window_days=0", cookie=cookie)
    assert bad_query.status == 422 and bad_query.json()["problems"][0]["field"] == "window_days"


def test_json_lines_store_all_entries(server: Server, people: People, cookie: str) -> None:
    entries = [check_in(people.first), check_in(people.first)]
    body = "".join(json.dumps(e) + "\n" for e in entries).encode()
    reply = post_lines(server, cookie, body)
    assert reply.status == 201 and reply.json() == {"ids": [e["id"] for e in entries]}
    newest = server.api("GET", "/couples/demo/entries?limit=500", cookie=cookie).json()
    found = {e["id"]: e for e in newest}
    assert all(
        found[e["id"]]["logged_by"] == people.first and found[e["id"]]["retracted"] is False for e in entries
    )


def test_413_for_a_body_over_5_mib_declared_or_streamed(server: Server, cookie: str) -> None:
    declared = server.api("POST", "/couples/demo/entries", cookie=cookie, raw=b" " * (5 * MIB + 1))
    assert declared.status == 413 and error_of(declared)["code"] == "body.too_large"

    def chunks() -> Iterator[bytes]:
        for _ in range(6):
            yield b" " * MIB

    streamed = server.request(
        "POST",
        "/api/v1/couples/demo/entries",
        chunks(),
        {"Cookie": f"rt_session={cookie}", "Origin": server.origin, "Content-Type": "application/x-ndjson"},
        chunked=True,
    )
    assert streamed.status == 413


def test_a_personal_token_works_until_the_account_is_disabled(server: Server, people: People) -> None:
    token = server.services.accounts.create_token(people.second, label="phone shortcut")
    entry = check_in(people.second)
    entry.pop("id")
    logged = server.api("POST", "/couples/demo/entries", token=token, body=entry)  # no Origin needed
    assert logged.status == 201, logged.body
    server.services.accounts.disable(people.second)
    try:
        after = server.api("GET", "/me", token=token)
        assert after.status == 401
    finally:
        server.services.accounts.enable(people.second)
    assert server.api("GET", "/me", token=token).status == 401  # enabling does not bring the token back


def test_the_export_holds_no_private_note(server: Server, people: People, cookie: str) -> None:
    secret = "only-for-me-" + uuid.uuid4().hex
    shared = "shared-note-" + uuid.uuid4().hex
    for note, private in ((secret, True), (shared, False)):
        reply = server.api(
            "POST",
            "/couples/demo/entries",
            cookie=cookie,
            body=check_in(people.first, note=note, private=private),
        )
        assert reply.status == 201, reply.body
    reply = server.api("GET", "/couples/demo/export?include_notes=true&to=2026-05-31", cookie=cookie)
    assert reply.status == 200 and reply.headers["Content-Type"] == "application/zip"
    files = zipfile.ZipFile(io.BytesIO(reply.body))
    everything = b"".join(files.read(name) for name in files.namelist())
    assert secret.encode() not in everything
    assert shared.encode() in everything


def test_metrics_equal_the_command_lines(server: Server, cookie: str) -> None:
    reply = server.api("GET", f"/couples/demo/metrics?as_of={AS_OF_QUERY}&window_days=21", cookie=cookie)
    assert reply.status == 200
    command = subprocess.run(
        repairtrack(
            server.data_dir, "metrics", "-c", "demo", "--as-of", AS_OF, "--window-days", "21", "--json"
        ),
        capture_output=True,
        check=True,
        env=clean_env(),
        cwd=ROOT,
    )
    assert reply.json() == json.loads(command.stdout)


def test_the_openapi_description_names_every_route(server: Server) -> None:
    from repairtrack.server.openapi import DOCUMENT

    reply = server.request("GET", "/api/v1/openapi.json")
    assert reply.status == 200 and reply.json() == DOCUMENT
    assert reply.json()["openapi"].startswith("3.1")
