"""``/sso check scim|oidc|saml`` through the running app, against real peers on loopback.

Signed requests go to ``sso-bot`` as it serves (``tests/support/slack_app``); the checks reach a real SCIM
server (scim2-server), a real OpenID Provider (oidc-provider, over TLS with a test CA) and SAML metadata
from the corpus served from loopback. The app is told to trust loopback and the test CA through the same
settings an operator uses (``SSO_BOT_PROBE_ALLOW``, ``SSO_BOT_PROBE_CA_FILE``).
"""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from bot.live.policy import parse_allowance
from storage.models import AuditEvent
from tests.live.peers import Answer, LoopbackServer, TestCA, oidc_provider, scim2_server
from tests.support.payloads import view_submission
from tests.support.slack_app import RunningApp

TOKEN = "5c1d0e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d"


@pytest.fixture(scope="module")
def test_ca(tmp_path_factory) -> TestCA:
    return TestCA(tmp_path_factory.mktemp("live-slack-ca"))


@pytest.fixture
def live_app(fake_slack, database_url, test_ca):
    app = RunningApp(fake_slack, database_url, probe_allow=parse_allowance("127.0.0.1"),
                     probe_ca_file=str(test_ca.file)).start()
    yield app
    app.stop()


def _scim_submission(url: str, token: str, idp: str = "entra") -> dict:
    return view_submission("live.scim_modal", {
        "live.url": {"value": {"type": "plain_text_input", "value": url}},
        "live.token": {"value": {"type": "plain_text_input", "value": token}},
        "live.idp": {"value": {"type": "static_select", "selected_option": {"value": idp}}},
    })


def _last_view(app) -> str:
    updates = app.fake.calls_to("views.update")
    assert updates, "the modal was never updated with the answer"
    return json.dumps(updates[-1].params)


def test_check_scim_opens_a_private_form_with_the_url_filled_in(live_app):
    live_app.command("check scim https://app.example.com/scim/v2")
    live_app.wait_idle()
    [opened] = live_app.fake.calls_to("views.open")
    view = json.dumps(opened.params)
    assert "live.scim_modal" in view and "https://app.example.com/scim/v2" in view


def test_a_token_typed_into_the_command_is_refused_unused_and_never_repeated(live_app):
    live_app.command(f"check scim https://app.example.com/scim/v2 {TOKEN}")
    live_app.wait_idle()
    assert not live_app.fake.calls_to("views.open")
    sent = live_app.fake.everything_sent()
    assert "Never type a token" in sent and TOKEN[:12] not in sent


@pytest.mark.parametrize("idp", ["entra", "okta"])
def test_the_modal_replays_the_idp_against_a_real_scim_server(live_app, idp):
    with scim2_server(TOKEN) as base:
        first = live_app.interaction(_scim_submission(base, TOKEN, idp)).json()
        live_app.wait_idle()
    assert first["response_action"] == "update" and "Checking" in json.dumps(first["view"])
    answer = _last_view(live_app)
    assert "live-scim-unauthorized" not in answer and TOKEN[:12] not in live_app.fake.everything_sent()
    with live_app.db.session() as session:
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "check.scim")).all()
    assert audit and TOKEN[:12] not in audit[-1].detail


def test_a_wrong_token_gets_the_401_explained_in_the_modal(live_app):
    with scim2_server(TOKEN) as base:
        live_app.interaction(_scim_submission(base, "0" * 8 + TOKEN[8:]))
        live_app.wait_idle()
    answer = _last_view(live_app)
    assert "401" in answer and TOKEN[8:20] not in live_app.fake.everything_sent()


def test_an_empty_form_gets_inline_errors(live_app):
    body = live_app.interaction(_scim_submission("", "")).json()
    assert body["response_action"] == "errors" and set(body["errors"]) == {"live.url", "live.token"}


def test_check_oidc_against_a_real_provider_answers_privately(live_app, test_ca):
    with oidc_provider(test_ca) as issuer:
        live_app.command(f"check oidc {issuer}")
        live_app.wait_idle()
    replies = live_app.fake.calls_to("response_url")
    assert replies[0].params["text"].startswith("Checking")
    final = replies[-1].params
    assert final["response_type"] == "ephemeral" and final.get("replace_original") is True
    assert "issuer" in json.dumps(final).lower()


