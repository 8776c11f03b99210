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


# ------------------------------------------------ the grouped failures as a CSV, and Share in channel


def _many_causes_upload(app, tmp_path, file_id: str) -> dict:
    from tests.unit.files.test_failures_csv import many_causes

    data = many_causes(tmp_path / "many.jsonl").read_bytes()
    return app.fake.upload(file_id, data, "provisioning.jsonl", "jsonl")


def _csv_uploads(app) -> list[dict]:
    return [u for u in app.fake.app_uploads.values() if u["shared"] is not None]


def test_a_mention_attaches_every_cause_as_a_csv_when_the_answer_cannot_show_them(slack_app, tmp_path):
    from tests.integration.test_mentions_slack import ROOT, _thread
    from tests.support.fake_slack import BOT_USER_ID
    from tests.support.payloads import CHANNEL, app_mention
    from tests.unit.files.test_failures_csv import CAUSES

    slack_app.fake.file_token = BOT_TOKEN
    _thread(slack_app, {"text": "the export", "files": [_many_causes_upload(slack_app, tmp_path, "F0MANY001")]})
    slack_app.event(app_mention(f"<@{BOT_USER_ID}> what failed?", thread_ts=ROOT, ts="1700000099.000700"))
    [answer] = [c.params for c in slack_app.fake.calls_to("chat.postMessage") if c.params.get("thread_ts") == ROOT]
    shown = json.dumps(answer)
    assert "more finding" in shown or shown.count("AppSpecificFault") < CAUSES  # the answer folds some causes
    [upload] = _csv_uploads(slack_app)
    assert upload["shared"]["channel_id"] == CHANNEL and upload["shared"]["thread_ts"] == ROOT
    assert upload["filename"] == "sso-bot-grouped-failures.csv" and upload["length"] == len(upload["data"])
    rows = upload["data"].decode("utf-8").splitlines()
    assert rows[0].startswith("cause,count,") and len(rows) == CAUSES + 1
    assert "person1@" not in upload["data"].decode("utf-8")  # masked, as in the answer
    [step1] = slack_app.fake.calls_to("files.getUploadURLExternal")
    assert int(step1.params["length"]) == len(upload["data"])


def test_a_small_export_gets_no_csv(slack_app, corpus):
    from tests.integration.test_mentions_slack import ROOT, _thread
    from tests.support.fake_slack import BOT_USER_ID
    from tests.support.payloads import app_mention

    slack_app.fake.file_token = BOT_TOKEN
    data = (corpus / "logs" / "entra_signin_audit_events_panther_tests.jsonl").read_bytes()
    _thread(slack_app, {"text": "logs", "files": [slack_app.fake.upload("F0FEW0001", data, "s.jsonl", "jsonl")]})
    slack_app.event(app_mention(f"<@{BOT_USER_ID}>", thread_ts=ROOT, ts="1700000099.000800"))
    assert not slack_app.fake.calls_to("files.getUploadURLExternal")


def test_without_files_write_the_thread_is_told_how_to_get_the_csv(slack_app, tmp_path):
    from tests.integration.test_mentions_slack import ROOT, _thread
    from tests.support.fake_slack import BOT_USER_ID, Fault
    from tests.support.payloads import app_mention

    slack_app.fake.file_token = BOT_TOKEN
    slack_app.fake.fail_next("files.getUploadURLExternal", Fault(200, {"ok": False, "error": "missing_scope"}))
    _thread(slack_app, {"text": "the export", "files": [_many_causes_upload(slack_app, tmp_path, "F0MANY002")]})
    slack_app.event(app_mention(f"<@{BOT_USER_ID}>", thread_ts=ROOT, ts="1700000099.000900"))
    said = json.dumps([c.params for c in slack_app.fake.calls_to("chat.postMessage")])
    assert "files:write" in said and "--csv" in said and not _csv_uploads(slack_app)


def _share_payload(answer_view: dict, share_id: str) -> dict:
    """A click on *Share in channel* inside the answer modal (a block action from a view, as Slack sends it)."""
    from tests.support.payloads import block_actions

    payload = block_actions("file.share", share_id, home=True)
    payload["container"] = {"type": "view", "view_id": "V0MODAL01"}
    payload["view"] = {**answer_view, "id": "V0MODAL01", "type": "modal", "state": {"values": {}}}
    return payload


