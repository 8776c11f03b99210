"""URLs and domains in a paste: SCIM base URLs, a redirect URI pair, a domain allowlist, an email address.

Each is handed to its check (``check_scim_url``, ``check_redirect``, ``check_domains``) once it is
plain that the paste holds one: a SCIM request logged by the IdP is cut back to its base URL, help
links (aka.ms, learn.microsoft.com ...) are never half of a redirect pair, and two unrelated links
far apart in a log export, or in a longer paste that never names a redirect, callback or reply URL, are
not compared.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Mapping
from urllib.parse import urlsplit

from bot.diagnostics.domains import check_domains
from bot.diagnostics.engine.candidates import Candidate, Paste, from_report
from bot.diagnostics.report import Report
from bot.diagnostics.engine.codes import SSO_WORDS
from bot.diagnostics.engine.text import MAX_ITEMS, lower
from bot.diagnostics.extract import find_emails, find_scim_urls, find_urls, looks_like_domain_list
from bot.diagnostics.redirect import check_redirect, parse_redirect_pair
from bot.diagnostics.scim import check_scim_url

# Links that explain an error rather than take part in the sign-in; never one of a redirect pair.
_DOC_HOSTS = ("aka.ms", "learn.microsoft.com", "docs.microsoft.com", "developer.okta.com", "help.okta.com",
              "support.okta.com", "datatracker.ietf.org", "www.rfc-editor.org", "openid.net", "docs.oasis-open.org",
              "go.microsoft.com")
_PAIR_WORDS = re.compile(r"\b(?:registered|configured|expected|allowed|valid redirect|sends?|sent|actual|"
                         r"instead of|versus|vs)\b|!=|≠")
# Two URLs the paste calls issuers ("issuer did not match ... expected X got Y") are an OIDC issuer comparison,
# not a redirect pair, unless something beside them is named a redirect, callback or reply URL: the knowledge's
# issuer entries answer that paste, and a redirect-URI finding would send the reader to the wrong setting.
_ISSUER_WORDS = re.compile(r"\b(?:issuer|iss|issued)\b")
_REDIRECT_WORDS = re.compile(r"redirect|callback|reply|return_?to|\bacs\b|assertion consumer|signin-oidc")


def _is_doc_link(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if host in _DOC_HOSTS:
        return True
    return host == "login.microsoftonline.com" and parts.path.rstrip("/").lower() == "/error"


_WORD = re.compile(r"[^\W\d_]{2,}")


#: Up to this many words besides the URLs, a paste is a pair handed over to compare ("X vs Y", two lines).
_BARE_PAIR_WORDS = 12
_PAIR_CONTEXT = re.compile(r"redirect|callback|reply|return_?to|\bacs\b|assertion consumer|signin-oidc|destination|"
                           r"recipient|origin|logout")
_PAIR_REACH = 400  # how far apart (and how far from their labels) the two URIs of a pair may sit


def _comparable(a: str, b: str, text: str, urls: list[str]) -> bool:
    """Two URLs worth comparing as a redirect pair: they sit close together and the paste says which is
    which ("registered X, app sends Y", "X vs Y", "received at X instead of Y"); or they share a host or
    a path (two spellings of one callback) and the paste is about signing in, or holds little besides
    the two URLs. Two links far apart in a log export, a SCIM resource or a token's claims are not."""
    first, second = text.find(a), text.find(b, text.find(a) + len(a))
    if first < 0 or second < 0:
        first, second = sorted((text.find(a), text.find(b)))
    if second - (first + len(a)) > _PAIR_REACH and len(text) > 2 * _PAIR_REACH:
        return False
    window = lower(text[max(0, first - 120):second + len(b) + 60])
    if _ISSUER_WORDS.search(window) and not _REDIRECT_WORDS.search(window):
        return False
    if _not_about_a_pair(text, urls):
        return False
    if _PAIR_WORDS.search(window):
        return True
    try:
        pa, pb = urlsplit(a), urlsplit(b)
        same = _host(pa.hostname) == _host(pb.hostname) or pa.path.rstrip("/").lower() == pb.path.rstrip("/").lower()
    except ValueError:
        return False
    if not same:
        return False
    if text.lstrip().startswith(("{", "[")):
        return False  # links inside a JSON document (SCIM $ref, token claims) are a pair only when labelled
    rest = _without(text, urls)
    if SSO_WORDS.search(lower(rest)):
        return True
    return len(_WORD.findall(rest)) <= _BARE_PAIR_WORDS


def _not_about_a_pair(text: str, urls: list[str]) -> bool:
    """A paste of more than a few words whose words (the URLs' own aside) never name a redirect, callback, reply,
    ACS, destination or origin URL: its URLs are the endpoints a log or a question mentions (an authorize
    request beside its token call, an IdP's metadata beside the app's page), not a registered URI beside the
    one sent. The URLs' own text does not count: every authorize request carries ``redirect_uri=`` in its query."""
    rest = lower(_without(text, urls))
    return len(_WORD.findall(rest)) > _BARE_PAIR_WORDS and not _PAIR_CONTEXT.search(rest)


def _host(name: str | None) -> str:
    name = (name or "").lower()
    return name[4:] if name.startswith("www.") else name


# A SCIM request as an IdP or server log prints it: the base URL, a resource and usually a query
# ("GET .../scim/v2/Users?filter=userName+eq+..."). Its base URL is what the admin configured.
_SCIM_REQUEST = re.compile(r"(?i)^(.*?/scim(?:/[^/?#]*)?)/(?:users|groups|schemas|serviceproviderconfigs?|"
                           r"resourcetypes|bulk|me)(?:[/?#].*)?$")
_HTTP_METHOD_BEFORE = re.compile(r"(?:GET|POST|PUT|PATCH|DELETE|for|calling)\W{0,3}$", re.IGNORECASE)