def test_check_saml_reads_corpus_metadata_served_from_loopback(live_app, corpus):
    metadata = (corpus / "saml_metadata" / "idp_metadata_multi_signing_certs_rollover_ruby-saml.xml").read_bytes()
    with LoopbackServer({"/metadata": Answer(200, metadata, {"Content-Type": "application/samlmetadata+xml"})}) as server:
        live_app.command(f"check saml {server.url('/metadata')}")
        live_app.wait_idle()
    final = json.dumps(live_app.fake.calls_to("response_url")[-1].params)
    assert "e552d92c" in final  # the fingerprint of the expired signing certificate


def test_the_ssrf_guard_refuses_a_metadata_address_from_slack(fake_slack, database_url):
    app = RunningApp(fake_slack, database_url).start()  # no allowance: the production default
    try:
        app.command("check oidc https://169.254.169.254/latest")
        app.wait_idle()
        final = json.dumps(app.fake.calls_to("response_url")[-1].params)
    finally:
        app.stop()
    assert "Not contacted" in final and "metadata" in final.lower()


def _button(blocks: list, prefix: str) -> dict:
    return next(e for b in blocks if b["type"] == "actions" for e in b["elements"]
                if e.get("action_id", "").startswith(prefix))


def test_a_valid_signing_certificate_can_be_tracked_from_the_saml_check(live_app, corpus, fake_slack):
    from tests.support.payloads import block_actions

    fake_slack.add_user("U0ADMIN01", is_admin=True)
    metadata = (corpus / "saml_metadata" / "okta_idp_metadata_crewjam.xml").read_bytes()
    with LoopbackServer({"/metadata": Answer(200, metadata, {"Content-Type": "application/samlmetadata+xml"})}) as server:
        live_app.command(f"check saml {server.url('/metadata')}")
        live_app.wait_idle()
    reply = live_app.fake.calls_to("response_url")[-1].params
    button = _button(reply["blocks"], "credential.track_certificate")
    expires = json.loads(button["value"])["expires"]
    live_app.interaction(block_actions(button["action_id"], button["value"]))
    live_app.wait_idle()
    form = json.dumps(live_app.fake.calls_to("views.open")[-1].params)
    assert "credential.track_modal" in form and f'"initial_date": "{expires}"' in form and "saml-cert" in form

    values = {"credential.label": {"value": {"type": "plain_text_input", "value": "Okta SAML signing"}},
              "credential.kind": {"value": {"type": "static_select", "selected_option": {"value": "saml-cert"}}},
              "credential.idp": {"value": {"type": "static_select", "selected_option": {"value": "okta"}}},
              "credential.env": {"value": {"type": "plain_text_input", "value": ""}},
              "credential.channel": {"value": {"type": "conversations_select", "selected_conversation": "C0SSO0001"}},
              "credential.secret": {"value": {"type": "plain_text_input", "value": None}},
              "credential.issued": {"value": {"type": "datepicker", "selected_date": None}},
              "credential.expires": {"value": {"type": "datepicker", "selected_date": expires}}}
    live_app.interaction(view_submission("credential.track_modal", values,
                                         private_metadata=json.dumps({"channel": "C0SSO0001"})))
    live_app.wait_idle()
    from services import credentials as tracked

    [cred] = tracked.listing(live_app.db, team_id="T0SSOBOT1")
    assert cred.kind == "saml-cert" and cred.expires_at.date().isoformat() == expires


def test_check_saml_without_a_url_takes_an_uploaded_metadata_file(live_app, corpus):
    from tests.support.slack_app import BOT_TOKEN

    live_app.command("check saml")
    live_app.wait_idle()
    assert "live.saml_modal" in json.dumps(live_app.fake.calls_to("views.open")[-1].params)
    live_app.fake.file_token = BOT_TOKEN
    data = (corpus / "saml_metadata" / "idp_metadata_multi_signing_certs_rollover_ruby-saml.xml").read_bytes()
    upload = live_app.fake.upload("F0META001", data, "idp-metadata.xml", "xml")
    live_app.interaction(view_submission("live.saml_modal", {
        "live.saml_url": {"value": {"type": "plain_text_input", "value": None}},
        "live.saml_file": {"value": {"type": "file_input", "files": [upload]}}}))
    live_app.wait_idle()
    assert "e552d92c" in _last_view(live_app)  # the expired signing certificate's fingerprint
    empty = live_app.interaction(view_submission("live.saml_modal", {
        "live.saml_url": {"value": {"type": "plain_text_input", "value": None}},
        "live.saml_file": {"value": {"type": "file_input", "files": []}}})).json()
    assert empty["response_action"] == "errors"
