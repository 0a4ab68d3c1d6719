"""External sign-in (SPEC section 8): a practice's OpenID Connect provider, through Streamlit's
`st.login` (Authlib), configured by the operator with `REPAIRTRACK_OIDC_*` and `REPAIRTRACK_PUBLIC_URL`
(`repairtrack.config.OidcSettings`).

The server hands Streamlit its `[auth]` secrets (`st.App(secrets=...)`): the provider's metadata
address, the client's id and secret, the address the provider sends people back to
(`<public URL>/oauth2callback`) and the secret that signs Streamlit's identity cookie. That secret is
made once and kept private in the data folder (`oidc-cookie-secret`, mode 0600), so people stay signed
in across restarts; it also signs Streamlit's own session cookie (`server.cookieSecret`), which carries
the sign-in's state between `/auth/login` and `/oauth2callback`.

Streamlit serves `GET /auth/login`, `GET /auth/logout` and `GET /oauth2callback` itself; our routes are
`/auth/signin`, `/auth/join` and `/auth/signout`, apart from them. Who a provider's person is here is
decided by the dashboard on every rerun (`dashboard/session.py`): the account bound to the identity
cookie's issuer and subject, if any and not disabled.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Final

from repairtrack.config import Settings
from repairtrack.server.options import ServeOptions
from repairtrack.services.files import private_dir, write_private

COOKIE_SECRET_FILE: Final = "oidc-cookie-secret"  # noqa: S105 (a file name)
CALLBACK: Final = "/oauth2callback"
LOGIN: Final = "/auth/login"
LOGOUT: Final = "/auth/logout"
IDENTITY_COOKIE: Final = "_streamlit_user"  # Streamlit's identity cookie (and its _1, _2, ... chunks)


def cookie_secret(data_dir: Path) -> str:
    """The secret that signs Streamlit's cookies: read from the data folder, made there the first time."""
    path = private_dir(data_dir, existing_too=False) / COOKIE_SECRET_FILE
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    made = secrets.token_urlsafe(32)
    try:
        write_private(path, made.encode())
    except FileExistsError:  # another server made it meanwhile: theirs counts
        return path.read_text(encoding="utf-8").strip()
    return made


def public_url(settings: Settings, options: ServeOptions) -> str:
    """Where browsers reach the dashboard: `REPAIRTRACK_PUBLIC_URL`, else the address we listen on."""
    if settings.public_url:
        return settings.public_url
    scheme = "https" if options.secure else "http"
    host = f"[{options.host}]" if ":" in options.host else options.host
    return f"{scheme}://{host}:{options.port}"


def auth_secrets(settings: Settings, options: ServeOptions) -> dict[str, Any] | None:
    """Streamlit's `[auth]` secrets for the configured provider (None when there is none)."""
    if settings.oidc is None:
        return None
    return {
        "auth": {
            "redirect_uri": public_url(settings, options) + CALLBACK,
            "cookie_secret": cookie_secret(settings.data_dir),
            "client_id": settings.oidc.client_id,
            "client_secret": settings.oidc.client_secret,
            "server_metadata_url": settings.oidc.metadata_url,
        }
    }


def signed_in_with_provider(cookies: dict[str, str]) -> bool:
    """Whether a request carries Streamlit's identity cookie (signing out then ends it too)."""
    return any(name == IDENTITY_COOKIE or name.startswith(IDENTITY_COOKIE + "_") for name in cookies)
