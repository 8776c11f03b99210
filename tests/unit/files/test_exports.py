"""Log exports: the real ones in ``corpus/logs/`` and ``corpus/provisioning_exports/``, and larger ones
generated from their shapes (Graph's provisioningObjectSummary failure example, Okta's LogEvent)."""

from __future__ import annotations

import copy
import csv
import json
from datetime import datetime
import pytest

from bot.diagnostics.render import render_json, render_text
from bot.files import REFUSED_INPUT, analyse_file


def codes(report):
    return [f.code for f in report.findings]


def finding(report, code):
    return next(f for f in report.findings if f.code == code)


@pytest.mark.parametrize("path, summary", [
    ("logs/graph_provisioningobjectsummary_list_failure.json", "1 events from 2019-06-24 20:53 UTC"),
    ("provisioning_exports/entra_provisioninglogs_diagsettings_elastic_testdata.jsonl", "1 failed (1 cause), 1 skipped, 1 succeeded"),
    ("logs/entra_signin_audit_events_panther_tests.jsonl", "11 failed (3 causes)"),
    ("logs/okta_systemlog_events_panther_tests.jsonl", "5 failed"),
    ("logs/okta_systemlog_events_panther_tests_lowercased_keys.jsonl", "16 failed"),
    ("logs/okta_systemlog_rate_limit_events.json", "3 failed"),
    ("logs/okta_event_hook_user_session_start.json", "0 failed, 0 skipped, 1 succeeded"),
    ("logs/sentinel_okta_CL_subset.json", "94 events"),
])
def test_every_real_export_is_summarised(corpus, path, summary, now):
    report = analyse_file(corpus / path, now=now)
    assert codes(report)[0] == "export-summary" and summary in report.findings[0].title, render_text(report)


def test_entry_conflict_is_grouped_under_the_engines_code_with_the_fix_once(corpus, now):
    report = analyse_file(corpus / "provisioning_exports/entra_provisioninglogs_diagsettings_elastic_testdata.jsonl",
                          now=now)
    conflict = finding(report, "entra-prov-EntryConflict")
    assert conflict.title.startswith("1 × EntryConflict") and conflict.fix
    assert "Users (1): t***@mauriziobrancaoutlook.onmicrosoft.com." in conflict.detail
    assert "1 × " in finding(report, "export-skipped").detail


def test_okta_credentials_failures_get_the_engines_cause(corpus, now):
    report = analyse_file(corpus / "logs/sentinel_okta_CL_subset.json", now=now)
    assert any(f.code.startswith("okta-") and "INVALID_LOGIN" in f.detail for f in report.findings), render_text(report)


def test_the_okta_event_catalogue_is_not_an_export(corpus, now):
    report = analyse_file(corpus / "logs/okta_event_types.csv", now=now)
    assert report.inputs == (REFUSED_INPUT,) and "Event Type, Description" in report.findings[0].title


def _graph_rows(corpus, n: int) -> list[dict]:
    """``n`` provisioning events in Graph's shape: the docs' failure example, varied (users, times, causes)."""
    page = json.loads((corpus / "logs/graph_provisioningobjectsummary_list_failure.json").read_text())
    base = page["value"][0]
    rows = []
    for i in range(n):
        row = copy.deepcopy(base)
        row["activityDateTime"] = f"2026-11-{1 + i % 20:02d}T{i % 24:02d}:00:00Z"
        row["sourceIdentity"]["details"] = {"UserPrincipalName": f"user{i % 37}@contoso.example"}
        info = row["provisioningStatusInfo"]
        if i % 3 == 0:
            info["errorInformation"] = {"errorCode": "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable",
                                        "reason": "The SCIM endpoint answered HTTP 401 Unauthorized with the token "
                                                  "in Admin Credentials; the job will be placed in quarantine."}
        elif i % 7 == 0:
            info["status"], info["errorInformation"] = "success", None
        rows.append(row)
    return rows


def test_failures_are_grouped_by_cause_most_frequent_first_with_masked_users(tmp_path, corpus, now):
    rows = _graph_rows(corpus, 300)
    path = tmp_path / "graph.json"
    path.write_text(json.dumps({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/provisioning",
                                "value": rows}))
    report = analyse_file(path, now=now)
    causes = [f for f in report.findings if f.severity.value == "fail"]
    counts = [int(f.facts["count"]) for f in causes]
    assert counts == sorted(counts, reverse=True) and sum(counts) == sum(
        1 for r in rows if r["provisioningStatusInfo"]["status"] == "failure")
    out = render_text(report) + render_json(report)
    assert "@contoso.example" in out and "user1@contoso" not in out and "u***@contoso.example" in out
    assert causes[0].facts["first seen"] < causes[0].facts["last seen"]
    clock = finding(report, "export-quarantine-clock")
    assert clock.facts["failing since"] == "2026-11-01 00:00 UTC" and clock.facts["disabled on"] == "2026-11-29 00:00 UTC"


