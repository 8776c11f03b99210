"""The HTTP edge without a server: the signature check, and the shapes a signed body must have.

Real payloads come from ``corpus/slack`` (bolt-python's test payloads, Slack's field skeletons from
java-slack-sdk, the signing test vector from python-slack-sdk; see corpus/SOURCES.md)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from runtime.http import SlackSignature
from runtime.inbound import Refused, read_request
from handlers.shared.payload import MAX_ROW_ID, json_object, row_number

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
# bolt-python test fixtures trimmed to the few fields one matcher reads (no user, no team): not whole payloads.
TRIMMED = ("tests/slack_bolt/logger/test_unmatched_suggestions.py", "tests/slack_bolt/listener_matcher/test_builtins.py")


def as_request(payload) -> tuple[bytes, str]:
    """A corpus payload the way Slack posts it: an Events API envelope as JSON, a command as a form, an
    interaction as a form's payload field."""
    if isinstance(payload, str):
        return payload.encode(), FORM
    if payload.get("type") in ("event_callback", "url_verification", "app_rate_limited"):
        return json.dumps(payload).encode(), JSON
    if "command" in payload:
        return urlencode(payload).encode(), FORM
    return urlencode({"payload": json.dumps(payload)}).encode(), FORM


def corpus_payloads(corpus, *names):
    for name in names:
        for item in json.loads((corpus / "slack" / "bolt_python_payloads" / name).read_text()):
            if item["_source"]["path"] not in TRIMMED:
                yield pytest.param(item["payload"], id=f"{name}:{item['_source']['variable']}")


def refusal(body, content_type=FORM) -> Refused:
    raw = body if isinstance(body, bytes) else body.encode()
    with pytest.raises(Refused) as caught:
        read_request(raw, content_type)
    return caught.value


def interaction(**fields) -> bytes:
    base = {"type": "block_actions", "team": {"id": "T1"}, "user": {"id": "U1", "team_id": "T1"},
            "trigger_id": "1.2.3", "actions": [{"action_id": "report.share", "type": "button", "value": "x"}]}
    base.update(fields)
    return urlencode({"payload": json.dumps(base)}).encode()


# --------------------------------------------------------------------------- what Slack sends passes


def test_every_whole_corpus_payload_of_a_kind_we_take_passes_unchanged(corpus):
    names = ["block_actions.json", "view_submission.json", "slash_command.json", "raw_form_body.json",
             "message_action.json", "shortcut.json",
             *[p.name for p in (corpus / "slack" / "bolt_python_payloads").glob("event_*.json")]]
    seen = 0
    for param in corpus_payloads(corpus, *names):
        payload = param.values[0]
        raw, content_type = as_request(payload)
        inbound = read_request(raw, content_type)
        if not isinstance(payload, str):
            assert inbound.body == payload, param.id
        seen += 1
    assert seen >= 35


@pytest.mark.parametrize("name", ["BlockActionPayload", "ViewSubmissionPayload", "AppHomeOpenedPayload",
                                  "AppMentionPayload", "SlashCommandPayload"])
def test_slacks_field_skeletons_pass(corpus, name):
    skeleton = json.loads((corpus / "slack" / "shape_skeletons" / f"{name}.json").read_text())
    # A skeleton leaves every value empty; the two a check reads as more than a string get real ones.
    if "event" in skeleton:
        skeleton["type"] = "event_callback"
    if "response_url" in skeleton:
        skeleton["response_url"] = "https://hooks.slack.com/actions/T1/1/x"
    read_request(*as_request(skeleton))


