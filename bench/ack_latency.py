"""Ack latency of `/sso help` under `sso-bot serve --http`, against a bare Bolt app.

Both servers run as real processes on loopback, pointed at the same fake Slack
Web API, and are measured in the same run, interleaved level by level, so the
ratio is fair on whatever machine runs it. Target: p99 ratio <= 1.3 at each
concurrency and no response slower than 3 s.

Ticking a checklist box is measured the same way (bare Bolt gets an ack-only action
listener), plus how long the parent's `chat.update` takes to reach the fake Web API after
the click is sent. Target: that p95 under 500 ms at each concurrency.

    .venv/bin/python bench/ack_latency.py [--requests 400] [--levels 1,8,32] [--only help,diagnose,tick]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.fake_slack import FakeSlack  # noqa: E402
from tests.support.signing import signed_headers  # noqa: E402

SECRET = "bench-signing-secret"
SLACK_DEADLINE = 3.0
TARGET_RATIO = 1.3
UPDATE_P95_TARGET = 0.5  # click sent -> parent's chat.update at the Web API


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd: list[str], env: dict[str, str], cwd: str) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:  # blocks until the server says it is listening
        if "serving on" in line:
            return proc
    raise SystemExit(f"{cmd} exited before serving (code {proc.wait()})")


def start_servers(api_url: str) -> tuple[subprocess.Popen, subprocess.Popen, int, int]:
    """`sso-bot serve --http` and the bare Bolt baseline, both on loopback, against one fake Web API."""
    work = tempfile.mkdtemp(prefix="sso-bot-bench-")
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_API_URL": api_url, "DATABASE_URL": f"sqlite:///{work}/bench.db", "LOG_LEVEL": "WARNING"}
    env.pop("SLACK_APP_TOKEN", None)
    ours_port, bare_port = free_port(), free_port()
    ours = start([sys.executable, "-m", "bot", "serve", "--http", "--host", "127.0.0.1", "--port", str(ours_port)],
                 env, work)
    bare = start([sys.executable, str(REPO / "bench" / "bare_app.py"), str(bare_port)], env, work)
    return ours, bare, ours_port, bare_port


def stop_all(ours: subprocess.Popen, bare: subprocess.Popen, fake) -> None:
    for proc in (ours, bare):
        proc.terminate()
        proc.wait(timeout=15)
    fake.stop()


def row(level: int, name: str, values: list[float]) -> str:
    """One line of the results table: p50, p95, p99 and the slowest, in milliseconds."""
    return (f"{level:>11} {name:>10} {pct(values, .5)*1e3:8.1f} {pct(values, .95)*1e3:8.1f} "
            f"{pct(values, .99)*1e3:8.1f} {max(values)*1e3:8.1f}")


def body(text: str, n: int, response_url: str) -> str:
    return urlencode({"team_id": "T0SSOBOT1", "user_id": "U0BENCH01", "channel_id": "C0BENCH01",
                      "command": "/sso", "text": text, "response_url": response_url, "trigger_id": f"{n}.1.1"})


def measure(url: str, texts: list[str], requests: int, concurrency: int, response_url: str) -> list[float]:
    def one(n: int, client: httpx.Client) -> float:
        payload = body(texts[n % len(texts)], n, response_url)
        started = time.perf_counter()
        response = client.post(url, content=payload, headers=signed_headers(SECRET, payload))
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: {response.text[:200]}")
        return elapsed

    clients = [httpx.Client(timeout=10) for _ in range(concurrency)]
    try:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            futures = [pool.submit(one, n, clients[n % concurrency]) for n in range(requests)]
            return [f.result() for f in futures]
    finally:
        for client in clients:
            client.close()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class _FakeSlackProcess:
    """The fake Web API in a process of its own (see bench/fake_slack_server.py for why)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, str(REPO / "bench" / "fake_slack_server.py")],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.base = self.proc.stdout.readline().strip()
        self.api_url = f"{self.base}/api/"

    def response_url(self, key: str) -> str:
        return f"{self.base}/response_url/{key}"

    def stop(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=15)


def run(requests: int, levels: list[int], texts: list[str], label: str) -> bool:
    fake = _FakeSlackProcess()
    ours, bare, ours_port, bare_port = start_servers(fake.api_url)
    targets = {"sso-bot": f"http://127.0.0.1:{ours_port}/slack/events",
               "bare bolt": f"http://127.0.0.1:{bare_port}/slack/events"}
    ok = True
    try:
        for url in targets.values():  # warm both up: imports, connection pools, SQLite file
            measure(url, texts, 50, 4, fake.response_url("warm"))
        print(f"\n{label}: {requests} signed requests per level\n")
        print(f"{'concurrency':>11} {'app':>10} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}  p99 ratio")
        for level in levels:
            results = {name: measure(url, texts, requests, level, fake.response_url("b"))
                       for name, url in targets.items()}
            ratio = pct(results["sso-bot"], 0.99) / pct(results["bare bolt"], 0.99)
            worst = max(max(v) for v in results.values())
            verdict = "ok" if ratio <= TARGET_RATIO and worst < SLACK_DEADLINE else "MISSED"
            ok = ok and verdict == "ok"
            for name, values in results.items():
                tail = f"  {ratio:.2f} ({verdict})" if name == "sso-bot" else ""
                print(row(level, name, values) + tail)
    finally:
        stop_all(ours, bare, fake)
    return ok


