"""How fast and how small reading attached files is: a 100 MB HAR and a 100,000-row export.

1. HAR: a capture of about 100 MB is generated from real shapes (the page-load entries of
   ``corpus/har/haralyzer_cnn.har``, Firebug's export of cnn.com, repeated with fresh URLs and times,
   with a failing Entra sign-in from ``tests/unit/files/har_builder.py`` in the middle). In the same
   run, each in a fresh process: ``json.load`` of the file, then ``bot.files.analyse_file``. Targets:
   the analysis in ≤ 0.7 × json.load's wall time (CPU time printed beside it: on a loaded machine
   it shows what the wall clock blurs), and ≤ 30 MiB peak memory for the analysis (the
   process's peak resident size minus its size before the file was opened, from getrusage; the
   Python-heap peak from tracemalloc is printed beside it, in a separate run so it does not slow
   the timing).
2. Exports: 100,000 provisioning events as the Entra portal's CSV download and as Graph JSON Lines
   (Graph's provisioningObjectSummary failure example from ``corpus/logs/``, varied: six causes,
   5,000 users, a month of times). Targets: ≤ 5 s and ≤ 200 MiB each (same measures).

Ratios are against figures measured in this run, so they hold on whatever machine runs it.

    .venv/bin/python bench/files.py [--har-mb 100] [--rows 100000] [--keep]
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("SSO_BOT_SHARED", REPO.parent / "shared")).resolve()
CORPUS = SHARED / "corpus"
HAR_RATIO, HAR_MIB, EXPORT_SECONDS, EXPORT_MIB = 0.7, 30, 5.0, 200

_CHILD = r"""
import json, resource, sys, time, tracemalloc
mode, path, trace = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
from bot.files import analyse_file
from bot.checks import run_check
# The engine's knowledge and its free-text index are built before the clock starts, as in a running server
# (a cold command line pays about a second more, once).
run_check("diagnose", "AADSTS50011")
run_check("diagnose", "the SCIM endpoint answered an error while provisioning a user")
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()
before = rss()
if trace:
    tracemalloc.start()
start, cpu = time.perf_counter(), time.process_time()
if mode == "json.load":
    with open(path, "rb") as f:
        data = json.load(f)
    findings = len(data["log"]["entries"]) if "log" in data else len(data)
else:
    report = analyse_file(path)
    findings = len(report.findings)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
