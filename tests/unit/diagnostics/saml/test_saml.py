"""The SAML Response check, on python3-saml's test responses (shared/corpus/tokens/saml_responses, MIT)."""

from __future__ import annotations

import base64
import re
import textwrap
import time
import urllib.parse
import xml.etree.ElementTree as ET
import zlib
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given

from bot.diagnostics.report import Severity
from bot.diagnostics.saml import check_saml_response, find_saml_responses
from bot.diagnostics.saml.attributes import attribute_kind
from tests.unit.diagnostics.strategies import (FUZZ, PATHOLOGICAL, assert_wellformed, codes, field_strings, finding,
                                               hostile_text)

UTC = timezone.utc
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
NS_P = "urn:oasis:names:tc:SAML:2.0:protocol"
NS_A = "urn:oasis:names:tc:SAML:2.0:assertion"
NS_DS = "http://www.w3.org/2000/09/xmldsig#"


@pytest.fixture(scope="module")
def responses(corpus: Path) -> Path:
    folder = corpus / "tokens" / "saml_responses"
    assert folder.is_dir(), folder
    return folder


def read(folder: Path, name: str) -> str:
    suffix = "" if name.endswith(".xml") else ".xml.base64"
    return (folder / f"{name}{suffix}").read_text(encoding="utf-8")


def xml_of(folder: Path, name: str) -> str:
    text = read(folder, name)
    return text if name.endswith(".xml") else base64.b64decode(text).decode("utf-8")


def severities(report) -> dict[str, Severity]:
    return {f.code: f.severity for f in report.findings}


# ------------------------------------------------------------------ the invalid samples


@pytest.mark.parametrize(
    ("name", "kwargs", "code"),
    [
        ("invalids_status_code_responder", {}, "saml-status-not-success"),
        ("invalids_status_code_responer_and_msg", {}, "saml-status-not-success"),
        ("invalids_multiple_assertions", {}, "saml-multiple-assertions"),
        ("invalids_multiple_assertions", {}, "saml-signature-reference-mismatch"),
        ("invalids_no_signature", {}, "saml-unsigned"),
        ("unsigned_response", {}, "saml-unsigned"),
        ("invalids_not_before_failed", {"now": NOW}, "saml-not-yet-valid"),
        ("invalids_not_after_failed", {"now": NOW}, "saml-expired"),
        ("expired_response", {"now": NOW}, "saml-expired"),
        ("invalids_not_after_failed", {"now": NOW}, "saml-status-missing"),
        ("invalids_empty_destination", {}, "saml-destination-empty"),
        ("invalids_no_nameid", {}, "saml-nameid-missing"),
        ("invalids_invalid_audience", {"expected_audience": "http://stuff.com/endpoints/metadata.php"},
         "saml-audience-mismatch"),
        ("invalids_invalid_issuer_assertion", {}, "saml-issuer-mismatch"),
        ("invalids_invalid_issuer_message", {}, "saml-issuer-mismatch"),
        ("invalids_invalid_subjectconfirmation_inresponse", {}, "saml-inresponseto-mismatch"),
        ("invalids_invalid_subjectconfirmation_recipient", {}, "saml-recipient-mismatch"),
        ("invalids_invalid_subjectconfirmation_recipient", {"now": NOW}, "saml-subject-confirmation-expired"),
        ("invalids_signature_wrapping_attack", {}, "saml-multiple-assertions"),
        ("invalids_signature_wrapping_attack", {}, "saml-duplicate-ids"),
        ("invalids_signature_wrapping_attack", {}, "saml-misplaced-element"),
        ("invalids_wrong_spnamequalifier", {}, "saml-nameid-spnamequalifier"),
    ],
)
def test_invalid_samples_give_the_expected_finding(responses, name, kwargs, code):
    kwargs = {"now": NOW, **kwargs}
    report = check_saml_response(read(responses, name), **kwargs)
    assert_wellformed(report)
    assert report.inputs == ("saml_response",)
    assert code in codes(report), (name, codes(report))
    assert finding(report, code).severity in (Severity.FAIL, Severity.WARN)


