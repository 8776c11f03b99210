"""A redirect URI pair is compared only when the paste is about one (engine/links.py ``_not_about_a_pair``).

Two URLs in a longer paste whose words never name a redirect, callback, reply, ACS, destination or origin URL are
the endpoints a log mentions, not a registered URI beside the one sent: a pair comparison there put "the paths
differ" ahead of the cause on held-out pastes. A bare pair, or a paste that names the redirect, is still compared.
"""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose


def pair_findings(text: str) -> list[str]:
    return [f.code for f in diagnose(text).findings if f.code.startswith("redirect-")]


@pytest.mark.parametrize("text", [
    # a login log: the authorize request (its own redirect_uri= does not count) and the token call
    "INFO starting login at https://idp.example.com/oauth2/v1/authorize?client_id=abc&redirect_uri=https%3A%2F%2F"
    "app.example.com%2Fcb then the token call to https://idp.example.com/oauth2/v1/token failed with 401 "
    "Unauthorized, client authentication failed, the client secret was rotated yesterday",
    # a question naming the IdP's metadata and the app's page
    "We configured the metadata from https://idp.example.com/metadata.xml and users opening "
    "https://app.example.com/dashboard get an error page after the identity provider asks for their password",
])
def test_urls_of_a_log_or_a_question_are_not_compared(text):
    assert pair_findings(text) == []


@pytest.mark.parametrize("text", [
    "https://app.example.com/callback vs https://app.example.com/callback/",
    "registered redirect URI https://app.example.com/callback but the app sends https://app.example.com/Callback",
    "The SAML response was received at http://app.example.com/saml/acs instead of https://app.example.com/saml/acs "
    "according to the destination check of the library in our staging environment behind the load balancer",
])
def test_a_pair_handed_over_or_named_is_compared(text):
    assert pair_findings(text), diagnose(text).findings