def diagnose_pastes() -> list[str]:
    """Real-shaped pastes: vendor messages, a SCIM URL, a redirect pair, and bodies from the shared corpus."""
    corpus = Path(os.environ.get("SSO_BOT_SHARED", REPO.parent / "shared")) / "corpus"
    pastes = [
        "AADSTS50011: The redirect URI 'https://app.example.com/oidc/callback/' specified in the request does not "
        "match the redirect URIs configured for the application '6731de76-14a6-49ae-97bc-6eba6914391e'.",
        "AADSTS50105: Your administrator has configured the application Airia to block users unless they are "
        "specifically granted ('assigned') access to the application.",
        "https://app.example.com/auth/realms/acme/org/3f2504e0-4f89-11d3-9a0c-0305e82c3301/scim",
        "registered https://app.example.com/callback, app sends https://app.example.com/Callback/",
        "401 Unauthorized from the SCIM endpoint since this morning, provisioning quarantined",
        "@example.com, Example.org, https://corp.example.net",
    ]
    for name in ("logs/graph_provisioningobjectsummary_list_failure.json", "scim/rfc_samples/rfc7644-3.12-error-bad_request.json"):
        path = corpus / name
        if path.exists():
            pastes.append(" ".join(path.read_text().split()))
    return pastes


# --------------------------------------------------------------------------- ticking a checklist box


class WatchedSlack(FakeSlack):
    """The fake Web API, noting when each chat.update arrives so a click can be matched to its update."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived = threading.Condition()
        self.updates: dict[str, list[tuple[float, str]]] = {}
        self.posts = 0

    def _record(self, method, params, headers):
        fault = super()._record(method, params, headers)
        with self.arrived:
            if method == "chat.update":
                arrival = (time.perf_counter(), str(params.get("text")))
                self.updates.setdefault(str(params.get("ts")), []).append(arrival)
            elif method == "chat.postMessage":
                self.posts += 1
            self.arrived.notify_all()
        return fault

    def wait(self, predicate, timeout: float = 30.0) -> None:
        with self.arrived:
            if not self.arrived.wait_for(predicate, timeout=timeout):
                raise SystemExit("the fake Slack never received what the benchmark waited for")


def action_body(run_id: str, item_id: str, option: dict, *, tick: bool, n: int, parent_ts: str) -> str:
    """A checkbox click on the first item of a run's first element, as Slack sends it."""
    mask_len = int(option["_mask_len"])
    mask = ("0" if tick else "1") + "0" * (mask_len - 1)
    selected = [{k: v for k, v in option.items() if not k.startswith("_")}] if tick else []
    block_id = f"cl.tick|{run_id}|0.0|{mask}"
    payload = {
        "type": "block_actions", "team": {"id": "T0SSOBOT1", "domain": "bench"},
        "user": {"id": f"U0BENCH{n % 7}", "username": "bench", "team_id": "T0SSOBOT1"}, "api_app_id": "A0BENCH",
        "token": "unused", "trigger_id": f"{n}.1.1",
        "container": {"type": "message", "message_ts": option["_message_ts"], "channel_id": "C0BENCH01",
                      "is_ephemeral": False, "thread_ts": parent_ts},
        "channel": {"id": "C0BENCH01", "name": "bench"},
        "state": {"values": {block_id: {"checklist.tick": {"type": "checkboxes", "selected_options": selected}}}},
        "response_url": "http://127.0.0.1:9/unused",
        "actions": [{"action_id": "checklist.tick", "block_id": block_id, "type": "checkboxes",
                     "selected_options": selected, "action_ts": f"1700000000.{n:06d}"}],
    }
    return urlencode({"payload": json.dumps(payload)})


def start_runs(fake: WatchedSlack, url: str, count: int) -> list[dict]:
    """Start ``count`` SSO quick checklists through the app and read back what to click."""
    before = len(fake.calls_to("chat.postMessage"))
    with httpx.Client(timeout=10) as client:
        for n in range(count):
            payload = body("checklist sso", n, "http://127.0.0.1:9/unused")
            client.post(url, content=payload, headers=signed_headers(SECRET, payload)).raise_for_status()
    # Each start posts the parent, then one thread message per group (two for the SSO quick check).
    fake.wait(lambda: fake.posts >= before + 3 * count)
    posts = [c.params for c in fake.calls_to("chat.postMessage")[before:]]
    runs = []
    for parent in (p for p in posts if "thread_ts" not in p):
        run_id = next(b["block_id"].split("|")[1] for b in parent["blocks"]
                      if b.get("block_id", "").startswith("cl.parent|"))
        first = next(p for p in posts if p.get("thread_ts") and any(
            b.get("block_id", "").startswith(f"cl.tick|{run_id}|0.0|") for b in p["blocks"]))
        element = next(e for b in first["blocks"] if b.get("block_id", "").startswith("cl.tick|")
                       for e in b["elements"])
        option = dict(element["options"][0], _mask_len=len(element["options"]), _message_ts="0.0")
        total = int(parent["text"].split(": ")[1].split(" ")[0].split("/")[1])
        runs.append({"id": run_id, "parent_ts": first["thread_ts"], "option": option, "total": total, "ticked": False})
    return runs


