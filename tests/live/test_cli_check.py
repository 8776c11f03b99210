"""`sso-bot check scim|oidc|saml` through the command line itself (bot.cli.main), with the settings read from the
environment as in production: SSO_BOT_PROBE_ALLOW for loopback, SSO_BOT_PROBE_CA_FILE for the test CA."""

from __future__ import annotations

import io
import json

import pytest

from bot.cli import main
from tests.live.peers import oidc_provider, scim2_server

TOKEN = "cli-scim-token-0b1c2d3e4f5a6b7c8d9e"


@pytest.fixture(scope="module")
def scim_peer():
    with scim2_server(TOKEN) as base:
        yield base


@pytest.fixture
def allow_loopback(monkeypatch, ca):
    monkeypatch.setenv("SSO_BOT_PROBE_ALLOW", "127.0.0.1")
    monkeypatch.setenv("SSO_BOT_PROBE_CA_FILE", str(ca.file))


def run(monkeypatch, capsys, argv, stdin: str = ""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_scim_with_the_token_on_stdin(monkeypatch, capsys, scim_peer, allow_loopback):
    code, out, err = run(monkeypatch, capsys, ["check", "scim", scim_peer, "--token-stdin", "--idp", "okta", "--json"],
                         stdin=TOKEN + "\n")
    report = json.loads(out)
    assert code == 0 and report["verdict"] == "info" and report["findings"][0]["code"] == "live-scim-ok"
    assert TOKEN not in out + err


def test_scim_with_a_wrong_token_fails_and_says_why(monkeypatch, capsys, scim_peer, allow_loopback):
    code, out, err = run(monkeypatch, capsys, ["check", "scim", scim_peer, "--token-stdin"], stdin="wrong-token-1234567890")
    assert code == 1 and "401 Unauthorized" in out and "wrong-token-1234567890" not in out + err


def test_a_token_is_never_taken_as_an_argument(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, ["check", "scim", "https://scim.example.test/scim/v2", "--token",
                                               "argument-token-1234567890"])
    assert code == 2 and "never pass a token as an argument" in err and "argument-token-1234567890" not in out + err
    code, _out, err = run(monkeypatch, capsys, ["check", "scim", "https://scim.example.test/scim/v2"])
    assert code == 2 and "--token-stdin" in err


def test_plain_http_is_refused_without_the_allowance(monkeypatch, capsys, scim_peer, no_sockets):
    monkeypatch.delenv("SSO_BOT_PROBE_ALLOW", raising=False)
    code, out, _err = run(monkeypatch, capsys, ["check", "scim", scim_peer, "--token-stdin", "--json"], stdin=TOKEN)
    assert code == 1 and json.loads(out)["findings"][0]["code"] == "live-not-https"


def test_oidc_against_the_real_provider(monkeypatch, capsys, ca, allow_loopback):
    with oidc_provider(ca) as issuer:
        code, out, _err = run(monkeypatch, capsys, ["check", "oidc", issuer])
    assert code == 0 and "publishes a usable discovery document" in out


def test_oidc_refuses_the_metadata_address(monkeypatch, capsys, no_sockets):
    code, out, _err = run(monkeypatch, capsys, ["check", "oidc", "https://169.254.169.254/latest", "--json"])
    assert code == 1 and json.loads(out)["findings"][0]["code"] == "live-refused"


def test_saml_from_a_file_and_from_stdin(monkeypatch, capsys, corpus):
    path = corpus / "saml_metadata" / "onelogin_idp_metadata_crewjam.xml"
    code, out, _err = run(monkeypatch, capsys, ["check", "saml", str(path), "--json"])
    assert code == 1 and json.loads(out)["findings"][0]["code"] == "saml-metadata-all-certs-expired"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    assert main(["check", "saml", "-"]) == 1
    assert "saml-metadata" not in capsys.readouterr().err
    code, _out, err = run(monkeypatch, capsys, ["check", "saml", "no-such-file.xml"])
    assert code == 2 and "neither an https:// URL nor a file" in err


def test_a_bad_allowance_is_a_configuration_error(monkeypatch, capsys):
    monkeypatch.setenv("SSO_BOT_PROBE_ALLOW", "not a host!")
    code, _out, err = run(monkeypatch, capsys, ["check", "oidc", "https://idp.example.test"])
    assert code == 2 and "SSO_BOT_PROBE_ALLOW" in err