def test_status_facts_carry_the_codes_and_message(responses):
    plain = finding(check_saml_response(read(responses, "invalids_status_code_responder")), "saml-status-not-success")
    assert plain.severity is Severity.FAIL
    assert plain.facts["status"] == "Responder"
    assert plain.facts["status_uri"] == "urn:oasis:names:tc:SAML:2.0:status:Responder"
    assert "status_message" not in plain.facts
    report = check_saml_response(read(responses, "invalids_status_code_responer_and_msg"))
    with_message = finding(report, "saml-status-not-success")
    assert with_message.facts["status_message"] == "something_is_wrong"
    assert "something_is_wrong" in with_message.detail
    assert codes(report) == ["saml-status-not-success"]  # an error response has nothing else to check


def test_second_level_status_code_is_reported():
    xml = (
        f'<samlp:Response xmlns:samlp="{NS_P}" xmlns:saml="{NS_A}" ID="_r" Version="2.0" '
        'IssueInstant="2026-01-01T00:00:00Z" Destination="https://sp.example.com/acs">'
        "<saml:Issuer>https://idp.example.com</saml:Issuer><samlp:Status>"
        '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Requester">'
        '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:InvalidNameIDPolicy"/></samlp:StatusCode>'
        "<samlp:StatusMessage>Format not allowed</samlp:StatusMessage></samlp:Status></samlp:Response>"
    )
    f = finding(check_saml_response(xml), "saml-status-not-success")
    assert f.facts["status"] == "Requester" and f.facts["sub_status"] == "InvalidNameIDPolicy"
    assert "NameID" in f.detail and "Format not allowed" in f.detail
    assert f.title == "The IdP answered Requester / InvalidNameIDPolicy, not Success"


def test_clock_findings_say_how_far_off(responses):
    early = finding(check_saml_response(read(responses, "invalids_not_before_failed"), now=NOW), "saml-not-yet-valid")
    assert early.facts["not_before"] == "2993-02-19 01:05:19 UTC"
    assert early.facts["ahead_by"].endswith("years")
    assert "not yet valid" in early.title
    late = finding(
        check_saml_response(read(responses, "invalids_not_after_failed"),
                            now=datetime(2014, 2, 19, 1, 14, 49, tzinfo=UTC)),
        "saml-expired",
    )
    assert late.facts == {"not_on_or_after": "2014-02-19 01:10:49 UTC", "now": "2014-02-19 01:14:49 UTC",
                          "expired_ago": "4 minutes"}
    assert "expired 4 minutes ago" in late.title
    inside = check_saml_response(read(responses, "invalids_not_after_failed"),
                                 now=datetime(2014, 2, 19, 1, 8, tzinfo=UTC))
    assert "saml-expired" not in codes(inside) and "saml-not-yet-valid" not in codes(inside)


def test_a_naive_now_is_utc(responses):
    naive = check_saml_response(read(responses, "invalids_not_after_failed"), now=datetime(2014, 2, 19, 1, 14, 49))
    assert finding(naive, "saml-expired").facts["expired_ago"] == "4 minutes"


def test_audience_is_only_compared_when_expected(responses):
    text = read(responses, "invalids_invalid_audience")
    assert "saml-audience-mismatch" not in codes(check_saml_response(text, now=NOW))
    f = finding(check_saml_response(text, now=NOW, expected_audience="http://stuff.com/endpoints/metadata.php"),
                "saml-audience-mismatch")
    assert f.facts["audience"] == "http://invalid.audience.com"
    assert f.facts["expected"] == "http://stuff.com/endpoints/metadata.php"


def test_expected_destination(responses):
    text = read(responses, "valid_response")
    right = "https://pitbulk.no-ip.org/newonelogin/demo1/index.php?acs"
    assert "saml-destination-mismatch" not in codes(check_saml_response(text, now=NOW, expected_destination=right))
    report = check_saml_response(text, now=NOW, expected_destination=right + "/")
    f = finding(report, "saml-destination-mismatch")
    assert f.facts["diverge_at"] == str(len(right) + 1)
    assert "saml-recipient-mismatch" in codes(report)


def test_issuers_are_named(responses):
    f = finding(check_saml_response(read(responses, "invalids_invalid_issuer_message"), now=NOW), "saml-issuer-mismatch")
    assert f.facts == {"response_issuer": "http://invalid.isser.example.com/", "assertion_issuer": "http://idp.example.com/"}


