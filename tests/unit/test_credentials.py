"""Expiry and fingerprint from what an admin gives (bot.credentials): JWT, dates, PEM, SAML metadata."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bot.credentials import (CredentialInputError, Kind, clean_label, expiry_from_certificate, expiry_from_input,
                             expiry_from_token)
from bot.diagnostics.token import fingerprint

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def make_jwt(exp: datetime | None, **claims) -> str:
    payload = {"iss": "https://app.example.com", "sub": "scim", **claims}
    if exp is not None:
        payload["exp"] = int(exp.timestamp())
    return f"{_b64({'alg': 'RS256', 'typ': 'JWT'})}.{_b64(payload)}.c2lnbmF0dXJlLW5vdC1yZWFsLWJ1dC1sb25nLWVub3VnaA"


def make_cert(not_after: datetime, cn: str = "sso-bot test signing") -> tuple[str, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(not_after - timedelta(days=365))
            .not_valid_after(not_after).sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode(), cert.public_bytes(serialization.Encoding.DER)


def test_a_jwt_gives_its_exp_and_the_diagnosis_fingerprint():
    exp = NOW + timedelta(days=5, hours=3)
    token = make_jwt(exp)
    expiry = expiry_from_input(kind="scim-token", now=NOW, secret=token)
    assert expiry.expires_at == exp.replace(microsecond=0)
    assert expiry.source == "jwt" and expiry.fingerprint == fingerprint(token)
    assert len(expiry.fingerprint) == 8 and all(c in "0123456789abcdef" for c in expiry.fingerprint)
    assert expiry_from_token("Bearer " + token, now=NOW).fingerprint == fingerprint(token)  # type: ignore[union-attr]


def test_a_jwt_without_exp_or_an_opaque_token_needs_a_date_and_the_error_never_quotes_it():
    opaque = "Zm9vYmFyYmF6cXV4LXNlY3JldC10b2tlbi12YWx1ZS0xMjM0NTY3ODkw"
    for token in (opaque, make_jwt(None)):
        with pytest.raises(CredentialInputError) as error:
            expiry_from_input(kind="scim-token", now=NOW, secret=token)
        assert error.value.field == "secret" and token[:12] not in str(error.value)
    expiry = expiry_from_input(kind="scim-token", now=NOW, secret=opaque, issued=date(2026, 6, 1))
    assert expiry.expires_at == datetime(2026, 11, 28, tzinfo=timezone.utc)  # 2026-06-01 + 180 days
    assert expiry.source == "issued" and expiry.fingerprint == fingerprint(opaque)
    typed = expiry_from_input(kind="scim-token", now=NOW, secret=opaque, expires=date(2027, 1, 2))
    assert typed.expires_at == datetime(2027, 1, 2, tzinfo=timezone.utc) and typed.fingerprint


@pytest.mark.parametrize("kind, days", [("scim-token", 180), ("client-secret", 180), ("saml-cert", 3 * 365)])
def test_a_generation_date_plus_the_kinds_lifetime(kind, days):
    expiry = expiry_from_input(kind=kind, now=NOW, issued=date(2026, 1, 1))
    assert expiry.expires_at == datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(days=days)
    assert expiry.fingerprint == "" and expiry.source == "issued"
    custom = expiry_from_input(kind=kind, now=NOW, issued=date(2026, 1, 1), lifetime_days=90)
    assert custom.expires_at == datetime(2026, 4, 1, tzinfo=timezone.utc)


def test_dates_rules():
    assert expiry_from_input(kind="client-secret", now=NOW, expires=date(2027, 5, 1)).source == "typed"
    with pytest.raises(CredentialInputError, match="not both"):
        expiry_from_input(kind="scim-token", now=NOW, issued=date(2026, 1, 1), expires=date(2027, 1, 1))
    with pytest.raises(CredentialInputError, match="future"):
        expiry_from_input(kind="scim-token", now=NOW, issued=date(2027, 1, 1))
    with pytest.raises(CredentialInputError) as nothing:
        expiry_from_input(kind="scim-token", now=NOW)
    assert nothing.value.field == "secret"


def test_a_pem_certificate_gives_its_not_after_and_a_der_fingerprint():
    not_after = datetime(2027, 2, 3, 4, 5, 6, tzinfo=timezone.utc)
    pem, der = make_cert(not_after)
    expiry = expiry_from_input(kind="saml-cert", now=NOW, secret=pem)
    assert expiry.expires_at == not_after and expiry.source == "certificate"
    assert expiry.fingerprint == hashlib.sha256(der).hexdigest()[:8]


def test_several_certificates_give_the_earliest():
    later, _ = make_cert(datetime(2029, 1, 1, tzinfo=timezone.utc))
    sooner, _ = make_cert(datetime(2027, 1, 1, tzinfo=timezone.utc))
    expiry = expiry_from_certificate(later + "\n" + sooner)
    assert expiry.expires_at == datetime(2027, 1, 1, tzinfo=timezone.utc) and "2 certificates" in expiry.note


def test_a_private_key_is_refused_and_not_echoed():
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    with pytest.raises(CredentialInputError) as error:
        expiry_from_input(kind="saml-cert", now=NOW, secret=pem)
    assert "private key" in error.value.message
    body = pem.splitlines()[1]
    assert body[:12] not in error.value.message


@pytest.mark.parametrize("text", ["-----BEGIN CERTIFICATE-----\n!!!notbase64!!!\n-----END CERTIFICATE-----",
                                  "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
                                  "-----BEGIN SOMETHING-----", "<not-xml", "<a/>"])
def test_damaged_certificates_and_metadata_are_explained(text):
    with pytest.raises(CredentialInputError) as error:
        expiry_from_certificate(text)
    assert error.value.field == "secret"


def _metadata(cert_b64: str | None, valid_until: str | None, *, use: str = "signing") -> str:
    valid = f' validUntil="{valid_until}"' if valid_until else ""
    key = (f'<md:KeyDescriptor use="{use}"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\n{cert_b64}\n'
           '</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>') if cert_b64 else ""
    return (f'<?xml version="1.0"?>\n<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
            f'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.com"{valid}>'
            f'<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">{key}'
            '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
            'Location="https://idp.example.com/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>')


def test_saml_metadata_takes_the_earliest_of_signing_certificate_and_valid_until():
    _, der = make_cert(datetime(2028, 6, 1, tzinfo=timezone.utc))
    cert_b64 = base64.b64encode(der).decode()
    by_cert = expiry_from_input(kind="saml-cert", now=NOW, secret=_metadata(cert_b64, "2030-01-01T00:00:00Z"))
    assert by_cert.expires_at == datetime(2028, 6, 1, tzinfo=timezone.utc) and by_cert.source == "metadata"
    assert by_cert.fingerprint == hashlib.sha256(der).hexdigest()[:8]
    by_valid = expiry_from_certificate(_metadata(cert_b64, "2027-03-01T12:00:00.000Z"))
    assert by_valid.expires_at == datetime(2027, 3, 1, 12, tzinfo=timezone.utc)
    assert "validUntil" in by_valid.note
    encryption_only = _metadata(cert_b64, None, use="encryption")
    with pytest.raises(CredentialInputError, match="No signing certificate"):
        expiry_from_certificate(encryption_only)


def test_a_real_adfs_signing_certificate_from_the_corpus(corpus):
    """The ADFS signing certificate embedded in python3-saml's test response (corpus/tokens/saml_responses,
    MIT): `openssl x509 -enddate` says notAfter=Jun  9 18:56:01 2012 GMT."""
    xml = base64.b64decode((corpus / "tokens" / "saml_responses" / "adfs_response.xml.base64").read_text())
    text = xml.decode("utf-8")
    cert_b64 = text.split("<ds:X509Certificate>", 1)[1].split("</ds:X509Certificate>", 1)[0]
    expiry = expiry_from_certificate(_metadata(cert_b64, None))
    assert expiry.expires_at == datetime(2012, 6, 9, 18, 56, 1, tzinfo=timezone.utc)
    pem = "-----BEGIN CERTIFICATE-----\n" + "".join(cert_b64.split()) + "\n-----END CERTIFICATE-----\n"
    assert expiry_from_certificate(pem).expires_at == expiry.expires_at


def test_xml_with_a_doctype_is_not_read():
    """Every attack shape, through both readers of outside XML, is in tests/unit/test_safe_xml.py."""
    bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><md:EntityDescriptor/>'
    with pytest.raises(CredentialInputError, match="declares a DTD; SAML metadata and responses never do"):
        expiry_from_certificate(bomb)


def test_certificates_need_no_dates_and_saml_kind_needs_a_certificate():
    pem, _ = make_cert(datetime(2027, 2, 3, tzinfo=timezone.utc))
    with pytest.raises(CredentialInputError, match="own dates"):
        expiry_from_input(kind="saml-cert", now=NOW, secret=pem, issued=date(2026, 1, 1))
    with pytest.raises(CredentialInputError) as error:
        expiry_from_input(kind=Kind.SAML_CERT, now=NOW, secret="opaque-token-value-1234567890abcdef")
    assert "PEM" in error.value.message


@pytest.mark.parametrize("label, ok", [("  prod   Entra SCIM ", "prod Entra SCIM"), ("okta-dev", "okta-dev")])
def test_labels_are_tidied(label, ok):
    assert clean_label(label) == ok


@pytest.mark.parametrize("label", ["", "x" * 81, make_jwt(NOW), "xoxb-123-456",
                                   "Zm9vYmFyYmF6cXV4LXNlY3JldC10b2tlbi12YWx1ZS0xMjM0NTY3ODkw",
                                   "-----BEGIN CERTIFICATE-----"])
def test_labels_that_could_be_secrets_are_refused(label):
    with pytest.raises(CredentialInputError) as error:
        clean_label(label)
    assert error.value.field == "label" and (not label or label[:12] not in error.value.message)