def _scim_base(url: str, text: str) -> str:
    """The base URL to check: ``url`` itself, unless it is a logged request (a query string, or an HTTP
    method right before it), whose resource path and query the IdP added and the admin did not."""
    match = _SCIM_REQUEST.match(url)
    if match is None:
        return url
    at = text.find(url)
    logged = "?" in url or (at > 0 and _HTTP_METHOD_BEFORE.search(text[max(0, at - 12):at]) is not None)
    return match.group(1) if logged else url


def read_urls(paste: Paste) -> list[Candidate]:
    """Every SCIM base URL, then a redirect URI pair if the paste holds one."""
    text = paste.scan
    if "/" not in text:
        return []  # no URL of any kind (a SCIM URL pasted without its scheme still has slashes)
    found, scim_urls = _read_scim_urls(text, paste.environments, paste.expected_env)
    if text.count("://") >= 2:
        found += _read_redirect_pair(text, scim_urls)
    return found


def _read_scim_urls(text: str, environments: Mapping[str, str] | None,
                    expected_env: str | None) -> tuple[list[Candidate], list[str]]:
    """Check each SCIM URL's base once; returns the candidates and the URLs found (never half of a redirect pair)."""
    scim_urls = list(dict.fromkeys(find_scim_urls(text)))[:MAX_ITEMS] if "/scim" in lower(text) else []
    checked: set[str] = set()
    found: list[Candidate] = []
    for url in scim_urls:
        base = _scim_base(url, text)
        if base in checked:
            continue
        checked.add(base)
        report = check_scim_url(base, environments=environments, expected_env=expected_env)
        candidates = from_report(report, text.find(url), kinds=("scim_url",))
        if _foreign(report) and _says_more(text, url):
            candidates = [replace(c, hedged=True, confidence=min(c.confidence, FOREIGN_CHECK)) for c in candidates]
        found += candidates
    return found, scim_urls


# A URL the check held only to the rules every SCIM server shares (``bot.diagnostics.scim``: not the configured
# template's shape, not a configured environment) is another system's SCIM endpoint (an IdP's own, a third-party
# server's); so is, under the guide's template, one that lacks both parts of the path that identify the product.
_GENERIC = frozenset({"scim-url-generic", "scim-url-generic-ok"})
_IDENTIFYING = frozenset({"scim-url-missing-realm", "scim-url-missing-org"})
#: How sure the check of a SCIM URL of another system, quoted in a paste that says more, is about the paste's
#: problem: the findings are kept, as notes after the knowledge's (``Candidate.hedged``).
FOREIGN_CHECK = 0.4


def _foreign(report: Report) -> bool:
    codes = {f.code for f in report.findings}
    return bool(codes & _GENERIC) or _IDENTIFYING <= codes


def _says_more(text: str, url: str) -> bool:
    """Whether the paste holds more than the URL and a label ("Tenant URL: ..."): a log line, a question."""
    return len(_WORD.findall(_without(text, [url]))) > _LABEL_WORDS


_LABEL_WORDS = 6


def _read_redirect_pair(text: str, scim_urls: list[str]) -> list[Candidate]:
    """Two redirect URIs to compare (the registered one and the one sent), when the paste plainly holds them."""
    urls = [u for u in dict.fromkeys(find_urls(text)) if u not in scim_urls][:MAX_ITEMS * 5]
    docs = [u for u in urls if _is_doc_link(u)]
    if len(urls) - len(docs) < 2:
        return []
    pair_text = text
    for url in sorted(docs, key=len, reverse=True):
        pair_text = pair_text.replace(url, " ")
    pair = parse_redirect_pair(pair_text)
    if pair is None or not _comparable(pair[0], pair[1], pair_text, urls):
        return []
    return from_report(check_redirect(*pair), max(0, text.find(pair[0])), kinds=("redirect_pair",))


# -- domains --------------------------------------------------------------------------------


_MAX_DOMAIN_LIST_CHARS = 40_000  # 500 entries (the list reader's own limit) of a long domain name each
_DOTTED = re.compile(r"\.[\w-]")
_LIST_SEPARATORS = re.compile(r"[,;\s]+")


def read_domains(paste: Paste) -> list[Candidate]:
    """A domain allowlist (every entry domain-shaped, after an optional label), or a lone email address
    (a fallback: it counts only when nothing else was found)."""
    text = paste.scan
    if "." not in text or len(text) > _MAX_DOMAIN_LIST_CHARS:
        return []
    last = last_entry(text[-300:])
    if not _DOTTED.search(last):
        return []  # every entry of a list, the last one too, has a dot followed by a label: this is prose
    emails = find_emails(text) if "@" in text else []
    entries = looks_like_domain_list(_without(text, emails))
    if entries:
        kinds = ("domain_list", "email") if emails else ("domain_list",)
        return from_report(check_domains(entries, email=emails[0] if emails else None), 0, kinds=kinds)
    if emails and len(text.split()) <= 3:
        # "is jane@contoso.com covered?" with nothing else: say what we can about it
        return from_report(check_domains([], email=emails[0]), 0, kinds=("email",), fallback=True)
    return []


def last_entry(text: str) -> str:
    """What follows the last separator (comma, semicolon, white space) of ``text``, white space at its ends
    left out: ``_LIST_SEPARATORS.split(text.strip())[-1]`` without splitting all of it (``str.split`` and the
    pattern's ``\\s`` take the same characters for white space)."""
    stripped = text.strip()
    if not stripped:
        return ""
    return stripped.rsplit(None, 1)[-1].replace(";", ",").rpartition(",")[2]


def _without(text: str, parts: list[str]) -> str:
    for part in parts:
        text = text.replace(part, " ")
    return text
