"""Generated secrets of every kind, pasted the ways people paste them, and a detector for their pieces.

The strategies know nothing of ``bot.redaction``: a secret here is a value built to be one (a JWT, a
Slack token, an Entra client secret, a URL password ...), and each is embedded only where a person
would have it (a JSON body, a form body, a header, a log line, a URL, a sentence), with the name or
scheme that marks it as a credential. ``Leaks`` then looks for any 12-character run of any of them,
in any letter case, in whatever the app produced, after undoing the escapes Slack, JSON, HTML and
URLs apply on the way.
"""

from __future__ import annotations

import base64
import html
import json
import zlib
from dataclasses import dataclass, field
from typing import Any, Iterable
from urllib.parse import quote, quote_plus, unquote, unquote_plus  # noqa: F401 (quote: the templates)

from hypothesis import strategies as st

WINDOW = 12

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_B64URL = _ALNUM + "-_"
_HEX = "0123456789abcdef"
_ENTRA_SECRET = _ALNUM + "~._-"
_PASSWORD = _ALNUM + "!*+-._~"


@dataclass(frozen=True)
class Pasted:
    """A paste and the secret in it, as generated (``Leaks`` also decodes what it searches, so a
    URL-encoded copy of the secret counts as the secret)."""

    text: str
    kind: str
    secrets: tuple[str, ...] = field(default=())


def _text(alphabet: str, low: int, high: int) -> st.SearchStrategy[str]:
    """Random characters from ``alphabet``. Drawn from a seeded Random rather than ``st.text``, which also
    tries strings it finds in the code under test: a "secret" that spells our own wording is no test."""
    return st.builds(lambda rnd, size: "".join(rnd.choices(alphabet, k=size)), st.randoms(use_true_random=False),
                     st.integers(low, high))


def _with_digit_and_letter(value: str) -> bool:
    return any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@st.composite
def jwts(draw) -> str:
    header = {"alg": draw(st.sampled_from(["RS256", "HS256", "ES256", "none"])), "typ": "JWT",
              "kid": draw(_text(_B64URL, 4, 16))}
    payload = {"iss": f"https://login.example.com/{draw(_text(_HEX, 8, 8))}/v2.0",
               "sub": draw(_text(_ALNUM, 6, 24)), "aud": draw(_text(_ALNUM, 6, 24)),
               "iat": draw(st.integers(1_600_000_000, 1_800_000_000)),
               "exp": draw(st.integers(1_600_000_000, 1_900_000_000))}
    signature = draw(_text(_B64URL, 20, 86))
    return ".".join((_b64url(json.dumps(header).encode()), _b64url(json.dumps(payload).encode()), signature))


slack_tokens = st.builds(
    lambda prefix, a, b, c: f"{prefix}{a}-{b}-{c}",
    st.sampled_from(["xoxb-", "xoxp-", "xoxa-2-", "xoxr-", "xapp-1-"]),
    _text("0123456789", 10, 13), _text("0123456789", 10, 13), _text(_ALNUM, 24, 32))
opaque_tokens = st.one_of(_text(_HEX, 32, 64), _text(_B64URL, 24, 64)).filter(_with_digit_and_letter)
client_secrets = st.builds(lambda head, tail: f"{head}8Q~{tail}", _text(_ALNUM, 3, 3),
                           _text(_ENTRA_SECRET, 31, 31)).filter(_with_digit_and_letter)
passwords = _text(_PASSWORD, 12, 32).filter(_with_digit_and_letter)
auth_codes = st.builds(lambda body: f"0.A{body}", _text(_B64URL, 40, 160)).filter(_with_digit_and_letter)
cookie_values = st.one_of(_text(_HEX, 24, 64), _text(_B64URL, 24, 64)).filter(_with_digit_and_letter)


@st.composite
def saml_messages(draw) -> str:
    """A SAMLResponse (base64 of XML, POST binding) or SAMLRequest (deflated, then base64: Redirect binding)."""
    ident = draw(_text(_HEX, 32, 32))
    xml = (f'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_{ident}" Version="2.0">'
           f'<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://sts.example.com/'
           f'{draw(_text(_HEX, 8, 8))}/</saml:Issuer></samlp:Response>').encode()
    if draw(st.booleans()):
        return base64.b64encode(xml).decode()
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b64encode(deflate.compress(xml) + deflate.flush()).decode()


