"""Where the store lives and how it is reached, read once from flags and the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from domain.errors import Refusal
from domain.limits import quote

DATA_DIR_VAR = "REPAIRTRACK_DATA_DIR"
DATABASE_URL_VAR = "REPAIRTRACK_DATABASE_URL"
ENCRYPTION_KEY_VAR = "REPAIRTRACK_ENCRYPTION_KEY"
LOCK_TIMEOUT_VAR = "REPAIRTRACK_LOCK_TIMEOUT"
PUBLIC_URL_VAR = "REPAIRTRACK_PUBLIC_URL"
OIDC_METADATA_URL_VAR = "REPAIRTRACK_OIDC_METADATA_URL"
OIDC_CLIENT_ID_VAR = "REPAIRTRACK_OIDC_CLIENT_ID"
OIDC_CLIENT_SECRET_VAR = "REPAIRTRACK_OIDC_CLIENT_SECRET"  # noqa: S105 (the variable's name)
OIDC_NAME_VAR = "REPAIRTRACK_OIDC_NAME"

DEFAULT_LOCK_TIMEOUT = 120  # seconds a writer waits for another writer before giving up


class ConfigError(Refusal):
    """The configuration cannot work (a bad URL, a bad number, the wrong key): the field is the setting,
    the detail says how to fix it."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str | None = None
    encryption_key: str | None = None
    lock_timeout: int = DEFAULT_LOCK_TIMEOUT
    public_url: str | None = None  # where people reach the dashboard, e.g. https://care.example.org
    oidc: OidcSettings | None = None  # a practice's OpenID Connect provider, when the operator set one

    @classmethod
    def from_env(
        cls, data_dir: Path | str | None = None, environ: Mapping[str, str] | None = None
    ) -> Settings:
        env = os.environ if environ is None else environ
        folder = data_dir or env.get(DATA_DIR_VAR) or "data"
        timeout_text = env.get(LOCK_TIMEOUT_VAR, "") or str(DEFAULT_LOCK_TIMEOUT)
        try:
            timeout = int(timeout_text)
        except ValueError:
            detail = f"{LOCK_TIMEOUT_VAR} must be a whole number of seconds, not {quote(timeout_text)}"
            raise ConfigError(LOCK_TIMEOUT_VAR, "config.not_a_number", detail) from None
        if timeout < 1:
            raise ConfigError(
                LOCK_TIMEOUT_VAR, "config.not_a_number", f"{LOCK_TIMEOUT_VAR} must be at least 1 second"
            )
        return cls(
            data_dir=Path(folder).expanduser().resolve(),
            database_url=env.get(DATABASE_URL_VAR) or None,
            encryption_key=env.get(ENCRYPTION_KEY_VAR) or None,
            lock_timeout=timeout,
            public_url=(env.get(PUBLIC_URL_VAR) or "").rstrip("/") or None,
            oidc=OidcSettings.from_env(env),
        )

    @property
    def event_store_path(self) -> Path:
        return self.data_dir / "events.sqlite"

    @property
    def projection_path(self) -> Path:
        return self.data_dir / "projection.duckdb"

    @property
    def uses_postgres(self) -> bool:
        return self.database_url is not None

    def describe_store(self) -> str:
        if self.database_url:
            parts = urlsplit(self.database_url)
            return f"PostgreSQL database {parts.path.lstrip('/')!r} on {parts.hostname}"
        return f"SQLite file {self.event_store_path}"

    def event_store_env(self) -> dict[str, str]:
        """The eventsourcing library's settings for the event store: the SQLite file in the data
        folder, or PostgreSQL when a database URL is configured. Never the in-memory store."""
        env = {"ORIGINATOR_ID_TYPE": "uuid"}
        if self.encryption_key:  # event payloads encrypted with the library's AES-GCM cipher
            env.update(CIPHER_TOPIC="eventsourcing.cryptography:AESCipher", CIPHER_KEY=self.encryption_key)
        if self.database_url:
            env.update(postgres_env(self.database_url, self.lock_timeout))
        else:
            env.update(
                PERSISTENCE_MODULE="eventsourcing.sqlite",
                SQLITE_DBNAME=str(self.event_store_path),
                SQLITE_LOCK_TIMEOUT=str(self.lock_timeout),
            )
        return env


@dataclass(frozen=True)
class OidcSettings:
    """External sign-in (SPEC section 8): the practice's OpenID Connect provider, as the operator
    registered this dashboard with it (`REPAIRTRACK_OIDC_*`)."""

    metadata_url: str  # the provider's .well-known/openid-configuration
    client_id: str
    client_secret: str = field(repr=False)
    name: str = "your practice"  # as the sign-in button says it: "Sign in with <name>"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> OidcSettings | None:
        """None when no provider is configured; a refusal naming what is missing when only part is."""
        metadata_url = (env.get(OIDC_METADATA_URL_VAR) or "").strip()
        client_id = (env.get(OIDC_CLIENT_ID_VAR) or "").strip()
        client_secret = env.get(OIDC_CLIENT_SECRET_VAR) or ""
        if not (metadata_url or client_id or client_secret):
            return None
        given = {OIDC_METADATA_URL_VAR: metadata_url, OIDC_CLIENT_ID_VAR: client_id}
        given[OIDC_CLIENT_SECRET_VAR] = client_secret
        missing = [name for name, value in given.items() if not value]
        if missing:
            named = " and ".join([", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing)
            detail = f"sign-in through a provider needs {named} set too"
            raise ConfigError(missing[0], "config.oidc_incomplete", detail)
        if urlsplit(metadata_url).scheme not in ("https", "http"):
            detail = f"{OIDC_METADATA_URL_VAR} must be an https:// address (got {quote(metadata_url)})"
            raise ConfigError(OIDC_METADATA_URL_VAR, "config.oidc_bad_url", detail)
        name = (env.get(OIDC_NAME_VAR) or "").strip() or cls.name
        return cls(metadata_url, client_id, client_secret, name)


def postgres_env(url: str, lock_timeout: int) -> dict[str, str]:
    """Translate `postgresql://user:password@host:port/dbname?schema=s` into the library's keys."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        detail = f"{DATABASE_URL_VAR} must start with postgresql:// (got {quote(parts.scheme + '://')})"
        raise ConfigError(DATABASE_URL_VAR, "config.bad_url", detail)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    dbname = unquote(parts.path.lstrip("/"))
    host = query.get("host") or parts.hostname
    if not dbname or not host:
        raise ConfigError(
            DATABASE_URL_VAR, "config.bad_url", f"{DATABASE_URL_VAR} needs a host and a database name"
        )
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": host,
        "POSTGRES_PORT": str(parts.port or query.get("port") or 5432),
        "POSTGRES_USER": unquote(parts.username or query.get("user") or ""),
        "POSTGRES_PASSWORD": unquote(parts.password or query.get("password") or ""),
        "POSTGRES_LOCK_TIMEOUT": str(lock_timeout),
        "POSTGRES_CONNECT_TIMEOUT": query.get("connect_timeout", "10"),
        # A large import is one transaction; do not cut it off while it streams rows.
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "60",
    }
    if "schema" in query:
        env["POSTGRES_SCHEMA"] = query["schema"]
    return env