def test_a_portal_style_csv_in_utf16_reads_the_same(tmp_path, corpus, now):
    """The portal's CSV download has one column per field; names are matched without case or spaces."""
    header = ["Date", "Job ID", "Action", "Source Identity", "Status", "Error Code", "Error Reason"]
    lines = [header] + [[f"2026-11-{1 + i % 9:02d}T10:00:00Z", "scim.123", "Create", f"ana{i}@fabrikam.example",
                         "failure", "EntryConflict", "The app already has a user with this userName (HTTP 409)"]
                        for i in range(40)]
    path = tmp_path / "portal.csv"
    with path.open("w", encoding="utf-16", newline="") as handle:
        csv.writer(handle).writerows(lines)
    report = analyse_file(path, now=now)
    assert "40 failed (1 cause)" in report.findings[0].title
    conflict = report.findings[1]
    assert conflict.facts["count"] == "40" and "a***@fabrikam.example" in conflict.detail
    assert "Users (40): a***@fabrikam.example, …." in conflict.detail and conflict.facts["users"] == "40"


@pytest.mark.parametrize("data, what", [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "a PNG image"),
    (b"PK\x03\x04" + b"\x00" * 50, "a zip archive"),
    (b"", "an empty file"),
    (b"\x00\x01\x02\x03binary", "a binary file"),
    (b"<!DOCTYPE html><html><body>Sign in</body></html>", "a saved web page"),
])
def test_files_that_are_not_exports_or_captures_are_refused_with_a_next_step(tmp_path, data, what, now):
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    report = analyse_file(path, now=now)
    assert report.inputs == (REFUSED_INPUT,) and what in report.findings[0].title and report.findings[0].fix


def test_an_excel_workbook_is_told_to_be_saved_as_csv(tmp_path, now):
    path = tmp_path / "ProvisioningLogs.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    assert "CSV" in analyse_file(path, now=now).findings[0].fix[0]


def test_time_span_is_the_first_and_last_event(tmp_path, corpus, now):
    rows = _graph_rows(corpus, 21)
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    title = analyse_file(path, now=now).findings[0].title
    assert "from 2026-11-01 00:00 UTC to 2026-11-20 19:00 UTC" in title


def test_a_cause_without_an_engine_code_gets_a_slug_without_names(corpus, now):
    report = analyse_file(corpus / "logs/okta_systemlog_rate_limit_events.json", now=now)
    codes_seen = [f.code for f in report.findings]
    assert "okta-profile-reload-for-skipped-due-to-rate-limiting" in codes_seen
    assert all("@" not in code and " " not in code for code in codes_seen)


def _log_analytics_csv(corpus, path) -> None:
    """The corpus's diagnostic-settings provisioning records (``provisioning_exports/entra_provisioninglogs_
    diagsettings_elastic_testdata.jsonl``) as a Log Analytics query's CSV export of the ``AADProvisioningLogs``
    table. The column names are the table's, as Microsoft documents them (learn.microsoft.com/azure/azure-monitor/
    reference/tables/aadprovisioninglogs: TimeGenerated, ResultType, ResultSignature, ResultDescription,
    SourceIdentity, ServicePrincipal, ProvisioningStatusInfo, JobId, CycleId, ProvisioningAction ...); the
    portal's export names the time column "TimeGenerated [UTC]", writes times as "11/23/2022, 1:36:34.547 PM"
    and the nested fields as JSON text."""
    source = corpus / "provisioning_exports" / "entra_provisioninglogs_diagsettings_elastic_testdata.jsonl"
    header = ["TenantId", "TimeGenerated [UTC]", "OperationName", "Category", "ResultType", "ResultSignature",
              "ResultDescription", "JobId", "CycleId", "ProvisioningAction", "ServicePrincipal", "SourceIdentity",
              "TargetSystem", "ProvisioningStatusInfo"]
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for line in source.read_text().splitlines():
            record = json.loads(line)
            props = record["properties"]
            info = props["provisioningStatusInfo"] or {}
            error = info.get("errorInformation") or {}
            when = datetime.fromisoformat(record["time"][:26] + "+00:00")
            writer.writerow([record["tenantId"], when.strftime("%m/%d/%Y, %I:%M:%S.%f")[:-3] + when.strftime(" %p"),
                             record["operationName"], record["category"], record["resultType"],
                             error.get("errorCode", ""), error.get("reason", ""), props["jobId"], props["cycleId"],
                             props["provisioningAction"], json.dumps(props["servicePrincipal"]),
                             json.dumps(props["sourceIdentity"]), json.dumps(props["targetSystem"]), json.dumps(info)])


def test_a_log_analytics_csv_export_reads_its_json_columns(tmp_path, corpus, now):
    path = tmp_path / "query_data.csv"
    _log_analytics_csv(corpus, path)
    from_csv = analyse_file(path, now=now)
    from_json = analyse_file(corpus / "provisioning_exports" / "entra_provisioninglogs_diagsettings_elastic_testdata.jsonl",
                             now=now)
    assert from_csv.findings[0].title == from_json.findings[0].title  # same events, outcomes and time span
    csv_causes = [(f.code, f.facts.get("users shown"), f.facts.get("apps")) for f in from_csv.findings[1:]]
    json_causes = [(f.code, f.facts.get("users shown"), f.facts.get("apps")) for f in from_json.findings[1:]]
    assert csv_causes == json_causes and any(users for _c, users, _a in csv_causes)
    shown = [v for _c, users, apps in csv_causes for v in (users, apps) if v]
    assert shown and not [v for v in shown if "{" in v]  # names read from inside the JSON text, never the text