def test_slacks_documented_link_shared_example_passes():
    # The example on https://api.slack.com/events/link_shared (ids as documented), posted and in the composer.
    event = {"type": "link_shared", "channel": "C123ABC456", "is_bot_user_member": True, "user": "U123ABC456",
             "message_ts": "123456789.9875", "thread_ts": "123456621.1855", "source": "conversations_history",
             "unfurl_id": "C123456.123456789.987501.1b90fa1278528ce6e2f6c5c2bfa1abc9a41d57d02b29d173f40399c9ffdecf4b",
             "links": [{"domain": "example.com", "url": "https://example.com/12345"}]}
    envelope = {"token": "XXYYZZ", "team_id": "T123ABC456", "api_app_id": "A123ABC456", "event": event,
                "type": "event_callback", "authed_users": ["U123ABC456"], "event_id": "Ev123ABC456",
                "event_time": 1234567890}
    assert read_request(json.dumps(envelope).encode(), JSON).body == envelope
    composer = {**envelope, "event": {**event, "channel": "COMPOSER", "message_ts": "U123ABC456-909b5454-75f8",
                                      "source": "composer"}}
    assert read_request(json.dumps(composer).encode(), JSON).kind == "event_callback"


def test_slacks_documented_form_body_passes(corpus):
    body = (corpus / "slack" / "slash_command_form_body_slackdocs.txt").read_text().strip()
    assert read_request(body.encode(), FORM).kind == "slash_command"


def test_a_command_whose_text_says_payload_keeps_its_fields():
    # Bolt's own form parser returns {} for this body (it looks for the word "payload").
    body = urlencode({"command": "/sso", "text": "diagnose SAML payload rejected", "team_id": "T1", "user_id": "U1"})
    assert read_request(body.encode(), FORM).body["text"] == "diagnose SAML payload rejected"


def test_ssl_check_and_url_verification_pass():
    assert read_request(b"ssl_check=1&token=x", FORM).kind == "ssl_check"
    assert read_request(b'{"type": "url_verification", "challenge": "abc", "token": "x"}', JSON).kind \
        == "url_verification"


# --------------------------------------------------------------------------- what Slack never sends is refused

DEEP = "[" * 60_000 + "]" * 60_000

