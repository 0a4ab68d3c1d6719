"""`GET /api/v1/caseload` over real HTTP (SPEC sections 9 and 10): a counselor gets one row per couple
that grants them access (and no other), in the section 10 shape, and no "overview" opening is logged;
a partner gets 403."""

from __future__ import annotations

from tests.caseload.reference import ROW_KEYS
from tests.server.conftest import People
from tests.server.support import STRONG, Server

AS_OF_QUERY = "2026-05-31T20:00:00%2B00:00"


def test_a_counselor_gets_the_couples_granting_access_and_a_partner_403(
    server: Server, people: People
) -> None:
    server.settle()
    counselor = server.session(people.counselor)
    empty = server.api("GET", "/caseload", cookie=counselor)
    assert empty.status == 200, empty.body
    assert empty.json() == []
    partner = server.session(people.first)
    granted = server.api(
        "POST", "/couples/demo/grants", cookie=partner, body={"counselor": people.counselor, "notes": False}
    )
    assert granted.status == 201, granted.body

    reply = server.api("GET", f"/caseload?as_of={AS_OF_QUERY}&window_days=28", cookie=counselor)
    assert reply.status == 200, reply.body
    [row] = reply.json()  # `cara-dan` granted nothing: not listed
    assert set(row) == ROW_KEYS
    assert row["couple"] == "demo" and len(row["names"]) == 2
    assert set(row["csi4_latest"]) == {people.first, people.second}
    assert set(row["reasons"]) == set(row["flags"])
    log = server.api("GET", "/couples/demo/access-log", cookie=partner)
    assert log.status == 200 and all(o["kind"] != "overview" for o in log.json())

    refused = server.api("GET", "/caseload", cookie=partner)
    assert refused.status == 403, refused.body
    assert refused.json()["error"]["code"] == "access.counselors_only"
    assert server.api("GET", "/caseload?window_days=0", cookie=counselor).status == 422


def test_a_partner_grants_by_the_counselors_sharing_code(server: Server, people: People) -> None:
    reply = server.join(server.invite_counselor("Dr. Kim"), "dr-kim", STRONG)
    assert reply.status == 303, reply.body
    code = server.services.accounts.new_sharing_code("dr-kim")
    partner = server.session(people.second)
    granted = server.api(
        "POST", "/couples/demo/grants", cookie=partner, body={"counselor": code.lower(), "notes": False}
    )
    assert granted.status == 201, granted.body
    assert granted.json()["counselor"] == "dr-kim" and granted.json()["name"] == "Dr. Kim"
    kim = server.session("dr-kim")
    assert [row["couple"] for row in server.api("GET", "/caseload", cookie=kim).json()] == ["demo"]
    server.services.accounts.new_sharing_code("dr-kim")  # the code before names nobody now
    again = server.api(
        "POST", "/couples/demo/grants", cookie=partner, body={"counselor": code, "notes": True}
    )
    assert again.status == 403, again.body
    assert again.json()["error"]["code"] == "access.not_a_counselor"
    assert server.api("DELETE", "/couples/demo/grants/dr-kim", cookie=partner).status in (200, 204)