heap = tracemalloc.get_traced_memory()[1] if trace else 0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_growth": max(0, peak - before), "heap_peak": heap, "findings": findings}))
"""


def child(mode: str, path: Path, *, trace: bool = False) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, mode, str(path), "1" if trace else "0"], cwd=REPO,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def build_har(path: Path, megabytes: int) -> int:
    from tests.unit.files import har_builder as hb

    source = json.loads((CORPUS / "har" / "haralyzer_cnn.har").read_text())["log"]["entries"]
    target = megabytes * 1_000_000
    written, count = 0, 0
    sign_in = [json.dumps(e) for e in hb.code_flow(callback_status=502)]
    with path.open("w") as out:
        out.write('{"log": {"version": "1.2", "creator": {"name": "Firebug", "version": "1.12"}, "entries": [\n')
        while written < target:
            for entry in source:
                entry = copy.copy(entry)
                entry["request"] = dict(entry["request"], url=entry["request"]["url"] + f"#r{count}")
                text = json.dumps(entry)
                out.write(("," if count else "") + text + "\n")
                written += len(text)
                count += 1
                if count == 20_000:
                    for e in sign_in:
                        out.write("," + e + "\n")
                        count += 1
                if written >= target:
                    break
        out.write("]}}\n")
    return count


def build_exports(folder: Path, rows: int) -> tuple[Path, Path]:
    base = json.loads((CORPUS / "logs" / "graph_provisioningobjectsummary_list_failure.json").read_text())["value"][0]
    causes = [
        ("failure", "ContosoEntryConflict", base["provisioningStatusInfo"]["errorInformation"]["reason"]),
        ("failure", "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable",
         "The SCIM endpoint answered HTTP 401 Unauthorized to the credentials in Admin Credentials."),
        ("failure", "SystemForCrossDomainIdentityManagementBadResponse", "The SCIM endpoint answered HTTP 400: "
         "attribute 'emails' is required."),
        ("failure", "AzureActiveDirectoryCannotUpdateObjectsOriginatedInExternalService", "Cannot update an object "
         "that originated on-premises."),
        ("skipped", "", "NotEffectivelyEntitled"),
        ("success", "", ""),
    ]
    jsonl, portal = folder / "provisioning.jsonl", folder / "provisioning.csv"
    with jsonl.open("w") as j, portal.open("w", newline="") as c:
        writer = csv.writer(c)
        writer.writerow(["Date", "Id", "Job ID", "Cycle ID", "Action", "Source Identity", "Target System", "Status",
                         "Error Code", "Error Reason"])
        for i in range(rows):
            status, code, reason = causes[(i * 7) % len(causes)]
            when = f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z"
            user = f"user{i % 5000}@contoso.example"
            row = copy.deepcopy(base)
            row["activityDateTime"] = when
            row["sourceIdentity"]["details"] = {"UserPrincipalName": user}
            row["provisioningStatusInfo"] = {"status": status, "errorInformation": {"errorCode": code, "reason": reason}
                                             if code else None}
            j.write(json.dumps(row) + "\n")
            writer.writerow([when, f"id-{i}", row["jobId"], row["cycleId"], "Create", user, "Contoso", status, code,
                             reason])
    return jsonl, portal


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--har-mb", type=int, default=100)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated files (printed)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sso-bot-bench-files-"))
    ok = True
    try:
        har = folder / "capture.har"
        entries = build_har(har, args.har_mb)
        size = har.stat().st_size
        baseline = child("json.load", har)
        analysis = child("analyse", har)
        heap = child("analyse", har, trace=True)["heap_peak"]
        ratio = analysis["seconds"] / baseline["seconds"]
        mib = analysis["rss_growth"] / 2**20
        print(f"HAR {size / 1e6:.1f} MB, {entries} entries")
        cpu_ratio = analysis["cpu"] / baseline["cpu"]
        print(f"  json.load      {baseline['seconds']:6.2f} s wall {baseline['cpu']:6.2f} s CPU   "
              f"peak +{baseline['rss_growth'] / 2**20:6.1f} MiB")
        print(f"  analyse_file   {analysis['seconds']:6.2f} s wall {analysis['cpu']:6.2f} s CPU   peak +{mib:6.1f} MiB   "
              f"(Python heap peak {heap / 2**20:.1f} MiB; {analysis['findings']} findings)")
        print(f"  ratio {ratio:.2f} wall, {cpu_ratio:.2f} CPU (target ≤ {HAR_RATIO}), memory {mib:.1f} MiB "
              f"(target ≤ {HAR_MIB})  {'OK' if ratio <= HAR_RATIO and mib <= HAR_MIB else 'MISSED'}")
        ok &= ratio <= HAR_RATIO and mib <= HAR_MIB
        for path in build_exports(folder, args.rows):
            run = child("analyse", path)
            heap = child("analyse", path, trace=True)["heap_peak"]
            mib = run["rss_growth"] / 2**20
            print(f"export {path.name} ({path.stat().st_size / 1e6:.1f} MB, {args.rows} rows): {run['seconds']:.2f} s "
                  f"wall, {run['cpu']:.2f} s CPU, {args.rows / run['seconds']:,.0f} rows/s "
                  f"(target ≤ {EXPORT_SECONDS}), peak +{mib:.1f} MiB (target ≤ {EXPORT_MIB}; Python heap peak "
                  f"{heap / 2**20:.1f} MiB)  {'OK' if run['seconds'] <= EXPORT_SECONDS and mib <= EXPORT_MIB else 'MISSED'}")
            ok &= run["seconds"] <= EXPORT_SECONDS and mib <= EXPORT_MIB
    finally:
        if args.keep:
            print(f"files kept in {folder}")
        else:
            for p in folder.iterdir():
                p.unlink()
            folder.rmdir()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
