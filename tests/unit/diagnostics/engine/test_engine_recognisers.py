"""The recogniser registry, the recognisers the knowledge declares (codes, exception names, log fields),
and free-text ranking with its confidence, before the menu."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys

import pytest

from bot.diagnostics.engine import diagnosis as engine
from bot.diagnostics.engine import RECOGNISERS, diagnose
from bot.diagnostics.engine.candidates import Candidate, Paste
from bot.diagnostics.engine.rank import THRESHOLD
from bot.knowledge import load_knowledge
from tests.conftest import REPO
from tests.unit.diagnostics.engine.test_engine_helpers import codes

DIAGNOSTICS = REPO / "bot" / "diagnostics"


def _run(text, now, kb=None):
    return diagnose(text, now=now, kb=kb)


def test_every_recogniser_returns_candidates(now):
    kb = load_knowledge()
    text = "IDX10214: Audience validation failed https://a.example.com/scim"
    paste = Paste(kb=kb, scan=text, words=text, lowered=text.lower())
    for recogniser in RECOGNISERS:
        found = recogniser.read(paste)
        assert isinstance(found, list) and all(isinstance(c, Candidate) for c in found), recogniser.name
        assert all(0.0 <= c.confidence <= 1.0 for c in found)


def test_no_reader_imports_the_engine_back():
    readers = [p for p in sorted((DIAGNOSTICS / "engine").glob("*.py")) if p.name not in ("__init__.py", "diagnosis.py")]
    assert len(readers) >= 8
    for path in readers:
        tree = ast.parse(path.read_text())
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        assert not imported & {"bot.diagnostics.engine", "bot.diagnostics.engine.diagnosis"}, path.name


@pytest.mark.parametrize("text, first", [
    ("IDX10214: Audience validation failed. Audiences: 'api://x'", "idx-10214"),
    ("MSIS7007: The requested relying party trust is unspecified or unsupported.", "msis-7007"),
    ("Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectProtocolInvalidNonceException: boom", "idx-21323"),
    ("System.Exception: SecurityTokenInvalidIssuerException thrown", "idx-10205"),
])
def test_codes_and_exception_names_the_knowledge_declares(text, first, now):
    report = _run(text, now)
    assert codes(report)[0] == first
    assert report.findings[0].confidence >= 0.8


def test_an_exception_name_counts_only_as_a_whole_identifier(now):
    assert "idx-21323" not in codes(_run("MyOpenIdConnectProtocolInvalidNonceExceptionHandler failed", now))


def test_an_unknown_idx_code_still_gets_an_answer(now):
    report = _run("IDX10999: something we never heard of", now)
    assert codes(report)[0] == "idx-10999"
    assert report.findings[0].confidence < 0.8


def test_log_fields_declared_by_an_entry_are_found(tmp_path, now):
    data = tmp_path / "kb"
    shutil.copytree(REPO / "bot" / "knowledge" / "data", data)
    (data / "fields.toml").write_text(
        '[[entry]]\nid = "msg-bad-password"\nsystem = "message"\nname = "Wrong password"\n'
        'summary = "The user typed a wrong password."\nfields = ["outcome.reason=INVALID_CREDENTIALS"]\n')
    kb = load_knowledge(data)
    assert codes(_run('{"outcome": {"result": "FAILURE", "reason": "INVALID_CREDENTIALS"}}', now, kb))[0] == \
        "msg-bad-password"
    assert codes(_run("reason=INVALID_CREDENTIALS user=jane", now, kb))[0] == "msg-bad-password"
    assert "msg-bad-password" not in codes(_run("treason=INVALID_CREDENTIALSX", now, kb))


@pytest.mark.parametrize("text, expected", [
    ("users are not getting their first name after first login", "symptom-profile-incomplete"),
    ("new user assigned in okta is not showing up in the app yet", "symptom-scim-sync-delay"),
    ("the sp refuses the saml response from the idp, something about the signature not verifying with the cert "
     "we uploaded", "msg-saml-signature-invalid"),
    ("when users come back from the identity provider the app complains that the state it stored for the login "
     "is gone", "msg-oidc-state-mismatch"),
])
def test_free_text_is_ranked_before_the_menu(text, expected, now):
    report = _run(text, now)
    found = codes(report)
    assert expected in found[:2], found
    assert "free_text" in report.inputs
    assert THRESHOLD <= report.findings[0].confidence < 0.7, "a ranked guess is less sure than an exact match"


# These two were free text once; the knowledge now knows the messages as the libraries print them.
# node-saml's message leads to node-saml's entry. openid-client prints the state message for Auth.js as for
# Auth0's SDK: in a paste from Auth.js the generic cause is among the first two, and Auth0's SDK entry,
# hedged (less sure), comes after it.
def test_a_library_message_leads_with_the_entry_that_fits_the_paste(now):
    node = _run("Error: Invalid document signature\n    at SAML.validatePostResponseAsync (node_modules/saml.js:510)", now)
    assert codes(node)[0] == "msg-node-saml-response-signature-required"
    assert node.findings[0].confidence == 0.85 and "error_message" in node.inputs
    nextauth = _run("[next-auth][error][OAUTH_CALLBACK_ERROR] checks.state argument is missing", now)
    found = codes(nextauth)
    assert "msg-oidc-state-mismatch" in found[:2]
    assert found.index("msg-oidc-state-mismatch") < found.index("msg-auth0-nextjs-state-cookie")
    assert nextauth.findings[found.index("msg-auth0-nextjs-state-cookie")].confidence == 0.6


@pytest.mark.parametrize("text", [
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.",
    "the build is broken on main since yesterday, can someone look",
    "TypeError: Cannot read properties of undefined (reading 'map')",
    "git push rejected: non-fast-forward",
    "error code 12345 on the page",
])
def test_garbage_and_other_tools_errors_still_get_the_menu(text, now):
    assert codes(_run(text, now)) == ["engine-menu"]


def test_a_paste_with_a_code_never_loads_the_ranker():
    script = ("import sys; from bot.diagnostics.engine import diagnose; diagnose('AADSTS50105: not assigned');"
              "print('bm25s' in sys.modules, 'bot.diagnostics.engine.rank' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_the_menu_and_the_truncation_note_say_how_sure_they_are(now):
    report = _run("nothing at all to see here", now)
    assert report.findings[0].code == "engine-menu" and report.findings[0].confidence == 0.0


def test_confidence_survives_the_secret_scrub(now):
    token = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2lnbmF0dXJlc2lnbmF0dXJl"
    report = _run(f"AADSTS50011 and a token {token}", now)
    sure = {f.code: f.confidence for f in report.findings}
    assert sure["aadsts-50011"] == 0.95


def test_json_output_carries_confidence_for_every_finding(now):
    data = json.loads(json.dumps(_run("IDX10214 and HTTP 401 after login", now).to_dict()))
    assert all(isinstance(f["confidence"], float) for f in data["findings"])
    assert engine.__all__  # the engine still exports its public names


def test_a_lone_product_message_is_followed_by_the_general_entry_it_names(now):
    report = _run('The url "https://app.example.com/callback" is not in the list of allowed callback URLs.', now)
    assert codes(report)[:2] == ["msg-auth0-callback-url-mismatch", "msg-reply-url-mismatch"]
    assert report.findings[1].confidence == 0.3  # knowledge the paste did not show, only points to


def test_a_symptom_pattern_takes_part_in_the_ranking_instead_of_deciding_alone(now):
    # "can't sign in at all" is a lock-out's wording, but the rest of the paste says certificate rotation.
    report = _run("we can't sign in at all since the saml signing certificate rollover", now)
    found = codes(report)
    # The lock-out pattern matched (the report's "symptom" input) but the ranking put rotation first.
    assert found[0] == "symptom-sso-broke-after-cert-rotation"
    assert {"symptom", "free_text"} <= set(report.inputs)


def test_an_oauth_error_value_the_idp_printed_comes_before_ranked_guesses(now):
    # login_required is a warning (the user only has to sign in interactively), but the IdP said it: it is
    # direct evidence, not to be pushed behind guesses ranked from the rest of the words.
    report = _run("silent renew with prompt=none came back with error=login_required, then the spa shows a blank page",
                  now)
    assert codes(report)[0] == "oauth-login_required"
