"""Two URLs a paste calls issuers are an OIDC issuer comparison, not a redirect pair (engine/links.py)."""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose


def codes(text: str) -> list[str]:
    return [f.code for f in diagnose(text).findings]


@pytest.mark.parametrize("text", [
    'issuer did not match the issuer returned by provider, expected "https://sso.example.com" got "https://sso.example.com/"',
    "token iss is https://login.example.com/tenant/v2.0 but the configured issuer is https://login.example.com/tenant/",
    "id token not issued by correct OpenID provider - expected: https://contoso.example.com/oidc | from: "
    "https://openid-connect-eu.example.com/oidc",
])
def test_urls_named_issuers_are_not_read_as_a_redirect_pair(text):
    found = codes(text)
    assert not [c for c in found if c.startswith("redirect-")], found
    assert "issuer" in found[0], found


@pytest.mark.parametrize("text", [
    "registered redirect URI https://app.example.com/callback but the app sends https://app.example.com/callback/",
    # an issuer named beside a redirect URI pair does not hide the pair
    "issuer https://idp.example.com; redirect_uri expected https://app.example.com/cb got http://app.example.com/cb",
])
def test_a_redirect_pair_is_still_compared(text):
    assert any(c.startswith("redirect-") for c in codes(text)), codes(text)
