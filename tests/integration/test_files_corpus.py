"""Issue 14's done-when, file by file: every file of the corpus's ``har/``, ``logs/``, ``provisioning_exports/``
and ``tokens/`` gets a sensible answer or a clear refusal, from ``sso-bot diagnose --file`` and from a signed
*Diagnose a file* form submitted to the running app (the file fetched from the fake Slack with the bot token).

What each file is meant to get is written down here (``REFUSED``: the files that are not captures, exports
or SAML Responses), so a reader that starts refusing a real export, or answering a broken file, fails.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.cli import main
from tests.support.payloads import view_submission
from tests.support.slack_app import BOT_TOKEN

CORPUS = Path(os.environ.get("SSO_BOT_SHARED", Path(__file__).resolve().parents[3] / "shared")) / "corpus"
FOLDERS = ("har", "logs", "provisioning_exports", "tokens")
# Not something sso-bot reads, each for its own reason (the refusal says which and what to send instead).
REFUSED = {
    "har/haralyzer_single_entry.har": "a single HAR entry",
    "har/mitmproxy_brokenfile.har": "stops before its first request",
    "logs/graph_provisioningobjectsummary_list_success.http": "raw HTTP exchange",
    "logs/okta_event_types.csv": "not an export",
    "tokens/entra_access_token_samples_docs.json": "not an export",
    "tokens/keycloak_osss_tokens.json": "not an export",
}
# The first finding of an answer says what the file was read as.
ANSWERS = {"har": ("har-timeline", "har-no-sign-in"), "logs": ("export-summary",),
           "provisioning_exports": ("export-summary",), "tokens": ("saml-", "file-saml-")}


def _files() -> list[str]:
    return sorted(str(p.relative_to(CORPUS)) for folder in FOLDERS if (CORPUS / folder).is_dir()
                  for p in (CORPUS / folder).rglob("*") if p.is_file() and p.name != "SOURCES.md")


def test_the_corpus_is_there_and_every_refusal_names_a_file_in_it():
    files = _files()
    assert len(files) >= 40, files
    assert set(REFUSED) <= set(files)


@pytest.mark.parametrize("name", _files())
def test_the_command_line_answers_or_refuses_clearly(name, capsys):
    code = main(["diagnose", "--json", "--file", str(CORPUS / name)])
    report = json.loads(capsys.readouterr().out)
    first = report["findings"][0]
    if name in REFUSED:
        assert code == 2 and first["code"] == "file-not-readable"
        assert REFUSED[name] in first["title"] and first["fix"], first
    else:
        assert code in (0, 1) and first["code"].startswith(ANSWERS[name.split("/")[0]]), first
        assert "file-not-readable" not in [f["code"] for f in report["findings"]]


@pytest.mark.parametrize("name", _files())
def test_the_slack_form_answers_or_refuses_clearly(name, slack_app):
    slack_app.fake.file_token = BOT_TOKEN
    data = (CORPUS / name).read_bytes()
    upload = slack_app.fake.upload("F0CORPUS1", data, Path(name).name, Path(name).suffix.lstrip(".") or "text")
    values = {"file.input": {"value": {"type": "file_input", "files": [upload]}}}
    first = slack_app.interaction(view_submission("file.modal", values, private_metadata="C0SSO0001")).json()
    assert first["response_action"] == "update"
    answer = json.dumps(slack_app.fake.calls_to("views.update")[-1].params)
    assert "Something went wrong" not in answer and "Recognised:" in answer
    if name in REFUSED:
        assert "I cannot read it" in answer and REFUSED[name] in answer and "file.share" not in answer
    else:
        assert "I cannot read it" not in answer and "file.share" in answer  # an answer, shareable
