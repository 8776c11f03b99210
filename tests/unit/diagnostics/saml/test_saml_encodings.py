"""SAML messages in the other encodings they travel in, read like the POST binding's.

Every response in the corpus (python3-saml's, corpus/tokens/saml_responses) is re-encoded here:
deflated, base64-encoded and URL-encoded into a redirect URL (SAML Bindings 2.0 §3.4.4.1), and
written in UTF-16 before or after base64. Each must give the check and the engine exactly the
findings its POST-binding value gives. A deflate bomb must be refused without costing memory.
"""

from __future__ import annotations

import base64
import tracemalloc
import urllib.parse
import zlib
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.diagnostics.engine import diagnose
from bot.diagnostics.saml import check_saml_response, find_saml_responses
from tests.unit.diagnostics.strategies import assert_wellformed, codes

NOW = datetime(2014, 3, 1, tzinfo=timezone.utc)
NS_P = "urn:oasis:names:tc:SAML:2.0:protocol"
NS_A = "urn:oasis:names:tc:SAML:2.0:assertion"
SIG_ALG = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"


def corpus_xml(corpus: Path) -> dict[str, bytes]:
    """The XML bytes of every corpus response, by file name."""
    out = {}
    for path in sorted((corpus / "tokens" / "saml_responses").iterdir()):
        text = path.read_text(encoding="utf-8")
        out[path.name] = base64.b64decode(text) if path.suffix == ".base64" else text.encode("utf-8")
    return out


