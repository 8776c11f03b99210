"""The grouped failures of an export as CSV (``bot.files.failures_csv``) and ``sso-bot diagnose --file --csv``:
one row per cause read back from the sealed report, masked users, spreadsheet formulas made inert."""

from __future__ import annotations

import csv
import io
import json
import re

from bot.files import analyse_file
from bot.files.failures_csv import HEADER, failure_groups, failures_csv
from tests.unit.files.test_cli_files import cli

CAUSES = 30


def many_causes(path, causes: int = CAUSES, per_cause: int = 2):
    """An Entra provisioning export in Graph's shape (``corpus/logs/graph_provisioningobjectsummary_list_failure
    .json``), one error code per cause that the engine does not know, the codes starting with the characters
    a spreadsheet runs as a formula (an app's own codes and attribute names are whatever its makers chose)."""
    rows = []
    for n in range(causes * per_cause):
        k = n % causes
        code = f"{'=+-@'[k % 4]}AppSpecificFault{chr(65 + k // 26)}{chr(65 + k % 26)}"
        rows.append({"activityDateTime": f"2026-11-0{1 + n % 9}T10:{n % 60:02d}:00Z", "jobId": "scim.1",
                     "provisioningAction": "create",
                     "sourceIdentity": {"details": {"UserPrincipalName": f"person{n}@contoso.example"}},
                     "provisioningStatusInfo": {"status": "failure", "errorInformation": {
                         "errorCode": code, "reason": f'=HYPERLINK("https://evil.example","x") attribute dept{k}'}}})
    path.write_text("\n".join(json.dumps(r) for r in rows))
    return path


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_one_row_per_cause_under_a_header_most_frequent_first(tmp_path, corpus, now):
    report = analyse_file(corpus / "logs" / "entra_signin_audit_events_panther_tests.jsonl", now=now)
    header, *rows = _rows(failures_csv(report))
    assert tuple(header) == HEADER
    assert [r[0] for r in rows] == ["aadsts-7000215", "aadsts-50126", "aadsts-50053"]  # counts 7, 2, 2
    assert [r[1] for r in rows] == ["7", "2", "2"] and len(rows) == len(failure_groups(report))
    by_cause = {r[0]: dict(zip(header, r)) for r in rows}
    locked = by_cause["aadsts-50053"]
    assert locked["first seen (UTC)"] == "2025-01-15 08:15" and locked["users affected"] == "2"
    assert locked["users (masked, first few)"] == "b***@lotr.com, u***@microsoft.com"
    assert "AADSTS50053" in locked["what it means"] and locked["fix"].count(" | ") >= 1


def test_every_cell_that_a_spreadsheet_would_run_is_made_inert(tmp_path, now):
    report = analyse_file(many_causes(tmp_path / "many.jsonl"), now=now)
    text = failures_csv(report)
    header, *rows = _rows(text)
    assert len(rows) == CAUSES
    codes = [dict(zip(header, r))["error codes"] for r in rows]
    assert {c[:2] for c in codes} == {"'=", "'+", "'-", "'@"}  # each kept, behind an apostrophe
    assert not [c for r in rows for c in r if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert re.search(r"person\d", text) is None and "p***@contoso.example" in text  # users only masked


def test_a_capture_or_a_refusal_has_no_groups_only_the_header(corpus, now):
    for path in (corpus / "har" / "har-sanitizer_auth0_example.har", corpus / "har" / "mitmproxy_brokenfile.har"):
        report = analyse_file(path, now=now)
        assert failure_groups(report) == [] and _rows(failures_csv(report)) == [list(HEADER)]


def _cli(*args: str):
    return cli(*args)


def test_the_command_line_writes_the_csv_beside_the_answer(tmp_path, corpus):
    out = tmp_path / "failures.csv"
    done = _cli("--file", str(corpus / "logs" / "entra_signin_audit_events_panther_tests.jsonl"), "--csv", str(out))
    assert done.returncode == 1 and "AADSTS7000215" in done.stdout  # the answer still prints; a cause failed
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a byte-order mark, so Excel reads the file as UTF-8
    assert _rows(data.decode("utf-8-sig"))[0] == list(HEADER) and len(_rows(data.decode("utf-8-sig"))) == 4
    to_stdout = _cli("--file", str(corpus / "logs" / "entra_signin_audit_events_panther_tests.jsonl"), "--csv", "-")
    assert _rows(to_stdout.stdout)[0] == list(HEADER)


def test_csv_needs_a_file_and_a_refused_file_writes_nothing(tmp_path, corpus):
    assert _cli("--csv", str(tmp_path / "x.csv"), "AADSTS50011").returncode == 2
    refused = _cli("--file", str(corpus / "har" / "mitmproxy_brokenfile.har"), "--csv", str(tmp_path / "y.csv"))
    assert refused.returncode == 2 and not (tmp_path / "y.csv").exists()
