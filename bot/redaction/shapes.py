"""What counts as a secret: the one definition that pastes, reports, log lines and stored text are checked against.

A secret is a value that lets its holder act as someone: a JWT, a Slack token, what follows ``Bearer``
(or any ``Authorization`` scheme), the value of a field named like a credential (``client_secret``,
``password``, ``api_key``, ``access_token``, ``refresh_token``, ``id_token``, ``token``, ``assertion``,
``SAMLResponse``, ``SAMLRequest``, an OAuth ``code`` ...) in JSON, a form or query string, a header or
a log line, the password in a URL's userinfo, a cookie's value, and a PEM private key's body.

``find_secrets`` returns the values only, never the name or scheme in front of them, so a hint can
stand in for exactly the secret ("client_secret=[a 28-character client secret, fingerprint 1a2b3c4d]").
A hint says what kind of secret it was, how long, and the first 8 hex digits of its SHA-256 (the
fingerprint the credentials feature keeps too); never a prefix or any other piece of the value.

Every pattern runs in linear time: each one starts at the beginning of a run (a look-behind rejects
starts inside one) and its repeated classes cannot overlap the separator that ends them. A value
has to look like a credential to count (``_plausible``): a word of prose after ``token:`` is not one,
and placeholders (``<token>``, ``***``, ``${SECRET}``, a hint we wrote) never are.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Iterator

from bot.diagnostics.text import fold, matches_at
import bot.redaction.anchors as anchors

__all__ = ["Secret", "find_secrets", "fingerprint", "looks_secret", "describe", "named", "KINDS"]

# Kind -> the words a hint uses for it.
KINDS = {
    "jwt": "JSON Web Token",
    "slack-bot": "Slack bot token",
    "slack-user": "Slack user token",
    "slack-app": "Slack app-level token",
    "slack": "Slack token",
    "bearer": "bearer token",
    "basic": "Basic credential",
    "okta-api": "Okta API token",
    "authorization": "Authorization header value",
    "client-secret": "client secret",
    "secret": "secret",
    "password": "password",
    "api-key": "API key",
    "access-token": "access token",
    "refresh-token": "refresh token",
    "id-token": "ID token",
    "token": "token",
    "assertion": "assertion",
    "saml-response": "SAML response",
    "saml-request": "SAML request",
    "auth-code": "authorization code",
    "url-password": "password in a URL",
    "url-credential": "credential in a URL",
    "cookie": "cookie value",
    "private-key": "private key",
}


@dataclass(frozen=True)
class Secret:
    """One secret found in a text: its value (never shown), its kind, and where it was."""

    value: str
    kind: str
    start: int = -1
    end: int = -1

    @property
    def hint(self) -> str:
        """What stands in for the secret: "[a 40-character bearer token, fingerprint 5f00d2c9]"."""
        return f"[{describe(self.kind, len(self.value))}, fingerprint {fingerprint(self.value)}]"


def fingerprint(value: str) -> str:
    """The first 8 hex digits of the SHA-256 of ``value``: tells two secrets apart, reveals neither."""
    return hashlib.sha256(value.encode("utf-8", errors="surrogatepass")).hexdigest()[:8]


def describe(kind: str, length: int) -> str:
    """ "a 40-character bearer token", with the article English gives the number."""
    spoken = str(length)
    article = "an" if spoken.startswith("8") or length in (11, 18) or 11_000 <= length < 12_000 or \
        18_000 <= length < 19_000 else "a"
    return f"{article} {length}-character {KINDS.get(kind, 'secret')}"


def named(kind: str) -> str:
    """ "a client secret", "an API key": a kind in words, for a message that must not show the value."""
    noun = KINDS.get(kind, "secret")
    return f"{'an' if noun[0] in 'aeiouAEIOU' else 'a'} {noun}"


# -- the shapes -----------------------------------------------------------------------------------

_B64URL = "A-Za-z0-9_-"
_B64TOKEN = r"A-Za-z0-9\-._~+/"  # RFC 6750 §2.1's b64token, before its trailing '='

# A compact JWS or JWE (RFC 7515 §7.1, RFC 7516 §7.1): "eyJ" (base64url of '{"') and 2 to 5 parts.
_JWT = re.compile(rf"(?<![{_B64URL}])eyJ[{_B64URL}]+=*(?:\.[{_B64URL}]*=*){{1,4}}")

# Slack tokens: xoxb- (bot), xoxp- (user), xoxa-/xoxr-/xoxs-/xoxe- (workspace, refresh, session, rotating;
# also xoxe.xoxp-), xapp-1- (app-level).
_SLACK = re.compile(r"(?<![A-Za-z0-9])(?:xox[a-z](?:\.xox[a-z])?-|xapp-\d-)[A-Za-z0-9-]{6,}")

# A scheme and its credential: "Bearer x", "SSWS x" (Okta API tokens), "Basic x", anywhere in the text.
_SCHEME = re.compile(rf"(?i)(?<![A-Za-z0-9_-])(bearer|ssws|basic)[ \t]+[\"'`]?([{_B64TOKEN}]+=*)")

# An Authorization header (or JSON key) whose value has no scheme in front.
_AUTHORIZATION = re.compile(
    rf"(?i)(?<![A-Za-z0-9_-])(?:proxy-)?authorization(?:\\?[\"'])?[ \t]*[:=][ \t]*(?:\\?[\"'])?"
    rf"(?!(?:bearer|basic|ssws|negotiate|digest|ntlm)\b)([{_B64TOKEN}]+=*)")

# Fields named like a credential, in JSON ("name": "value"), forms and queries (name=value), headers
# and YAML (name: value), and JSON that was itself escaped into a string (\"name\":\"value\").
_FIELD_KINDS = (
    (r"client[_-]?secret", "client-secret"),
    (r"(?:app[_-]?|shared[_-]?)?secret", "secret"),
    (r"password|passwd|passphrase", "password"),
    (r"(?:x-)?api[_-]?key|subscription[_-]?key", "api-key"),
    (r"access[_-]?token", "access-token"),
    (r"refresh[_-]?token", "refresh-token"),
    (r"id[_-]?token", "id-token"),
    (r"(?:auth|bearer|scim|secret|session|api)[_-]?token|token", "token"),
    (r"(?:client[_-]?)?assertion", "assertion"),
    (r"samlresponse", "saml-response"),
    (r"samlrequest", "saml-request"),
    (r"private[_-]?key", "private-key"),
)
# Every name above holds one of these, so text without them is spared the pattern.
_FIELD_CUES = ("secret", "pass", "key", "token", "assertion", "saml")
_FIELD_NAMES = "|".join(f"(?P<k{i}>{pattern})" for i, (pattern, _) in enumerate(_FIELD_KINDS))
_QUOTED = r"\\\"([^\"\\\r\n]+)\\\"|\"((?:[^\"\\\r\n]|\\.)+)\"|'([^'\r\n]+)'"
_BARE = r"([^\s\"'`&,;<>(){}\[\]|\\…]+)"  # … : where a display clipped the value
# A quoted value whose closing quote was cut off (a clipped log line, a header shortened for display).
_CUT_QUOTE = r"[\"']([^\s\"'\\…]{8,}?)(?=…|\.\.\.|\s|$)"
_FIELD = re.compile(
    rf"(?i)(?<![A-Za-z0-9_.-])(?:{_FIELD_NAMES})(?![A-Za-z0-9_-])(?:\\?[\"'])?[ \t]*[:=][ \t]*"
    rf"(?:{_QUOTED}|{_BARE}|{_CUT_QUOTE})")

# An OAuth authorization code on a redirect URI or in a token request's form body (RFC 6749 §4.1.2).
_CODE = re.compile(r"(?i)(?:^|(?<=[?&#\s]))code=([^\s&#\"'<>…]+)")

# A URL's userinfo (RFC 3986 §3.2.1): "user:password@" or a token standing in as the user.
_USERINFO = re.compile(r"(?i)(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]{0,31}://([^\s/?#@\"'<>|\\]{1,512})@")

# Cookie and Set-Cookie headers, up to the end of the line or the quote closing a JSON string.
_COOKIE = re.compile(r"(?im)(?<![A-Za-z0-9_-])(set-cookie|cookie)(?:\\?[\"'])?[ \t]*:[ \t]*(?:\\?[\"'])?"
                     r"([^\r\n\"\\]*)")

# A header or parameter given as JSON name/value pairs (HAR files): {"name": "Cookie", "value": "..."}.
_COOKIE_PAIR = re.compile(r"(?:^|;)[ \t]*[^=;\s]+[ \t]*=[ \t]*\"?([^;,\s\"\\]*)")
_PAIR = re.compile(r"(?i)\"name\"\s*:\s*\"([A-Za-z0-9_-]{1,40})\"\s*,\s*\"value\"\s*:\s*\"((?:[^\"\\\r\n]|\\.)*)\"")

_PRIVATE_KEY = re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----([A-Za-z0-9+/=\s:,-]*?)-----END")

_SCHEME_PREFIX = re.compile(r"(?i)(?:bearer|basic|ssws)[ \t]+")
_MASK = frozenset("*•●·xX#.-_…")
_PLACEHOLDERS = frozenset({
    "null", "none", "nil", "true", "false", "undefined", "redacted", "hidden", "masked", "removed", "secret",
    "password", "token", "string", "value", "example", "changeme", "bearer", "basic",
})


def find_secrets(text: str) -> list[Secret]:
    """Every secret in ``text``, in order of appearance, each once (the longest where two overlap)."""
    if not text:
        return []
    found = sorted(_all(text), key=lambda s: (s.start, -len(s.value)))
    kept: list[Secret] = []
    end = -1
    for secret in found:
        if secret.start >= end:
            kept.append(secret)
            end = secret.end
        elif secret.end > end and kept:  # overlapping: keep the one that reaches further, as one secret
            last = kept[-1]
            if len(secret.value) > len(last.value):
                kept[-1] = secret
                end = secret.end
    return kept


def looks_secret(text: str) -> bool:
    """Whether short user text (a label, an environment name, a word) holds or resembles a secret: any
    shape above, a PEM block, the start of a JWT, or an unbroken run of 32 token characters."""
    return bool(find_secrets(text)) or "-----BEGIN" in text or bool(_LONG_RUN.search(text)) or \
        bool(_JWT_PIECE.search(text))


_LONG_RUN = re.compile(rf"[{_B64TOKEN}=]{{32,}}")
_JWT_PIECE = re.compile(rf"(?<![{_B64URL}])eyJ[{_B64URL}]{{9,}}")  # a JWT's header, even cut off


# Each pattern opens with a look-behind (a start inside a run is no start), most with IGNORECASE words too,
# which keeps the regex engine from skipping ahead: it would try every character. So each is tried only
# where it can start (``bot.redaction.anchors``; ``matches_at`` finds the same matches as ``finditer``).
_STARTS = {
    _JWT: anchors.jwt, _JWT_PIECE: anchors.jwt, _SLACK: anchors.slack, _SCHEME: anchors.scheme,
    _AUTHORIZATION: anchors.authorization, _FIELD: lambda text, folded: anchors.field_name(folded, _FIELD_CUES),
    _CODE: anchors.auth_code,
    _USERINFO: anchors.url_scheme, _COOKIE: anchors.cookie,
}


def _found(rx: re.Pattern[str], text: str, folded: str) -> Iterator[re.Match[str]]:
    return matches_at(rx, text, _STARTS[rx](text, folded))


def _all(text: str) -> Iterator[Secret]:
    lowered = text.lower()  # the cues: whether a pattern can match at all
    folded = lowered if text.isascii() else fold(text)  # where its words are, at the offsets of ``text``
    if "eyj" in lowered:
        for m in _found(_JWT, text, folded):
            value = m.group(0).rstrip(".=")
            if "." in value and len(value) >= 10:
                yield Secret(value, "jwt", m.start(), m.start() + len(value))
        # A JWT cut off before its first dot (a clipped display, a line break) is still one.
        for m in _found(_JWT_PIECE, text, folded):
            if text[m.end():m.end() + 1] != ".":
                yield Secret(m.group(0), "jwt", m.start(), m.end())
    if "xox" in lowered or "xapp-" in lowered:
        for m in _found(_SLACK, text, folded):
            value = m.group(0).rstrip("-")
            yield Secret(value, _slack_kind(value), m.start(), m.start() + len(value))
    if "bearer" in lowered or "ssws" in lowered or "basic" in lowered:
        for m in _found(_SCHEME, text, folded):
            yield from _valued(m, 2, {"bearer": "bearer", "ssws": "okta-api", "basic": "basic"}[m.group(1).lower()],
                               _credential_like)
    if "authorization" in lowered:
        for m in _found(_AUTHORIZATION, text, folded):
            yield from _valued(m, 1, "authorization", _credential_like)
    if any(cue in lowered for cue in _FIELD_CUES):
        for m in _found(_FIELD, text, folded):
            kind = next(k for i, (_, k) in enumerate(_FIELD_KINDS) if m.group(f"k{i}") is not None)
            group = next(g for g in range(len(_FIELD_KINDS) + 1, len(_FIELD_KINDS) + 6) if m.group(g) is not None)
            yield from _valued(m, group, kind, _plausible)
    if "code=" in lowered:
        for m in _found(_CODE, text, folded):
            yield from _valued(m, 1, "auth-code", lambda v: len(v) >= 16 and _token_like(v))
    if "://" in text:
        yield from _userinfo(text, folded)
    if "cookie" in lowered:
        for m in _found(_COOKIE, text, folded):
            yield from _cookies(m.group(2), m.start(2), set_cookie=m.group(1).lower() == "set-cookie")
    if '"name"' in lowered:
        yield from _pairs(text)
    if "private key-----" in lowered:
        for m in _PRIVATE_KEY.finditer(text):
            body = m.group(2).strip()
            if body:
                start = m.start(2) + m.group(2).index(body)
                yield Secret(body, "private-key", start, start + len(body))


def _slack_kind(value: str) -> str:
    head = value.split("-", 1)[0].split(".")[-1]
    return {"xoxb": "slack-bot", "xoxp": "slack-user", "xapp": "slack-app"}.get(head, "slack")


def _valued(match: re.Match, group: int, kind: str, plausible) -> Iterator[Secret]:
    value = match.group(group)
    if value is None:
        return
    start = match.start(group)
    scheme = _SCHEME_PREFIX.match(value)  # "token": "Bearer x" -> x, as check_token fingerprints it
    if scheme:
        value, start = value[scheme.end():], start + scheme.end()
    trimmed = value.rstrip(".")  # a sentence's full stop after the value
    if trimmed and plausible(trimmed) and not _placeholder(trimmed):
        yield Secret(trimmed, kind, start, start + len(trimmed))


def _userinfo(text: str, folded: str) -> Iterator[Secret]:
    for m in _found(_USERINFO, text, folded):
        info = m.group(1)
        user, colon, password = info.partition(":")
        if colon and password and not _placeholder(password):
            start = m.start(1) + len(user) + 1
            yield Secret(password, "url-password", start, start + len(password))
        elif not colon and len(user) >= 16 and _token_like(user):
            yield Secret(user, "url-credential", m.start(1), m.end(1))


def _cookies(header: str, offset: int, *, set_cookie: bool) -> Iterator[Secret]:
    """The values in a Cookie header (every pair) or a Set-Cookie header (its first pair only; the rest
    are attributes such as Path and Expires). A value ends where RFC 6265 §4.1.1's cookie-octets do."""
    for m in _COOKIE_PAIR.finditer(header):
        value = m.group(1)
        if len(value) >= 6 and not _placeholder(value):
            yield Secret(value, "cookie", offset + m.start(1), offset + m.end(1))
        if set_cookie:
            return


