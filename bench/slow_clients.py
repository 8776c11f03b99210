"""Slow and idle clients against `sso-bot serve --http`: does the server still answer everyone else?

Starts the real server (a process, on loopback, pointed at the fake Slack Web API in a process of
its own), then, for each kind of slow client and each crowd size, keeps that many connections
open the way an attacker would (a connection the server drops is opened again at once) while
probing ``GET /healthz`` and a signed ``/sso help`` on fresh connections. The same probes with no
crowd, measured first in the same run, are the baseline.

Kinds of slow client:
  silent   connects and sends nothing
  headers  sends a POST's headers (Content-Length 1000) and withholds the body
  trickle  sends a request line, then one byte of headers every 5 seconds

Target: with 500 of any kind, both probes answer within 1 s, none fails, and the server's
memory (RSS) stays within 20 MB of the baseline.

    .venv/bin/python bench/slow_clients.py [--levels 100,500] [--kinds silent,headers,trickle]
        [--seconds 15] [--code PATH]

``--code`` runs the server from another checkout (e.g. main, for before/after figures); the
probes and the crowd are this file's.
"""

from __future__ import annotations

import argparse
import os
import resource
import selectors
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.signing import signed_headers  # noqa: E402

SECRET = "bench-signing-secret"
PROBE_TIMEOUT = 5.0
TARGET_LATENCY = 1.0
TARGET_RSS_GROWTH_MB = 20.0
TRICKLE_EVERY = 5.0
HEADERS_ONLY = (b"POST /slack/events HTTP/1.1\r\nHost: bench\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 1000\r\n\r\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raise_fd_limit() -> int:
    """Room for the crowd's sockets (inherited by the server process too)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# --------------------------------------------------------------------------- the server under test


class Server:
    def __init__(self, code: Path) -> None:
        self.fake = subprocess.Popen([sys.executable, str(REPO / "bench" / "fake_slack_server.py")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        fake_base = self.fake.stdout.readline().strip()
        self.response_url = f"{fake_base}/response_url/bench"
        work = tempfile.mkdtemp(prefix="sso-bot-slow-")
        self.port = free_port()
        env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
               "SLACK_API_URL": f"{fake_base}/api/", "DATABASE_URL": f"sqlite:///{work}/bench.db",
               "LOG_LEVEL": "WARNING", "PYTHONPATH": str(code)}
        env.pop("SLACK_APP_TOKEN", None)
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1",
                                      "--port", str(self.port)], env=env, cwd=work, stderr=subprocess.PIPE, text=True)
        for line in self.proc.stderr:  # blocks until the server says it is listening
            if "serving on" in line:
                break
        else:
            raise SystemExit(f"the server exited before serving (code {self.proc.wait()})")
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        for _ in self.proc.stderr:  # keep the pipe from filling up with waitress's warnings
            pass

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def sockets_held(self) -> int:
        """Open sockets in the server process (the crowd's, the listener, the probes', the fake API's)."""
        held = 0
        for fd in Path(f"/proc/{self.proc.pid}/fd").iterdir():
            try:
                held += os.readlink(fd).startswith("socket:")
            except OSError:
                pass
        return held

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.fake.stdin.close()
        self.fake.wait(timeout=15)


# --------------------------------------------------------------------------- the crowd of slow clients


class Crowd:
    """``size`` slow connections of one kind, kept open: one the server closes is opened again."""

    def __init__(self, kind: str, size: int, port: int) -> None:
        self.kind, self.size, self.port = kind, size, port
        self.selector = selectors.DefaultSelector()
        self.sockets: set[socket.socket] = set()
        self.dropped = 0  # connections the server closed
        self.refused = 0  # connection attempts that failed
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"crowd-{kind}", daemon=True)

    def __enter__(self) -> "Crowd":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        for sock in list(self.sockets):
            self._forget(sock)
        self.selector.close()

    def _open(self) -> None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=0.5)
        except OSError:
            self.refused += 1
            return
        sock.setblocking(False)
        try:
            if self.kind == "headers":
                sock.send(HEADERS_ONLY)
            elif self.kind == "trickle":
                sock.send(b"POST /slack/events HTTP/1.1\r\n")
        except OSError:
            sock.close()
            return
        self.sockets.add(sock)
        self.selector.register(sock, selectors.EVENT_READ)

    def _forget(self, sock: socket.socket) -> None:
        self.sockets.discard(sock)
        try:
            self.selector.unregister(sock)
        except (KeyError, ValueError):
            pass
        sock.close()

    def _run(self) -> None:
        next_byte = time.monotonic() + TRICKLE_EVERY
        while not self._stop.is_set():
            while len(self.sockets) < self.size and not self._stop.is_set():
                before = len(self.sockets)
                self._open()
                if len(self.sockets) == before:
                    break  # the server is not taking connections: try again next round
            for key, _ in self.selector.select(timeout=0.2):
                try:
                    data = key.fileobj.recv(4096)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:  # the server closed it (an answer such as 408 counts as closing too)
                    self.dropped += 1
                    self._forget(key.fileobj)
            if self.kind == "trickle" and time.monotonic() >= next_byte:
                next_byte = time.monotonic() + TRICKLE_EVERY
                for sock in list(self.sockets):
                    try:
                        sock.send(b"X")
                    except OSError:
                        self.dropped += 1
                        self._forget(sock)