def deflate(data: bytes) -> bytes:
    """Raw DEFLATE, no zlib header or checksum, as the redirect binding sends it."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def redirect_url(field: str, xml: bytes, host: str = "https://idp.example.com/saml2/sso") -> str:
    """A signed HTTP-Redirect binding URL: the message, RelayState, SigAlg and Signature, URL-encoded."""
    query = urllib.parse.urlencode({
        field: base64.b64encode(deflate(xml)).decode(),
        "RelayState": "/home?tab=apps",
        "SigAlg": SIG_ALG,
        "Signature": base64.b64encode(bytes(range(256))).decode(),
    })
    return f"{host}?{query}"


def saml_codes(report) -> list[str]:
    return [f.code for f in report.findings if f.code.startswith("saml-")]


def encodings(xml: bytes) -> dict[str, str | bytes]:
    text = xml.decode("utf-8")
    post = base64.b64encode(xml).decode()
    return {
        "redirect URL": redirect_url("SAMLResponse", xml),
        "redirect URL in prose": "the IdP sent me to\n" + redirect_url("SAMLResponse", xml) + "\nand it failed",
        "deflated query value alone": urllib.parse.quote(base64.b64encode(deflate(xml)).decode(), safe=""),
        "deflated base64 alone": base64.b64encode(deflate(xml)).decode(),
        "UTF-16LE with BOM": b"\xff\xfe" + text.encode("utf-16-le"),
        "UTF-16BE with BOM": b"\xfe\xff" + text.encode("utf-16-be"),
        "base64 of UTF-16 with BOM": base64.b64encode(text.encode("utf-16")).decode(),
        "base64 of UTF-16LE, no BOM": base64.b64encode(text.encode("utf-16-le")).decode(),
        "base64 of UTF-16BE, no BOM": base64.b64encode(text.encode("utf-16-be")).decode(),
        "base64 of deflated UTF-16": base64.b64encode(deflate(text.encode("utf-16"))).decode(),
        "base64 saved as UTF-16 (PowerShell)": post.encode("utf-16"),
        "SAMLResponse= saved as UTF-16BE, no BOM": ("SAMLResponse=" + post).encode("utf-16-be"),
    }


ENCODINGS = list(encodings(b"<x/>"))


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_corpus_response_reads_as_its_post_value(corpus, encoding):
    for name, xml in corpus_xml(corpus).items():
        post = base64.b64encode(xml).decode()
        expected, expected_engine = codes(check_saml_response(post, now=NOW)), saml_codes(diagnose(post, now=NOW))
        value = encodings(xml)[encoding]
        assert codes(check_saml_response(value, now=NOW)) == expected, name
        engine = diagnose(value, now=NOW)
        assert "saml_response" in engine.inputs, name
        assert saml_codes(engine) == expected_engine, name


def test_the_all_clear_says_how_the_value_was_encoded(corpus):
    xml = corpus_xml(corpus)["open_saml_response.xml"]
    when = datetime(2011, 6, 21, 14, 0, tzinfo=timezone.utc)

    def encoding_fact(value):
        return {f.code: f for f in check_saml_response(value, now=when).findings}["saml-ok"].facts["encoding"]

    assert encoding_fact(base64.b64encode(xml).decode()) == "base64"
    assert encoding_fact(redirect_url("SAMLResponse", xml)) == "base64 + DEFLATE (HTTP-Redirect binding)"
    assert encoding_fact(base64.b64encode(xml.decode().encode("utf-16-be")).decode()) == "base64, UTF-16"


def test_a_redirect_url_gives_only_its_saml_findings(corpus):
    xml = corpus_xml(corpus)["valid_response.xml.base64"]
    report = diagnose(redirect_url("SAMLResponse", xml), now=NOW)
    assert all(f.code.startswith("saml-") for f in report.findings), [f.code for f in report.findings]
    assert not report.secret_seen  # the base64 was a SAML message, not a token


def test_a_sign_in_request_in_a_redirect_url_is_named_like_a_posted_one():
    request = (f'<samlp:AuthnRequest xmlns:samlp="{NS_P}" xmlns:saml="{NS_A}" ID="_a1" Version="2.0" '
               'IssueInstant="2026-11-28T10:00:00Z" Destination="https://login.microsoftonline.com/t/saml2" '
               'AssertionConsumerServiceURL="https://app.example.com/saml/acs">'
               "<saml:Issuer>https://app.example.com</saml:Issuer></samlp:AuthnRequest>").encode()
    url = redirect_url("SAMLRequest", request, host="https://login.microsoftonline.com/t/saml2")
    posted = "SAMLRequest=" + base64.b64encode(request).decode()
    for pasted in (url, posted):
        report = diagnose(pasted, now=NOW)
        assert saml_codes(report) == ["saml-not-a-response"], pasted[:40]
        assert report.findings[0].facts["root_element"] == "AuthnRequest"
        assert "saml_message" in report.inputs and "saml_response" not in report.inputs
        assert codes(check_saml_response(pasted, now=NOW)) == ["saml-not-a-response"]
    # Without a field name only a Response is taken for a SAML message, as before.
    assert find_saml_responses(base64.b64encode(deflate(request)).decode()) == []


def test_a_redirect_value_cut_short_says_so(corpus):
    xml = corpus_xml(corpus)["valid_response.xml.base64"]
    value = base64.b64encode(deflate(xml)).decode()
    report = check_saml_response(value[: len(value) // 2], now=NOW)
    assert codes(report) == ["saml-xml-invalid"]
    assert "cut short" in report.findings[0].detail


# ------------------------------------------------------------------ deflate bombs


def bomb(start: bytes, filler: bytes, megabytes: int) -> bytes:
    """Raw DEFLATE of ``start`` then ``megabytes`` MB of ``filler``, built a megabyte at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts = [packer.compress(start)]
    chunk = filler * ((1 << 20) // len(filler))
    parts += [packer.compress(chunk) for _ in range(megabytes)]
    return b"".join(parts) + packer.flush()


def peak_memory(work):
    tracemalloc.start()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


BOMBS = {
    "a Response that never ends": (f'<samlp:Response xmlns:samlp="{NS_P}" ID="_b">'.encode(), b" "),
    "not XML at all": (b"", b"\x00"),
}


@pytest.mark.parametrize("kind", BOMBS)
def test_a_deflate_bomb_costs_no_memory(kind):
    start, filler = BOMBS[kind]
    data = bomb(start, filler, 100)  # 100 MB inflated, about 100 KB deflated
    value = base64.b64encode(data).decode()
    url = "https://idp.example.com/sso?SAMLResponse=" + urllib.parse.quote(value, safe="")
    assert len(url) < 200_000  # within what the engine reads
    for pasted in (value, url):
        report, peak = peak_memory(lambda: check_saml_response(pasted, now=NOW))
        assert_wellformed(report)
        assert peak < 16_000_000, (kind, peak)  # the cap is 1 MB inflated; 100 MB would show here
        engine, peak = peak_memory(lambda: diagnose(pasted, now=NOW))
        assert peak < 16_000_000, (kind, peak)
        if start:
            for result in (report, engine):
                assert saml_codes(result) == ["saml-inflates-too-far"]
                assert "inflates to more than" in result.findings[0].title
                assert result.findings[0].facts["compressed_bytes"] == str(len(data))