def _pairs(text: str) -> Iterator[Secret]:
    for m in _PAIR.finditer(text):
        name, value = m.group(1).lower(), m.group(2)
        if not value:
            continue
        if name in ("cookie", "set-cookie"):
            yield from _cookies(value, m.start(2), set_cookie=name == "set-cookie")
        elif name in ("authorization", "proxy-authorization"):
            scheme, _, rest = value.partition(" ")
            credential = rest.strip() if rest else scheme
            if credential and _token_like(credential) and not _placeholder(credential):
                start = m.start(2) + value.index(credential)
                yield Secret(credential, "bearer" if rest else "authorization", start, start + len(credential))
        else:
            kind = next((k for pattern, k in _FIELD_KINDS if re.fullmatch(pattern, name, re.I)), None)
            if kind is not None and _plausible(value) and not _placeholder(value):
                yield Secret(value, kind, m.start(2), m.end(2))


# -- what a credential looks like ---------------------------------------------------------------------

def _kinds(value: str) -> int:
    return (any(c.islower() for c in value) + any(c.isupper() for c in value) + any(c.isdigit() for c in value)
            + any(not c.isalnum() for c in value))


def _token_like(value: str) -> bool:
    """A credential after a scheme or header: 12+ characters with letters and digits, or 20+ of at least
    two kinds (upper, lower, digits, symbols). "Bearer token-based" is prose, "Bearer 5f00d2c9..." is not."""
    if len(value) < 12:
        return False
    has_digit = any(c.isdigit() for c in value)
    has_alpha = any(c.isalpha() for c in value)
    return (has_digit and has_alpha) or (len(value) >= 20 and _kinds(value) >= 2)


def _credential_like(value: str) -> bool:
    """What follows a scheme ("Bearer x") or an Authorization header: token-like, or 20+ characters of the
    b64token alphabet whatever they are (prose after "Bearer" is a word or two, never that long)."""
    return _token_like(value) or len(value) >= 20


def _plausible(value: str) -> bool:
    """A value after a credential's name: 6+ characters with a digit or a symbol (other than the '_' and '-'
    of an identifier), or 16+ of anything. "password: expired", "assertion: AuthnStatement" and "refresh
    token: offline_access" are prose; "password=Summer2024!" is a password."""
    if len(value) < 6:
        return False
    return len(value) >= 16 or any(not (c.isalpha() or c in "_-") for c in value)


def _placeholder(value: str) -> bool:
    """Text that stands for a secret without being one: <token>, {{secret}}, ${KEY}, ***, a hint."""
    v = value.strip("\"'`")
    if not v or v[0] in "<{[$(" or v[-1] in ">}]" or "..." in v or "…" in v or (v[0] == v[-1] == "%"):
        return True
    if all(c in _MASK for c in v):
        return True
    return v.lower().replace("-", "_") in _PLACEHOLDERS or v.lower().startswith(("your_", "your-", "my_", "<"))