# --------------------------------------------------------------------------- probing


@dataclass
class Probes:
    health: list[float | None] = field(default_factory=list)
    help: list[float | None] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    held: list[int] = field(default_factory=list)
    crowd_open: list[int] = field(default_factory=list)


def timed(call) -> float | None:
    started = time.perf_counter()
    try:
        response = call()
    except httpx.HTTPError:
        return None
    return time.perf_counter() - started if response.status_code == 200 else None


def probe(server: Server, seconds: float, crowd: Crowd | None) -> Probes:
    out = Probes()
    url = f"http://127.0.0.1:{server.port}"
    deadline = time.monotonic() + seconds
    n = 0
    # A fresh connection per probe (no keep-alive), as a health checker or a new request from Slack makes.
    with httpx.Client(timeout=PROBE_TIMEOUT, limits=httpx.Limits(max_keepalive_connections=0)) as client:
        while time.monotonic() < deadline:
            n += 1
            body = urlencode({"team_id": "T0SSOBOT1", "user_id": "U0BENCH01", "channel_id": "C0BENCH01",
                              "command": "/sso", "text": "help", "response_url": server.response_url,
                              "trigger_id": f"{n}.1.1"})
            out.health.append(timed(lambda: client.get(f"{url}/healthz")))
            out.help.append(timed(lambda: client.post(f"{url}/slack/events", content=body,
                                                      headers=signed_headers(SECRET, body))))
            out.rss.append(server.rss_mb())
            out.held.append(server.sockets_held())
            out.crowd_open.append(len(crowd.sockets) if crowd else 0)
            time.sleep(0.25)
    return out


def summary(values: list[float | None]) -> tuple[str, str, int, float]:
    ok = sorted(v for v in values if v is not None)
    failed = len(values) - len(ok)
    if not ok:
        return "-", "-", failed, float("inf")
    p50 = ok[len(ok) // 2]
    worst = float("inf") if failed else ok[-1]
    return f"{p50 * 1e3:.1f}", (f"{ok[-1] * 1e3:.1f}" if not failed else "timeout"), failed, worst


def report_row(label: str, probes: Probes, baseline_rss: float, crowd: Crowd | None) -> bool:
    h50, hmax, hfail, hworst = summary(probes.health)
    s50, smax, sfail, sworst = summary(probes.help)
    rss = max(probes.rss)
    dropped = crowd.dropped if crowd else 0
    print(f"{label:>14} {max(probes.crowd_open):>6} {max(probes.held):>6} {dropped:>8} "
          f"{h50:>8} {hmax:>8} {hfail:>5} {s50:>8} {smax:>8} {sfail:>5} {rss:>8.1f} {rss - baseline_rss:>+7.1f}",
          flush=True)
    return (max(hworst, sworst) < TARGET_LATENCY and rss - baseline_rss < TARGET_RSS_GROWTH_MB)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="100,500")
    parser.add_argument("--kinds", default="silent,headers,trickle")
    parser.add_argument("--seconds", type=float, default=15.0, help="probing time per scenario")
    parser.add_argument("--code", type=Path, default=REPO, help="checkout whose server to run (default: this one)")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    kinds = args.kinds.split(",")
    limit = raise_fd_limit()
    server = Server(args.code.resolve())
    ok = True
    try:
        probe(server, 2.0, None)  # warm up: imports, the database, the first /sso help
        base = probe(server, args.seconds, None)
        baseline_rss = min(base.rss)
        print(f"\nserver code: {args.code.resolve()}  (fd limit {limit}; probes every 0.25 s for {args.seconds:.0f} s; "
              f"latency in ms, timeout {PROBE_TIMEOUT:.0f} s)\n")
        print(f"{'scenario':>14} {'crowd':>6} {'held':>6} {'dropped':>8} {'hz p50':>8} {'hz max':>8} {'fail':>5} "
              f"{'help p50':>8} {'help max':>8} {'fail':>5} {'RSS MB':>8} {'vs base':>7}")
        report_row("no crowd", base, baseline_rss, None)
        for kind in kinds:
            for level in levels:
                with Crowd(kind, level, server.port) as crowd:
                    time.sleep(1.0)  # let the crowd connect
                    probes = probe(server, args.seconds, crowd)
                met = report_row(f"{kind} {level}", probes, baseline_rss, crowd)
                ok = ok and met
                time.sleep(2.0)  # let the server notice the crowd has gone
        print("\ncrowd: slow connections open on the client side (max); held: sockets open in the server (max);"
              "\ndropped: slow connections the server closed; fail: probes with no 200 within the timeout.")
        print(f"target: with every crowd, probes answer within {TARGET_LATENCY:.0f} s, none fails, RSS within "
              f"{TARGET_RSS_GROWTH_MB:.0f} MB of the baseline: {'met' if ok else 'MISSED'}")
    finally:
        server.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
