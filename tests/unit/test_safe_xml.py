"""The one XML guard (bot.safe_xml) and both places that read XML from outside through it: a pasted
SAML message (bot.diagnostics.saml.parsing) and SAML metadata for a tracked certificate (bot.credentials).

Every attack document is built here and sent through all three. The network ones point at a
listening socket on loopback: a parser that fetched anything would leave a connection waiting there.
The real corpus (saml_metadata/, tokens/saml_responses/) must read exactly as the standard library
reads it.
"""

from __future__ import annotations

import base64
import socket
import tracemalloc
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.credentials import CredentialInputError, expiry_from_certificate
from bot.diagnostics.saml import check_saml_response
from bot.diagnostics.text import as_text
from bot.safe_xml import REFUSED_MESSAGE, XMLRefused, parse_untrusted
from tests.unit.diagnostics.strategies import field_strings

NS_P = "urn:oasis:names:tc:SAML:2.0:protocol"
NS_MD = "urn:oasis:names:tc:SAML:2.0:metadata"
RESPONSE = (f'<samlp:Response xmlns:samlp="{NS_P}" ID="_r" Version="2.0">'
            "<samlp:Status>{body}</samlp:Status></samlp:Response>")
METADATA = f'<md:EntityDescriptor xmlns:md="{NS_MD}" entityID="https://idp.example.com">{{body}}</md:EntityDescriptor>'


@pytest.fixture
def listener():
    """A loopback port that records whether anyone connected to it (nobody may)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield sock
    sock.close()


def assert_nobody_connected(sock: socket.socket) -> None:
    # A connect() to a listening socket completes in the kernel before it returns, so a parser that
    # fetched the URL has left a connection in the backlog by now.
    sock.setblocking(False)
    with pytest.raises(BlockingIOError):
        sock.accept()


def billion_laughs(levels: int) -> tuple[str, str]:
    """The DTD of a billion-laughs document and the reference that would expand it."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, levels + 1)]
    return f"<!DOCTYPE r [{''.join(entities)}]>", f"&lol{levels};"


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """A local file an XXE would read: its content must never come back."""
    secret = tmp_path / "secret.txt"
    secret.write_text("canary-4f1e9a secret file content")
    return secret


def attacks(secret: Path, port: int) -> dict[str, tuple[str, str, str]]:
    """name -> (prolog, body, a string that must never appear in any result)."""
    url = f"http://127.0.0.1:{port}"
    laughs_dtd, laughs_ref = billion_laughs(9)  # 10**9 'lol's if expanded
    padding = "<!--" + "x" * 5000 + "-->\n"
    return {
        "billion laughs": (laughs_dtd, laughs_ref, "lollollol"),
        "quadratic blowup": (f'<!DOCTYPE r [<!ENTITY a "{"A" * 50_000}">]>', "&a;" * 20_000, "A" * 100),
        "XXE file": (f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>', "&x;", "canary-4f1e9a"),
        "XXE network": (f'<!DOCTYPE r [<!ENTITY x SYSTEM "{url}/entity">]>', "&x;", "127.0.0.1"),
        "external DTD": (f'<!DOCTYPE r SYSTEM "{url}/evil.dtd">', "ok", "127.0.0.1"),
        "parameter entity": (f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]>', "ok", "127.0.0.1"),
        "DTD after 4 KB of padding": (padding + f'<!DOCTYPE r SYSTEM "{url}/late.dtd">', "ok", "127.0.0.1"),
        "entities after 4 KB of padding": (padding + '<!DOCTYPE r [<!ENTITY e "expanded-9c2d">]>', "&e;",
                                           "expanded-9c2d"),
    }


ATTACK_NAMES = list(attacks(Path("secret.txt"), 1))


@pytest.mark.parametrize("name", ATTACK_NAMES)
def test_the_guard_refuses_every_attack(secret_file, listener, name):
    prolog, body, never = attacks(secret_file, listener.getsockname()[1])[name]
    document = '<?xml version="1.0"?>\n' + prolog + "\n" + RESPONSE.format(body=body)
    tracemalloc.start()
    try:
        with pytest.raises(XMLRefused) as refused:
            parse_untrusted(document)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.declaration == "DOCTYPE"
    assert str(refused.value) == REFUSED_MESSAGE
    assert refused.value.line == document[: document.index("<!DOCTYPE")].count("\n") + 1
    assert never not in str(refused.value)
    assert peak < 4 * len(document) + 1_000_000  # nothing was expanded
    assert_nobody_connected(listener)


@pytest.mark.parametrize("name", ATTACK_NAMES)
def test_a_saml_response_with_an_attack_is_refused_with_a_finding(secret_file, listener, name):
    prolog, body, never = attacks(secret_file, listener.getsockname()[1])[name]
    xml = prolog + "\n" + RESPONSE.format(body=body)
    for pasted in (xml, base64.b64encode(xml.encode()).decode(), "the SP got this:\n" + xml):
        report = check_saml_response(pasted)
        assert [f.code for f in report.findings] == ["saml-dtd-refused"], name
        finding = report.findings[0]
        assert "declares a DTD" in finding.title and "not read" in finding.title
        assert finding.facts["declaration"] == "DOCTYPE"
        assert never not in " ".join(field_strings(report))
    assert_nobody_connected(listener)


@pytest.mark.parametrize("name", ATTACK_NAMES)
def test_metadata_with_an_attack_is_refused_with_a_clear_message(secret_file, listener, name):
    prolog, body, never = attacks(secret_file, listener.getsockname()[1])[name]
    document = '<?xml version="1.0" encoding="UTF-8"?>\n' + prolog + "\n" + METADATA.format(body=body)
    for given in (document, document.encode("utf-8"), document.encode("utf-16")):
        with pytest.raises(CredentialInputError) as error:
            expiry_from_certificate(given)
        assert error.value.field == "secret"
        assert error.value.message == REFUSED_MESSAGE
        assert never not in error.value.message
    assert_nobody_connected(listener)


def test_malformed_text_is_a_parse_error_never_anything_else():
    for text in ("<a>\ud800</a>", "<a><b></a>", "", "<!ENTITY x 'y'><a/>", "<a/><!DOCTYPE a>", "<a>&undefined;</a>"):
        with pytest.raises(ET.ParseError):
            parse_untrusted(text)
    with pytest.raises(ET.ParseError) as error:
        parse_untrusted("<a>\n  \ud800</a>")
    assert error.value.position == (2, 2)
    with pytest.raises(CredentialInputError, match="not well-formed"):
        expiry_from_certificate("<md:EntityDescriptor>\ud800</md:EntityDescriptor>")


def test_what_is_not_a_dtd_is_read():
    """Comments that mention a DOCTYPE, CDATA holding one, and the five predefined entities are plain XML."""
    root = parse_untrusted('<?xml version="1.0" encoding="UTF-16"?><!-- no <!DOCTYPE here -->'
                           '<a><![CDATA[<!DOCTYPE x [<!ENTITY y "z">]>]]>&lt;&amp;&#x41;</a>')
    assert root.text == '<!DOCTYPE x [<!ENTITY y "z">]><&A'  # the declared encoding does not change the text


# ------------------------------------------------------------------ the real corpus reads as before


def _corpus_documents(corpus: Path) -> list[tuple[str, str]]:
    docs = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((corpus / "saml_metadata").iterdir())]
    for path in sorted((corpus / "tokens" / "saml_responses").iterdir()):
        text = path.read_text(encoding="utf-8")
        docs.append((path.name, base64.b64decode(text).decode("utf-8") if path.suffix == ".base64" else text))
    return docs


