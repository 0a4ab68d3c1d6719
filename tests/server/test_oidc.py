"""External sign-in without a browser (SPEC section 8): the operator's settings, the `[auth]` secrets the
server hands Streamlit, the cookie secret kept private in the data folder, binding a provider's issuer
and subject to an account by redeeming an invitation on the accounts service, and the dashboard's
resolution of the actor from them (tests/dashboard/test_browser_oidc.py walks it in a browser)."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.session import resolve
from domain.errors import Refusal
from repairtrack.bootstrap import Services, build, settings_for
from repairtrack.config import ConfigError, OidcSettings, Settings
from repairtrack.server.oidc import COOKIE_SECRET_FILE, auth_secrets, cookie_secret, signed_in_with_provider
from repairtrack.server.options import ServeOptions
from repairtrack.services.actors import Actor
from repairtrack.services.identity import Accounts
from tests.conftest import Clock
from tests.support.entries import registered

ISSUER = "https://id.northside.example"
PROVIDER = {
    "REPAIRTRACK_OIDC_METADATA_URL": f"{ISSUER}/.well-known/openid-configuration",
    "REPAIRTRACK_OIDC_CLIENT_ID": "repairtrack",
    "REPAIRTRACK_OIDC_CLIENT_SECRET": "s3cret-of-the-client",
}
PASSPHRASE = "a quiet walk by the river"


# --- the operator's settings ------------------------------------------------------------------
def test_without_provider_settings_there_is_no_external_sign_in(tmp_path: Path) -> None:
    settings = Settings.from_env(tmp_path, environ={})
    assert settings.oidc is None
    assert settings.public_url is None
    assert auth_secrets(settings, ServeOptions()) is None
    assert not (tmp_path / COOKIE_SECRET_FILE).exists()


def test_the_provider_is_read_once_from_the_environment(tmp_path: Path) -> None:
    environ = {
        **PROVIDER,
        "REPAIRTRACK_OIDC_NAME": "Northside",
        "REPAIRTRACK_PUBLIC_URL": "https://care.example/",
    }
    settings = Settings.from_env(tmp_path, environ=environ)
    assert settings.oidc == OidcSettings(
        PROVIDER["REPAIRTRACK_OIDC_METADATA_URL"], "repairtrack", "s3cret-of-the-client", "Northside"
    )
    assert settings.public_url == "https://care.example"
    assert "s3cret" not in repr(settings)
    unnamed = Settings.from_env(tmp_path, environ=PROVIDER).oidc
    assert unnamed is not None
    assert unnamed.name == "your practice"


@pytest.mark.parametrize("missing", sorted(PROVIDER))
def test_a_provider_half_configured_is_refused_naming_what_is_missing(tmp_path: Path, missing: str) -> None:
    environ = {k: v for k, v in PROVIDER.items() if k != missing}
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(tmp_path, environ=environ)
    assert caught.value.code == "config.oidc_incomplete"
    assert caught.value.field == missing
    assert missing in caught.value.detail


def test_a_metadata_address_that_is_not_a_web_address_is_refused(tmp_path: Path) -> None:
    environ = {**PROVIDER, "REPAIRTRACK_OIDC_METADATA_URL": "file:///etc/passwd"}
    with pytest.raises(ConfigError) as caught:
        Settings.from_env(tmp_path, environ=environ)
    assert caught.value.code == "config.oidc_bad_url"


# --- what the server hands Streamlit --------------------------------------------------------------
def test_streamlit_gets_the_provider_and_the_public_callback(tmp_path: Path) -> None:
    environ = {**PROVIDER, "REPAIRTRACK_PUBLIC_URL": "https://care.example"}
    settings = Settings.from_env(tmp_path / "data", environ=environ)
    secrets = auth_secrets(settings, ServeOptions(host="0.0.0.0", port=8443))
    assert secrets is not None
    auth = secrets["auth"]
    assert auth["redirect_uri"] == "https://care.example/oauth2callback"
    assert (auth["client_id"], auth["client_secret"]) == ("repairtrack", "s3cret-of-the-client")
    assert auth["server_metadata_url"] == PROVIDER["REPAIRTRACK_OIDC_METADATA_URL"]
    assert auth["cookie_secret"] == cookie_secret(settings.data_dir)


def test_without_a_public_address_the_callback_is_where_we_listen(tmp_path: Path) -> None:
    settings = Settings.from_env(tmp_path, environ=PROVIDER)
    secrets = auth_secrets(settings, ServeOptions(host="127.0.0.1", port=8600))
    assert secrets is not None
    assert secrets["auth"]["redirect_uri"] == "http://127.0.0.1:8600/oauth2callback"
    behind_proxy = auth_secrets(settings, ServeOptions(host="::1", port=8600, trusted_proxy="127.0.0.1"))
    assert behind_proxy is not None
    assert behind_proxy["auth"]["redirect_uri"] == "https://[::1]:8600/oauth2callback"


def test_the_cookie_secret_is_made_once_and_kept_private(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    first = cookie_secret(folder)
    assert len(first) >= 40
    assert cookie_secret(folder) == first  # the same after a restart: people stay signed in
    path = folder / COOKIE_SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert cookie_secret(tmp_path / "other") != first


def test_signing_out_knows_a_provider_sign_in_by_streamlit_identity_cookie() -> None:
    assert signed_in_with_provider({"_streamlit_user": "x"})
    assert signed_in_with_provider({"_streamlit_user_1": "x"})
    assert not signed_in_with_provider({"rt_session": "x", "_streamlit_session": "y"})


# --- binding on the accounts service -------------------------------------------------------------
@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> Iterator[Services]:
    built = build(settings_for(tmp_path / "data"), clock=clock)
    built.app.record(registered())
    built.accounts.join(built.accounts.invite_partner("ana-ben", "ana").code, "ana", PASSPHRASE)
    yield built
    built.close()


@pytest.fixture
def accounts(store: Services) -> Accounts:
    return store.accounts


def refused(code: str, call: object) -> None:
    with pytest.raises(Refusal) as caught:
        call()  # type: ignore[operator]
    assert caught.value.code == code, caught.value


def test_a_counselor_redeems_an_invitation_signed_in_with_the_provider(accounts: Accounts) -> None:
    invite = accounts.invite_counselor("Dr. Lee")
    session = accounts.bind_external(invite.code, ISSUER, "lee-17", account="dr-lee", address="10.0.0.5")
    lee = Actor("counselor", account="dr-lee", name="Dr. Lee")
    assert accounts.actor_for_session(session) == lee
    assert accounts.actor_for_external(ISSUER, "lee-17") == lee
    assert [(s.address, s.success) for s in accounts.recent_signins("dr-lee")] == [("10.0.0.5", True)]
    # Recognised from then on, without a code; the same subject of another issuer is someone else.
    assert accounts.signin_external(ISSUER, "lee-17") is not None
    assert accounts.actor_for_external("https://id.other.example", "lee-17") is None
    # The code is spent, and the identity cannot be bound to a second account.
    refused("invitation.used", lambda: accounts.bind_external(invite.code, ISSUER, "kim-3", account="dr-kim"))
    second = accounts.invite_counselor("Dr. Kim")
    refused("external.taken", lambda: accounts.bind_external(second.code, ISSUER, "lee-17", account="dr-kim"))
    assert accounts.account("dr-kim") is None


def test_a_subject_never_invited_is_refused_and_nothing_is_made(accounts: Accounts) -> None:
    before = accounts.list_accounts()
    assert accounts.actor_for_external(ISSUER, "stranger") is None
    assert accounts.signin_external(ISSUER, "stranger") is None
    refused(
        "invitation.unknown",
        lambda: accounts.bind_external("a-code-nobody-made", ISSUER, "stranger", account="stranger"),
    )
    assert accounts.list_accounts() == before
    assert accounts.actor_for_external(ISSUER, "stranger") is None


def test_an_expired_invitation_binds_nothing(accounts: Accounts, clock: Clock) -> None:
    invite = accounts.invite_counselor("Dr. Lee", hours=1)
    clock.advance(hours=2)
    refused(
        "invitation.expired", lambda: accounts.bind_external(invite.code, ISSUER, "lee-17", account="dr-lee")
    )
    assert accounts.account("dr-lee") is None


def test_a_disabled_account_is_not_signed_in_by_its_provider(accounts: Accounts) -> None:
    accounts.bind_external(accounts.invite_counselor("Dr. Lee").code, ISSUER, "lee-17", account="dr-lee")
    accounts.disable("dr-lee")
    assert accounts.actor_for_external(ISSUER, "lee-17") is None
    assert accounts.signin_external(ISSUER, "lee-17") is None
    accounts.enable("dr-lee")
    assert accounts.actor_for_external(ISSUER, "lee-17") is not None


def test_a_reset_code_binds_the_provider_to_the_account_it_resets(accounts: Accounts) -> None:
    reset = accounts.reset("ana")
    accounts.bind_external(reset.code, ISSUER, "ana-9")
    assert accounts.actor_for_external(ISSUER, "ana-9") == Actor(
        "partner", account="ana", name="Ana", couple="ana-ben", partner="ana"
    )


# --- the dashboard's actor -----------------------------------------------------------------------
def test_the_dashboard_resolves_the_bound_account_of_the_provider_sign_in(store: Services) -> None:
    store.accounts.bind_external(
        store.accounts.invite_counselor("Dr. Lee").code, ISSUER, "lee-17", account="dr-lee"
    )
    lee = Actor("counselor", account="dr-lee", name="Dr. Lee")
    assert resolve(store, {}, None, None, (ISSUER, "lee-17")) == lee
    assert resolve(store, {}, None, None, (ISSUER, "stranger")) is None
    assert resolve(store, {}, None, None) is None
    # A session cookie of this store speaks first.
    session = store.accounts.signin("ana", PASSPHRASE, "10.0.0.1")
    assert resolve(store, {"rt_session": session}, None, None, (ISSUER, "lee-17")).account == "ana"  # type: ignore[union-attr]
