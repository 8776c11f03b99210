"""``@sso-bot`` in a thread, through the running app: the thread is read and answered in the thread."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, Phase, given, settings

from tests.support.fake_slack import BOT_USER_ID
from tests.support.payloads import CHANNEL, app_mention
from tests.support.secrets import Leaks, one_of_each
from tests.support.slack_app import BOT_TOKEN

ROOT = "1700000000.000100"
AADSTS50011 = ("AADSTS50011: The redirect URI 'https://app.example.com/signin-oidc' specified in the request does "
               "not match the redirect URIs configured for the application '6731de76-14a6-49ae-97bc-6eba6914391e'.")


def _thread(app, *messages: dict) -> None:
    app.fake.threads[(CHANNEL, ROOT)] = [{"type": "message", "ts": ROOT, "user": "U0ADMIN01", **messages[0]},
                                         *({"type": "message", "ts": f"17000000{i:02d}.000200", **m}
                                           for i, m in enumerate(messages[1:], start=1))]


def _answers(app) -> list[dict]:
    return [c.params for c in app.fake.calls_to("chat.postMessage") if c.params.get("thread_ts") == ROOT]


def test_a_mention_diagnoses_the_thread_and_answers_in_it(slack_app):
    _thread(slack_app, {"text": f"users get this after sign-in: {AADSTS50011}"},
            {"text": "any idea?", "user": "U0OTHER01"}, {"text": "earlier answer", "bot_id": "B0SSOBOT1"})
    slack_app.event(app_mention(f"<@{BOT_USER_ID}> what is this?", thread_ts=ROOT, ts="1700000099.000300"))
    [answer] = _answers(slack_app)
    assert "AADSTS50011" in json.dumps(answer) and answer["channel"] == CHANNEL
    assert slack_app.fake.calls_to("conversations.replies")[0].params["ts"] == ROOT


def test_slacks_retry_of_a_mention_is_answered_once(slack_app):
    _thread(slack_app, {"text": AADSTS50011})
    envelope = app_mention(f"<@{BOT_USER_ID}>", thread_ts=ROOT, ts="1700000099.000400")
    slack_app.event(envelope)
    slack_app.event(envelope)
    assert len(_answers(slack_app)) == 1


def test_a_har_shared_in_the_thread_is_read_and_deleted(slack_app, corpus):
    slack_app.fake.file_token = BOT_TOKEN
    data = (corpus / "har" / "har-sanitizer_auth0_example.har").read_bytes()
    upload = slack_app.fake.upload("F0THREAD1", data, "signin.har", "har")
    _thread(slack_app, {"text": "here is the capture", "files": [upload]})
    slack_app.event(app_mention(f"<@{BOT_USER_ID}> can you read it?", thread_ts=ROOT, ts="1700000099.000500"))
    [answer] = _answers(slack_app)
    assert "Sign-in flow" in json.dumps(answer) and "auth.company.com" in json.dumps(answer)


STUFF = "http://stuff.com/endpoints/metadata.php"  # the Audience of python3-saml's valid_response (corpus)


def test_a_mention_that_names_the_sp_entity_id_has_the_files_saml_response_compared_with_it(slack_app, corpus):
    slack_app.fake.file_token = BOT_TOKEN
    data = (corpus / "tokens" / "saml_responses" / "valid_response.xml.base64").read_bytes()
    for n, said in enumerate((f"<@{BOT_USER_ID}> entity id: <{STUFF}/>", f"<@{BOT_USER_ID}> what does it say?")):
        slack_app.fake.reset()
        upload = slack_app.fake.upload(f"F0SAML00{n}", data, "response.txt", "text")
        _thread(slack_app, {"text": "the Response our SP rejects", "files": [upload]})
        slack_app.event(app_mention(said, thread_ts=ROOT, ts=f"170000009{n}.000700"))
        [answer] = _answers(slack_app)
        compared = "trailing slash" in json.dumps(answer)
        assert compared is (n == 0), "only the mention that names an entity ID has the audience compared"


def test_without_history_the_mention_alone_is_read(slack_app):
    slack_app.event(app_mention(f"<@{BOT_USER_ID}> {AADSTS50011}", ts=ROOT))  # no thread known to the fake
    [answer] = _answers(slack_app)
    assert "AADSTS50011" in json.dumps(answer)


@settings(max_examples=3, derandomize=True, database=None, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(pasted=one_of_each())
def test_no_secret_in_a_thread_reaches_the_answer(slack_app, pasted):
    slack_app.fake.reset()
    _thread(slack_app, *({"text": p.text, "user": "U0ADMIN01"} for p in pasted))
    slack_app.event(app_mention(f"<@{BOT_USER_ID}> help", thread_ts=ROOT, ts=f"1700000099.{len(pasted):06d}"))
    leaks = Leaks(s for p in pasted for s in p.secrets)
    assert _answers(slack_app) and not leaks.in_value([c.params for c in slack_app.fake.calls
                                                       if c.method != "conversations.replies"])
