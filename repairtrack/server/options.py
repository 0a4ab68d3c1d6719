"""How `repairtrack dashboard` serves (SPEC section 8, "Modes"): address, port, TLS and a trusted proxy,
and the one rule about serving beyond this machine.

A store without accounts (open mode) is served on loopback only. Any other address needs accounts mode
and either TLS (`--tls-cert FILE --tls-key FILE`) or a reverse proxy that terminates TLS
(`--trusted-proxy ADDR`); otherwise the command refuses to start (exit 2, one sentence).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from domain.errors import Refusal


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable from this machine only (`localhost`, 127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8501
    tls_cert: Path | None = None
    tls_key: Path | None = None
    trusted_proxy: str | None = None

    @property
    def tls(self) -> bool:
        return self.tls_cert is not None and self.tls_key is not None

    @property
    def secure(self) -> bool:
        """Whether browsers reach us over HTTPS: our own TLS, or the trusted proxy's."""
        return self.tls or self.trusted_proxy is not None

    @property
    def scheme(self) -> str:
        return "https" if self.secure else "http"

    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"


def check_options(options: ServeOptions, *, accounts: bool) -> None:
    """Refuse a way of serving that SPEC section 8 does not allow (`accounts`: the store has an account)."""
    if (options.tls_cert is None) != (options.tls_key is None):
        raise Refusal(
            "--tls-cert" if options.tls_cert is None else "--tls-key",
            "serve.tls_incomplete",
            "serving over TLS needs both --tls-cert and --tls-key",
        )
    for option, path in (("--tls-cert", options.tls_cert), ("--tls-key", options.tls_key)):
        if path is not None and not path.is_file():
            raise Refusal(option, "path.missing", f"there is no file at {path}")
    if options.trusted_proxy is not None:
        try:
            ipaddress.ip_address(options.trusted_proxy)
        except ValueError:
            raise Refusal(
                "--trusted-proxy",
                "serve.bad_proxy",
                "--trusted-proxy is the IP address the reverse proxy connects from, like 127.0.0.1",
            ) from None
    if is_loopback(options.host):
        return
    if not accounts:
        raise Refusal(
            f"--host {options.host}",
            "serve.open_mode",
            "the dashboard would be reachable from other devices, but this store has no accounts yet: "
            "invite the first person with `repairtrack account invite` (or serve on 127.0.0.1)",
        )
    if not options.secure:
        raise Refusal(
            f"--host {options.host}",
            "serve.no_tls",
            "the dashboard would be reachable from other devices without encryption: give "
            "--tls-cert and --tls-key, or --trusted-proxy for a reverse proxy that terminates TLS",
        )
