"""Links labelled by what they are, from their address alone (no fetching): ``RFC 6749 §3.1.2``,
``Microsoft error look-up: AADSTS50011``, ``Microsoft Learn: Error code AADSTS50011 reply URL mismatch``,
``MDN: Set Cookie (samesite)``. A reader sees what a link documents, not just a domain."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["link_label"]

_SITES = {
    "learn.microsoft.com": "Microsoft Learn", "docs.microsoft.com": "Microsoft Docs",
    "developer.okta.com": "Okta developer docs", "help.okta.com": "Okta help", "support.okta.com": "Okta support",
    "developer.mozilla.org": "MDN", "openid.net": "OpenID spec", "docs.oasis-open.org": "OASIS SAML spec",
    "github.com": "GitHub", "www.keycloak.org": "Keycloak docs", "support.google.com": "Google help",
    "developers.google.com": "Google developers", "docs.spring.io": "Spring docs", "aka.ms": "Microsoft",
    "auth0.com": "Auth0 docs",
}
_ACRONYMS = {w.lower(): w for w in ("URL", "URI", "SAML", "SCIM", "OIDC", "JWT", "SSO", "API", "HTTP", "ID", "IdP",
                                      "ACS", "MFA", "TLS", "CORS", "JWKS", "PKCE", "OAuth", "SP")}
_CODE_WORD = re.compile(r"(?i)(aadsts|idx|msis)\d+|e0000\d+")
_RFC_HOSTS = ("datatracker.ietf.org", "www.rfc-editor.org", "tools.ietf.org")


def link_label(url: str) -> str:
    """What a link is, from its address: ``RFC 6749 §3.1.2``, ``Microsoft error look-up: AADSTS50011``,
    ``Microsoft Learn: Reply url``; never the bare domain alone when the path says more."""
    parts = urlsplit(url)
    host = parts.netloc.lower()
    path = unquote(parts.path).rstrip("/")
    if host in _RFC_HOSTS:
        rfc = re.search(r"rfc(\d+)", path)
        section = re.search(r"section-([\d.]+)", parts.fragment or "")
        if rfc:
            return f"RFC {rfc.group(1)}" + (f" §{section.group(1).rstrip('.')}" if section else "")
    if host == "login.microsoftonline.com" and path == "/error":
        code = (parse_qs(parts.query).get("code") or [""])[0]
        return f"Microsoft error look-up: AADSTS{code}" if code else "Microsoft error look-up"
    site = _SITES.get(host) or host.removeprefix("www.").removeprefix("docs.")
    if host == "github.com" and path.count("/") >= 2:  # the project says more than the page
        site = "GitHub " + "/".join(path.split("/")[1:3])
        if path.count("/") == 2:
            return site
    segment = path.rsplit("/", 1)[-1] if path else ""
    segment = re.sub(r"\.(html?|md|aspx)$", "", segment)
    if not segment or segment.isdigit() or len(segment) < 3:
        return site
    words = " ".join(_ACRONYMS.get(w.lower(), w.upper() if _CODE_WORD.fullmatch(w) else w) for w in re.sub(r"[-_]+", " ", segment).split())
    words = words[:1].upper() + words[1:]
    anchor = parts.fragment.replace("-", " ") if parts.fragment and len(parts.fragment) < 40 else ""
    return f"{site}: {words}" + (f" ({anchor})" if anchor else "")
