"""Real peers on loopback for the live-check tests, and the means to make them misbehave.

* :class:`TestCA`: a certificate authority made with ``cryptography`` that issues server certificates
  (good, expired, for another name) and self-signed ones; the probe trusts only this CA in the tests.
* :class:`LoopbackServer`: a small threaded HTTP(S) server on 127.0.0.1 answering from a table of
  routes. It serves files from the shared corpus (discovery documents, JWKS, SAML metadata) and the
  misbehaviours no real server shows on demand (an HTML sign-in page, a 404 on a filter, a 429, a
  slow answer, an ignored filter). It records every request it sees (method, path, headers) and the
  TLS server name (SNI) clients asked for.
* :func:`scim2_server`: the ``scim2-server`` package from PyPI, started as its own process.
* :func:`oidc_provider`: ``oidc-provider`` from the npm registry (tests/peers/oidc), started with node.

Nothing here listens anywhere but 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import ipaddress
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

REPO = Path(__file__).resolve().parents[2]
OIDC_PEER = REPO / "tests" / "peers" / "oidc"
NOW = dt.datetime.now(dt.timezone.utc)


# ---------------------------------------------------------------------- certificates


@dataclass
class Issued:
    cert_file: Path
    key_file: Path


class TestCA:
    """A throwaway CA; ``context()`` is an SSL context that trusts it and nothing else."""

    __test__ = False

    def __init__(self, directory: Path, name: str = "sso-bot test CA") -> None:
        self.directory = directory
        self.key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        self.cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                     .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
                     .not_valid_before(NOW - dt.timedelta(days=2)).not_valid_after(NOW + dt.timedelta(days=30))
                     .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                     .sign(self.key, hashes.SHA256()))
        self.file = directory / "test-ca.pem"
        self.file.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        self._count = 0

    def context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.file))

    def issue(self, *names: str, expired: bool = False, self_signed: bool = False, rsa_key: bool = False) -> Issued:
        """A server certificate for ``names`` (DNS names or IP addresses)."""
        self._count += 1
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if rsa_key else ec.generate_private_key(
            ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
        sans = [x509.IPAddress(ipaddress.ip_address(n)) if _is_ip(n) else x509.DNSName(n) for n in names]
        start, end = (NOW - dt.timedelta(days=30), NOW - dt.timedelta(days=1)) if expired else (
            NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=10))
        builder = (x509.CertificateBuilder().subject_name(subject)
                   .issuer_name(subject if self_signed else self.cert.subject).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(start).not_valid_after(end)
                   .add_extension(x509.SubjectAlternativeName(sans), critical=False))
        cert = builder.sign(key if self_signed else self.key, hashes.SHA256())
        cert_file = self.directory / f"server-{self._count}.pem"
        key_file = self.directory / f"server-{self._count}.key"
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        return Issued(cert_file, key_file)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


# ---------------------------------------------------------------------- the loopback server


@dataclass
class Answer:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    wait: threading.Event | None = None  # block until set (a slow server), never a sleep


Route = Callable[["Seen"], Answer]


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]


class LoopbackServer:
    """Serves ``routes`` (path without query -> Answer or callable) on 127.0.0.1, over TLS when given a
    certificate. Unknown paths get 404 with a plain body."""

    def __init__(self, routes: dict[str, Answer | Route] | None = None, tls: Issued | None = None) -> None:
        self.routes: dict[str, Answer | Route] = dict(routes or {})
        self.seen: list[Seen] = []
        self.server_names: list[str | None] = []
        self.release = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                outer._serve(self)

            do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET  # recorded, so a test can see none came

            def log_message(self, *args) -> None:
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address) -> None:
                pass  # failed handshakes and dropped clients are what some tests are about

        self._server = Server(("127.0.0.1", 0), Handler)
        if tls is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(tls.cert_file), str(tls.key_file))
            context.sni_callback = lambda sock, name, ctx: self.server_names.append(name)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        self.scheme = "https" if tls else "http"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str = "", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def _serve(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        seen = Seen(handler.command, handler.path, {k.lower(): v for k, v in handler.headers.items()})
        self.seen.append(seen)
        route = self.routes.get(handler.path.split("?", 1)[0])
        answer = route(seen) if callable(route) else route or Answer(404, b"no such page", {"Content-Type": "text/plain"})
        if answer.wait is not None:
            answer.wait.wait()
        body = answer.body.encode() if isinstance(answer.body, str) else answer.body
        headers = dict(answer.headers)
        if "Date" in headers:  # a server clock of the test's choosing, instead of the one send_response writes
            date = headers.pop("Date")
            handler.date_time_string = lambda timestamp=None: date  # type: ignore[method-assign]
        handler.send_response(answer.status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        with contextlib.suppress(OSError):
            handler.wfile.write(body)

    def __enter__(self) -> "LoopbackServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()


def json_answer(body: str | bytes, status: int = 200, media: str = "application/scim+json", **headers: str) -> Answer:
    return Answer(status, body, {"Content-Type": media, **{k.replace("_", "-"): v for k, v in headers.items()}})


# ---------------------------------------------------------------------- real peers in their own processes


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _process(command: list[str], ready: str, cwd: Path | None = None) -> Iterator[tuple[subprocess.Popen, str]]:
    """Start ``command``; wait for a stdout line starting with ``ready`` (returned), stop it afterwards."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               stdin=subprocess.DEVNULL)
    try:
        lines = []
        assert process.stdout is not None
        for line in process.stdout:  # blocks until the peer says it listens, or exits
            lines.append(line)
            if line.startswith(ready):
                break
        else:
            raise RuntimeError(f"{command[0]} exited before listening:\n{''.join(lines)[-2000:]}")
        threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # keep the pipe drained
        yield process, line.strip()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def scim2_server(*tokens: str, port: int | None = None) -> Iterator[str]:
    """The scim2-server package's own server on loopback; yields its SCIM base URL (``http://127.0.0.1:P/v2``).
    ``port``: start it where an earlier one ran (the same endpoint, restarted with other tokens)."""
    port = port or _free_port()
    command = [sys.executable, "-m", "scim2_server.testserver.cli", "--hostname", "127.0.0.1", "--port", str(port)]
    for token in tokens:
        command += ["--bearer-token", token]
    with _process(command, "Serving SCIM on") as (_process_, line):
        yield line.rsplit(" ", 1)[-1]


def node_peer_missing() -> str | None:
    """Why the OpenID Provider peer cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (OIDC_PEER / "node_modules" / "oidc-provider").is_dir():
        return "run `npm ci` in tests/peers/oidc (.ci/run does)"
    return None


def require_node_peer() -> None:
    """Skip on a developer machine without the peer; under CI=true that is a failure, not a skip."""
    missing = node_peer_missing()
    if missing is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"the OpenID Provider peer is needed in CI: {missing}")
    pytest.skip(f"the OpenID Provider peer is not installed: {missing}")


@contextlib.contextmanager
def oidc_provider(ca: TestCA, suffix: str = "") -> Iterator[str]:
    """oidc-provider over TLS (a certificate from ``ca`` for 127.0.0.1); yields the issuer it was started with."""
    require_node_peer()
    issued = ca.issue("127.0.0.1", rsa_key=True)
    command = ["node", "server.mjs", str(issued.key_file), str(issued.cert_file), suffix]
    with _process(command, "listening", cwd=OIDC_PEER) as (_process_, line):
        yield f"https://127.0.0.1:{line.split()[-1]}"