def measure_ticks(fake: WatchedSlack, url: str, runs: list[dict], requests: int, concurrency: int,
                  wait_update: bool) -> tuple[list[float], list[float]]:
    """Each worker owns one run and toggles its first box, one click at a time; returns (acks, updates)."""
    acks: list[float] = []
    updates: list[float] = []
    lock = threading.Lock()
    per_worker = max(1, requests // concurrency)

    def worker(w: int) -> None:
        run = runs[w]
        with httpx.Client(timeout=10) as client:
            for k in range(per_worker):
                tick = not run["ticked"]
                payload = action_body(run["id"], run["option"]["value"], run["option"], tick=tick, n=w * 100000 + k,
                                      parent_ts=run["parent_ts"])
                expected = f"{1 if tick else 0}/{run['total']}"
                with fake.arrived:
                    seen = len(fake.updates.get(run["parent_ts"], []))
                started = time.perf_counter()
                response = client.post(url, content=payload, headers=signed_headers(SECRET, payload))
                acked = time.perf_counter()
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}: {response.text[:200]}")
                arrived = None
                if wait_update:
                    def landed() -> bool:
                        return any(expected in text for _, text in fake.updates.get(run["parent_ts"], [])[seen:])
                    fake.wait(landed)
                    with fake.arrived:
                        arrived = next(t for t, text in fake.updates[run["parent_ts"]][seen:] if expected in text)
                run["ticked"] = tick
                with lock:
                    acks.append(acked - started)
                    if arrived is not None:
                        updates.append(arrived - started)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return acks, updates


def run_ticks(requests: int, levels: list[int]) -> bool:
    fake = WatchedSlack().start()
    ours, bare, ours_port, bare_port = start_servers(fake.api_url)
    ours_url = f"http://127.0.0.1:{ours_port}/slack/events"
    bare_url = f"http://127.0.0.1:{bare_port}/slack/events"
    ok = True
    try:
        runs = start_runs(fake, ours_url, max(levels))
        bare_runs = [dict(r) for r in runs]
        measure_ticks(fake, ours_url, runs, 40, 4, True)  # warm up: imports, pools, the SQLite file
        measure_ticks(fake, bare_url, bare_runs, 40, 4, False)
        print(f"\nticking a checklist box: about {requests} signed block_actions per level (whole clicks per "
              f"worker; {len(runs)} runs of {runs[0]['total']} items, each worker toggles its own run's box)\n")
        print(f"{'concurrency':>11} {'app':>10} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}  p99 ratio"
              f"   chat.update p50/p95/p99 ms")
        for level in levels:
            acks, updates = measure_ticks(fake, ours_url, runs, requests, level, True)
            bare_acks, _ = measure_ticks(fake, bare_url, bare_runs, requests, level, False)
            ratio = pct(acks, 0.99) / pct(bare_acks, 0.99)
            worst = max(max(acks), max(bare_acks))
            update_ok = pct(updates, 0.95) <= UPDATE_P95_TARGET
            verdict = "ok" if ratio <= TARGET_RATIO and worst < SLACK_DEADLINE and update_ok else "MISSED"
            ok = ok and verdict == "ok"
            for name, values in (("sso-bot", acks), ("bare bolt", bare_acks)):
                tail = (f"  {ratio:.2f} ({verdict})   {pct(updates, .5)*1e3:.1f}/{pct(updates, .95)*1e3:.1f}/"
                        f"{pct(updates, .99)*1e3:.1f}") if name == "sso-bot" else ""
                print(row(level, name, values) + tail)
    finally:
        stop_all(ours, bare, fake)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per concurrency level")
    parser.add_argument("--levels", default="1,8,32", help="comma-separated concurrency levels")
    parser.add_argument("--only", default="help,diagnose,tick", help="which runs: help, diagnose, tick")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    only = set(args.only.split(","))
    ok = True
    if "help" in only:
        ok = run(args.requests, levels, ["help"], "/sso help") and ok
    if "diagnose" in only:
        ok = run(args.requests, levels, [f"diagnose {p}" for p in diagnose_pastes()],
                 "/sso diagnose (mixed pastes)") and ok
    if "tick" in only:
        ok = run_ticks(args.requests, levels) and ok
    print("\nall targets met" if ok else "\nsome targets missed (see MISSED above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