def test_every_corpus_document_parses_to_the_same_tree_as_the_standard_library(corpus):
    documents = _corpus_documents(corpus)
    assert len(documents) == 31
    for name, text in documents:
        ours = parse_untrusted(text)
        assert ET.tostring(ours) == ET.tostring(ET.fromstring(text)), name


# (expires, fingerprint of the earliest signing certificate) as the metadata reader gave them before the guard.
READABLE_METADATA = {
    "okta_idp_metadata_crewjam.xml": (datetime(2028, 9, 7, 14, 33, 59, tzinfo=timezone.utc), "d40df01c"),
    "onelogin_idp_metadata_crewjam.xml": (datetime(2018, 10, 1, 19, 35, 44, tzinfo=timezone.utc), "e4713d80"),
    "simplesamlphp_idp_metadata_expired_cert_crewjam.xml": (datetime(2015, 7, 17, 14, 12, 56, tzinfo=timezone.utc),
                                                             "19a4fff2"),
    # The ruby-saml files hold base64 of a whole PEM block inside <X509Certificate> (corpus SOURCES.md); the
    # shared metadata reader (bot/saml_metadata.py) reads that too. Dates and SHA-256 prefixes checked with
    # `openssl x509 -enddate -fingerprint -sha256` on the decoded PEM blocks.
    "idp_metadata_expired_validUntil_2014_ruby-saml.xml": (datetime(2014, 4, 17, 18, 2, 33, 910000,
                                                                    tzinfo=timezone.utc), "c4c6bd41"),
    "idp_metadata_multi_signing_certs_rollover_ruby-saml.xml": (datetime(2018, 4, 15, 16, 33, 18, tzinfo=timezone.utc),
                                                                "47051032"),
    "shibboleth_idp_metadata_ruby-saml.xml": (datetime(2032, 4, 14, 22, 54, 18, tzinfo=timezone.utc), "c4c6bd41"),
    "simplesamlphp_sp_metadata_ruby-saml.xml": (datetime(2014, 4, 17, 18, 2, 33, 910000, tzinfo=timezone.utc),
                                                "c4c6bd41"),
}


# The SimpleSAMLphp sample's certificate has a serial number of 0, which cryptography reads with a warning.
@pytest.mark.filterwarnings("ignore:Parsed a serial number which wasn't positive")
def test_corpus_metadata_reads_as_before(corpus):
    names = sorted(path.name for path in (corpus / "saml_metadata").iterdir())
    assert names == sorted(READABLE_METADATA)
    for name in names:
        text = (corpus / "saml_metadata" / name).read_text(encoding="utf-8")
        expiry = expiry_from_certificate(text)
        assert (expiry.expires_at, expiry.fingerprint) == READABLE_METADATA[name], name
        assert expiry.source == "metadata"
        assert expiry_from_certificate(text.encode("utf-16")) == expiry, name


def test_bytes_in_utf16_are_read_as_text():
    for encoded in ("<a/>".encode("utf-16"), "<a/>".encode("utf-16-le"), "<a/>".encode("utf-16-be"),
                    "<a/>".encode("utf-8-sig")):
        assert as_text(encoded) == "<a/>"
    assert as_text("héllo".encode()) == "héllo"
    assert as_text(b"\x00\x00\x00\x00") == "\x00" * 4  # all zeros: no pattern to read, left as UTF-8
