"""check_redirect / parse_redirect_pair: exact comparison per RFC 6749 §3.1.2, named differences."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.diagnostics.redirect import check_redirect, check_redirect_text, parse_redirect_pair
from bot.diagnostics.report import Severity
from tests.unit.diagnostics.strategies import FUZZ, PATHOLOGICAL, assert_wellformed, codes, finding, hostile_text

CB = "https://app.example.com/auth/callback"


def test_identical_is_ok():
    report = check_redirect(CB, CB)
    assert_wellformed(report)
    assert codes(report) == ["redirect-match"]
    assert report.worst is Severity.OK


# (registered, sent, the specific difference, 1-based position where they part)
DIFFERENCES = [
    (CB, "http://app.example.com/auth/callback", "redirect-scheme", 5),
    ("HTTPS://app.example.com/cb", "https://app.example.com/cb", "redirect-scheme", 1),
    ("https://App.Example.com/auth/callback", CB, "redirect-host-case", 9),
    ("http://localhost:3000/cb", "http://127.0.0.1:3000/cb", "redirect-localhost-loopback", 8),
    ("http://[::1]:3000/cb", "http://localhost:3000/cb", "redirect-localhost-loopback", 8),
    ("https://www.example.com/cb", "https://example.com/cb", "redirect-www", 9),
    ("https://example.com:443/cb", "https://example.com/cb", "redirect-port", 20),
    ("https://example.com:8443/cb", "https://example.com:9443/cb", "redirect-port", 21),
    ("https://example.com/Auth/Callback", "https://example.com/auth/callback", "redirect-path-case", 21),
    (CB + "/", CB, "redirect-trailing-slash", len(CB) + 1),
    ("https://example.com", "https://example.com/", "redirect-trailing-slash", 20),
    ("https://example.com/a%2Fb", "https://example.com/a/b", "redirect-percent-encoding", 22),
    ("https://example.com/a%2fb", "https://example.com/a%2Fb", "redirect-percent-encoding", 24),
    ("https://example.com/cb?x=1", "https://example.com/cb", "redirect-query", 23),
    ("https://example.com/cb?x=1", "https://example.com/cb?x=2", "redirect-query", 26),
    ("https://example.com/cb", "https://example.com/cb#frag", "redirect-fragment", 23),
    (CB + " ", CB, "redirect-whitespace", len(CB) + 1),
    (CB, "\u200b" + CB, "redirect-whitespace", 1),
    ("https://example.com/cb", "https://other.example.net/cb", "redirect-host", 9),
    ("https://example.com/callback", "https://example.com/signin-oidc", "redirect-path", 21),
]


@pytest.mark.parametrize(("registered", "sent", "code", "position"), DIFFERENCES)
def test_each_difference_is_named_with_its_position(registered, sent, code, position):
    report = check_redirect(registered, sent)
    assert_wellformed(report)
    assert report.failed
    mismatch = finding(report, "redirect-mismatch")
    assert mismatch.facts["diverge_at"] == str(position)
    assert finding(report, code).severity is Severity.FAIL
    specific = set(codes(report)) - {"redirect-mismatch"}
    assert specific == {code}, codes(report)


def _caret_column(detail: str) -> tuple[str, str, int]:
    lines = detail.splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("registered: "))
    registered, sent, caret = lines[i], lines[i + 1], lines[i + 2]
    assert sent.startswith("sent:       ")
    assert caret.strip() == "^"
    return registered, sent, caret.index("^")


@pytest.mark.parametrize(("registered", "sent", "_code", "position"), DIFFERENCES)
def test_snippet_points_at_the_first_difference(registered, sent, _code, position):
    detail = finding(check_redirect(registered, sent), "redirect-mismatch").detail
    line_a, line_b, col = _caret_column(detail)
    # everything before the caret is the same on both lines; at the caret they differ (or one ended)
    assert line_a[:col] == line_b[:col].replace("sent:       ", "registered: ", 1)
    assert line_a[col : col + 1] != line_b[col : col + 1]


def test_snippet_is_windowed_for_long_uris():
    long_path = "/segment" * 40
    registered = "https://app.example.com" + long_path + "/callback"
    sent = "https://app.example.com" + long_path + "/Callback"
    detail = finding(check_redirect(registered, sent), "redirect-mismatch").detail
    line_a, line_b, col = _caret_column(detail)
    assert line_a[col] == "c" and line_b[col] == "C"
    assert "…" in line_a and len(line_a) < 100


def test_snippet_shows_invisible_characters():
    detail = finding(check_redirect(CB + " ", CB), "redirect-mismatch").detail
    line_a, _line_b, col = _caret_column(detail)
    assert line_a[col] == "␠"


def test_explicit_default_port_is_explained():
    f = finding(check_redirect("https://example.com:443/cb", "https://example.com/cb"), "redirect-port")
    assert ":443 is the default port" in f.detail
    assert f.facts["registered_port"] == "443" and f.facts["sent_port"] == "(none)"


def test_percent_encoding_says_which_kind():
    hex_case = finding(check_redirect("https://e.com/a%2fb", "https://e.com/a%2Fb"), "redirect-percent-encoding")
    assert "upper-case hex" in hex_case.detail
    encoded = finding(check_redirect("https://e.com/a%2Fb", "https://e.com/a/b"), "redirect-percent-encoding")
    assert "percent-encoded" in encoded.detail


def test_fragment_fails_even_when_both_agree():
    report = check_redirect("https://example.com/cb#x", "https://example.com/cb#x")
    assert set(codes(report)) == {"redirect-match", "redirect-fragment"}
    assert report.failed
    assert finding(report, "redirect-fragment").facts["which"] == "registered, sent"


def test_several_differences_at_once():
    report = check_redirect("http://WWW.example.com:80/Callback/", "https://example.com/callback")
    assert {"redirect-scheme", "redirect-www", "redirect-port", "redirect-path-case", "redirect-trailing-slash"} <= set(
        codes(report)
    )
    assert finding(report, "redirect-mismatch").facts["diverge_at"] == "5"


def test_relative_uri_is_flagged():
    assert "redirect-not-absolute" in codes(check_redirect("/callback", "https://example.com/callback"))


@pytest.mark.parametrize(("registered", "sent"), [("", CB), (CB, "  "), (None, None)])
def test_missing_side(registered, sent):
    assert codes(check_redirect(registered, sent)) == ["redirect-missing"]


# --------------------------------------------------------------------------- free text

PAIRS = [
    ("registered https://a.example.com/cb, app sends https://a.example.com/cb/", "https://a.example.com/cb", "https://a.example.com/cb/", False),
    ("expected: https://a.example.com/x actual: https://a.example.com/X", "https://a.example.com/x", "https://a.example.com/X", False),
    ("configured https://a.example.com/x but got http://a.example.com/x", "https://a.example.com/x", "http://a.example.com/x", False),
    ("The app sends https://a.example.com/x while https://a.example.com/y is registered", "https://a.example.com/y", "https://a.example.com/x", False),
    ("Sent: <https://a.example.com/x|https://a.example.com/x> Registered: `https://a.example.com/y`", "https://a.example.com/y", "https://a.example.com/x", False),
    ("https://a.example.com/x vs https://b.example.com/x", "https://a.example.com/x", "https://b.example.com/x", True),
    ("https://a.example.com/x vs. https://a.example.com/x/", "https://a.example.com/x", "https://a.example.com/x/", True),
    ("AADSTS50011 for https://a.example.com/x, and https://a.example.com/y.", "https://a.example.com/x", "https://a.example.com/y", True),
]


@pytest.mark.parametrize(("text", "registered", "sent", "assumed"), PAIRS)
def test_parse_redirect_pair(text, registered, sent, assumed):
    assert parse_redirect_pair(text) == (registered, sent)
    report = check_redirect_text(text)
    assert ("redirect-order-assumed" in codes(report)) is assumed
    if assumed:
        assert "first" in finding(report, "redirect-order-assumed").detail


@pytest.mark.parametrize("text", ["", "only https://a.example.com/x here", "no urls at all", None, 42])
def test_parse_redirect_pair_needs_two_urls(text):
    assert parse_redirect_pair(text) is None
    assert codes(check_redirect_text(text)) == ["redirect-pair-not-found"]


@pytest.mark.parametrize("text", PATHOLOGICAL)
def test_pathological_inputs(text):
    assert_wellformed(check_redirect(text, text[::-1]))
    assert_wellformed(check_redirect_text(text))
    parse_redirect_pair(text)


@FUZZ
@given(registered=hostile_text, sent=st.one_of(hostile_text, st.just(CB)))
def test_never_raises(registered, sent):
    report = check_redirect(registered, sent)
    assert_wellformed(report)
    if registered == sent and registered.strip():
        assert "redirect-match" in codes(report)


@FUZZ
@given(text=hostile_text)
def test_text_never_raises(text):
    assert_wellformed(check_redirect_text(text))
    pair = parse_redirect_pair(text)
    assert pair is None or (isinstance(pair[0], str) and isinstance(pair[1], str))


@FUZZ
@given(a=st.text(max_size=60), b=st.text(max_size=60))
def test_diverge_at_is_the_first_difference(a, b):
    report = check_redirect("https://e.com/" + a, "https://e.com/" + b)
    if a == b:
        return
    position = int(finding(report, "redirect-mismatch").facts["diverge_at"])
    x, y = "https://e.com/" + a, "https://e.com/" + b
    assert x[: position - 1] == y[: position - 1]
    assert x[position - 1 : position] != y[position - 1 : position]