def _share_click(app, answer_view: dict, share_id: str) -> None:
    app.interaction(_share_payload(answer_view, share_id))


def _share_button(view: dict) -> str:
    buttons = [e for b in view["blocks"] if b.get("type") == "actions" for e in b["elements"]
               if e.get("action_id") == "file.share"]
    assert len(buttons) == 1, "the answer has one Share in channel button"
    return buttons[0]["value"]


def test_share_posts_only_the_sealed_summary_and_the_csv_in_its_thread(slack_app, tmp_path):
    from tests.unit.files.test_failures_csv import CAUSES

    slack_app.fake.file_token = BOT_TOKEN
    upload = _many_causes_upload(slack_app, tmp_path, "F0SHARE01")
    values = {"file.input": {"value": {"type": "file_input", "files": [upload]}}}
    slack_app.interaction(view_submission("file.modal", values, private_metadata="C0SSO0001"))
    view = slack_app.fake.calls_to("views.update")[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["private_metadata"] == "C0SSO0001"
    _share_click(slack_app, view, _share_button(view))
    [post] = [c.params for c in slack_app.fake.calls_to("chat.postMessage") if c.params.get("channel") == "C0SSO0001"]
    assert "Shared by" in json.dumps(post) and "person1@" not in json.dumps(post)
    [csv_file] = _csv_uploads(slack_app)
    posted_ts = json.loads(json.dumps(post)).get("thread_ts")
    assert posted_ts is None and csv_file["shared"]["channel_id"] == "C0SSO0001"
    assert csv_file["shared"]["thread_ts"]  # in the thread of the shared answer
    assert len(csv_file["data"].decode().splitlines()) == CAUSES + 1
    done = json.dumps(slack_app.fake.calls_to("views.update")[-1].params)
    assert "Shared in" in done and "file.share" not in done  # shared once; the button is gone


def test_a_form_opened_without_a_channel_has_no_share_button(slack_app, corpus):
    slack_app.fake.file_token = BOT_TOKEN
    data = (corpus / "logs" / "entra_signin_audit_events_panther_tests.jsonl").read_bytes()
    _submit(slack_app, slack_app.fake.upload("F0NOCHAN1", data, "s.jsonl", "jsonl"))
    assert "file.share" not in _answer(slack_app)


def test_share_in_a_channel_the_bot_is_not_in_says_how_to_invite_it(slack_app, corpus):
    from tests.support.fake_slack import Fault

    slack_app.fake.file_token = BOT_TOKEN
    data = (corpus / "logs" / "entra_signin_audit_events_panther_tests.jsonl").read_bytes()
    values = {"file.input": {"value": {"type": "file_input",
                                       "files": [slack_app.fake.upload("F0NOTIN01", data, "s.jsonl", "jsonl")]}}}
    slack_app.interaction(view_submission("file.modal", values, private_metadata="C0SSO0001"))
    view = slack_app.fake.calls_to("views.update")[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    slack_app.fake.fail_next("chat.postMessage", Fault(200, {"ok": False, "error": "not_in_channel"}))
    _share_click(slack_app, view, _share_button(view))
    again = slack_app.fake.calls_to("views.update")[-1].params["view"]
    again = json.loads(again) if isinstance(again, str) else again
    assert "/invite @sso-bot" in json.dumps(again) and _share_button(again)


@LEAKS
@given(pastes=one_of_each())
def test_no_secret_reaches_the_shared_answer_or_the_csv(slack_app, tmp_path_factory, pastes):
    from tests.integration.test_leaks_files import _export

    slack_app.fake.file_token = BOT_TOKEN
    slack_app.fake.reset()
    slack_app.fake.app_uploads.clear()
    from tests.unit.files.test_failures_csv import many_causes

    rows = _export(pastes).splitlines()
    folder = tmp_path_factory.mktemp("csv")
    extra = many_causes(folder / "many.jsonl").read_text().splitlines()  # enough causes that the answer folds
    data = "\n".join(rows + extra).encode()
    values = {"file.input": {"value": {"type": "file_input",
                                       "files": [slack_app.fake.upload("F0LEAK002", data, "p.jsonl", "jsonl")]}}}
    slack_app.interaction(view_submission("file.modal", values, private_metadata="C0SSO0001"))
    view = slack_app.fake.calls_to("views.update")[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    _share_click(slack_app, view, _share_button(view))
    assert _csv_uploads(slack_app), "the CSV went out, so the leak check covers it"
    leaks = Leaks(_values(pastes))
    sent = [c.params for c in slack_app.fake.calls if c.method != "files.download"]
    assert not leaks.in_value(sent)
    assert not leaks.in_value([u["data"].decode("utf-8", "replace") for u in slack_app.fake.app_uploads.values()])


def test_another_workspace_cannot_share_a_kept_file_answer(slack_app, corpus):
    slack_app.fake.file_token = BOT_TOKEN
    data = (corpus / "logs" / "entra_signin_audit_events_panther_tests.jsonl").read_bytes()
    values = {"file.input": {"value": {"type": "file_input",
                                       "files": [slack_app.fake.upload("F0ISOL001", data, "s.jsonl", "jsonl")]}}}
    slack_app.interaction(view_submission("file.modal", values, private_metadata="C0SSO0001"))
    view = slack_app.fake.calls_to("views.update")[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    share_id = _share_button(view)
    slack_app.fake.reset()
    payload = {**_share_payload(view, share_id), "team": {"id": "T0OTHER01", "domain": "other"}}
    payload["user"] = {**payload["user"], "team_id": "T0OTHER01"}
    slack_app.interaction(payload)
    assert not slack_app.fake.calls_to("chat.postMessage")  # nothing posted for the other workspace
    assert "belongs to another Slack workspace" in json.dumps([c.params for c in slack_app.fake.calls])
    slack_app.fake.reset()
    slack_app.interaction(_share_payload(view, share_id))  # the same click from its own workspace shares it
    assert [c for c in slack_app.fake.calls_to("chat.postMessage") if c.params.get("channel") == "C0SSO0001"]


def _view(call) -> dict:
    view = call.params["view"]
    return json.loads(view) if isinstance(view, str) else view


def test_the_home_tab_form_offers_a_channel_to_share_in_and_the_channel_form_does_not(slack_app):
    from tests.support.payloads import block_actions

    slack_app.interaction(block_actions("file.open_modal", home=True))
    slack_app.command("file")
    slack_app.wait_idle()
    home, in_channel = (_view(c) for c in slack_app.fake.calls_to("views.open")[-2:])
    [picker] = [b for b in home["blocks"] if b.get("block_id") == "file.share_to"]
    assert picker["optional"] is True and picker["element"]["type"] == "conversations_select"
    assert not home.get("private_metadata")
    assert all(b.get("block_id") != "file.share_to" for b in in_channel["blocks"])


def test_a_channel_picked_on_the_home_tab_form_gets_the_share_button_and_the_post(slack_app, corpus):
    slack_app.fake.file_token = BOT_TOKEN
    data = (corpus / "logs" / "entra_signin_audit_events_panther_tests.jsonl").read_bytes()
    values = {"file.input": {"value": {"type": "file_input",
                                       "files": [slack_app.fake.upload("F0PICK001", data, "s.jsonl", "jsonl")]}},
              "file.share_to": {"value": {"type": "conversations_select", "selected_conversation": "C0PICKED1"}}}
    slack_app.interaction(view_submission("file.modal", values))
    slack_app.wait_idle()
    view = _view(slack_app.fake.calls_to("views.update")[-1])
    assert view["private_metadata"] == "C0PICKED1"
    _share_click(slack_app, view, _share_button(view))
    slack_app.wait_idle()
    [post] = [c.params for c in slack_app.fake.calls_to("chat.postMessage") if c.params.get("channel") == "C0PICKED1"]
    assert "AADSTS7000215" in json.dumps(post) and "Shared by" in json.dumps(post)


def test_a_home_tab_form_with_no_channel_picked_still_has_no_share_button(slack_app, corpus):
    slack_app.fake.file_token = BOT_TOKEN
    data = (corpus / "logs" / "entra_signin_audit_events_panther_tests.jsonl").read_bytes()
    values = {"file.input": {"value": {"type": "file_input",
                                       "files": [slack_app.fake.upload("F0PICK002", data, "s.jsonl", "jsonl")]}},
              "file.share_to": {"value": {"type": "conversations_select", "selected_conversation": None}}}
    slack_app.interaction(view_submission("file.modal", values))
    slack_app.wait_idle()
    assert "file.share" not in _answer(slack_app)
