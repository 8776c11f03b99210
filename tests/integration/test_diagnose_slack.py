"""/sso diagnose and friends through the running app, asserting on what reached the fake Slack."""

from __future__ import annotations

import json

from sqlmodel import select

from storage.models import AuditEvent, ReportSnapshot
from tests.support.fake_slack import TEAM_ID

REPLY_URL_MISMATCH = ("AADSTS50011: The redirect URI 'https://app.example.com/oidc/callback/' specified in the "
                      "request does not match the redirect URIs configured for the application "
                      "'6731de76-14a6-49ae-97bc-6eba6914391e'. Make sure the redirect URI sent in the request "
                      "matches one added to your application in the Azure portal.")
# A JWT built for the test: header {"alg":"RS256","typ":"JWT"}, iat 2026-05-28, exp 2026-11-15T12:26:40Z
# (already expired when these tests run on the real clock); fake signature.
JWT = ("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
       "eyJpc3MiOiJodHRwczovL2FwcC5leGFtcGxlLmNvbSIsInN1YiI6InNjaW0tY2xpZW50IiwiYXVkIjoic2NpbSIsImlhdCI6"
       "MTc3OTk2OTYwMCwiZXhwIjoxNzk0NzQ1NjAwfQ."
       "c2lnbmF0dXJlLW5vdC1yZWFsLWJ1dC1sb25nLWVub3VnaC10by1sb29rLWxpa2Utb25l")


def _reply(app):
    replies = app.fake.calls_to("response_url")
    assert replies, "no reply was posted to the response_url"
    return replies[-1].params


def _text_of(params) -> str:
    return json.dumps(params.get("blocks", [])) + params.get("text", "")


def test_pasted_aadsts50011_names_the_redirect_mismatch_and_the_fix(slack_app):
    response = slack_app.command(f"diagnose {REPLY_URL_MISMATCH}")
    assert response.status_code == 200
    params = _reply(slack_app)
    assert params["response_type"] == "ephemeral"
    blocks = params["blocks"]
    first_finding = next(b for b in blocks if b["type"] == "section")
    assert "AADSTS50011" in json.dumps(first_finding)
    text = _text_of(params)
    assert "redirect" in text.lower() and "Fix" in text
    assert len(blocks) <= 50
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks if b["type"] == "section")


def test_pasted_jwt_is_never_echoed_stored_or_logged_but_expiry_is_told(slack_app, caplog):
    import logging

    with caplog.at_level(logging.DEBUG):
        slack_app.command(f"diagnose {JWT}")
    params = _reply(slack_app)
    text = _text_of(params)
    assert "Expired" in text and "2026-11-15" in text  # the expiry is explained, with its date
    assert "not stored" in text
    for part in JWT.split("."):
        assert part[:16] not in slack_app.fake.everything_sent()
        assert part[:16] not in caplog.text
    with slack_app.db.session() as session:
        dumped = " ".join(str(r) for r in session.exec(select(AuditEvent)).all())
        dumped += " ".join(str(r) for r in session.exec(select(ReportSnapshot)).all())
    for part in JWT.split("."):
        assert part[:16] not in dumped


def test_diagnose_without_text_opens_the_modal(slack_app):
    slack_app.command("diagnose")
    opened = slack_app.fake.calls_to("views.open")
    assert len(opened) == 1
    view = json.loads(opened[0].params["view"]) if isinstance(opened[0].params["view"], str) else opened[0].params["view"]
    assert view["callback_id"] == "diagnose.modal"


def test_token_subcommand_opens_the_private_modal(slack_app):
    slack_app.command("token")
    opened = slack_app.fake.calls_to("views.open")
    assert len(opened) == 1 and "token.modal" in json.dumps(opened[0].params)


def test_share_posts_the_saved_report_in_the_channel_without_secrets(slack_app):
    slack_app.command(f"diagnose {REPLY_URL_MISMATCH}")
    actions = next(b for b in _reply(slack_app)["blocks"] if b["type"] == "actions")
    button = next(e for e in actions["elements"] if e["action_id"] == "report.share")
    payload = _block_actions(button["action_id"], button["value"], block_id=actions["block_id"])
    assert slack_app.interaction(payload).status_code == 200
    posted = slack_app.fake.calls_to("chat.postMessage")
    assert len(posted) == 1
    assert posted[0].params["channel"] == "C0SSO0001"
    assert "AADSTS50011" in json.dumps(posted[0].params) and "Shared by <@U0ADMIN01>" in json.dumps(posted[0].params)


def _buttons(blocks) -> dict[str, dict]:
    """Every button in ``blocks`` by its label."""
    found = {}
    for block in blocks:
        for element in block.get("elements", []) + ([block["accessory"]] if "accessory" in block else []):
            if element.get("type") == "button":
                found[element["text"]["text"]] = {**element, "block_id": block.get("block_id", "b")}
    return found