# The eight shapes from issue 9, then ones found by reading what each listener and Bolt read.
REFUSED = {
    "block_actions with actions: []": (interaction(actions=[]), FORM, 400),
    "block_actions with actions: [null]": (interaction(actions=[None]), FORM, 400),
    "view_submission whose view has no type": (
        urlencode({"payload": json.dumps({"type": "view_submission", "team": {"id": "T1"}, "user": {"id": "U1"},
                                          "trigger_id": "1", "view": {"callback_id": "diagnose.modal"}})}), FORM, 400),
    '{"event": "x"}': (json.dumps({"event": "x"}), JSON, 400),
    "app_home_opened with user: 5": (json.dumps({"type": "event_callback", "team_id": "T1",
                                                 "event": {"type": "app_home_opened", "user": 5}}), JSON, 200),
    "JSON body nested 60,000 deep": ('{"a":' + DEEP + "}", JSON, 400),
    "payload= nested 60,000 deep": (urlencode({"payload": '{"a":' + DEEP + "}"}), FORM, 400),
    "payload= that is not JSON": (urlencode({"payload": "{not json"}), FORM, 400),
    "block_actions without a trigger_id": (interaction(trigger_id=None), FORM, 400),
    "block_actions whose channel is a string": (interaction(channel="C1"), FORM, 400),
    "block_actions whose team is a number": (interaction(team=7), FORM, 400),
    "block_actions whose value is a number": (interaction(actions=[{"action_id": "a", "value": 5}]), FORM, 400),
    "checkbox options that are not objects": (interaction(actions=[{"action_id": "a", "selected_options": [5]}]),
                                              FORM, 400),
    "a message whose author is a number": (interaction(message={"user": 5}), FORM, 400),
    "a container that is a list": (interaction(container=[]), FORM, 400),
    "modal state values that are a list": (
        urlencode({"payload": json.dumps({"type": "view_submission", "team": {"id": "T1"}, "user": {"id": "U1"},
                                          "trigger_id": "1", "view": {"type": "modal", "state": {"values": []}}})}),
        FORM, 400),
    "private_metadata longer than Slack allows": (
        urlencode({"payload": json.dumps({"type": "view_submission", "team": {"id": "T1"}, "user": {"id": "U1"},
                                          "trigger_id": "1", "view": {"type": "modal",
                                                                      "private_metadata": "x" * 3001}})}), FORM, 400),
    "an interaction type sso-bot does not take": (interaction(type="view_closed"), FORM, 400),
    "a message shortcut without its message": (
        interaction(type="message_action", callback_id="s", channel={"id": "C1"},
                    response_url="https://hooks.slack.com/app/T1/1/x"), FORM, 400),
    "a message shortcut whose message ts is a number": (
        interaction(type="message_action", callback_id="s", channel={"id": "C1"}, message={"ts": 5, "text": "x"},
                    response_url="https://hooks.slack.com/app/T1/1/x"), FORM, 400),
    "a message shortcut whose files are not a list": (
        interaction(type="message_action", callback_id="s", channel={"id": "C1"},
                    message={"ts": "1.2", "files": "x"}, response_url="https://hooks.slack.com/app/T1/1/x"), FORM, 400),
    "a global shortcut without a callback_id": (interaction(type="shortcut"), FORM, 400),
    "link_shared with no links": (
        json.dumps({"type": "event_callback", "team_id": "T1", "event": {
            "type": "link_shared", "user": "U1", "channel": "C1", "message_ts": "1.2", "links": []}}), JSON, 200),
    "link_shared whose link is a string": (
        json.dumps({"type": "event_callback", "team_id": "T1", "event": {
            "type": "link_shared", "user": "U1", "channel": "C1", "message_ts": "1.2", "links": ["https://x"]}}),
        JSON, 200),
    "a command with authorizations=x": ("command=%2Fsso&team_id=T1&user_id=U1&authorizations=x", FORM, 400),
    "a command with event=x": ("command=%2Fsso&team_id=T1&user_id=U1&event=x", FORM, 400),
    "a command without a user": ("command=%2Fsso&team_id=T1", FORM, 400),
    "a form that repeats a field": (urlencode([("payload", "{}"), ("payload", "{}")]), FORM, 400),
    "a form with hundreds of fields": ("&".join(f"f{n}=1" for n in range(500)), FORM, 400),
    "a form with neither command nor payload": ("a=b&c", FORM, 400),
    "a JSON body that is an array": ("[1, 2]", JSON, 400),
    "a JSON body that is not JSON": ("{oops", JSON, 400),
    "url_verification without a challenge": ('{"type": "url_verification"}', JSON, 400),
    "an event nested in a message whose author is a number": (
        json.dumps({"type": "event_callback", "team_id": "T1",
                    "event": {"type": "message", "message": {"message": {"user": 5}}}}), JSON, 200),
    "an event callback whose authorizations are a string": (
        json.dumps({"type": "event_callback", "team_id": "T1", "authorizations": "x",
                    "event": {"type": "app_home_opened", "user": "U1"}}), JSON, 200),
    "a body that is not UTF-8": (b"command=%2Fsso&text=\xff\xfe", FORM, 400),
    "a content type Slack does not use": ("command=%2Fsso", "text/plain", 400),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_shapes_slack_never_sends_are_refused_with_a_reason_that_echoes_nothing(name):
    body, content_type, status = REFUSED[name]
    refused = refusal(body, content_type)
    assert refused.status == status
    assert 0 < len(refused.reason) < 200


def test_a_pasted_value_in_a_field_name_is_not_echoed():
    secret = "xoxb-" + "1" * 40
    refused = refusal(interaction(actions=[{"action_id": "a", "selected_options": [5]}],
                                  view={"type": "modal", "state": {"values": {secret: {"v": 5}}}}))
    assert secret not in refused.reason and secret[:12] not in refused.reason


# --------------------------------------------------------------------------- JSON and ids from our own buttons


def test_json_object_refuses_depth_without_recursion_error():
    cases = [("[" * 5000 + "]" * 5000, "nested too deeply"), ('{"a":' + "[" * 5000 + "]" * 5000 + "}", "too deeply"),
             ('{"a":' + "[" * 70 + "]" * 70 + "}", "deeper than 64"), ("{oops", "not valid JSON"),
             ("[]", "not a JSON object")]
    for text, reason in cases:
        with pytest.raises(ValueError, match=reason):
            json_object(text)
    assert isinstance(json_object('{"a": ' + "[" * 60 + "]" * 60 + "}")["a"], list)  # 61 levels: allowed


def test_row_number_takes_only_plain_ids():
    assert row_number(5) == 5 and row_number("12") == 12 and row_number(MAX_ROW_ID) == MAX_ROW_ID
    for bad in (True, -1, MAX_ROW_ID + 1, "١٢", "1e3", "", " 1", "9" * 30, 1.0, None, [1]):
        assert row_number(bad) is None, bad


# --------------------------------------------------------------------------- the signature


def test_slacks_documented_vector_verifies_at_its_own_time(corpus):
    vector = json.loads((corpus / "slack" / "slash_command_signed_request_vector.json").read_text())
    headers = {k.lower(): v for k, v in vector["headers"].items()}
    body = vector["raw_body"].encode()
    at_the_time = SlackSignature(vector["signing_secret"], lambda: vector["verifier_clock_now"])
    assert at_the_time.problem(headers, body) is None
    assert at_the_time.problem(headers, body + b"&x=1") == "wrong signature"
    assert SlackSignature("another-secret", lambda: vector["verifier_clock_now"]).problem(headers, body) \
        == "wrong signature"
    assert SlackSignature(vector["signing_secret"], lambda: vector["verifier_clock_now"] + 301).problem(headers, body) \
        == "stale or future timestamp"


@pytest.mark.parametrize("timestamp", ["abc", "", "9" * 400, "-5", "\u0661\u0662\u0663", "ï¼\x91", "1.5e9", " 17",
                                       "17 ", "+1531420618", "0x10", "1531420618\n"])
def test_malformed_timestamps_are_refused_before_use(corpus, timestamp):
    vector = json.loads((corpus / "slack" / "slash_command_signed_request_vector.json").read_text())
    check = SlackSignature(vector["signing_secret"], lambda: vector["verifier_clock_now"])
    headers = {"x-slack-request-timestamp": timestamp, "x-slack-signature": vector["headers"]["X-Slack-Signature"]}
    assert check.problem(headers, vector["raw_body"].encode()) == "malformed timestamp"


@pytest.mark.parametrize("signature", ["", "v0=", "v1=" + "a" * 64, "v0=" + "A" * 64, "v0=" + "a" * 65,
                                       "v0=" + "ÿ" * 64, "a" * 67])
def test_malformed_signatures_are_refused_before_use(signature):
    check = SlackSignature("secret", lambda: 1_700_000_000)
    headers = {"x-slack-request-timestamp": "1700000000", "x-slack-signature": signature}
    assert check.problem(headers, b"command=%2Fsso") == "malformed signature"


def test_socket_mode_payloads_get_the_same_check(corpus):
    from runtime.inbound import read_socket_mode

    command = json.loads((corpus / "slack" / "bolt_python_payloads" / "slash_command.json").read_text())[0]["payload"]
    assert read_socket_mode("slash_commands", command).kind == "slash_command"
    home = json.loads((corpus / "slack" / "bolt_python_payloads" / "event_app_home_opened.json").read_text())
    assert read_socket_mode("events_api", home[0]["payload"]).kind == "event_callback"
    for envelope_type, payload in (("interactive", {"type": "block_actions", "actions": []}),
                                   ("interactive", ["not", "an", "object"]), ("hello", {}),
                                   ("events_api", {"type": "event_callback", "event": {"type": 5}}),
                                   ("slash_commands", {"command": "/sso", "team_id": "T1"}),
                                   ("interactive", {"a": json.loads("[" * 100 + "]" * 100)})):
        with pytest.raises(Refused):
            read_socket_mode(envelope_type, payload)
