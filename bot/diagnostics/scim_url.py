"""Check a SCIM base URL (Entra "Tenant URL", Okta "SCIM connector base URL").

The product's SCIM endpoint has one shape::

    {environment_base_url}/auth/realms/<realm>/org/<client_guid>/scim/v2

The IdP appends resource paths to it (``/Users``, ``/Groups``,
``/ServiceProviderConfig``; RFC 7644 §3.2 and §4), so the base URL must end
exactly at ``/scim/v2``: the version segment is how SCIM 2.0 endpoints are
addressed (RFC 7644 §3.13). Paths are compared case-sensitively while scheme
and host are not (RFC 3986 §6.2.2.1), and a doubled or trailing slash makes a
different path (RFC 3986 §3.3). A wrong URL shows up as 404 Not Found on
provisioning calls or a failed "Test Connection" / "Test API Credentials".

The check reports one finding per problem and, whenever the pieces are there,
the corrected URL (fact ``corrected_url``, repeated in the fix). Pure function:
no network, no clock.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Mapping

from bot.diagnostics.report import Finding, Report, Severity
from bot.diagnostics.text import as_text as _as_text, is_invisible as _is_invisible

__all__ = ["check_scim_url", "SCIM_PATH_TEMPLATE"]

SCIM_PATH_TEMPLATE = "/auth/realms/<realm>/org/<client_guid>/scim/v2"
SUBJECT = "SCIM base URL"

REF_SCIM_VERSION = "https://www.rfc-editor.org/rfc/rfc7644#section-3.13"
REF_SCIM_ENDPOINTS = "https://www.rfc-editor.org/rfc/rfc7644#section-3.2"
REF_URI_SYNTAX = "https://www.rfc-editor.org/rfc/rfc3986#section-3"
REF_URI_COMPARE = "https://www.rfc-editor.org/rfc/rfc3986#section-6.2.2"
REF_ENTRA_SCIM = "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups"
REF_ENTRA_COMPAT = (
    "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/"
    "application-provisioning-config-problem-scim-compatibility"
)

_WHERE = (
    "Copy the SCIM Endpoint from the product (Settings → SSO & Provisioning → SCIM 2.0) with its copy icon, "
    "and paste it as the Tenant URL (Entra: Enterprise apps → your app → Provisioning → Admin Credentials) "
    "or the SCIM 2.0 Base URL (Okta: Applications → your app → Provisioning → Integration)."
)
_EFFECT = "The IdP gets 404 Not Found, and Test Connection / Test API Credentials fails."

_MAX_SHOWN = 200
_QUOTES = "\"'`“”‘’«»„"
_TRAILING = ".,;:!?"
_KEYWORDS = ("auth", "realms", "org", "scim")
_RESOURCES = {
    "users": "Users",
    "groups": "Groups",
    "serviceproviderconfig": "ServiceProviderConfig",
    "serviceproviderconfigs": "ServiceProviderConfigs",
    "schemas": "Schemas",
    "resourcetypes": "ResourceTypes",
    "bulk": "Bulk",
    "me": "Me",
    ".search": ".search",
}
_ENTRA_FLAG = "aadoptscim062020"

_GUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_HEX32_RE = re.compile(r"[0-9a-fA-F]{32}")
_VERSION_RE = re.compile(r"[vV]?\d{1,3}(?:\.\d{1,3})?")
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]{0,31}):(/*)")
_PLACEHOLDER_RE = re.compile(
    r"\{\{[^{}]{1,64}\}\}|\{[^{}/]{1,64}\}|<[^<>/]{1,64}>|%7[Bb][^%/]{1,64}%7[Dd]|%3[Cc][^%/]{1,64}%3[Ee]|"
    r"\[[A-Za-z_ \-]{1,64}\]"
)
_TEMPLATE_WORDS = ("environment_base_url", "client_guid", "your-realm", "your_realm", "yourrealm")
_LABEL_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?")


def _clip(text: str, limit: int = _MAX_SHOWN) -> str:
    text = "".join("?" if (_is_invisible(ch) and ch != " ") else ch for ch in text[: limit + 1])
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class _Problem:
    code: str
    severity: Severity
    title: str
    detail: str
    fix: list[str] = field(default_factory=list)
    refs: tuple[str, ...] = ()
    facts: dict[str, str] = field(default_factory=dict)
    structural: bool = True  # does the corrected URL address it?


@dataclass
class _Origin:
    scheme: str
    host: str
    port: str
    path_segments: tuple[str, ...]


def check_scim_url(
    url: Any,
    *,
    environments: Mapping[str, str] | None = None,
    expected_env: str | None = None,
    now: datetime | None = None,
) -> Report:
    """Check ``url`` against ``{environment_base_url}/auth/realms/<realm>/org/<client_guid>/scim/v2``.

    ``environments`` maps environment names to base URLs (``{"prod":
    "https://app.example.com"}``); the report says which one the URL belongs
    to and warns when it matches none or differs from ``expected_env``.
    ``now`` is accepted for a uniform check signature and not used. Never raises.
    """
    try:
        findings = _check(_as_text(url), environments, expected_env)
    except Exception:
        findings = [
            Finding(
                code="scim-url-unreadable",
                severity=Severity.INFO,
                title="This SCIM URL could not be analysed",
                detail="Something in the pasted value stopped the check.",
                fix=(_WHERE,),
            )
        ]
    return Report(subject=SUBJECT, findings=tuple(findings), inputs=("scim_url",))


# --------------------------------------------------------------------------- clean-up of the paste


def _peel(text: str, problems: list[_Problem]) -> str:
    """Remove what was pasted around the URL, one finding per kind of debris."""
    found: dict[str, bool] = {}
    s = text
    for _ in range(8):
        before = s
        stripped = s.strip()
        while stripped and _is_invisible(stripped[0]):
            stripped = stripped[1:]
        while stripped and _is_invisible(stripped[-1]):
            stripped = stripped[:-1]
        if stripped != s:
            found["whitespace"] = True
            s = stripped
        if s and (s[0] in _QUOTES or s[-1] in _QUOTES):
            found["quotes"] = True
            s = s.strip(_QUOTES)
        if s.startswith("<") and (s.endswith(">") or "|" in s) and _SCHEME_RE.match(s[1:]):
            found["angle"] = True
            inner = s[1:]
            if inner.endswith(">"):
                inner = inner[:-1]
            if "|" in inner:  # Slack's <url|label>
                inner = inner.split("|", 1)[0]
            s = inner
        while s and (s[-1] in _TRAILING or (s[-1] == ")" and s.count("(") < s.count(")"))):
            found["trailing"] = True
            s = s[:-1]
        if s == before:
            break
    inner_junk = [ch for ch in s if _is_invisible(ch)]
    if inner_junk:
        found["whitespace"] = True
        s = "".join(ch for ch in s if not _is_invisible(ch))
    if found.get("whitespace"):
        problems.append(
            _Problem(
                "scim-url-whitespace",
                Severity.WARN,
                "Spaces or invisible characters around or inside the URL",
                "The paste carried spaces, line breaks or invisible characters (non-breaking or zero-width "
                "spaces, often picked up from chat or documents). If the IdP field has them too, the URL does "
                "not match and provisioning calls fail.",
                ["Clear the IdP field and paste the URL again, with nothing before or after it."],
                (REF_URI_SYNTAX,),
            )
        )
    if found.get("quotes"):
        problems.append(
            _Problem(
                "scim-url-quotes",
                Severity.WARN,
                "Quotes pasted with the URL",
                "Quote characters came with the URL. They are not part of it; in the IdP field they make an "
                "invalid URL.",
                ["Remove the quotes in the IdP field."],
                (REF_URI_SYNTAX,),
            )
        )
    if found.get("angle"):
        problems.append(
            _Problem(
                "scim-url-angle-brackets",
                Severity.WARN,
                "Angle brackets around the URL",
                "The URL was wrapped in < > (chat link formatting). They are not part of it; in the IdP field "
                "they make an invalid URL.",
                ["Remove the < and > in the IdP field."],
                (REF_URI_SYNTAX,),
            )
        )
    if found.get("trailing"):
        problems.append(
            _Problem(
                "scim-url-trailing-punctuation",
                Severity.WARN,
                "Punctuation after the URL",
                "A period, comma or similar follows the URL, probably from the sentence it was copied from. "
                "In the IdP field it becomes part of the path and the endpoint is not found.",
                ["Remove the trailing punctuation in the IdP field."],
                (REF_URI_SYNTAX,),
            )
        )
    return s


def _placeholders(text: str) -> list[str]:
    found: list[str] = []
    for match in _PLACEHOLDER_RE.finditer(text):
        whole = match.group(0)
        inner = whole[3:-3] if whole.startswith("%") else whole.strip("{}<>[]")
        if _GUID_RE.fullmatch(inner) or _HEX32_RE.fullmatch(inner):
            continue  # a real GUID in braces: reported as such, not as a placeholder
        found.append(match.group(0))
    lowered = text.lower()
    for word in _TEMPLATE_WORDS:
        if word in lowered and not any(word in p.lower() for p in found):
            found.append(word)
    return found


# --------------------------------------------------------------------------- host


def _host_problem(host: str, port: str) -> tuple[str, str] | None:
    """(severity-kind, reason) when ``host`` is unusable: kind 'bad' or 'private'."""
    if port and (not port.isdigit() or not 0 < int(port) <= 65535):
        return "bad", f"the port '{_clip(port, 20)}' is not a number from 1 to 65535"
    if host.startswith("["):
        try:
            address = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            return "bad", "the bracketed address is not a valid IPv6 address"
        return ("private", "it is a private or loopback address") if not address.is_global else None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        return ("private", "it is a private or loopback address") if not address.is_global else None
    name = host[:-1] if host.endswith(".") else host
    if not name.isascii():
        try:
            name = name.encode("idna").decode("ascii")
        except (UnicodeError, ValueError):
            return "bad", "it has characters that are not allowed in a host name"
    if len(name) > 253:
        return "bad", "it is longer than 253 characters"
    labels = name.split(".")
    for label in labels:
        if not label:
            return "bad", "it has an empty label (two dots in a row, or a leading dot)"
        if "_" in label:
            return "bad", "it contains an underscore"
        if len(label) > 63:
            return "bad", "a label is longer than 63 characters"
        if not _LABEL_RE.fullmatch(label):
            return "bad", "a label has characters other than letters, digits and inner hyphens"
    lowered = name.lower()
    if len(labels) == 1 or lowered == "localhost" or lowered.endswith((".localhost", ".local", ".internal", ".lan")):
        return "private", "it is a local name that cloud IdPs cannot resolve"
    return None


def _split_authority(authority: str) -> tuple[str, str, str]:
    """(userinfo, host, port) from an authority (RFC 3986 §3.2)."""
    userinfo, at, hostport = authority.rpartition("@")
    if not at:
        userinfo, hostport = "", authority
    if hostport.startswith("["):
        close = hostport.find("]")
        if close != -1:
            host, rest = hostport[: close + 1], hostport[close + 1 :]
            return userinfo, host, rest[1:] if rest.startswith(":") else rest
        return userinfo, hostport, ""
    host, colon, port = hostport.rpartition(":")
    if not colon:
        return userinfo, hostport, ""
    return userinfo, host, port


def _parse_origin(base: str) -> _Origin | None:
    base = base.strip()
    if not base:
        return None
    match = _SCHEME_RE.match(base)
    if match and match.group(2):
        scheme, rest = match.group(1).lower(), base[match.end() :]
    else:
        scheme, rest = "https", base.lstrip("/")
    cut = len(rest)
    for sep in "/?#":
        pos = rest.find(sep)
        if pos != -1:
            cut = min(cut, pos)
    authority, path = rest[:cut], rest[cut:].split("?")[0].split("#")[0]
    _user, host, port = _split_authority(authority)
    if not host:
        return None
    default = {"https": "443", "http": "80"}.get(scheme)
    if port == default:
        port = ""
    return _Origin(scheme, host.lower().rstrip("."), port, tuple(p for p in path.split("/") if p))


# --------------------------------------------------------------------------- the check


def _check(text: str, environments: Mapping[str, str] | None, expected_env: str | None) -> list[Finding]:
    problems: list[_Problem] = []
    infos: list[_Problem] = []
    if len(text) > 100_000:
        text = text[:100_000]
    s = _peel(text, problems)
    if not s:
        return [
            Finding(
                code="scim-url-empty",
                severity=Severity.FAIL,
                title="No SCIM URL to check",
                detail="The value was empty once spaces and quotes were removed.",
                fix=(_WHERE,),
                refs=(REF_ENTRA_SCIM,),
            )
        ]
    if "/" not in s and "." not in s and ":" not in s:
        return [
            Finding(
                code="scim-url-not-a-url",
                severity=Severity.FAIL,
                title="This does not look like a URL",
                detail=f"A SCIM base URL looks like https://app.example.com{SCIM_PATH_TEMPLATE}.",
                fix=(_WHERE,),
                refs=(REF_ENTRA_SCIM,),
                facts={"value": _clip(s, 80), "expected_shape": "{environment_base_url}" + SCIM_PATH_TEMPLATE},
            )
        ]

    placeholders = _placeholders(s)
    if placeholders:
        problems.append(
            _Problem(
                "scim-url-placeholder",
                Severity.FAIL,
                "Template placeholders left in the URL",
                f"{', '.join(_clip(p, 60) for p in placeholders[:5])} must be replaced with your real values. "
                "The simplest way is to copy the SCIM Endpoint the product shows, which has them filled in. "
                + _EFFECT,
                [_WHERE],
                (REF_ENTRA_SCIM,),
                {"placeholders": _clip(", ".join(placeholders[:10]))},
                structural=False,
            )
        )

    # ---- scheme
    rest = s
    scheme_in = ""
    match = _SCHEME_RE.match(s)
    host_port_only = bool(match) and not match.group(2) and re.match(r"\d{1,5}(?:[/?#]|$)", s[match.end() :] or "")
    if match and not host_port_only and (match.group(2) or match.group(1).lower() in ("http", "https")):
        scheme_in = match.group(1)
        slashes = match.group(2)
        rest = s[match.end() :]
        if scheme_in.lower() == "http":
            problems.append(
                _Problem(
                    "scim-url-not-https",
                    Severity.FAIL,
                    "The URL uses http, not https",
                    "The SCIM endpoint is served over https only, and Entra and Okta require https for "
                    "provisioning. With http the call is refused or redirected, and Test Connection fails.",
                    ["Use https:// at the start."],
                    (REF_ENTRA_SCIM,),
                    {"scheme": "http"},
                )
            )
        elif scheme_in.lower() != "https":
            problems.append(
                _Problem(
                    "scim-url-not-https",
                    Severity.FAIL,
                    f"The URL starts with '{_clip(scheme_in, 32)}:', not https:",
                    "A SCIM base URL must be an https URL.",
                    ["Use https:// at the start."],
                    (REF_ENTRA_SCIM,),
                    {"scheme": _clip(scheme_in, 32)},
                )
            )
        if len(slashes) != 2:
            problems.append(
                _Problem(
                    "scim-url-scheme-slashes",
                    Severity.FAIL,
                    f"{len(slashes)} slash{'es' if len(slashes) != 1 else ''} after '{_clip(scheme_in, 32)}:', not 2",
                    "A URL's host follows exactly two slashes after the scheme (https://host). With any other "
                    "number the host is read wrongly or not at all.",
                    ["Write https:// followed by the host."],
                    (REF_URI_SYNTAX,),
                )
            )
            if len(slashes) >= 3 and rest.lower().startswith(("auth/", "realms/")):
                rest = "/" + rest  # "https:///auth/..." : the host is simply missing
    elif not any(s.startswith(p) for p in placeholders):
        if s.startswith("//"):
            rest = s[2:]
        problems.append(
            _Problem(
                "scim-url-no-scheme",
                Severity.FAIL,
                "The URL has no https:// at the start",
                "Without a scheme the IdP cannot use the value as a URL, or treats it as relative.",
                ["Add https:// at the start."],
                (REF_URI_SYNTAX,),
            )
        )

    # ---- authority / path / query / fragment
    fragment = None
    if "#" in rest:
        rest, fragment = rest.split("#", 1)
    query = None
    if "?" in rest:
        rest, query = rest.split("?", 1)
    slash = rest.find("/")
    authority, raw_path = (rest, "") if slash == -1 else (rest[:slash], rest[slash:])
    userinfo, host, port = _split_authority(authority)

    if userinfo:
        problems.append(
            _Problem(
                "scim-url-userinfo",
                Severity.FAIL,
                "The URL carries a user name or password before the host",
                "Something@ precedes the host. The SCIM endpoint authenticates with the bearer token, not "
                "with credentials in the URL, and a secret in a URL ends up in logs. It is not shown here.",
                ["Remove everything between https:// and the @ (and the @), and rotate that secret if it was one."],
                (REF_URI_SYNTAX,),
            )
        )

    host_ok = False
    host_has_placeholder = any(p in authority for p in placeholders) or "{" in authority or "<" in authority
    if not host:
        problems.append(
            _Problem(
                "scim-url-no-host",
                Severity.FAIL,
                "The URL has no host",
                "Nothing names the server between https:// and the path. It should be your environment's "
                "address, e.g. https://app.example.com.",
                [_WHERE],
                (REF_URI_SYNTAX,),
                structural=False,
            )
        )
    elif not host_has_placeholder:
        trouble = _host_problem(host, port)
        if trouble is None:
            host_ok = True
        elif trouble[0] == "bad":
            problems.append(
                _Problem(
                    "scim-url-bad-host",
                    Severity.FAIL,
                    "The host name is not valid",
                    f"'{_clip(host, 80)}' cannot be a host: {trouble[1]}. " + _EFFECT,
                    [_WHERE],
                    (REF_URI_SYNTAX,),
                    {"host": _clip(host, 120), "reason": trouble[1]},
                    structural=False,
                )
            )
        else:
            host_ok = True
            problems.append(
                _Problem(
                    "scim-url-host-not-public",
                    Severity.WARN,
                    "The host is not reachable from the internet",
                    f"'{_clip(host, 80)}': {trouble[1]}. Entra and Okta call the SCIM endpoint from their cloud, "
                    "so it must resolve and answer publicly.",
                    ["Use your environment's public URL, as shown in the product's SCIM Endpoint field."],
                    (REF_ENTRA_SCIM,),
                    {"host": _clip(host, 120)},
                    structural=False,
                )
            )

    # ---- environment (needs the host)
    env_name, env_prefix = None, ()
    env_problems: list[_Problem] = []
    if environments and host_ok:
        env_name, env_prefix = _environment(host, port, raw_path, environments, expected_env, infos, env_problems)

    # ---- path
    segments = [seg for seg in raw_path.split("/") if seg]
    if "//" in raw_path:
        problems.append(
            _Problem(
                "scim-url-double-slash",
                Severity.FAIL,
                "Doubled slashes in the path",
                "The path has '//' where one slash belongs, usually from joining a base URL that ends in '/' "
                "with a path that starts with '/'. Servers treat it as a different path. " + _EFFECT,
                ["Use a single slash between segments."],
                (REF_URI_SYNTAX,),
            )
        )
    if raw_path.endswith("/") and segments:
        problems.append(
            _Problem(
                "scim-url-trailing-slash",
                Severity.WARN,
                "Trailing slash at the end",
                "The IdP appends /Users and /Groups to the base URL, so a trailing slash produces "
                "'.../scim/v2//Users', which may not be found.",
                ["Remove the slash at the end."],
                (REF_SCIM_ENDPOINTS,),
            )
        )
    if env_prefix and [seg.lower() for seg in segments[: len(env_prefix)]] == [p.lower() for p in env_prefix]:
        prefix_segments, segments = segments[: len(env_prefix)], segments[len(env_prefix) :]
    else:
        prefix_segments = []
    realm, guid = _path_findings(segments, problems, placeholders)

    # ---- query and fragment
    keep_flag = False
    if query is not None:
        params = [p for p in query.split("&") if p]
        flagged = [p for p in params if p.lower() == _ENTRA_FLAG]
        others = [p for p in params if p.lower() != _ENTRA_FLAG]
        if flagged:
            keep_flag = True
            infos.append(
                _Problem(
                    "scim-url-entra-flag",
                    Severity.INFO,
                    "Entra SCIM compatibility flag ?aadOptscim062020",
                    "This query parameter is Microsoft's switch that makes the Entra provisioning service follow "
                    "SCIM 2.0 more strictly (for example in PATCH requests). It is an Entra-side setting, not a "
                    "mistake; keep it only if you meant to turn that behaviour on.",
                    [],
                    (REF_ENTRA_COMPAT,),
                    structural=False,
                )
            )
        if others or not flagged:
            problems.append(
                _Problem(
                    "scim-url-query",
                    Severity.FAIL,
                    "A query string is attached to the base URL",
                    "The base URL takes no '?...' part: the IdP appends /Users and /Groups after it, which puts "
                    "the query in the middle of the request path. " + _EFFECT,
                    ["Remove everything from the '?' on."],
                    (REF_SCIM_ENDPOINTS,),
                    {"query": _clip("?" + "&".join(others), 120) if others else "?"},
                )
            )
    if fragment is not None:
        problems.append(
            _Problem(
                "scim-url-fragment",
                Severity.FAIL,
                "A '#' fragment is attached to the URL",
                "A fragment is never sent to the server, and anything the IdP appends ends up inside it.",
                ["Remove everything from the '#' on."],
                (REF_URI_SYNTAX,),
                {"fragment": _clip("#" + fragment, 120)},
            )
        )

    # ---- corrected URL
    corrected = None
    if host_ok and realm and guid and not placeholders:
        keep_port = port and not (port == "80" and scheme_in.lower() != "https")
        corrected = (
            "https://"
            + host
            + (f":{port}" if keep_port else "")
            + "".join("/" + seg for seg in prefix_segments)
            + f"/auth/realms/{realm}/org/{guid}/scim/v2"
            + ("?aadOptscim062020" if keep_flag else "")
        )
    return _assemble(text, s, problems + env_problems, infos, corrected, realm, guid, env_name)


def _environment(
    host: str,
    port: str,
    raw_path: str,
    environments: Mapping[str, str],
    expected_env: str | None,
    infos: list[_Problem],
    problems: list[_Problem],
) -> tuple[str | None, tuple[str, ...]]:
    origins: dict[str, _Origin] = {}
    for name, base in list(environments.items())[:50]:
        try:
            origin = _parse_origin(_as_text(base))
        except Exception:
            origin = None
        if origin is not None:
            origins[_as_text(name)] = origin
    h = host.lower().rstrip(".")
    p = "" if port in ("443", "80") else port
    path_lower = [seg.lower() for seg in raw_path.split("/") if seg]
    best: tuple[str, _Origin] | None = None
    for name, origin in origins.items():
        if origin.host != h or origin.port != p:
            continue
        prefix = [seg.lower() for seg in origin.path_segments]
        if path_lower[: len(prefix)] != prefix:
            continue
        if best is None or len(origin.path_segments) > len(best[1].path_segments):
            best = (name, origin)
    known = ", ".join(f"{n} ({environments[n] if n in environments else ''})" for n in list(origins)[:10])
    if expected_env is not None and expected_env not in origins:
        infos.append(
            _Problem(
                "scim-url-expected-env-unknown",
                Severity.INFO,
                f"No environment called '{_clip(_as_text(expected_env), 40)}' is configured",
                "The URL could not be compared with the environment you expected.",
                [],
                (),
                {"known_environments": _clip(known, 300)},
                structural=False,
            )
        )
    if best is None:
        problems.append(
            _Problem(
                "scim-url-unknown-environment",
                Severity.WARN,
                "The host matches none of your environments",
                f"'{_clip(host, 80)}' is not the address of any configured environment ({_clip(known, 300)}). "
                "A URL from the wrong environment (dev instead of prod) gives 404 or a failed Test Connection.",
                ["Copy the SCIM Endpoint from the console of the environment this IdP app should provision."],
                (),
                {"host": _clip(host, 120), "known_environments": _clip(known, 300)},
                structural=False,
            )
        )
        return None, ()
    name, origin = best
    base = _as_text(environments.get(name, ""))
    if expected_env is not None and expected_env in origins and expected_env != name:
        wanted = _as_text(environments.get(expected_env, ""))
        problems.append(
            _Problem(
                "scim-url-wrong-environment",
                Severity.WARN,
                f"This is the {_clip(name, 40)} URL, not {_clip(expected_env, 40)}",
                f"The host belongs to '{_clip(name, 40)}' ({_clip(base, 120)}), but you expected "
                f"'{_clip(expected_env, 40)}' ({_clip(wanted, 120)}). Users would be provisioned into the wrong "
                "environment, or the call fails with 404 because the client GUID differs there.",
                [
                    f"Open the {_clip(expected_env, 40)} console and copy its SCIM Endpoint (it starts with "
                    f"{_clip(wanted, 120)}); the realm and client GUID may differ between environments.",
                ],
                (),
                {"environment": _clip(name, 40), "expected_environment": _clip(expected_env, 40)},
                structural=False,
            )
        )
    else:
        infos.append(
            _Problem(
                "scim-url-environment",
                Severity.INFO,
                f"Environment: {_clip(name, 40)}",
                f"The host matches the '{_clip(name, 40)}' environment ({_clip(base, 120)}).",
                [],
                (),
                {"environment": _clip(name, 40)},
                structural=False,
            )
        )
    return name, origin.path_segments


def _index(lowered: list[str], word: str) -> int | None:
    try:
        return lowered.index(word)
    except ValueError:
        return None


def _path_findings(segments: list[str], problems: list[_Problem], placeholders: list[str]) -> tuple[str | None, str | None]:
    """Walk the path; returns (realm, normalised client GUID) when they can be derived."""
    lowered = [seg.lower() for seg in segments]
    i_auth, i_realms = _index(lowered, "auth"), _index(lowered, "realms")
    i_org, i_scim = _index(lowered, "org"), _index(lowered, "scim")
    used: set[int] = set()
    keyword_spots = {k: i for k, i in (("auth", i_auth), ("realms", i_realms), ("org", i_org), ("scim", i_scim)) if i is not None}
    used.update(keyword_spots.values())

    def value_after(i: int | None) -> str | None:
        if i is None or i + 1 >= len(segments) or lowered[i + 1] in _KEYWORDS:
            return None
        if i_scim is not None and i + 1 == i_scim:
            return None
        return segments[i + 1]

    wrong_case = [segments[i] for i in keyword_spots.values() if segments[i] != segments[i].lower()]

    # realm
    realm = value_after(i_realms)
    if realm is not None:
        used.add(i_realms + 1)  # type: ignore[operator]
    if i_realms is None or realm is None:
        problems.append(
            _Problem(
                "scim-url-missing-realm",
                Severity.FAIL,
                "The /auth/realms/<realm> part is missing" if i_realms is None else "No realm name after /realms",
                "The path must name the realm: " + SCIM_PATH_TEMPLATE + ". " + _EFFECT,
                [_WHERE],
                (REF_ENTRA_SCIM,),
                {"expected_shape": "{environment_base_url}" + SCIM_PATH_TEMPLATE},
                structural=False,
            )
        )
    elif i_auth is None:
        problems.append(
            _Problem(
                "scim-url-missing-auth-prefix",
                Severity.FAIL,
                "The /auth segment before /realms is missing",
                "The endpoint lives under /auth/realms/<realm>; without /auth the server has no such path. "
                + _EFFECT,
                ["Insert /auth before /realms."],
                (REF_ENTRA_SCIM,),
            )
        )

    # client GUID
    guid_raw = value_after(i_org)
    if guid_raw is not None:
        used.add(i_org + 1)  # type: ignore[operator]
    elif i_org is None:
        for i, seg in enumerate(segments):
            if i not in used and (_GUID_RE.fullmatch(seg.strip("{}")) or _HEX32_RE.fullmatch(seg.strip("{}"))):
                guid_raw = seg
                used.add(i)
                break
    if i_org is None or value_after(i_org) is None:
        problems.append(
            _Problem(
                "scim-url-missing-org",
                Severity.FAIL,
                "The /org/<client_guid> part is missing" if i_org is None else "No client GUID after /org",
                "The path must name your organisation's client GUID after /org: " + SCIM_PATH_TEMPLATE + ". "
                + _EFFECT,
                ["Insert /org/<client_guid> after the realm." if guid_raw is None else "Insert /org before the GUID."],
                (REF_ENTRA_SCIM,),
                {"expected_shape": "{environment_base_url}" + SCIM_PATH_TEMPLATE},
                structural=guid_raw is not None,
            )
        )
    guid = _guid_findings(guid_raw, problems, placeholders) if guid_raw is not None else None

    # scim / version / resource
    version_index = None
    if i_scim is None:
        problems.append(
            _Problem(
                "scim-url-missing-scim-path",
                Severity.FAIL,
                "The path does not contain /scim/v2",
                "This is not the SCIM endpoint: the base URL ends in /scim/v2. It may be the console or sign-in "
                "URL instead. " + _EFFECT,
                ["Append /scim/v2 after the client GUID, or copy the SCIM Endpoint field."],
                (REF_SCIM_VERSION,),
            )
        )
    else:
        after = i_scim + 1
        version = segments[after] if after < len(segments) else None
        if version is not None and _VERSION_RE.fullmatch(version):
            version_index = after
            used.add(after)
            if version.lower() == "v1":
                problems.append(
                    _Problem(
                        "scim-url-v1",
                        Severity.FAIL,
                        "The URL points to /scim/v1",
                        "The endpoint speaks SCIM 2.0 and lives at /scim/v2 (RFC 7644 §3.13). " + _EFFECT,
                        ["Change /scim/v1 to /scim/v2."],
                        (REF_SCIM_VERSION,),
                        {"version": version},
                    )
                )
            elif version.lower() != "v2":
                problems.append(
                    _Problem(
                        "scim-url-wrong-version",
                        Severity.FAIL,
                        f"Unexpected version segment '/{_clip(version, 10)}'",
                        "The SCIM 2.0 endpoint's version segment is exactly /v2 (RFC 7644 §3.13). " + _EFFECT,
                        ["Use /scim/v2."],
                        (REF_SCIM_VERSION,),
                        {"version": _clip(version, 10)},
                    )
                )
            elif version != "v2":
                wrong_case.append(version)
        else:
            problems.append(
                _Problem(
                    "scim-url-missing-v2",
                    Severity.FAIL,
                    "The URL ends at /scim without /v2",
                    "The SCIM 2.0 base URL ends in /scim/v2 (RFC 7644 §3.13); without /v2 requests go to a path "
                    "that does not exist. " + _EFFECT,
                    ["Add /v2 after /scim."],
                    (REF_SCIM_VERSION,),
                )
            )
        start = (version_index if version_index is not None else i_scim) + 1
        tail = segments[start:]
        if tail and tail[0].lower() in _RESOURCES:
            used.update(range(start, len(segments)))
            problems.append(
                _Problem(
                    "scim-url-resource-path",
                    Severity.FAIL,
                    f"A resource path (/{_RESOURCES[tail[0].lower()]}) is pasted after the base URL",
                    "The base URL stops at /scim/v2; the IdP adds /Users, /Groups and the rest itself, so this "
                    f"would call '.../{_RESOURCES[tail[0].lower()]}/{_RESOURCES[tail[0].lower()]}'. " + _EFFECT,
                    [f"Remove /{_clip('/'.join(tail), 80)} from the end."],
                    (REF_SCIM_ENDPOINTS,),
                    {"resource_path": _clip("/" + "/".join(tail), 120)},
                )
            )

    extra = [segments[i] for i in range(len(segments)) if i not in used]
    extra = [seg for seg in extra if not any(seg in p or p in seg for p in placeholders)]
    if extra:
        problems.append(
            _Problem(
                "scim-url-unexpected-segments",
                Severity.FAIL,
                "The path has segments that do not belong",
                f"Not part of {SCIM_PATH_TEMPLATE}: {_clip(', '.join('/' + seg for seg in extra[:8]), 160)}. "
                + _EFFECT,
                ["Remove them."],
                (REF_ENTRA_SCIM,),
                {"unexpected": _clip(", ".join(extra[:20]), 160)},
            )
        )
    present = [(k, i) for k, i in (("auth", i_auth), ("realms", i_realms), ("org", i_org), ("scim", i_scim)) if i is not None]
    order_ok = all(a[1] < b[1] for a, b in zip(present, present[1:]))
    if i_auth is not None and i_realms is not None and i_realms != i_auth + 1:
        order_ok = False
    if not order_ok:
        problems.append(
            _Problem(
                "scim-url-segment-order",
                Severity.FAIL,
                "The path segments are in the wrong order",
                f"Found {_clip(' → '.join('/' + k for k, _ in sorted(present, key=lambda x: x[1])), 80)}; the order "
                f"must be {SCIM_PATH_TEMPLATE}. " + _EFFECT,
                ["Rearrange the path as /auth/realms/<realm>/org/<client_guid>/scim/v2."],
                (REF_ENTRA_SCIM,),
            )
        )
    if wrong_case:
        problems.append(
            _Problem(
                "scim-url-path-case",
                Severity.FAIL,
                "Upper-case letters in the fixed path segments",
                f"{_clip(', '.join('/' + seg for seg in wrong_case), 80)}: paths are case-sensitive "
                "(RFC 3986 §6.2.2.1), and the endpoint's fixed segments are all lower case. " + _EFFECT,
                ["Write /auth/realms/.../org/.../scim/v2 in lower case (the realm name keeps its own case)."],
                (REF_URI_COMPARE,),
                {"segments": _clip(", ".join(wrong_case), 120)},
            )
        )
    if realm is not None and any(realm in p or p in realm for p in placeholders):
        realm = None
    return realm, guid


def _guid_findings(raw: str, problems: list[_Problem], placeholders: list[str]) -> str | None:
    value = raw
    if any(raw in p or p in raw for p in placeholders):
        return None
    braces = False
    for open_, close in (("{", "}"), ("%7B", "%7D"), ("%7b", "%7d")):
        if value.startswith(open_) and value.endswith(close) and len(value) > len(open_) + len(close):
            value = value[len(open_) : -len(close)]
            braces = True
            break
    if _HEX32_RE.fullmatch(value):
        value_fixed = f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
        problems.append(
            _Problem(
                "scim-url-guid-no-hyphens",
                Severity.FAIL,
                "The client GUID is missing its hyphens",
                f"'{_clip(value, 40)}' has the 32 hex digits of a GUID but not the 8-4-4-4-12 hyphens the path "
                f"uses: {value_fixed}. " + _EFFECT,
                [f"Write the GUID as {value_fixed}."],
                (REF_ENTRA_SCIM,),
                {"client_guid": value_fixed},
            )
        )
        value = value_fixed
    if braces and _GUID_RE.fullmatch(value):
        problems.append(
            _Problem(
                "scim-url-guid-braces",
                Severity.FAIL,
                "The client GUID is wrapped in braces",
                f"'{_clip(raw, 50)}' carries the {{ }} of the registry/.NET format. The path uses the bare GUID. "
                + _EFFECT,
                [f"Remove the braces: {value}."],
                (REF_ENTRA_SCIM,),
                {"client_guid": value},
            )
        )
    if _GUID_RE.fullmatch(value):
        return value
    hex_digits = sum(ch in "0123456789abcdefABCDEF" for ch in value)
    others = sorted({ch for ch in value if ch not in "0123456789abcdefABCDEF-"})
    reason = f"{len(value)} characters ({hex_digits} hex digits); a GUID has 36: 32 hex digits in groups 8-4-4-4-12"
    if others:
        reason += f"; it contains non-hex characters ({_clip(''.join(others[:10]), 20)})"
    problems.append(
        _Problem(
            "scim-url-guid-invalid",
            Severity.FAIL,
            "The client GUID is not a GUID",
            f"'{_clip(value, 60)}' is {reason}. It was probably mistyped or cut short. " + _EFFECT,
            [_WHERE],
            (REF_ENTRA_SCIM,),
            {"client_guid": _clip(value, 60), "reason": reason},
            structural=False,
        )
    )
    return None


def _assemble(
    pasted: str,
    cleaned: str,
    problems: list[_Problem],
    infos: list[_Problem],
    corrected: str | None,
    realm: str | None,
    guid: str | None,
    env_name: str | None,
) -> list[Finding]:
    changed = corrected is not None and corrected != pasted
    has_issue = any(p.severity in (Severity.WARN, Severity.FAIL) for p in problems)
    findings: list[Finding] = []
    seen: set[str] = set()
    for problem in problems:
        if problem.code in seen:
            continue
        seen.add(problem.code)
        facts = dict(problem.facts)
        fix = list(problem.fix)
        if corrected is not None and changed and problem.structural:
            facts["corrected_url"] = corrected
            fix.append(f"Use this URL: {corrected}")
        elif corrected is None and problem.structural:
            facts.setdefault("expected_shape", "{environment_base_url}" + SCIM_PATH_TEMPLATE)
        findings.append(
            Finding(
                code=problem.code,
                severity=problem.severity,
                title=problem.title,
                detail=problem.detail,
                fix=tuple(fix),
                refs=problem.refs,
                facts=facts,
            )
        )
    for info in infos:
        if info.code in seen:
            continue
        seen.add(info.code)
        findings.append(
            Finding(
                code=info.code,
                severity=info.severity,
                title=info.title,
                detail=info.detail,
                fix=tuple(info.fix),
                refs=info.refs,
                facts=dict(info.facts),
            )
        )
    if not has_issue:
        facts = {"url": _clip(cleaned, 300)}
        if realm:
            facts["realm"] = _clip(realm, 80)
        if guid:
            facts["client_guid"] = guid
        if env_name:
            facts["environment"] = _clip(env_name, 40)
        findings.insert(
            0,
            Finding(
                code="scim-url-ok",
                severity=Severity.OK,
                title="The SCIM base URL has the expected shape",
                detail=(
                    "Checked: https, a valid host, /auth/realms/<realm>/org/<client_guid>/scim/v2 in that order "
                    "and case, a GUID-shaped client id, and nothing pasted before, after or inside it. Whether "
                    "this realm and GUID are yours only the product's SCIM Endpoint field can confirm."
                ),
                refs=(REF_SCIM_VERSION,),
                facts=facts,
            ),
        )
    return findings