def _visible(blocks) -> str:
    from slack_sdk.models.blocks import Block

    from handlers.shared.report import visible_text

    return visible_text([Block.parse(b) for b in blocks])


def _click(slack_app, button: dict, *, key: str = "click", ephemeral: bool = True, message: dict | None = None):
    payload = _block_actions(button["action_id"], button.get("value", ""), block_id=button["block_id"],
                             response_url=slack_app.fake.response_url(key), ephemeral=ephemeral, message=message)
    assert slack_app.interaction(payload).status_code == 200


def test_first_view_of_aadsts50011_fits_a_screen_and_puts_the_quoted_uri_to_use(slack_app):
    slack_app.command(f"diagnose {REPLY_URL_MISMATCH}")
    blocks = _reply(slack_app)["blocks"]
    seen = _visible(blocks)
    assert len(seen) <= 1200, len(seen)
    assert "Register `https://app.example.com/oidc/callback/`" in json.dumps(blocks)
    assert seen.index("Likely cause") < seen.index("Fix") < seen.index("Register")
    assert "Where to look" not in seen and "(symptom-" not in seen  # details wait for *More*; no internal ids
    assert {"More: causes, where to look", "Compare with a registered URI", "Share in channel"} <= set(_buttons(blocks))


def test_more_replaces_the_reply_with_the_details_and_less_brings_the_first_view_back(slack_app):
    slack_app.command(f"diagnose {REPLY_URL_MISMATCH}")
    first = _reply(slack_app)
    _click(slack_app, _buttons(first["blocks"])["More: causes, where to look"], key="more")
    more = slack_app.fake.calls_to("response_url")[-1]
    params = more.params
    assert params["replace_original"] is True
    text = json.dumps(params["blocks"], ensure_ascii=False)
    for part in ("Other likely causes", "Where to look", "What to collect", "Microsoft Learn: Reply URL",
                 "RFC 6749 §3.1.2", "Redirect loop after sign-in"):
        assert part in text, part
    assert "symptom-redirect-loop" not in _visible(params["blocks"])  # named, with a button, never by id
    buttons = _buttons(params["blocks"])
    _click(slack_app, buttons["Redirect loop after sign-in"], key="related")
    opened = slack_app.fake.calls_to("views.open")
    assert len(opened) == 1 and "Redirect loop after sign-in" in json.dumps(opened[0].params)
    _click(slack_app, buttons["Less"], key="less")
    back = slack_app.fake.calls_to("response_url")[-1].params
    assert back["replace_original"] is True and "Where to look" not in json.dumps(back["blocks"])
    assert _visible(back["blocks"]) == _visible(first["blocks"])


def test_more_on_a_shared_copy_keeps_who_shared_it(slack_app):
    slack_app.command(f"diagnose {REPLY_URL_MISMATCH}")
    share = _buttons(_reply(slack_app)["blocks"])["Share in channel"]
    _click(slack_app, share, key="share")
    posted = slack_app.fake.calls_to("chat.postMessage")[-1].params
    blocks = json.loads(posted["blocks"]) if isinstance(posted["blocks"], str) else posted["blocks"]
    more = _buttons(blocks)["More: causes, where to look"]
    assert "Share in channel" not in _buttons(blocks)
    _click(slack_app, more, key="shared-more", ephemeral=False, message={"blocks": blocks})
    params = slack_app.fake.calls_to("response_url")[-1].params
    text = json.dumps(params["blocks"])
    assert "Shared by <@U0ADMIN01>" in text and "Where to look" in text and "Share in channel" not in text


def test_compare_opens_the_form_with_the_quoted_redirect_uri(slack_app):
    slack_app.command(f"diagnose {REPLY_URL_MISMATCH}")
    _click(slack_app, _buttons(_reply(slack_app)["blocks"])["Compare with a registered URI"])
    view = slack_app.fake.calls_to("views.open")[-1].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "diagnose.modal"
    assert "app sends https://app.example.com/oidc/callback/" in json.dumps(view)


def test_explain_is_a_look_up_not_a_problem(slack_app):
    slack_app.command("explain E0000011")
    params = _reply(slack_app)
    header = params["blocks"][0]["text"]["text"]
    assert "problem" not in header.lower() and "E0000011" in header, header


def test_a_scim_conflict_body_is_one_problem(slack_app, corpus):
    exchanges = (corpus / "scim" / "okta_scim20_http_exchanges.http").read_text()
    start = exchanges.index("HTTP/1.1 409 Conflict")
    body = exchanges[start:exchanges.index("###", start)]
    slack_app.command(f"diagnose {body}")
    params = _reply(slack_app)
    assert "1 problem found" in params["blocks"][0]["text"]["text"]
    assert "Open" not in _buttons(params["blocks"])  # the HTTP 409 restates it: no second line