# -- where a person pastes each kind -------------------------------------------------------------------

_NOISE = st.sampled_from([
    "AADSTS7000215: Invalid client secret provided.",
    "AADSTS50011: The redirect URI specified in the request does not match.",
    "Okta E0000011: Invalid token provided",
    "HTTP 401 Unauthorized from https://app.example.com/auth/realms/acme/org/3f2504e0-4f89-11d3-9a0c-0305e82c3301/scim/v2",
    "example.com, example.org",
    "https://app.example.com/callback https://app.example.com/callback/",
    "provisioning failed",
    "",
])
_LOG_PREFIX = st.sampled_from([
    "2026-11-28T12:00:00Z ERROR provisioning POST /scim/v2/Users 401",
    "Nov 28 12:00:01 app[412]: WARN oauth token request failed",
    "[main] DEBUG org.springframework.security - request",
])


def _json(name: str, value: str, extra: dict[str, Any]) -> str:
    return json.dumps({"error": "invalid_client", **extra, name: value})


@st.composite
def pastes(draw, kind: str | None = None) -> Pasted:
    """One paste holding one generated secret (of ``kind``, or any), in one of the contexts where a
    person would have it."""
    kind = kind or draw(st.sampled_from(sorted(_CONTEXTS)))
    secret = draw(_GENERATORS[kind])
    template = draw(st.sampled_from(_CONTEXTS[kind]))
    noise = draw(_NOISE)
    log = draw(_LOG_PREFIX)
    return Pasted(text=template(secret, noise, log), kind=kind, secrets=(secret,))


_GENERATORS = {
    "jwt": jwts(), "slack": slack_tokens, "bearer": opaque_tokens, "client-secret": client_secrets,
    "password": passwords, "api-key": opaque_tokens, "access-token": opaque_tokens, "refresh-token": opaque_tokens,
    "id-token": jwts(), "assertion": jwts(), "saml": saml_messages(), "auth-code": auth_codes,
    "cookie": cookie_values,
}