def test_nameid_may_appear_as_a_fact(responses):
    f = finding(check_saml_response(read(responses, "invalids_invalid_audience"), now=NOW), "saml-nameid-format")
    assert f.facts["nameid"] == "someone@example.com"
    assert f.facts["nameid_format"] == "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"


# ------------------------------------------------------------------ the valid samples


@pytest.mark.parametrize(
    ("name", "now"),
    [
        ("valid_response", NOW),
        ("signed_assertion_response", NOW),
        ("signed_message_response", NOW),
        ("valid_encrypted_assertion", NOW),
        ("adfs_response", datetime(2011, 6, 22, 12, 50, tzinfo=UTC)),
        ("open_saml_response.xml", datetime(2011, 6, 21, 14, 0, tzinfo=UTC)),
        ("simple_saml_php.xml", datetime(2011, 6, 17, 14, 55, tzinfo=UTC)),
    ],
)
def test_valid_samples_do_not_fail(responses, name, now):
    report = check_saml_response(read(responses, name), now=now)
    assert_wellformed(report)
    assert not report.failed, [(f.code, f.severity.value) for f in report.findings]


def test_the_all_clear_summarises_the_response(responses):
    report = check_saml_response(read(responses, "open_saml_response.xml"), now=datetime(2011, 6, 21, 14, 0, tzinfo=UTC))
    ok = finding(report, "saml-ok")
    assert ok.severity is Severity.OK
    assert ok.facts["issuer"] == "https://idm.orademo.com"
    assert ok.facts["audience"] == "hello.com"
    assert ok.facts["nameid_format"] == "emailAddress"
    assert ok.facts["not_before"] == "2011-06-21 13:54:38 UTC"
    assert ok.facts["not_on_or_after"] == "2011-06-21 14:09:38 UTC"
    assert ok.facts["signed"] == "response"
    assert "not verified" in ok.detail


def test_an_encrypted_assertion_is_noted_not_failed(responses):
    report = check_saml_response(read(responses, "valid_encrypted_assertion"), now=NOW)
    assert {"saml-ok", "saml-assertion-encrypted"} <= set(codes(report))
    assert "saml-unsigned" not in codes(report)
    assert "encrypted" in finding(report, "saml-ok").detail


def test_jit_attributes(responses):
    open_saml = check_saml_response(read(responses, "open_saml_response.xml"),
                                    now=datetime(2011, 6, 21, 14, 0, tzinfo=UTC))
    assert finding(open_saml, "saml-attributes").facts["attributes"] == "FirstName, LastName"
    partial = finding(open_saml, "saml-jit-attributes-partial")
    assert partial.facts["missing"] == "email" and "NameID is an email" in partial.detail
    assert "saml-attributes-missing" in codes(check_saml_response(read(responses, "adfs_response"), now=NOW))
    odd = check_saml_response(read(responses, "invalids_multiple_assertions"), now=NOW)  # uid, another_value
    assert severities(odd)["saml-jit-attributes-missing"] is Severity.WARN


@pytest.mark.parametrize(
    ("names", "found"),
    [
        (["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
          "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
          "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"], {"given", "surname", "email"}),
        (["urn:oid:2.5.4.42", "urn:oid:2.5.4.4", "urn:oid:0.9.2342.19200300.100.1.3"], {"given", "surname", "email"}),
        (["first_name", "Last Name", "user.email"], {"given", "surname", "email"}),
        (["department", "groups", "uid", "cn"], set()),
    ],
)
def test_usual_attribute_names(names, found):
    assert {attribute_kind(n) for n in names} - {None} == found


# ------------------------------------------------------------------ never echo signatures or certificates


def test_no_signature_digest_or_certificate_is_echoed(responses):
    for path in sorted(responses.iterdir()):
        name = path.name.removesuffix(".xml.base64")
        root = ET.fromstring(xml_of(responses, name))
        secrets = [
            "".join(el.itertext()).replace("\n", "").replace(" ", "")
            for tag in ("SignatureValue", "X509Certificate", "DigestValue", "CipherValue")
            for el in root.iter(f"{{{NS_DS}}}{tag}")
        ] + ["".join(el.itertext()).strip() for el in root.iter("{http://www.w3.org/2001/04/xmlenc#}CipherValue")]
        seen = " ".join(field_strings(check_saml_response(path.read_text(encoding="utf-8"), now=NOW)))
        seen = seen.replace(" ", "")
        for secret in secrets:
            for i in range(0, max(1, len(secret) - 24), 12):
                assert secret[i:i + 24] not in seen, (path.name, secret[i:i + 24])


