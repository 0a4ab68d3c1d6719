"""How `repairtrack dashboard` serves: the Streamlit UI and its websocket through the new server, the
refusal to serve beyond loopback without accounts and (TLS or a trusted proxy), and TLS with a
self-signed certificate made here (the cookie then carries Secure; X-Forwarded-For counts from the
trusted proxy only)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from repairtrack.server.options import ServeOptions, check_options
from tests.server.conftest import People, make_store
from tests.server.support import ROOT, STRONG, Server, clean_env, repairtrack, start


def test_the_dashboard_loads_at_the_root_and_its_websocket_talks(server: Server) -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect
    from websockets.typing import Subprotocol

    page = server.request("GET", "/")
    assert page.status == 200 and b'id="root"' in page.body
    with connect(
        f"ws://127.0.0.1:{server.port}/_stcore/stream",
        subprotocols=[Subprotocol("streamlit")],
        open_timeout=30,
    ) as ws:
        message = BackMsg()
        message.rerun_script.query_string = ""
        message.rerun_script.page_script_hash = ""
        ws.send(message.SerializeToString())
        kinds: set[str | None] = set()
        for _ in range(50):
            received = ForwardMsg.FromString(ws.recv(timeout=60, decode=False))
            kinds.add(received.WhichOneof("type"))
            if "new_session" in kinds:
                break
    assert "new_session" in kinds


def test_an_unexpected_failure_answers_without_a_traceback() -> None:
    import asyncio

    from starlette.requests import Request
    from starlette.responses import Response

    from repairtrack.server.web import guarded

    async def broken(_request: Request) -> Response:
        raise RuntimeError("secret internals /home/someone/file.py line 12")

    async def ask() -> Response:
        return await guarded(broken)(Request({"type": "http", "method": "GET", "headers": [], "path": "/"}))

    reply = asyncio.run(ask())
    assert reply.status_code == 500
    assert b"secret internals" not in reply.body and b"RuntimeError" not in reply.body
    assert b'"code":"server.unexpected"' in reply.body


# ----------------------------------------------------------------------------------------------
def dashboard(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`repairtrack --data-dir D dashboard ARGS...` run to its end (a refusal ends it at once)."""
    return subprocess.run(
        repairtrack(data_dir, "dashboard", *args),
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=ROOT,
        timeout=60,
    )


def test_serving_beyond_loopback_is_refused_without_accounts_or_encryption(
    server: Server, people: People, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    make_store(empty)
    refused = dashboard(empty, "--host", "0.0.0.0")
    assert (
        refused.returncode == 2 and "serve.open_mode" in refused.stderr and "Traceback" not in refused.stderr
    )
    with_accounts = dashboard(server.data_dir, "--host", "0.0.0.0")
    assert with_accounts.returncode == 2 and "serve.no_tls" in with_accounts.stderr
    half = dashboard(server.data_dir, "--host", "0.0.0.0", "--tls-cert", str(tmp_path / "x.pem"))
    assert half.returncode == 2 and "serve.tls_incomplete" in half.stderr


def test_the_rule_itself(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("x")
    key.write_text("x")
    check_options(ServeOptions("127.0.0.1"), accounts=False)
    check_options(ServeOptions("::1"), accounts=False)
    check_options(ServeOptions("0.0.0.0", tls_cert=cert, tls_key=key), accounts=True)
    check_options(ServeOptions("192.0.2.10", trusted_proxy="192.0.2.1"), accounts=True)
    for options, accounts, code in (
        (ServeOptions("0.0.0.0", tls_cert=cert, tls_key=key), False, "serve.open_mode"),
        (ServeOptions("192.0.2.10"), True, "serve.no_tls"),
        (ServeOptions("example.org"), True, "serve.no_tls"),
        (ServeOptions("0.0.0.0", trusted_proxy="proxy.local"), True, "serve.bad_proxy"),
    ):
        with pytest.raises(Exception) as refused:
            check_options(options, accounts=accounts)
        assert getattr(refused.value, "code", None) == code


# ----------------------------------------------------------------------------------------------
def self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = self_signed(folder)
    data_dir = folder / "data"
    make_store(data_dir)
    context = ssl.create_default_context(cafile=str(cert))
    running = start(
        data_dir,
        folder / "clock.txt",
        "--tls-cert",
        str(cert),
        "--tls-key",
        str(key),
        "--trusted-proxy",
        "127.0.0.1",
        tls=context,
    )
    try:
        yield running
    finally:
        running.stop()


def test_tls_serves_https_and_the_cookie_is_secure(tls_server: Server) -> None:
    registration = tls_server.services.app.describe("cara-dan")
    assert registration is not None
    joined = tls_server.join(tls_server.invite_partner("cara-dan", "cara"), "cara", STRONG)
    assert joined.status == 303
    line = next(c for c in joined.set_cookies if c.startswith("rt_session="))
    assert "Secure" in line.split("; ") and "HttpOnly" in line.split("; ")
    me = tls_server.api("GET", "/me", cookie=joined.cookie())
    assert me.status == 200 and me.json()["account"] == "cara"
    assert tls_server.request("GET", "/").status == 200


def test_forwarded_for_counts_from_the_trusted_proxy(tls_server: Server) -> None:
    tls_server.join(tls_server.invite_partner("cara-dan", "dan"), "dan", STRONG)
    # The proxy (127.0.0.1) names two different clients: one's failure does not make the other wait.
    first = tls_server.signin("cara", "wrong guess here", {"X-Forwarded-For": "198.51.100.7"})
    assert first.status == 401
    other = tls_server.signin("dan", STRONG, {"X-Forwarded-For": "198.51.100.8"})
    assert other.status == 303
    again = tls_server.signin("dan", STRONG, {"X-Forwarded-For": "198.51.100.7"})
    assert again.status == 429  # the first client still waits
    history = tls_server.services.accounts.recent_signins("cara")
    assert any(s.address == "198.51.100.7" and not s.success for s in history)


def test_the_openapi_document_describes_exactly_the_api_routes(tmp_path: Path) -> None:
    from starlette.routing import Route

    from repairtrack.bootstrap import settings_for
    from repairtrack.server import api
    from repairtrack.server.app import ServerContext
    from repairtrack.server.openapi import DOCUMENT

    context = ServerContext(settings_for(tmp_path), ServeOptions())
    served = {
        (route.path.removeprefix(api.PREFIX), method.lower())
        for route in api.routes(context)
        if isinstance(route, Route) and "{rest:path}" not in route.path and route.methods
        for method in route.methods - {"HEAD"}
    } - {("/openapi.json", "get")}
    described = {(path, method) for path, item in DOCUMENT["paths"].items() for method in item}
    assert served == described
