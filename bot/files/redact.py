"""Redaction as the files are read: what a capture or an export may hold that must never be shown.

A HAR holds cookies, ``Authorization`` headers, authorization codes, tokens, SAML messages and, in a
form post, passwords. The readers never keep a cookie or header value; a URL or form field is kept
only after :func:`clean_url` has put a hint (kind, length, fingerprint) where each credential-like
value was. The raw values met on the sign-in flow are collected (:class:`SecretBag`) only to hand
them to the one redaction boundary (``bot.redaction.seal``) with the report.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

from bot.redaction import Secret, fingerprint

__all__ = ["SECRET_PARAMS", "clean_url", "clean_params", "hint", "mask_user", "mask_emails", "mask_opaque", "SecretBag", "short"]

# Query, fragment and form fields whose value is a credential (RFC 6749 §4.1.2 code, §4.2.2 tokens;
# OIDC Core §3.2.2.5 id_token; SAML Bindings §3.4/§3.5 SAMLResponse/SAMLRequest; form logins' password).
SECRET_PARAMS = {
    "code": "auth-code", "access_token": "access-token", "id_token": "id-token", "refresh_token": "refresh-token",
    "token": "token", "client_secret": "client-secret", "password": "password", "passwd": "password",
    "pwd": "password", "assertion": "assertion", "client_assertion": "assertion", "samlresponse": "saml-response",
    "samlrequest": "saml-request", "code_verifier": "secret", "session_state": "secret", "sid": "secret",
    "otp": "password", "passcode": "password", "api_key": "api-key", "apikey": "api-key", "key": "api-key",
    "sig": "secret", "signature": "secret", "login_hint_token": "token", "logout_token": "token",
}
# Not credentials, but long opaque values nobody reads: shown as a fingerprint so two steps can be compared.
FINGERPRINTED = {"state", "nonce", "relaystate", "code_challenge", "wctx", "sessionid", "ctx", "flowtoken"}
_MAX_BAG = 400


class SecretBag:
    """The raw secret values met while reading, for the redaction boundary only (bounded). Values from the
    sign-in steps and the ambient ones (every request's cookies and Authorization header) have a budget
    each, so a large capture's cookies cannot crowd out the flow's codes and tokens."""

    def __init__(self) -> None:
        self.values: dict[str, None] = {}
        self.ambient: dict[str, None] = {}

    def add(self, value: str, *, ambient: bool = False) -> None:
        kept = self.ambient if ambient else self.values
        if value and len(value) >= 8 and len(kept) < _MAX_BAG:
            kept[value] = None

    def __iter__(self):
        return iter({**self.values, **self.ambient})


def hint(kind: str, value: str) -> str:
    """What stands in for a secret value: "[a 43-character authorization code, fingerprint 5f00d2c9]"."""
    return Secret(value, kind).hint


def fingerprinted(value: str) -> str:
    return f"[fingerprint {fingerprint(value)}]"


def clean_params(pairs: list[tuple[str, str]], bag: SecretBag | None = None) -> list[tuple[str, str]]:
    """``pairs`` with each credential value replaced by its hint and each opaque correlation value by
    its fingerprint; the raw credential values go into ``bag``."""
    out = []
    for name, value in pairs:
        key = name.lower()
        if key in SECRET_PARAMS and value:
            if bag is not None:
                bag.add(value)
            value = hint(SECRET_PARAMS[key], value)
        elif key in FINGERPRINTED and len(value) > 12:
            value = fingerprinted(value)
        out.append((name, value))
    return out


def clean_url(url: str, bag: SecretBag | None = None) -> str:
    """``url`` with no credential in it: userinfo dropped, secret query and fragment values hinted."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return short(url.split("?", 1)[0], 200)
    if not parts.query and not parts.fragment and "@" not in parts.netloc:
        return url
    names = {n.lower() for n in _NAME.findall(f"{parts.query}&{parts.fragment}")}
    if "@" not in parts.netloc and not names & (SECRET_PARAMS.keys() | FINGERPRINTED):
        return url  # nothing to hide: kept as it came
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = _clean_pairs_text(parts.query, bag)
    fragment = _clean_pairs_text(parts.fragment, bag) if "=" in parts.fragment else parts.fragment
    return urlunsplit((parts.scheme, netloc, parts.path, query, fragment))


def _clean_pairs_text(text: str, bag: SecretBag | None) -> str:
    if not text:
        return ""
    pairs = clean_params(parse_qsl(text, keep_blank_values=True), bag)
    return "&".join(f"{quote(k, safe='')}={_quote_hinted(v)}" for k, v in pairs)


def _quote_hinted(value: str) -> str:
    return value if value.startswith("[") and value.endswith("]") else quote(value, safe="/:@.-_~ ")


def mask_user(user: str) -> str:
    """``jane@example.com`` -> ``j***@example.com``; anything else keeps its first character only."""
    user = (user or "").strip()
    if not user:
        return ""
    local, at, domain = user.partition("@")
    if at and local and domain:
        return f"{local[0]}***@{domain}"
    return f"{user[0]}***"


_NAME = re.compile(r"(?:^|[&;])([^=&;]{1,40})=")
_OPAQUE = re.compile(r"(?<![\w~.+/=-])[\w~.+/=-]{20,}(?![\w~.+/=-])")
_GUID = re.compile(r"^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$", re.I)


def mask_opaque(text: str, bag: SecretBag | None = None) -> str:
    """Free text from a file (an error body, an error_description) with every long opaque run that could be a
    credential echoed back replaced by its hint; GUIDs (trace and correlation ids) and plain words stay."""
    def hide(match: re.Match) -> str:
        run = match.group(0)
        if _GUID.match(run) or not (any(c.isdigit() for c in run) and any(c.isalpha() for c in run)):
            return run
        if run.startswith(("http", "urn:")) or run.count(".") >= 2 and not run.startswith("eyJ") and run.islower():
            return run  # a URL piece or a dotted name (an event type, a host), not a credential
        if bag is not None:
            bag.add(run)
        return hint("token", run)
    return _OPAQUE.sub(hide, text)


_EMAIL = re.compile(r"([\w.+-])[\w.+-]*@([\w-]+(?:\.[\w-]+)+)")


def mask_emails(text: str) -> str:
    """Every e-mail address in ``text`` masked as :func:`mask_user` does."""
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)


def short(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
