"""`sso-bot check saml` on the SAML metadata in shared/corpus/saml_metadata/ (Okta, OneLogin, Shibboleth,
SimpleSAMLphp and ruby-saml's test files), read from files and served from loopback."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.diagnostics.report import Severity
from bot.live.run import LiveInputError, run_saml_check
from tests.live.peers import Answer, LoopbackServer

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


def problems(report) -> set[str]:
    return {f.code for f in report.findings if f.severity in (Severity.WARN, Severity.FAIL)}


def read(corpus, name: str):
    return run_saml_check(text=(corpus / "saml_metadata" / name).read_bytes(), source=name, now=NOW)


def test_okta_metadata_is_current_and_names_what_tracking_needs(corpus):
    report = read(corpus, "okta_idp_metadata_crewjam.xml")
    assert codes(report)[0] == "saml-metadata-ok" and problems(report) == set()
    idp = next(f for f in report.findings if f.code == "saml-metadata-idp")
    assert idp.facts["entity_id"] == "http://www.okta.com/exkppsa1qwuFV4D7z0h7"
    assert {"SSO HTTP-POST", "SSO HTTP-Redirect"} <= set(idp.facts)
    cert = next(f for f in report.findings if f.code == "saml-metadata-signing-cert")
    # the same expiry and fingerprint `sso-bot credentials add --cert-file` records (tests/unit/test_safe_xml.py)
    assert cert.facts["expires_at"] == "2028-09-07T14:33:59Z" and cert.facts["fingerprint"] == "d40df01c"
    assert len(cert.facts["sha1_thumbprint"]) == 40 and cert.facts["sha256"].startswith("d40df01c")


@pytest.mark.parametrize(("name", "expected"), [
    ("onelogin_idp_metadata_crewjam.xml", {"saml-metadata-all-certs-expired"}),
    ("simplesamlphp_idp_metadata_expired_cert_crewjam.xml", {"saml-metadata-all-certs-expired"}),
    ("idp_metadata_expired_validUntil_2014_ruby-saml.xml", {"saml-metadata-expired"}),
    ("simplesamlphp_sp_metadata_ruby-saml.xml", {"saml-metadata-no-idp"}),
    ("idp_metadata_multi_signing_certs_rollover_ruby-saml.xml", {"saml-metadata-cert-expired"}),
    ("shibboleth_idp_metadata_ruby-saml.xml", set()),
])
def test_each_corpus_file_gets_its_finding(corpus, name, expected):
    report = read(corpus, name)
    assert problems(report) == expected, (name, codes(report))


def test_a_pem_encoded_twice_is_read_and_noted(corpus):
    """Shibboleth-style metadata from ruby-saml's tests: the X509Certificate holds base64 of a PEM block."""
    report = read(corpus, "shibboleth_idp_metadata_ruby-saml.xml")
    assert codes(report)[0] == "saml-metadata-ok"
    assert "saml-metadata-cert-double-encoded" in codes(report)
    cert = next(f for f in report.findings if f.code == "saml-metadata-signing-cert")
    assert cert.facts["expires_at"] == "2032-04-14T22:54:18Z" and cert.facts["fingerprint"] == "c4c6bd41"


def test_a_rollover_keeps_one_current_certificate(corpus):
    report = read(corpus, "idp_metadata_multi_signing_certs_rollover_ruby-saml.xml")
    certs = [f for f in report.findings if f.code == "saml-metadata-signing-cert"]
    assert sorted(f.facts["expires_at"] for f in certs) == ["2018-04-15T16:33:18Z", "2021-08-05T22:29:37Z",
                                                           "2032-04-14T22:54:18Z"]
    assert "saml-metadata-all-certs-expired" not in codes(report)
    assert "saml-metadata-cert-double-encoded" in codes(report)
    assert not report.failed


def test_metadata_served_over_https(ca, corpus, loopback_policy):
    body = (corpus / "saml_metadata" / "okta_idp_metadata_crewjam.xml").read_bytes()
    routes = {"/app/exkppsa1qwuFV4D7z0h7/sso/saml/metadata": Answer(200, body, {"Content-Type": "application/xml"}),
              "/signin": Answer(200, "<html><title>Sign In</title><input type=password></html>",
                                {"Content-Type": "text/html"}),
              "/dtd": Answer(200, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
                             {"Content-Type": "application/xml"})}
    with LoopbackServer(routes, tls=ca.issue("dev-513394.okta.com")) as server:
        policy = loopback_policy(allow="dev-513394.okta.com", names={"dev-513394.okta.com": ["127.0.0.1"]})

        def check(path):
            return run_saml_check(url=server.url(path, host="dev-513394.okta.com"), policy=policy, now=NOW)

        good, page, missing, dtd = (check("/app/exkppsa1qwuFV4D7z0h7/sso/saml/metadata"), check("/signin"),
                                    check("/nothing"), check("/dtd"))
    assert codes(good)[0] == "saml-metadata-ok"
    assert next(f for f in good.findings if f.code == "saml-metadata-idp").facts["source"].startswith(
        "https://dev-513394.okta.com:")
    assert codes(page) == ["saml-metadata-html"] and "sign-in page" in page.findings[0].title
    assert codes(missing) == ["saml-metadata-fetch-status"]
    assert codes(dtd) == ["saml-metadata-unreadable"] and dtd.findings[0].facts["declaration"] == "DOCTYPE"


def test_not_metadata_and_not_xml(no_sockets):
    assert codes(run_saml_check(text="<samlp:Response xmlns:samlp='urn:oasis:names:tc:SAML:2.0:protocol'/>",
                                now=NOW)) == ["saml-metadata-not-metadata"]
    assert codes(run_saml_check(text="<EntityDescriptor", now=NOW)) == ["saml-metadata-unreadable"]
    with pytest.raises(LiveInputError):
        run_saml_check(text="   ")
    with pytest.raises(LiveInputError):
        run_saml_check()
    assert codes(run_saml_check(url="https://192.168.1.10/metadata"))[0] == "live-refused"
