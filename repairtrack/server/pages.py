"""The two small HTML pages the server writes itself: choosing an account name and passphrase for an
invitation (`GET /join/{code}`) and signing in (`GET /auth/signin`). Self-contained: no script, no font, no
style sheet from elsewhere (a Content-Security-Policy says so to the browser), never cached, and never
telling another site the address (it holds the one-time code).

The referrer policy is `same-origin`, not `no-referrer`: under `no-referrer` a browser sends the form's
POST with `Origin: null`, which the server rightly refuses as not coming from its own pages
(`repairtrack.server.auth`), so nobody could join or sign in from these pages in a real browser."""

from __future__ import annotations

from html import escape

from starlette.responses import HTMLResponse

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    ),
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",  # see above: never to another site
    "X-Content-Type-Options": "nosniff",
}

STYLE = """
body { font-family: system-ui, sans-serif; color: #141312; background: #fff; margin: 0; }
main { max-width: 26rem; margin: 3rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; }
label { display: block; margin-top: 1rem; font-weight: 600; }
input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem;
  border: 1px solid #6b6966; border-radius: .3rem; }
.check { font-weight: 400; }
button { margin-top: 1.5rem; padding: .6rem 1.2rem; font-size: 1rem; color: #fff; background: #b3303f;
  border: 0; border-radius: .3rem; cursor: pointer; }
.problem { padding: .75rem; border-left: 4px solid #b3303f; background: #fbeff0; }
.hint { color: #4a4846; font-size: .9rem; }
"""


def _page(title: str, body: str, status: int) -> HTMLResponse:
    text = (
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)} · repairtrack</title><style>{STYLE}</style></head>"
        f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>\n"
    )
    return HTMLResponse(text, status_code=status, headers=HEADERS)


def _problem(sentence: str | None) -> str:
    return f"<p class='problem' role='alert'>{escape(sentence)}</p>" if sentence else ""


def join_page(code: str, *, problem: str | None = None, account: str = "", status: int = 200) -> HTMLResponse:
    body = (
        "<p>Choose the name you will sign in with and a passphrase only you know.</p>"
        f"{_problem(problem)}"
        "<form method='post' action='/auth/join'>"
        f"<input type='hidden' name='code' value='{escape(code, quote=True)}'>"
        "<label for='account'>Account name</label>"
        f"<input type='text' id='account' name='account' value='{escape(account, quote=True)}' required "
        "autocomplete='username' autocapitalize='none' spellcheck='false' maxlength='40' "
        "pattern='[a-z0-9][a-z0-9-]*'>"
        "<p class='hint'>Small letters, digits and dashes, like <code>ana</code> or <code>dr-lee</code>.</p>"
        "<label for='passphrase'>Passphrase</label>"
        "<input type='password' id='passphrase' name='passphrase' required minlength='10' "
        "autocomplete='new-password'>"
        "<p class='hint'>At least 10 characters, not your account name, not a common password. A few "
        "unrelated words make a good one.</p>"
        "<label class='check'><input type='checkbox' name='remember' value='1'> Keep me signed in on "
        "this device for 30 days</label>"
        "<button type='submit'>Join</button></form>"
    )
    return _page("Join repairtrack", body, status)


def signin_page(
    *, problem: str | None = None, account: str = "", next_path: str = "/", status: int = 200
) -> HTMLResponse:
    body = (
        f"{_problem(problem)}"
        "<form method='post' action='/auth/signin'>"
        f"<input type='hidden' name='next' value='{escape(next_path, quote=True)}'>"
        "<label for='account'>Account name</label>"
        f"<input type='text' id='account' name='account' value='{escape(account, quote=True)}' required "
        "autocomplete='username' autocapitalize='none' spellcheck='false'>"
        "<label for='passphrase'>Passphrase</label>"
        "<input type='password' id='passphrase' name='passphrase' required autocomplete='current-password'>"
        "<label class='check'><input type='checkbox' name='remember' value='1'> Keep me signed in on "
        "this device for 30 days</label>"
        "<button type='submit'>Sign in</button></form>"
    )
    return _page("Sign in", body, status)


def message_page(title: str, sentence: str, status: int) -> HTMLResponse:
    return _page(title, f"<p>{escape(sentence)}</p><p><a href='/auth/signin'>Sign in</a></p>", status)
