"""``sso-bot diagnose --file PATH`` and a bare argument naming a file: output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.unit.files import har_builder as hb


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "diagnose", *args], capture_output=True, text=True, timeout=120)


def test_a_failing_sign_in_exits_1_with_the_timeline(tmp_path):
    path = hb.write(tmp_path / "err.har", hb.har(hb.error_flow()))
    done = cli("--file", path)
    assert done.returncode == 1, done.stderr
    assert "Sign-in flow with Entra: 2 steps" in done.stdout and "AADSTS50011" in done.stdout


def test_a_bare_argument_naming_a_file_means_file_and_json_works(tmp_path):
    path = hb.write(tmp_path / "ok.har", hb.har(hb.code_flow()))
    done = cli("--json", path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["inputs"] == ["har", "har_sign_in"] and data["findings"][0]["code"] == "har-timeline"


def test_an_export_with_failures_exits_1(corpus):
    done = cli(str(corpus / "logs/graph_provisioningobjectsummary_list_failure.json"))
    assert done.returncode == 1 and "EntryConflict" in done.stdout


def test_a_file_it_cannot_read_is_a_usage_error_with_the_next_step(corpus, tmp_path):
    done = cli("--file", str(corpus / "har/mitmproxy_brokenfile.har"))
    assert done.returncode == 2 and "Fix:" in done.stdout
    missing = cli("--file", str(tmp_path / "nope.har"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def test_text_that_is_not_a_file_is_still_diagnosed_as_text():
    done = cli("AADSTS50105")
    assert done.returncode == 1 and "AADSTS50105" in done.stdout
