"""The message shortcut *Diagnose this message*, *Share in thread*, and the global shortcut, through the
running app: signed requests in, the fake Web API on loopback out."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, Phase, given, settings

from tests.support.fake_slack import Fault
from tests.support.payloads import ADMIN, CHANNEL, block_actions, global_shortcut, message_action
from tests.support.secrets import Leaks, one_of_each
from tests.support.slack_app import BOT_TOKEN

AADSTS50011 = ("AADSTS50011: The redirect URI 'https://app.example.com/signin-oidc' specified in the request does "
               "not match the redirect URIs configured for the application '6731de76-14a6-49ae-97bc-6eba6914391e'.")
PARENT = "1700000150.000100"


def _ephemerals(app) -> list[dict]:
    return [c.params for c in app.fake.calls_to("chat.postEphemeral")]


def _posts(app) -> list[dict]:
    return [c.params for c in app.fake.calls_to("chat.postMessage")]


def _blocks(params: dict) -> list[dict]:
    blocks = params.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def _button(params: dict, action_id: str) -> dict | None:
    return next((e for b in _blocks(params) for e in b.get("elements") or [] if e.get("action_id") == action_id), None)


def _click_share(app, params: dict, *, channel: str = CHANNEL) -> None:
    button = _button(params, "shortcut.share_in_thread")
    assert button is not None, "the private answer has no Share in thread button"
    app.interaction(block_actions("shortcut.share_in_thread", button["value"], channel=channel,
                                  response_url=app.fake.response_url("share")))


def test_the_shortcut_answers_privately_in_the_conversation(slack_app):
    response = slack_app.interaction(message_action({"text": f"users see this after sign-in: {AADSTS50011}"}))
    assert response.status_code == 200
    [answer] = _ephemerals(slack_app)
    assert answer["channel"] == CHANNEL and answer["user"] == ADMIN
    assert "AADSTS50011" in json.dumps(answer) and "thread_ts" not in answer  # a message outside any thread
    assert _posts(slack_app) == []  # nothing public until someone shares it


def test_share_in_thread_posts_the_saved_answer_in_the_messages_thread(slack_app):
    slack_app.interaction(message_action({"text": AADSTS50011, "ts": "1700000200.000700"}))
    [answer] = _ephemerals(slack_app)
    _click_share(slack_app, answer)
    [shared] = _posts(slack_app)
    assert shared["channel"] == CHANNEL and shared["thread_ts"] == "1700000200.000700"
    assert "AADSTS50011" in json.dumps(shared) and f"Shared by <@{ADMIN}>" in json.dumps(shared)
    assert len(slack_app.fake.calls_to("conversations.replies")) == 0  # the message is not read again


def test_on_a_reply_the_answer_and_the_share_stay_in_its_thread(slack_app):
    slack_app.interaction(message_action({"text": AADSTS50011, "ts": "1700000200.000800", "thread_ts": PARENT}))
    [answer] = _ephemerals(slack_app)
    assert answer["thread_ts"] == PARENT
    _click_share(slack_app, answer)
    assert _posts(slack_app)[0]["thread_ts"] == PARENT


def test_on_a_thread_parent_the_answer_stays_beside_it_and_the_share_goes_in_its_thread(slack_app):
    slack_app.interaction(message_action({"text": AADSTS50011, "ts": PARENT, "thread_ts": PARENT}))
    [answer] = _ephemerals(slack_app)
    assert "thread_ts" not in answer
    _click_share(slack_app, answer)
    assert _posts(slack_app)[0]["thread_ts"] == PARENT


def test_outside_the_channel_the_answer_comes_by_dm_and_share_says_how_to_invite(slack_app):
    for error in ("not_in_channel", "channel_not_found"):
        slack_app.fake.reset()
        slack_app.fake.fail_next("chat.postEphemeral", Fault(status=200, body={"ok": False, "error": error}))
        slack_app.interaction(message_action({"text": AADSTS50011}, channel="G0PRIVATE1"))
        [dm] = _posts(slack_app)
        assert dm["channel"] == ADMIN and "invite me there with /invite @sso-bot" in json.dumps(dm)
        slack_app.fake.fail_next("chat.postMessage", Fault(status=200, body={"ok": False, "error": error}))
        _click_share(slack_app, dm, channel=ADMIN)
        [told] = slack_app.fake.calls_to("response_url")
        assert "/invite @sso-bot" in told.params["text"] and "Something went wrong" not in told.params["text"]


def test_a_message_with_a_har_attached_is_read_from_the_file(slack_app, corpus):
    slack_app.fake.file_token = BOT_TOKEN
    data = (corpus / "har" / "har-sanitizer_auth0_example.har").read_bytes()
    upload = slack_app.fake.upload("F0SHORT01", data, "signin.har", "har")
    slack_app.interaction(message_action({"text": "capture attached", "files": [upload]}))
    [answer] = _ephemerals(slack_app)
    assert "Sign-in flow" in json.dumps(answer)
    assert slack_app.fake.calls_to("files.download")


def test_a_message_with_nothing_to_read_gets_a_next_step(slack_app):
    slack_app.interaction(message_action({"text": "<@U0OTHER01>"}))
    [answer] = _ephemerals(slack_app)
    assert "no text, HAR capture or log export" in answer["text"] and "/sso diagnose" in answer["text"]


def test_a_bots_alert_is_read_from_its_attachments_and_slack_escapes_are_undone(slack_app):
    attachment = {"title": "Sign-in failures", "text": "AADSTS50105 for app &lt;payroll&gt;", "fallback": "x"}
    slack_app.interaction(message_action({"text": "", "bot_id": "B0ALERTS1", "attachments": [attachment]}))
    [answer] = _ephemerals(slack_app)
    assert "AADSTS50105" in json.dumps(answer)


def test_the_same_shortcut_delivered_twice_is_answered_once(slack_app):
    payload = message_action({"text": AADSTS50011})
    slack_app.interaction(payload)
    slack_app.interaction(payload)
    assert len(_ephemerals(slack_app)) == 1


def test_a_share_button_with_a_forged_value_is_refused_politely(slack_app):
    for value in ("not json", json.dumps({"s": "x", "c": "C1; drop", "t": "1.2"}),
                  json.dumps({"s": "missing", "c": CHANNEL, "t": "1700000000.000100"})):
        slack_app.fake.reset()
        slack_app.interaction(block_actions("shortcut.share_in_thread", value,
                                            response_url=slack_app.fake.response_url("forged")))
        [told] = slack_app.fake.calls_to("response_url")
        assert "no longer available" in told.params["text"]
        assert _posts(slack_app) == []


def test_malformed_shortcut_payloads_are_refused_before_any_listener(slack_app):
    bad = message_action({"text": AADSTS50011})
    bad["message"]["ts"] = 17
    assert slack_app.interaction(bad).status_code == 400
    no_message = message_action({"text": AADSTS50011})
    del no_message["message"]
    assert slack_app.interaction(no_message).status_code == 400
    assert slack_app.interaction({**global_shortcut(), "trigger_id": None}).status_code == 400
    assert [c.method for c in slack_app.fake.calls if c.method != "auth.test"] == []


def test_the_global_shortcut_opens_the_diagnose_form(slack_app):
    shortcut = global_shortcut()
    assert slack_app.interaction(shortcut).status_code == 200
    [opened] = slack_app.fake.calls_to("views.open")
    view = json.loads(opened.params["view"]) if isinstance(opened.params["view"], str) else opened.params["view"]
    assert opened.params["trigger_id"] == shortcut["trigger_id"] and view["callback_id"] == "diagnose.modal"


@settings(max_examples=3, derandomize=True, database=None, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(pasted=one_of_each())
def test_no_secret_in_the_message_reaches_the_answer_or_the_thread(slack_app, pasted):
    slack_app.fake.reset()
    for paste in pasted:
        before = len(_ephemerals(slack_app))
        slack_app.interaction(message_action({"text": paste.text}))
        for answer in _ephemerals(slack_app)[before:]:
            if _button(answer, "shortcut.share_in_thread"):
                _click_share(slack_app, answer)
    leaks = Leaks(s for p in pasted for s in p.secrets)
    assert _ephemerals(slack_app) and not leaks.in_value([c.params for c in slack_app.fake.calls])


def test_when_neither_the_channel_nor_a_dm_takes_it_the_answer_comes_through_the_shortcuts_response_url(slack_app):
    refused = Fault(status=200, body={"ok": False, "error": "channel_not_found"})
    slack_app.fake.fail_next("chat.postEphemeral", refused)
    slack_app.fake.fail_next("chat.postMessage", Fault(status=200, body={"ok": False, "error": "cannot_dm_bot"}))
    response_url = slack_app.fake.response_url("shortcut")
    slack_app.interaction(message_action({"text": AADSTS50011}, response_url=response_url))
    [answer] = slack_app.fake.calls_to("response_url")
    assert "AADSTS50011" in json.dumps(answer.params) and answer.params["response_type"] == "ephemeral"
    assert "Something went wrong" not in json.dumps(answer.params)


def test_help_points_at_the_message_shortcut(slack_app):
    response = slack_app.command("help")
    assert "Diagnose this message" in response.text