_CONTEXTS = {
    "jwt": [
        lambda s, n, log: f"{n}\n{s}",
        lambda s, n, log: f"{log} Authorization: Bearer {s}",
        lambda s, n, log: f"my token is {s} and {n}",
        lambda s, n, log: _json("id_token", s, {"error_description": n}),
        lambda s, n, log: f"https://app.example.com/callback#id_token={s}&state=xyz {n}",
    ],
    "slack": [
        lambda s, n, log: f"{n} my bot token {s} stopped working",
        lambda s, n, log: f"{log} SLACK_BOT_TOKEN={s}",
        lambda s, n, log: _json("token", s, {"ok": False}),
        lambda s, n, log: f"Authorization: Bearer {s}\n{n}",
    ],
    "bearer": [
        lambda s, n, log: f"POST /scim/v2/Users 401\nAuthorization: Bearer {s}\n{n}",
        lambda s, n, log: f"{log} Bearer {s}",
        lambda s, n, log: f"{n}\ncurl -H 'Authorization: Bearer {s}' https://app.example.com/scim/v2/Users",
        lambda s, n, log: f"Secret Token: {s}\n{n}",
        lambda s, n, log: f'{{"name": "Authorization", "value": "Bearer {s}"}}',
        lambda s, n, log: f"Authorization: SSWS {s}",
    ],
    "client-secret": [
        lambda s, n, log: _json("client_secret", s, {"error_description": n}),
        lambda s, n, log: f"POST /oauth2/v2.0/token grant_type=client_credentials&client_id=abc&client_secret="
                          f"{quote_plus(s)} -> 401 {n}",
        lambda s, n, log: f"{log} client_secret={s}",
        lambda s, n, log: f"{n}\nclient_secret: {s}",
        lambda s, n, log: '{\\"client_secret\\":\\"' + s + '\\"}',
    ],
    "password": [
        lambda s, n, log: f"https://app.example.com/cb https://admin:{s}@app.example.com/cb",
        lambda s, n, log: f"{n} username=ada&password={quote_plus(s)}",
        lambda s, n, log: _json("password", s, {"user": "ada@example.com"}),
        lambda s, n, log: f"{log} connecting to postgresql://sso:{s}@db.internal:5432/sso",
    ],
    "api-key": [
        lambda s, n, log: f"{n}\nX-API-Key: {s}",
        lambda s, n, log: _json("api_key", s, {"error_description": n}),
        lambda s, n, log: f"{log} apikey={s}",
    ],
    "access-token": [
        lambda s, n, log: _json("access_token", s, {"token_type": "Bearer", "expires_in": 3599}),
        lambda s, n, log: f"https://app.example.com/cb#access_token={s}&token_type=Bearer {n}",
        lambda s, n, log: f"{log} access_token={s}",
    ],
    "refresh-token": [
        lambda s, n, log: _json("refresh_token", s, {"error_description": n}),
        lambda s, n, log: f"grant_type=refresh_token&refresh_token={s}",
    ],
    "id-token": [lambda s, n, log: f"{log} id_token={s}"],
    "assertion": [
        lambda s, n, log: f"grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion={s}",
        lambda s, n, log: _json("client_assertion", s, {"error_description": n}),
    ],
    "saml": [
        lambda s, n, log: f"POST /saml/acs\nSAMLResponse={quote(s, safe='')}&RelayState=xyz\n{n}",
        lambda s, n, log: f"GET /saml/sso?SAMLRequest={quote(s, safe='')}&RelayState=abc",
        lambda s, n, log: f'{{"name": "SAMLResponse", "value": "{s}"}}',
    ],
    "auth-code": [
        lambda s, n, log: f"https://app.example.com/callback?code={s}&state=xyz {n}",
        lambda s, n, log: f"{log} POST /token grant_type=authorization_code&code={s}&redirect_uri=https%3A%2F%2Fa",
    ],
    "cookie": [
        lambda s, n, log: f"GET /callback\nCookie: session={s}; lang=en-US\n{n}",
        lambda s, n, log: f"{log} Set-Cookie: KEYCLOAK_SESSION={s}; Path=/; Secure; HttpOnly",
        lambda s, n, log: f'{{"name": "Cookie", "value": "JSESSIONID={s}"}}',
    ],
}

KINDS = tuple(sorted(_CONTEXTS))


def one_of_each() -> st.SearchStrategy[tuple[Pasted, ...]]:
    """A paste of every kind of secret: each example of a leak test sends all of them."""
    return st.tuples(*(pastes(kind) for kind in KINDS))


# -- finding pieces of them -------------------------------------------------------------------------------------


class Leaks:
    """Finds any 12-character run of any of ``secrets`` (in any letter case) in text, JSON and bytes."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.secrets = [s for s in dict.fromkeys(secrets) if len(s) >= WINDOW]
        self._windows = {s[i:i + WINDOW].lower() for s in self.secrets for i in range(len(s) - WINDOW + 1)}

    def in_text(self, text: str) -> list[str]:
        """The 12-character runs of a secret in ``text`` or in its unescaped forms (mrkdwn/HTML entities,
        percent-encoding)."""
        found: list[str] = []
        for form in dict.fromkeys((text, html.unescape(text), unquote(text), unquote_plus(text))):
            folded = form.lower()
            found += [folded[i:i + WINDOW] for i in range(len(folded) - WINDOW + 1)
                      if folded[i:i + WINDOW] in self._windows]
        return found

    def in_value(self, value: Any) -> list[str]:
        """Every string inside a JSON-like value, strings that hold JSON parsed and searched too."""
        return [hit for text in strings_in(value) for hit in self.in_text(text)]

    def in_bytes(self, data: bytes) -> list[str]:
        return self.in_text(data.decode("utf-8", errors="replace"))


def strings_in(value: Any) -> list[str]:
    """All strings in a nested value (dict keys too); a string that parses as JSON is walked as well."""
    out: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            if item[:1] in "[{":
                try:
                    stack.append(json.loads(item))
                except ValueError:
                    pass
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif item is not None:
            out.append(str(item))
    return out
