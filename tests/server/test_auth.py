"""Joining, signing in and out over real HTTP (SPEC section 8): the passphrase policy, the session
cookie's attributes, session expiry on the server's clock, and throttling (parallel guesses, a spoofed
X-Forwarded-For)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

from tests.server.conftest import People
from tests.server.support import STRONG, Reply, Server


def attributes(reply: Reply) -> dict[str, str]:
    (line,) = [c for c in reply.set_cookies if c.startswith("rt_session=")]
    found: dict[str, str] = {}
    for part in line.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        found[name.lower()] = value
    return found


def test_joining_refuses_weak_passphrases_and_used_codes_and_creates_nothing(server: Server) -> None:
    code = server.invite_partner("cara-dan", "cara")
    for weak, said in (
        ("short one", "at least 10 characters"),
        ("my cara-joined secret", "may not contain the account name"),
        ("password123", "most common"),
        ("qwertyuiop", "most common"),
    ):
        reply = server.join(code, "cara-joined", weak)
        assert reply.status == 400, (weak, reply.status)
        assert said in reply.body.decode()
        assert not reply.set_cookies
        assert b"Traceback" not in reply.body
    assert server.services.accounts.account("cara-joined") is None
    reply = server.join(code, "cara-joined", STRONG)
    assert reply.status == 303 and reply.headers["Location"] == "/"
    assert reply.cookie()
    again = server.join(code, "cara-again", STRONG)
    assert again.status == 400 and "already used" in again.body.decode() and not again.set_cookies
    unknown = server.join("not-a-code", "someone", STRONG)
    assert unknown.status == 400 and "not known" in unknown.body.decode()
    taken = server.join(server.invite_partner("cara-dan", "dan"), "cara-joined", STRONG)
    assert taken.status == 400 and "taken" in taken.body.decode()


def test_the_join_page_is_self_contained(server: Server) -> None:
    reply = server.request("GET", "/join/some-code-here")
    assert reply.status == 200
    text = reply.body.decode()
    assert "action='/auth/join'" in text and "value='some-code-here'" in text
    assert "http://" not in text and "https://" not in text and "<script" not in text
    assert "default-src 'none'" in reply.headers["Content-Security-Policy"]
    # never the address to another site; `no-referrer` would make browsers post the form with `Origin: null`
    assert reply.headers["Referrer-Policy"] == "same-origin"
    hostile = server.request("GET", "/join/%27%3E%3Cb%3Ebold")
    assert hostile.status == 200
    assert "'><b>" not in hostile.body.decode() and "&#x27;&gt;&lt;b&gt;bold" in hostile.body.decode()


def test_the_session_cookie_is_httponly_strict_and_lasts_only_when_asked(
    server: Server, people: People
) -> None:
    plain = server.signin(people.first)
    assert plain.status == 303 and plain.headers["Location"] == "/"
    cookie = attributes(plain)
    assert "httponly" in cookie and cookie["samesite"].lower() == "strict" and cookie["path"] == "/"
    assert "secure" not in cookie  # plain HTTP on loopback (TLS: test_serving.py)
    assert "max-age" not in cookie and "expires" not in cookie  # a browser-session cookie
    kept = server.signin(people.first, remember="1", next="/log")
    assert kept.status == 303 and kept.headers["Location"] == "/log"
    assert attributes(kept)["max-age"] == str(30 * 24 * 3600)
    elsewhere = server.signin(people.first, next="//evil.example/")
    assert elsewhere.headers["Location"] == "/"


def test_signing_in_and_out(server: Server, people: People) -> None:
    wrong = server.signin(people.first, "not the passphrase")
    assert wrong.status == 401 and not wrong.set_cookies
    assert "not right" in wrong.body.decode()
    server.settle()
    unknown = server.signin("nobody-here", "not the passphrase")
    assert unknown.status == 401 and "not right" in unknown.body.decode()  # the same sentence
    server.settle()
    cookie = server.session(people.first)
    me = server.api("GET", "/me", cookie=cookie)
    assert me.status == 200 and me.json()["account"] == people.first
    out = server.request(
        "POST", "/auth/signout", b"", {"Cookie": f"rt_session={cookie}", "Origin": server.origin}
    )
    assert out.status == 303
    assert any(c.startswith('rt_session="";') or "Max-Age=0" in c for c in out.set_cookies)
    assert (
        server.api("GET", "/me", cookie=cookie).status == 401
    )  # ended on the server, not only in the browser


def test_a_session_ends_after_12_idle_hours_and_after_30_days(server: Server, people: People) -> None:
    server.settle()
    cookie = server.session(people.second)
    server.advance(hours=11, minutes=59)
    assert server.api("GET", "/me", cookie=cookie).status == 200  # used: the idle time starts again
    server.advance(hours=11, minutes=59)
    assert server.api("GET", "/me", cookie=cookie).status == 200
    server.advance(hours=12)
    assert server.api("GET", "/me", cookie=cookie).status == 401
    kept = server.session(people.second)
    for _ in range(30 * 2 + 1):  # used twice a day, it still ends 30 days after signing in
        server.advance(hours=11, minutes=59)
        if server.api("GET", "/me", cookie=kept).status != 200:
            break
    assert server.api("GET", "/me", cookie=kept).status == 401


def test_six_parallel_wrong_guesses_make_one_check(server: Server, people: People) -> None:
    server.settle()

    def guess(number: int) -> Reply:
        return server.signin(people.first, f"wrong guess number {number}")

    with ThreadPoolExecutor(6) as pool:
        replies = list(pool.map(guess, range(6)))
    statuses = sorted(r.status for r in replies)
    assert statuses == [401, 429, 429, 429, 429, 429], statuses
    for reply in replies:
        if reply.status == 429:
            assert int(reply.headers["Retry-After"]) >= 1
            assert not reply.set_cookies
    # Even the right passphrase waits (no check is made during a wait) ...
    waiting = server.signin(people.first)
    assert waiting.status == 429
    server.advance(seconds=int(waiting.headers["Retry-After"]))
    # ... and is accepted after it.
    assert server.signin(people.first).status == 303


def test_a_spoofed_forwarded_for_does_not_get_more_guesses(server: Server, people: People) -> None:
    server.settle()
    first = server.signin(people.second, "wrong one", {"X-Forwarded-For": "203.0.113.1"})
    assert first.status == 401
    # Another account, another claimed address: the socket's peer is the same, so it waits.
    for number, account in enumerate((people.first, people.counselor, "cara-joined"), 2):
        spoofed = server.signin(account, "wrong again", {"X-Forwarded-For": f"203.0.113.{number}"})
        assert spoofed.status == 429, (account, spoofed.status)
    server.settle()


def test_a_form_from_another_site_is_refused(server: Server, people: People) -> None:
    server.settle()
    reply = server.signin(people.first, headers={"Origin": "https://evil.example"})
    assert reply.status == 403 and not reply.set_cookies
    assert server.signin(people.first, headers={"Origin": server.origin}).status == 303


def test_the_signin_page_keeps_where_to_go_on_this_site_only(server: Server) -> None:
    page = server.request("GET", "/auth/signin?next=/log").body.decode()
    assert "name='next' value='/log'" in page and "action='/auth/signin'" in page
    away = server.request("GET", "/auth/signin?next=//evil.example/").body.decode()
    assert "name='next' value='/'" in away


def test_a_form_from_another_sites_page_is_refused_in_plain_words(server: Server, people: People) -> None:
    server.settle()
    foreign = {"Origin": "http://elsewhere.example"}
    page = server.signin(people.first, headers=foreign)
    assert page.status == 403 and not page.set_cookies
    assert page.headers["Content-Type"].startswith("text/html") and "own page" in page.body.decode()
    as_json = server.request(
        "POST",
        "/auth/signin",
        json.dumps({"account": people.first, "passphrase": STRONG}).encode(),
        {**foreign, "Content-Type": "application/json"},
    )
    assert as_json.status == 403 and as_json.json()["error"]["code"] == "auth.origin"
    assert not as_json.set_cookies