# ------------------------------------------------------------------ unsafe XML is refused, never expanded
# (every attack shape, through both readers of outside XML, is in tests/unit/test_safe_xml.py)

BILLION_LAUGHS = textwrap.dedent(
    f"""\
    <?xml version="1.0"?>
    <!DOCTYPE lolz [
      <!ENTITY lol "lol">
      <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
      <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
      <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
    ]>
    <samlp:Response xmlns:samlp="{NS_P}" ID="_x"><samlp:Status>&lol3;</samlp:Status></samlp:Response>
    """
)
XXE = (f'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="{NS_P}">'
       "<samlp:Status>&x;</samlp:Status></samlp:Response>")


@pytest.mark.parametrize(
    "payload",
    [
        BILLION_LAUGHS,
        XXE,
        base64.b64encode(BILLION_LAUGHS.encode()).decode(),
        "SAMLResponse=" + urllib.parse.quote(base64.b64encode(XXE.encode()).decode(), safe=""),
        "here is what the SP got:\n" + XXE,
    ],
)
def test_dtd_and_entities_are_refused_without_expanding(payload):
    report = check_saml_response(payload)
    assert codes(report) == ["saml-dtd-refused"]
    f = report.findings[0]
    assert f.severity is Severity.FAIL
    assert "XXE" in f.detail and "billion laughs" in f.detail
    assert f.facts["declaration"] == "DOCTYPE" and f.facts["line"] in ("1", "2")
    shown = " ".join(field_strings(report))
    assert "/etc/passwd" not in shown and "lollol" not in shown and "root:" not in shown


def test_a_lowercase_doctype_is_not_xml_and_is_not_read():
    report = check_saml_response(XXE.replace("<!DOCTYPE", "<!doctype"))
    assert codes(report) == ["saml-xml-invalid"]
    assert "/etc/passwd" not in " ".join(field_strings(report))


def test_found_responses_keep_their_dtd_so_the_check_refuses_them():
    found = find_saml_responses("pasted: " + XXE + " end")
    assert len(found) == 1 and found[0].startswith("<!DOCTYPE")
    assert codes(check_saml_response(found[0])) == ["saml-dtd-refused"]


# ------------------------------------------------------------------ finding responses in text


def test_every_sample_is_found_once_and_checks_the_same(responses):
    for path in sorted(responses.iterdir()):
        text = path.read_text(encoding="utf-8")
        found = find_saml_responses(text)
        assert len(found) == 1, path.name
        assert codes(check_saml_response(found[0], now=NOW)) == codes(check_saml_response(text, now=NOW)), path.name


def test_form_values_in_their_usual_wrappings(responses):
    value = read(responses, "valid_response").strip()
    xml = xml_of(responses, "valid_response")
    baseline = codes(check_saml_response(value, now=NOW))
    wrappings = {
        "prefixed": "SAMLResponse=" + value,
        "url-encoded": "SAMLResponse=" + urllib.parse.quote(value, safe="") + "&RelayState=%2Fhome",
        "wrapped at 76": "The POST body was:\n" + "\n".join(textwrap.wrap(value, 76)) + "\nAny idea?",
        "wrapped at 64, unpadded, words after": "got " + "\n".join(textwrap.wrap(value.rstrip("="), 64)) + " thanks",
        "HAR": '{"name": "SAMLResponse", "value": "' + urllib.parse.quote(value, safe="") + '"}',
        "HTML form": f'<input type="hidden" name="SAMLResponse" value="{value}"/>',
        "plus signs decoded to spaces": "SAMLResponse=" + value.replace("+", " "),
        "raw XML in prose": "the tracer shows\n" + xml + "\nand then a 500",
    }
    assert "+" in value
    for label, text in wrappings.items():
        assert codes(check_saml_response(text, now=NOW)) == baseline, label
        if label == "plus signs decoded to spaces":
            continue  # the check repairs it; the finder only reads intact values
        found = find_saml_responses(text)
        assert len(found) == 1, label
        assert codes(check_saml_response(found[0], now=NOW)) == baseline, label


