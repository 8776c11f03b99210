"""How fast the diagnosis is: in-process throughput, and the cold start of `sso-bot diagnose`.

1. Throughput: ``diagnose(text)`` in one process over the pastes in tests/data/pastes (what admins
   paste: 0.1-2 KB each) and over the shared corpus files (SCIM samples, log exports, code
   tables, tokens: up to 350 KB, cut at the engine's 200 KB), separately and mixed. Target: 5,000
   diagnoses per second on the pastes.
2. Cold start: the median wall time of a fresh ``sso-bot diagnose AADSTS50105`` process over N
   runs, against ``python -c pass`` measured in the same run. Target: 0.5 s.

The cold starts run as an installed bot does: with its bytecode compiled (pip compiles it at install; a
checkout run with PYTHONDONTWRITEBYTECODE=1 would measure Python's compiler on every start, so the bench
lets the children write it) and with a knowledge cache of their own (a shared ~/.cache/sso-bot is pruned
by other checkouts, and a start that finds no cache validates everything again).

Ratios are against figures measured in this run, so they hold on whatever machine runs it. On a loaded
machine the wall-clock figures say more about the other work than about the engine: each figure is also
given in CPU time (``time.process_time`` for the throughput, the children's user+system time for the
cold starts), which other processes disturb far less.

    .venv/bin/python bench/diagnose.py [--seconds 3] [--runs 10] [--importtime]
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PASTES = REPO / "tests" / "data" / "pastes"
SHARED = Path(os.environ.get("SSO_BOT_SHARED", REPO.parent / "shared")).resolve()
CORPUS_FOLDERS = ("scim", "logs", "codes", "tokens")
TARGET_PER_SECOND = 5_000
TARGET_COLD_SECONDS = 0.5


def load_inputs() -> tuple[list[str], list[str]]:
    pastes = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(PASTES.glob("*.txt"))]
    corpus = [p.read_text(encoding="utf-8", errors="replace")
              for folder in CORPUS_FOLDERS for p in sorted((SHARED / "corpus" / folder).rglob("*")) if p.is_file()]
    return pastes, corpus


def throughput(texts: list[str], seconds: float) -> tuple[float, float, float, float]:
    """(best-round, median-round diagnoses per second, MB of input per second at the median, best-round
    diagnoses per CPU-second) over ``texts``.

    Each round diagnoses every text once; rounds repeat for ``seconds``. The best round is the figure
    least disturbed by other work on the machine; the median says what a busy machine gives.
    """
    from bot.diagnostics.engine import MAX_INPUT_CHARS, diagnose
    from bot.knowledge import load_knowledge

    kb = load_knowledge()
    for text in texts:  # warm up: knowledge caches, compiled patterns
        diagnose(text, kb=kb)
    chars = sum(min(len(text), MAX_INPUT_CHARS) for text in texts)
    rounds: list[float] = []
    cpu: list[float] = []
    started = time.perf_counter()
    while time.perf_counter() - started < seconds or len(rounds) < 3:
        begin, begin_cpu = time.perf_counter(), time.process_time()
        for text in texts:
            diagnose(text, kb=kb)
        rounds.append(time.perf_counter() - begin)
        cpu.append(time.process_time() - begin_cpu)
    best, median = min(rounds), statistics.median(rounds)
    return len(texts) / best, len(texts) / median, chars / median / 1e6, len(texts) / max(min(cpu), 1e-9)


def _cold_env() -> dict[str, str]:
    """The children's environment: bytecode written and read as an install has it (module docstring)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def wall(cmd: list[str], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of ``cmd`` as a fresh process (its exit code
    is not judged here), after one start that compiles the bytecode and fills the knowledge cache."""
    import resource

    env = _cold_env()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO, env=env, check=False)
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO, env=env, check=False)
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times), statistics.median(cpu)


def sso_bot() -> list[str]:
    script = Path(sys.executable).with_name("sso-bot")
    if script.exists():
        return [str(script)]
    found = shutil.which("sso-bot")
    return [found] if found else [sys.executable, "-m", "bot"]


def import_times(top: int = 8) -> list[tuple[int, str]]:
    """The slowest imports (cumulative microseconds) of a cold `diagnose`, from ``python -X importtime``."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "bot", "diagnose", "AADSTS50105"],
                          capture_output=True, text=True, cwd=REPO, env=_cold_env(), check=False)
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _self, cumulative, name = (part.strip() for part in line[len("import time:"):].split("|"))
        if cumulative.isdigit():
            rows.append((int(cumulative), name))
    return sorted(rows, reverse=True)[:top]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time spent on each throughput set")
    parser.add_argument("--runs", type=int, default=10, help="cold starts to take the median of")
    parser.add_argument("--importtime", action="store_true", help="also list the slowest imports of a cold start")
    args = parser.parse_args()
    # A knowledge cache of this run's own, for this process and the cold starts (module docstring).
    if "SSO_BOT_CACHE_DIR" not in os.environ:
        own_cache = tempfile.mkdtemp(prefix="sso-bot-bench-")
        atexit.register(shutil.rmtree, own_cache, True)
        os.environ["SSO_BOT_CACHE_DIR"] = own_cache

    pastes, corpus = load_inputs()
    if not pastes:
        raise SystemExit(f"no pastes in {PASTES}")
    started = time.perf_counter()
    from bot.knowledge import load_knowledge

    load_knowledge()
    knowledge_ms = (time.perf_counter() - started) * 1000

    print(f"inputs: {len(pastes)} pastes ({sum(map(len, pastes)) / len(pastes):,.0f} chars on average), "
          f"{len(corpus)} corpus files ({sum(map(len, corpus)) / 1e6:.1f} MB)")
    print(f"knowledge base load (import + validation, once per process): {knowledge_ms:.0f} ms")
    print()
    print("throughput, one process (best round / median round):")
    best, median, _mb, per_cpu = throughput(pastes, args.seconds)
    print(f"  pastes        {best:8,.0f} /s  {median:8,.0f} /s   target {TARGET_PER_SECOND:,}/s: "
          f"{best / TARGET_PER_SECOND:.2f}x ({1e6 / best:,.0f} µs a paste)")
    print(f"                {per_cpu:8,.0f} per CPU-second (best round): {per_cpu / TARGET_PER_SECOND:.2f}x "
          f"({1e6 / per_cpu:,.0f} µs of CPU a paste)")
    if corpus:
        best_c, median_c, mb, _ = throughput(corpus, args.seconds)
        print(f"  corpus files  {best_c:8,.0f} /s  {median_c:8,.0f} /s   {mb:.1f} MB/s of input")
        best_m, median_m, _, _ = throughput(pastes + corpus, args.seconds)
        print(f"  mixed         {best_m:8,.0f} /s  {median_m:8,.0f} /s   (every paste and corpus file once a round)")
    else:
        print(f"  (no corpus at {SHARED / 'corpus'}; set SSO_BOT_SHARED)")
    print()
    baseline, baseline_cpu = wall([sys.executable, "-c", "pass"], args.runs)
    imports, imports_cpu = wall([sys.executable, "-c", "import bot.diagnostics.engine, bot.diagnostics.render"],
                                args.runs)
    cold, cold_cpu = wall(sso_bot() + ["diagnose", "AADSTS50105"], args.runs)
    print(f"cold start, median of {args.runs} (wall, then CPU):")
    print(f"  python -c pass                {baseline * 1000:6.0f} ms   1.00x   {baseline_cpu * 1000:6.0f} ms CPU")
    print(f"  import engine + render        {imports * 1000:6.0f} ms   {imports / baseline:.2f}x   "
          f"{imports_cpu * 1000:6.0f} ms CPU")
    print(f"  sso-bot diagnose AADSTS50105  {cold * 1000:6.0f} ms   {cold / baseline:.2f}x   "
          f"{cold_cpu * 1000:6.0f} ms CPU   target {TARGET_COLD_SECONDS * 1000:.0f} ms: "
          f"{'met' if cold <= TARGET_COLD_SECONDS else 'MISSED'} (wall), "
          f"{'met' if cold_cpu <= TARGET_COLD_SECONDS else 'MISSED'} (CPU)")
    if args.importtime:
        print()
        print("slowest imports of a cold diagnose (cumulative):")
        for micros, name in import_times():
            print(f"  {micros / 1000:7.1f} ms  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
