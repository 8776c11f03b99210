"""Error links unfurled through the running app: ``link_shared`` in (signed), ``chat.unfurl`` out."""

from __future__ import annotations

import json
from urllib.parse import quote

from hypothesis import HealthCheck, Phase, given, settings

from tests.support.fake_slack import Fault
from tests.support.payloads import CHANNEL, block_actions, link_shared
from tests.support.secrets import Leaks, one_of_each

ENTRA = "https://login.microsoftonline.com/error?code=50011"
OKTA = "https://developer.okta.com/docs/reference/error-codes/#E0000011"


def _unfurls(app) -> list[dict]:
    calls = [c.params for c in app.fake.calls_to("chat.unfurl")]
    for call in calls:
        if isinstance(call.get("unfurls"), str):
            call["unfurls"] = json.loads(call["unfurls"])
    return calls


def test_entra_and_okta_error_links_get_their_one_line_cause(slack_app):
    envelope = link_shared(ENTRA, OKTA, "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?x=1")
    assert slack_app.event(envelope).status_code == 200
    [call] = _unfurls(slack_app)
    assert call["channel"] == CHANNEL and call["ts"] == envelope["event"]["message_ts"]
    assert set(call["unfurls"]) == {ENTRA, OKTA}  # the authorize URL names no code: Slack shows it as usual
    entra = json.dumps(call["unfurls"][ENTRA])
    assert "AADSTS50011" in entra and "redirect URI" in entra
    assert "E0000011" in json.dumps(call["unfurls"][OKTA])
    [section] = call["unfurls"][ENTRA]["blocks"]
    assert section["accessory"]["action_id"] == "report.explain" and len(section["text"]["text"]) <= 320


def test_the_explain_button_on_an_unfurl_opens_the_full_entry(slack_app):
    slack_app.event(link_shared(ENTRA))
    [call] = _unfurls(slack_app)
    button = call["unfurls"][ENTRA]["blocks"][0]["accessory"]
    slack_app.interaction(block_actions(button["action_id"], button["value"]))
    [opened] = slack_app.fake.calls_to("views.open")
    view = json.loads(opened.params["view"]) if isinstance(opened.params["view"], str) else opened.params["view"]
    assert "AADSTS50011" in json.dumps(view) and "Fix" in json.dumps(view)


def test_a_link_in_the_composer_is_unfurled_by_its_unfurl_id(slack_app):
    envelope = link_shared(OKTA, composer=True)
    slack_app.event(envelope)
    [call] = _unfurls(slack_app)
    assert call["unfurl_id"] == envelope["event"]["unfurl_id"] and call["source"] == "composer"
    assert "channel" not in call and "ts" not in call


def test_links_without_a_known_code_are_left_alone(slack_app):
    slack_app.event(link_shared("https://login.microsoftonline.com/error", "https://developer.okta.com/docs/guides/",
                                "https://login.microsoftonline.com/error?code=99999999"))
    assert _unfurls(slack_app) == []


def test_slacks_retry_of_link_shared_is_unfurled_once(slack_app):
    envelope = link_shared(ENTRA)
    slack_app.event(envelope)
    slack_app.post(json.dumps(envelope), content_type="application/json",
                   headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    slack_app.wait_idle()
    assert len(_unfurls(slack_app)) == 1


def test_a_refused_unfurl_is_logged_not_raised(slack_app):
    slack_app.fake.fail_next("chat.unfurl", Fault(status=200, body={"ok": False, "error": "cannot_unfurl_message"}))
    assert slack_app.event(link_shared(ENTRA)).status_code == 200
    assert len(_unfurls(slack_app)) == 1 and slack_app.fake.calls_to("chat.postMessage") == []


def test_malformed_link_shared_events_are_answered_200_and_ignored(slack_app):
    for event in ({"links": []}, {"links": [ENTRA]}, {"links": [{"domain": 5, "url": ENTRA}]}, {"message_ts": 5}):
        envelope = link_shared(ENTRA)
        envelope["event"].update(event)
        assert slack_app.event(envelope).status_code == 200
    assert _unfurls(slack_app) == []


@settings(max_examples=3, derandomize=True, database=None, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(pasted=one_of_each())
def test_a_link_carrying_a_secret_is_never_echoed(slack_app, pasted):
    """``chat.unfurl`` names the links it answers: one with a secret anywhere in it is never answered."""
    slack_app.fake.reset()
    secrets = [quote(s, safe="") for p in pasted for s in p.secrets]
    urls = [ENTRA, *(url for s in secrets for url in (
        f"{ENTRA}&state={s}", f"{OKTA}{s}", f"https://developer.okta.com/docs/reference/error-codes/?q={s}",
        f"https://{s}@login.microsoftonline.com/error?code=50011", f"{ENTRA}#{s}"))]
    slack_app.event(link_shared(*urls))
    [call] = _unfurls(slack_app)
    assert set(call["unfurls"]) == {ENTRA}
    leaks = Leaks(s for p in pasted for s in p.secrets)
    assert not leaks.in_value([c.params for c in slack_app.fake.calls])
