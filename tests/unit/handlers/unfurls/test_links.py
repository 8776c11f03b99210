"""Which links are error links: the shapes Microsoft and Okta document, and nothing that could carry more."""

from __future__ import annotations

import pytest

from handlers.unfurls.links import error_code

ERROR_LINKS = {
    # Microsoft's look-up page takes the number (reference-error-codes: "link directly ... ?code=16000").
    "https://login.microsoftonline.com/error?code=50011": "AADSTS50011",
    "https://login.microsoftonline.com/error?code=AADSTS700016": "AADSTS700016",
    "https://login.microsoftonline.com/error/?code=50058": "AADSTS50058",
    "https://LOGIN.microsoftonline.com/Error?code=50105": "AADSTS50105",
    "https://login.partner.microsoftonline.cn/error?code=50058": "AADSTS50058",
    # Okta's error-code reference, its anchor or its search, and the older path.
    "https://developer.okta.com/docs/reference/error-codes/#E0000011": "E0000011",
    "https://developer.okta.com/docs/reference/error-codes/#e0000004": "E0000004",
    "https://developer.okta.com/docs/reference/error-codes/?q=E0000011": "E0000011",
    "https://developer.okta.com/reference/error_codes/#E0000007": "E0000007",
}

OTHER_LINKS = [
    "https://login.microsoftonline.com/error",  # the search page itself
    "http://login.microsoftonline.com/error?code=50011",  # not https
    "https://login.microsoftonline.com/error?code=5001x",
    "https://login.microsoftonline.com/error?code=50011&code=50012",
    "https://login.microsoftonline.com/error?code=50011&state=abc",  # anything more could carry a secret
    "https://login.microsoftonline.com/error?code=50011#frag",
    "https://user:pass@login.microsoftonline.com/error?code=50011",
    "https://login.microsoftonline.com:8443/error?code=50011",
    "https://login.microsoftonline.com:x/error?code=50011",
    "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?code=123456",
    "https://login.microsoftonline.com.evil.example/error?code=50011",
    "https://developer.okta.com/docs/guides/",
    "https://developer.okta.com/docs/reference/error-codes/",
    "https://developer.okta.com/docs/reference/error-codes/#E0000011x",
    "https://developer.okta.com/docs/reference/error-codes/?q=E0000011#E0000004",
    "https://developer.okta.com/docs/reference/error-codes/?q=E0000011&token=abc",
    "https://example.okta.com/docs/reference/error-codes/#E0000011",
    "https://login.microsoftonline.com/error?code=" + "5" * 400,
    "not a url",
]


@pytest.mark.parametrize("url", list(ERROR_LINKS))
def test_documented_error_links_name_their_code(url):
    assert error_code(url) == ERROR_LINKS[url]


@pytest.mark.parametrize("url", OTHER_LINKS)
def test_other_links_name_none(url):
    assert error_code(url) is None
