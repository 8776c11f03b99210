"""Whether one user's email domain is in the cleaned allowlist.

The platform compares the part after '@' with each entry exactly: a listed parent domain does not
cover its subdomains, nor a listed subdomain its parent. Unicode and punycode forms of a name are
taken as the same domain, with a note that the platform may compare them as typed.
"""

from __future__ import annotations

from bot.diagnostics.domains.shared import REF_HOST_SYNTAX, WRAPPERS, clip, joined, unwrap_link
from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.text import is_invisible


def email_finding(email: str, cleaned: list[str]) -> Finding:
    """Allowed, not covered by a parent domain, not allowed, or not an email address at all."""
    domain = _email_domain(email)
    if domain is None:
        return Finding(
            code="domains-email-invalid",
            severity=Severity.WARN,
            title="That does not look like an email address",
            detail="To test the list, give a full address such as jane@yourcompany.com.",
            facts={"email": clip(email, 120)},
        )
    facts = {"email_domain": clip(domain, 120), "cleaned": joined(cleaned)}
    ascii_domain = _ascii(domain)
    if domain in cleaned or ascii_domain in {_ascii(d) for d in cleaned}:
        return _allowed(domain, domain in cleaned, facts)
    parents = [d for d in cleaned if ascii_domain.endswith("." + _ascii(d))]
    if parents:
        return _subdomain_not_covered(domain, parents, facts)
    children = [d for d in cleaned if _ascii(d).endswith("." + ascii_domain)]
    return _not_allowed(domain, children, facts)


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
    return Finding(
        code="domains-email-allowed",
        severity=Severity.OK,
        title=f"{clip(domain, 80)} is in the list",
        detail=(
            "The email's domain matches an entry exactly, so this user is routed to SSO."
            if same_form
            else "The email's domain matches an entry once both are in punycode form; add the form the users' "
            "addresses use if the platform compares them as typed."
        ),
        facts=facts,
    )


def _subdomain_not_covered(domain: str, parents: list[str], facts: dict[str, str]) -> Finding:
    return Finding(
        code="domains-email-subdomain-not-covered",
        severity=Severity.FAIL,
        title=f"{clip(domain, 80)} is a subdomain of a listed domain, which does not cover it",
        detail=(
            f"{clip(', '.join(parents), 200)} is listed, but the allowlist matches the part after '@' exactly: "
            f"a listed domain does not include its subdomains, so {clip(domain, 80)} is not allowed."
        ),
        fix=(f"Add {clip(domain, 120)} to the list.",),
        refs=(REF_HOST_SYNTAX,),
        facts={**facts, "listed_parent": clip(", ".join(parents), 200)},
    )


def _not_allowed(domain: str, children: list[str], facts: dict[str, str]) -> Finding:
    detail = f"No entry equals {clip(domain, 80)}, so this user is not routed to SSO."
    if children:
        detail += f" Only its subdomain(s) {clip(', '.join(children), 200)} are listed, which do not cover it."
    return Finding(
        code="domains-email-not-allowed",
        severity=Severity.FAIL,
        title=f"{clip(domain, 80)} is not in the list",
        detail=detail,
        fix=(f"Add {clip(domain, 120)} if these users should sign in with SSO.",),
        refs=(REF_HOST_SYNTAX,),
        facts=facts,
    )
