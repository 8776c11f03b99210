"""Finders for the classifier: what they find, what they skip, and linear time on 100 KB."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given

from bot.diagnostics.extract import (
    find_bearer_tokens,
    find_emails,
    find_jwts,
    find_scim_urls,
    find_urls,
    looks_like_domain_list,
    unwrap_slack_links,
)
from tests.unit.diagnostics.strategies import FUZZ, PATHOLOGICAL, hostile_text, make_jwt

GUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
SCIM = f"https://app.example.com/auth/realms/acme/org/{GUID}/scim/v2"
FINDERS = (find_urls, find_scim_urls, find_jwts, find_bearer_tokens, find_emails)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://a.example.com/x.", ["https://a.example.com/x"]),
        ("(https://a.example.com/x) and http://b.example.com:8080/y?z=1#f", ["https://a.example.com/x", "http://b.example.com:8080/y?z=1#f"]),
        ("https://en.wikipedia.org/wiki/Foo_(bar)", ["https://en.wikipedia.org/wiki/Foo_(bar)"]),
        ("<https://a.example.com/x|https://a.example.com/x>", ["https://a.example.com/x"]),
        ('"https://a.example.com/x", \'https://b.example.com\'', ["https://a.example.com/x", "https://b.example.com"]),
        ("msauth.com.contoso.app://auth and myapp://callback", ["msauth.com.contoso.app://auth", "myapp://callback"]),
        ("no urls here, just https:// and a.example.com", []),
    ],
)
def test_find_urls(text, expected):
    assert find_urls(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"Tenant URL: {SCIM}. Thanks", [SCIM]),
        (f"Endpoint:{SCIM}", [SCIM]),
        (f"<{SCIM}|link>", [SCIM]),
        (SCIM.upper(), [SCIM.upper()]),
        ("app.example.com/auth/realms/acme/org/x/scim/v2", ["app.example.com/auth/realms/acme/org/x/scim/v2"]),
        ("{environment_base_url}/auth/realms/<realm>/org/{client_guid}/scim/v2", ["{environment_base_url}/auth/realms/<realm>/org/{client_guid}/scim/v2"]),
        ("https://app.example.com/login and /scim/v2 alone", []),
    ],
)
def test_find_scim_urls(text, expected):
    assert find_scim_urls(text) == expected


def test_find_jwts_on_the_corpus(corpus):
    tokens = [t["token"] for name in ("keycloak_osss_tokens.json", "entra_access_token_samples_docs.json")
              for t in json.loads((corpus / "tokens" / name).read_text(encoding="utf-8"))["tokens"]]
    text = "Log:\nAuthorization: Bearer " + "\n\nand ".join(tokens) + ".\n"
    assert find_jwts(text) == tokens


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9", 0),  # two parts
        ("eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.", 1),  # empty signature is still three parts
        ("eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d", 0),  # JWE: five parts
        ("xeyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9.sig", 0),  # not at the start of a run
    ],
)
def test_find_jwts_shapes(text, count):
    assert len(find_jwts(text)) == count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer 8f2kQ9vT2mL8wR5nB7cJ4hF6", ["8f2kQ9vT2mL8wR5nB7cJ4hF6"]),
        ("curl -H 'Authorization: Bearer 8f2kQ9vT2mL8wR5nB7cJ4hF6'", ["8f2kQ9vT2mL8wR5nB7cJ4hF6"]),
        ("Secret Token: abcDEF123456ghiJKL789mno", ["abcDEF123456ghiJKL789mno"]),
        ("access_token=abcDEF123456ghiJKL789mno&x=1", ["abcDEF123456ghiJKL789mno"]),
        ("bearer 8f2kQ9vT2mL8wR5nB7cJ4hF6.", ["8f2kQ9vT2mL8wR5nB7cJ4hF6"]),
        ("Bearer short123", []),
        ("token: internationalizationandmore", []),  # a plain word, not a token
        ("Authorization: Basic dXNlcjpwYXNzd29yZA==", []),
        (f"Bearer {make_jwt({'exp': 1})}", []),  # JWTs are find_jwts' job
    ],
)
def test_find_bearer_tokens(text, expected):
    assert find_bearer_tokens(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail jane.doe+sso@contoso.com.", ["jane.doe+sso@contoso.com"]),
        ("<mailto:jane@contoso.com|jane@contoso.com>", ["jane@contoso.com"]),
        ("jörg@bücher.de and bob@eu.fabrikam.co.uk", ["jörg@bücher.de", "bob@eu.fabrikam.co.uk"]),
        ("@contoso.com and user@localhost", []),
    ],
)
def test_find_emails(text, expected):
    assert find_emails(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("contoso.com, fabrikam.com", ["contoso.com", "fabrikam.com"]),
        ("Allowed domains: @contoso.com; *.fabrikam.com\nbücher.de", ["@contoso.com", "*.fabrikam.com", "bücher.de"]),
        ("contoso.com", ["contoso.com"]),
        ("contoso.com, jane@fabrikam.com", ["contoso.com", "jane@fabrikam.com"]),
        ("jane@contoso.com", None),  # only emails: not a domain list
        ("https://contoso.com", None),
        ("hello world", None),
        ("AADSTS50011 the redirect URI does not match", None),
        ("", None),
    ],
)
def test_looks_like_domain_list(text, expected):
    assert looks_like_domain_list(text) == expected


def test_unwrap_slack_links():
    assert unwrap_slack_links("see <https://a.example.com|a> and <mailto:j@c.com>") == "see https://a.example.com and mailto:j@c.com"


@pytest.mark.parametrize("text", PATHOLOGICAL)
def test_linear_time_on_100kb(text):
    started = time.perf_counter()
    for finder in FINDERS:
        assert isinstance(finder(text), list)
    looks_like_domain_list(text)
    unwrap_slack_links(text)
    # quadratic behaviour on 100 KB would take minutes; linear takes milliseconds
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize("value", [None, 42, b"https://a.example.com", ["x"]])
def test_odd_inputs(value):
    for finder in FINDERS:
        assert isinstance(finder(value), list)
    looks_like_domain_list(value)


@FUZZ
@given(text=hostile_text)
def test_never_raises(text):
    for finder in FINDERS:
        found = finder(text)
        assert all(isinstance(item, str) and item for item in found)
    result = looks_like_domain_list(text)
    assert result is None or (result and all(isinstance(e, str) for e in result))
    for jwt in find_jwts(text):
        assert jwt.count(".") == 2
    for url in find_scim_urls(text):
        assert "/scim" in url.lower()