def test_any_prefix_and_nested_responses_stay_whole(responses):
    xml = xml_of(responses, "invalids_signature_wrapping_attack")
    found = find_saml_responses("before " + xml + " after")
    assert found == [xml.strip()]
    renamed = xml.replace("samlp:", "saml2p:").replace("xmlns:samlp", "xmlns:saml2p")
    assert find_saml_responses(renamed) == [renamed.strip()]
    assert find_saml_responses("<Response><x/></Response>") == []  # not the SAML protocol namespace


def test_two_responses_in_one_paste(responses):
    one, two = read(responses, "valid_response").strip(), xml_of(responses, "adfs_response")
    found = find_saml_responses(f"first {one}\n\nsecond {two}")
    assert len(found) == 2 and found[0] == one and found[1].startswith("<samlp:Response")


def test_redirect_binding_deflate_is_inflated(responses):
    xml = xml_of(responses, "valid_response").encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = base64.b64encode(packer.compress(xml) + packer.flush()).decode()
    report = check_saml_response(deflated, now=NOW)
    assert codes(report) == codes(check_saml_response(xml.decode(), now=NOW))
    assert find_saml_responses("SAMLResponse=" + urllib.parse.quote(deflated, safe=""))


def test_cut_short_and_garbled_values(responses):
    value = read(responses, "valid_response").strip()
    truncated = check_saml_response(value[:2000], now=NOW)
    assert codes(truncated) == ["saml-xml-invalid"]
    assert "cut short" in truncated.findings[0].detail
    xml = xml_of(responses, "valid_response")
    assert codes(check_saml_response(xml[: len(xml) // 2], now=NOW)) == ["saml-xml-invalid"]
    assert codes(check_saml_response("Q" * 3000)) == ["saml-undecodable"]
    assert codes(check_saml_response("hello, sign-in is broken")) == ["saml-not-found"]
    assert codes(check_saml_response("")) == ["saml-not-found"]


def test_other_saml_messages_are_named():
    request = f'<samlp:AuthnRequest xmlns:samlp="{NS_P}" ID="_a" Version="2.0"/>'
    f = finding(check_saml_response(request), "saml-not-a-response")
    assert f.severity is Severity.INFO and f.facts["root_element"] == "AuthnRequest"
    assert "SAMLRequest" in f.title


# ------------------------------------------------------------------ hostile input


@pytest.mark.parametrize("text", PATHOLOGICAL)
def test_pathological_inputs(text):
    started = time.perf_counter()
    assert_wellformed(check_saml_response(text, now=NOW))
    assert all(isinstance(v, str) for v in find_saml_responses(text))
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    "text",
    [
        "PHNhbWxwOlJlc3BvbnNl " * 5000,
        "PHNhbWxwOlJlc3BvbnNl\n" * 5000,
        "SAMLResponse=" * 7000,
        "<samlp:Response " * 6000,
        f'<samlp:Response xmlns:samlp="{NS_P}">' * 1500,
        "</samlp:Response>" * 5000,
        "<a>" * 30000 + "</a>" * 30000,
    ],
)
def test_shapes_that_could_be_slow(text):
    started = time.perf_counter()
    assert_wellformed(check_saml_response(text, now=NOW))
    find_saml_responses(text)
    assert time.perf_counter() - started < 5


@FUZZ
@given(text=hostile_text)
def test_never_raises(text):
    assert_wellformed(check_saml_response(text, now=NOW))
    found = find_saml_responses(text)
    assert isinstance(found, list) and all(isinstance(v, str) for v in found)


def test_odd_argument_types_never_raise():
    for value in (None, 12, b"\xff\xfe<\x00", bytearray(b"SAMLResponse="), object(), ["x"]):
        assert_wellformed(check_saml_response(value, now=NOW, expected_audience=3, expected_destination=None))
        find_saml_responses(value)
    assert_wellformed(check_saml_response("x", now="not a datetime"))  # type: ignore[arg-type]


def test_codes_are_stable_slugs(responses):
    for path in sorted(responses.iterdir()):
        for f in check_saml_response(path.read_text(encoding="utf-8"), now=NOW).findings:
            assert re.fullmatch(r"saml-[a-z0-9-]+", f.code)