def test_more_on_a_token_finding_opens_its_knowledge_never_the_token(slack_app):
    slack_app.command(f"diagnose {JWT}")
    blocks = _reply(slack_app)["blocks"]
    assert "iss `https://app.example.com`" in json.dumps(blocks) and "aud `scim`" in json.dumps(blocks)
    buttons = _buttons(blocks)
    opener = buttons.get("More: causes, where to look") or buttons.get("Open")
    if opener is not None:  # a token's findings are not kept, so their buttons open the knowledge entry
        _click(slack_app, opener)
        assert slack_app.fake.calls_to("views.open")
    for part in JWT.split("."):
        assert part[:16] not in slack_app.fake.everything_sent()


def test_diagnose_modal_submission_shows_the_result_in_the_modal(slack_app):
    payload = _view_submission("diagnose.modal", {"diagnose.input": {"value": {"type": "plain_text_input",
                                                                              "value": "AADSTS50105"}}})
    response = slack_app.interaction(payload)
    body = response.json()
    assert body["response_action"] == "update"
    assert "AADSTS50105" in json.dumps(body["view"])


def test_empty_modal_submission_gets_an_inline_error(slack_app):
    payload = _view_submission("diagnose.modal", {"diagnose.input": {"value": {"type": "plain_text_input",
                                                                              "value": "  "}}})
    body = slack_app.interaction(payload).json()
    assert body["response_action"] == "errors" and "diagnose.input" in body["errors"]


def test_token_modal_result_never_contains_the_token(slack_app):
    payload = _view_submission("token.modal", {"token.input": {"value": {"type": "plain_text_input", "value": JWT}},
                                               "token.issued": {"value": {"type": "datepicker", "selected_date": None}}})
    body = slack_app.interaction(payload).json()
    assert body["response_action"] == "update"
    dumped = json.dumps(body)
    for part in JWT.split("."):
        assert part[:16] not in dumped


def test_shortcut_subcommands_use_the_same_engine(slack_app):
    slack_app.command("scim https://app.example.com/auth/realms/acme/org/3f2504e0-4f89-11d3-9a0c-0305e82c3301/scim")
    assert "v2" in _text_of(_reply(slack_app))
    slack_app.command("redirect https://app.example.com/callback https://app.example.com/callback/")
    assert "trailing slash" in _text_of(_reply(slack_app)).lower()
    slack_app.command("domains @example.com, example.org jane@example.net")
    assert "example.net" in _text_of(_reply(slack_app))
    slack_app.command("explain E0000011")
    assert "E0000011" in _text_of(_reply(slack_app))


def test_shortcut_without_argument_is_a_friendly_error(slack_app):
    slack_app.command("scim")
    assert _reply(slack_app)["text"].startswith(":warning: Give me the SCIM base URL")


def test_audit_records_kinds_and_codes_not_text(slack_app):
    slack_app.command(f"diagnose {REPLY_URL_MISMATCH}")
    with slack_app.db.session() as session:
        row = session.exec(select(AuditEvent)).one()
    assert row.action == "diagnose" and "aadsts_code" in row.input_kinds and "aadsts-50011" in row.detail
    assert "app.example.com" not in row.detail + row.input_kinds


def _block_actions(action_id: str, value: str, block_id: str = "b", *, response_url: str = "http://127.0.0.1:9/unused",
                   ephemeral: bool = True, message: dict | None = None) -> dict:
    payload = {
        "type": "block_actions", "team": {"id": TEAM_ID, "domain": "sso-bot-test"},
        "user": {"id": "U0ADMIN01", "username": "ada", "team_id": TEAM_ID}, "api_app_id": "A0SSOBOT1",
        "token": "unused", "trigger_id": "111.222.trigger",
        "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": "C0SSO0001",
                      "is_ephemeral": ephemeral},
        "channel": {"id": "C0SSO0001", "name": "identity-ops"},
        "response_url": response_url,
        "actions": [{"action_id": action_id, "block_id": block_id, "text": {"type": "plain_text", "text": "x"},
                     "value": value, "type": "button", "action_ts": "1700000001.000200"}],
    }
    if message is not None:
        payload["message"] = {"type": "message", "ts": "1700000000.000100", "text": "", **message}
    return payload


def _view_submission(callback_id: str, values: dict) -> dict:
    return {
        "type": "view_submission", "team": {"id": TEAM_ID, "domain": "sso-bot-test"},
        "user": {"id": "U0ADMIN01", "username": "ada", "team_id": TEAM_ID}, "api_app_id": "A0SSOBOT1",
        "token": "unused", "trigger_id": "111.222.trigger",
        "view": {"id": "V0001", "team_id": TEAM_ID, "type": "modal", "callback_id": callback_id,
                 "private_metadata": "", "state": {"values": values}, "hash": "h", "title": {"type": "plain_text",
                 "text": "x"}, "blocks": []},
    }
