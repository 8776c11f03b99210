"""*Diagnose a file* through the running app: an upload in the modal is fetched from (fake) Slack with the
bot token, read by the same use case as ``sso-bot diagnose --file``, deleted, and answered in the modal."""

from __future__ import annotations

import glob
import json
import os
import tempfile

from hypothesis import HealthCheck, Phase, given, settings

from tests.integration.test_leaks_files import _capture, _values
from tests.support.payloads import view_submission
from tests.support.secrets import Leaks, one_of_each
from tests.support.slack_app import BOT_TOKEN

LEAKS = settings(max_examples=3, derandomize=True, database=None, deadline=None, phases=[Phase.explicit, Phase.generate],
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _submit(app, upload: dict) -> dict:
    values = {"file.input": {"value": {"type": "file_input", "files": [upload]}}}
    body = app.interaction(view_submission("file.modal", values)).json()
    app.wait_idle()
    return body


def _answer(app) -> str:
    return json.dumps(app.fake.calls_to("views.update")[-1].params)


def _leftovers() -> list[str]:
    return glob.glob(os.path.join(tempfile.gettempdir(), "sso-bot-file-*"))


def test_file_opens_a_form_with_a_file_input(slack_app):
    slack_app.command("file")
    slack_app.wait_idle()
    view = slack_app.fake.calls_to("views.open")[-1].params["view"]
    assert '"file_input"' in json.dumps(view) and "file.modal" in json.dumps(view)


def test_a_corpus_har_is_fetched_with_the_bot_token_read_and_deleted(slack_app, corpus):
    slack_app.fake.file_token = BOT_TOKEN
    data = (corpus / "har" / "har-sanitizer_auth0_example.har").read_bytes()
    before = set(_leftovers())
    first = _submit(slack_app, slack_app.fake.upload("F0HAR0001", data, "signin.har", "har"))
    assert first["response_action"] == "update" and "Reading" in json.dumps(first["view"])
    answer = _answer(slack_app)
    assert "Sign-in flow" in answer and "auth.company.com" in answer and "401" in answer
    assert set(_leftovers()) == before  # the temporary copy is gone


def test_an_export_is_grouped_by_cause(slack_app, corpus):
    slack_app.fake.file_token = BOT_TOKEN
    data = (corpus / "logs" / "entra_signin_audit_events_panther_tests.jsonl").read_bytes()
    _submit(slack_app, slack_app.fake.upload("F0LOG0001", data, "signins.jsonl", "jsonl"))
    assert "AADSTS7000215" in _answer(slack_app)


def test_without_files_read_the_sign_in_page_is_explained(slack_app, corpus):
    slack_app.fake.file_token = "xoxb-another-token"
    data = (corpus / "har" / "har-sanitizer_auth0_example.har").read_bytes()
    _submit(slack_app, slack_app.fake.upload("F0HAR0002", data, "signin.har", "har"))
    assert "files:read" in _answer(slack_app)


def test_a_file_url_off_slack_gets_no_token(slack_app):
    upload = {"id": "F0EVIL001", "name": "x.har", "size": 10, "url_private": "https://attacker.example/x.har"}
    _submit(slack_app, upload)
    assert "not on Slack's file host" in _answer(slack_app)
    assert not slack_app.fake.calls_to("files.download")


def test_an_empty_form_and_an_oversized_file_are_refused_inline(slack_app):
    body = slack_app.interaction(view_submission("file.modal", {"file.input": {"value": {"type": "file_input",
                                                                                        "files": []}}})).json()
    assert body["response_action"] == "errors"
    huge = {"id": "F0BIG0001", "name": "big.har", "size": 500_000_000, "url_private": "https://files.slack.com/x"}
    body = slack_app.interaction(view_submission("file.modal", {"file.input": {"value": {"type": "file_input",
                                                                                        "files": [huge]}}})).json()
    assert body["response_action"] == "errors" and "100 MB" in json.dumps(body)


@LEAKS
@given(pastes=one_of_each())
def test_no_secret_in_an_uploaded_capture_reaches_slack(slack_app, pastes):
    slack_app.fake.file_token = BOT_TOKEN
    data = json.dumps(_capture(pastes)).encode()
    _submit(slack_app, slack_app.fake.upload("F0LEAK001", data, "capture.har", "har"))
    leaks = Leaks(_values(pastes))
    sent = [c.params for c in slack_app.fake.calls if c.method != "files.download"]
    assert not leaks.in_value(sent)
