"""Whether one user's email domain is in the cleaned allowlist.

The platform compares the part after '@' with each entry exactly: a listed parent domain does not
cover its subdomains, nor a listed subdomain its parent. Unicode and punycode forms of a name are
taken as the same domain, with a note that the platform may compare them as typed.
"""

from __future__ import annotations

from bot.diagnostics.explain import check_finding
from bot.diagnostics.domains.shared import WRAPPERS, clip, joined, unwrap_link
from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.text import is_invisible


def email_finding(email: str, cleaned: list[str]) -> Finding:
    """Allowed, not covered by a parent domain, not allowed, or not an email address at all."""
    domain = _email_domain(email)
    if domain is None:
        return check_finding("domains-email-invalid", {"email": clip(email, 120)})
    facts = {"email_domain": clip(domain, 120), "cleaned": joined(cleaned)}
    ascii_domain = _ascii(domain)
    if domain in cleaned or ascii_domain in {_ascii(d) for d in cleaned}:
        return _allowed(domain, domain in cleaned, facts)
    parents = [d for d in cleaned if ascii_domain.endswith("." + _ascii(d))]
    if parents:
        return _subdomain_not_covered(parents, facts)
    children = [d for d in cleaned if _ascii(d).endswith("." + ascii_domain)]
    return _not_allowed(children, facts)


def _email_domain(email: str) -> str | None:
    """The lower-cased domain of an address (chat markup, quotes and ``mailto:`` removed), or None."""
    s = unwrap_link(email.strip()).strip(WRAPPERS)
    if s.lower().startswith("mailto:"):
        s = s[7:]
    local, at, domain = s.rpartition("@")
    domain = domain.strip().rstrip(".").lower()
    if not at or not local or not domain or any(is_invisible(ch) for ch in domain) or "." not in domain:
        return None
    return domain


def _ascii(domain: str) -> str:
    """The punycode form of ``domain`` (itself when ASCII or not encodable), so both forms compare equal."""
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return domain


def _allowed(domain: str, same_form: bool, facts: dict[str, str]) -> Finding:
    values = {} if same_form else {"email_domain_ascii": clip(_ascii(domain), 120)}
    return check_finding("domains-email-allowed", facts, severity=Severity.OK, values=values)


def _subdomain_not_covered(parents: list[str], facts: dict[str, str]) -> Finding:
    return check_finding("domains-email-subdomain-not-covered", {**facts, "listed_parent": clip(", ".join(parents), 200)})


def _not_allowed(children: list[str], facts: dict[str, str]) -> Finding:
    return check_finding("domains-email-not-allowed", facts, values={"listed_children": clip(", ".join(children), 200)})
