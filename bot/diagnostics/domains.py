"""Check a login-domain allowlist (the "Allowed Domains" / "Login Domains" setting).

The platform routes a user to SSO when the part of their email after ``@``
is in this list, so each entry must be a bare domain name: ``yourcompany.com``,
not ``@yourcompany.com``, not ``https://yourcompany.com/``, not an email
address. A domain name is dot-separated labels of letters, digits and inner
hyphens, each at most 63 characters, 253 in all (RFC 1035 §2.3.1, RFC 1123
§2.1, RFC 5890 for internationalised names, whose ASCII "punycode" form comes
from the stdlib ``idna`` codec). Letter case does not matter to DNS (RFC 4343),
so entries are normalised to lower case.

The check names each problem once, lists the entries it affects, and gives the
cleaned list (fact ``cleaned`` and in the fix). With ``email`` it says whether
that user's domain is allowed: an exact match is required, a parent domain in
the list does not cover its subdomains. Pure function: no DNS, no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from bot.diagnostics.report import Finding, Report, Severity
from bot.diagnostics.text import as_text as _as_text, is_invisible as _is_invisible

__all__ = ["check_domains", "split_domain_entries"]

SUBJECT = "Login domain allowlist"

REF_DNS_SYNTAX = "https://www.rfc-editor.org/rfc/rfc1035#section-2.3.1"
REF_HOST_SYNTAX = "https://www.rfc-editor.org/rfc/rfc1123#section-2.1"
REF_DNS_CASE = "https://www.rfc-editor.org/rfc/rfc4343"
REF_IDNA = "https://www.rfc-editor.org/rfc/rfc5890"

_SPLIT_RE = re.compile(r"[,;\r\n]+")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]{0,31}://")
_SLACK_LINK_RE = re.compile(r"^<(?:[A-Za-z][A-Za-z0-9+.\-]{0,31}:(?://)?)?([^|>]*)(?:\|([^>]*))?>$")
_LABEL_RE = re.compile(r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?")
_WRAPPERS = "\"'`“”‘’«»()[]<>"
_PLACEHOLDERS = {
    "yourcompany.com",
    "your-company.com",
    "yourdomain.com",
    "your-domain.com",
    "example.com",
    "example.org",
    "example.net",
    "company.com",
    "domain.com",
}
_MAX_LISTED = 10
_MAX_FACT = 1500

# Order in which findings are reported, with severity and a fix step.
_KINDS: dict[str, tuple[Severity, str, str]] = {
    "domains-leading-at": (
        Severity.FAIL,
        "Entries start with '@'",
        "Enter the domain without the '@': yourcompany.com, not @yourcompany.com. With the '@' the entry never "
        "equals the part of an email after the '@', so those users are not routed to SSO.",
    ),
    "domains-address-instead-of-domain": (
        Severity.FAIL,
        "Email addresses entered instead of domains",
        "The list takes domains, not addresses; the domain of each address was kept.",
    ),
    "domains-scheme": (
        Severity.FAIL,
        "Entries include a scheme such as https://",
        "A login domain is the part of an email after '@', never a URL; the scheme was removed.",
    ),
    "domains-path": (
        Severity.FAIL,
        "Entries include a path or query",
        "Everything from the first '/', '?' or '#' was removed: a domain has no path.",
    ),
    "domains-port": (
        Severity.FAIL,
        "Entries include a port",
        "Email domains have no port; the ':' and what follows were removed.",
    ),
    "domains-wildcard": (
        Severity.WARN,
        "Wildcard entries",
        "'*.example.com' (or '.example.com') is meant to cover subdomains, but the allowlist is matched exactly "
        "and may not support wildcards. The base domain was kept; list each subdomain users actually have in "
        "their email (e.g. eu.example.com) as its own entry.",
    ),
    "domains-inner-space": (
        Severity.FAIL,
        "Spaces inside an entry",
        "A domain cannot contain spaces; they were removed. Check the result is the domain you meant.",
    ),
    "domains-stray-characters": (
        Severity.WARN,
        "Quotes or brackets around entries",
        "These characters are not part of a domain and were removed.",
    ),
    "domains-uppercase": (
        Severity.INFO,
        "Upper-case letters (normalised)",
        "Domains are not case-sensitive, so the entries were lower-cased. Lower case in the setting avoids "
        "surprises if the platform compares strings exactly.",
    ),
    "domains-trailing-dot": (
        Severity.WARN,
        "Entries end with a dot",
        "A final dot (the DNS root) never appears in an email address, so the entry would not match; it was "
        "removed.",
    ),
    "domains-idn": (
        Severity.INFO,
        "Internationalised domain names",
        "These names have a Unicode form and an ASCII (punycode) form. Which form the platform compares against "
        "is not known, and users' email addresses may use either: if unsure, list both forms.",
    ),
    "domains-invalid": (
        Severity.FAIL,
        "Entries that are not valid domain names",
        "A domain is labels of letters, digits and inner hyphens (no underscore, no leading or trailing hyphen, "
        "1 to 63 characters each) joined by dots. These entries were left out of the cleaned list.",
    ),
    "domains-incomplete": (
        Severity.WARN,
        "Entries without a dot",
        "A single word (such as 'contoso') is not a complete email domain; the suffix (.com, .co.uk ...) is "
        "probably missing. These entries were left out of the cleaned list.",
    ),
    "domains-placeholder": (
        Severity.WARN,
        "Sample domains from the documentation",
        "These look like the examples from a guide, not your organisation's domain.",
    ),
    "domains-duplicate": (
        Severity.INFO,
        "Duplicate entries",
        "After normalising, these domains appear more than once; each is kept once in the cleaned list.",
    ),
}


@dataclass
class _Entry:
    original: str
    value: str = ""
    valid: bool = True
    issues: list[tuple[str, str]] = field(default_factory=list)  # (code, note)
    punycode: str = ""
    unicode_form: str = ""


def _clip(text: str, limit: int = 120) -> str:
    shown = "".join("?" if _is_invisible(ch) and ch != " " else ch for ch in text[: limit + 1])
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _domain_like(token: str) -> bool:
    return "." in token.strip(".") and not token.startswith(".")


def split_domain_entries(value: Any) -> list[str]:
    """Split a pasted list (a string, or an iterable of strings) into entries.

    Commas, semicolons and line breaks always separate entries. Spaces separate
    them too when every space-separated word looks like a domain; otherwise the
    spaces are inside one entry (``my company.com``), which the check reports.
    """
    if isinstance(value, (str, bytes, bytearray, memoryview)) or value is None:
        items: Iterable[Any] = [value]
    else:
        try:
            items = list(value)[:20_000]
        except Exception:
            items = [value]
    entries: list[str] = []
    for item in items:
        for piece in _SPLIT_RE.split(_as_text(item)):
            piece = piece.strip()
            while piece and _is_invisible(piece[0]):
                piece = piece[1:]
            while piece and _is_invisible(piece[-1]):
                piece = piece[:-1]
            if not piece:
                continue
            entries.extend(_split_words(piece.split()))
    return entries


def _split_words(words: list[str]) -> list[str]:
    """Group space-separated words into entries.

    A word like ``.com`` (a dot and one label) belongs to the word before it,
    and a word with no dot to the word after it, so ``contoso .com`` and
    ``my company.com`` stay single entries (with a space the check reports).
    """
    groups: list[list[str]] = []
    pending: list[str] = []
    for word in words:
        bare = word.strip(_WRAPPERS)
        core = bare.lstrip("@")
        core = core[2:] if core.startswith("*.") else core
        if bare.startswith(".") and len(bare) > 1 and "." not in bare[1:] and (pending or groups):
            if pending:
                pending.append(word)
                groups.append(pending)
                pending = []
            else:
                groups[-1].append(word)
            continue
        pending.append(word)
        if _domain_like(core) or "@" in bare or "/" in bare or ":" in bare:
            groups.append(pending)
            pending = []
    if pending:
        groups.append(pending)
    return [" ".join(group) for group in groups]


def _normalise(original: str) -> _Entry:
    entry = _Entry(original=original)
    s = original
    slack = _SLACK_LINK_RE.match(s)
    if slack:  # chat formatting: <http://contoso.com|contoso.com> or <mailto:a@b.com|a@b.com>
        s = slack.group(2) or slack.group(1)
    if s and (s[0] in _WRAPPERS or s[-1] in _WRAPPERS):
        stripped = s.strip(_WRAPPERS)
        if stripped != s:
            entry.issues.append(("domains-stray-characters", ""))
            s = stripped
    if s.lower().startswith("mailto:"):
        s = s[7:]
    if _SCHEME_RE.match(s):
        entry.issues.append(("domains-scheme", ""))
        s = s[s.index("://") + 3 :]
    cut = min((i for i in (s.find("/"), s.find("?"), s.find("#")) if i != -1), default=-1)
    if cut != -1:
        entry.issues.append(("domains-path", ""))
        s = s[:cut]
    if "@" in s:
        local, _at, domain = s.rpartition("@")
        if local.strip("@"):
            entry.issues.append(("domains-address-instead-of-domain", ""))
        else:
            entry.issues.append(("domains-leading-at", ""))
        s = domain
    if ":" in s:
        entry.issues.append(("domains-port", ""))
        s = s.split(":", 1)[0]
    if s.startswith("*.") or (s.startswith(".") and len(s) > 1):
        entry.issues.append(("domains-wildcard", ""))
        s = s[2:] if s.startswith("*.") else s[1:]
    if any(_is_invisible(ch) for ch in s):
        entry.issues.append(("domains-inner-space", ""))
        s = "".join(ch for ch in s if not _is_invisible(ch))
    lowered = s.lower()
    if lowered != s:
        entry.issues.append(("domains-uppercase", ""))
        s = lowered
    if s.endswith("."):
        entry.issues.append(("domains-trailing-dot", ""))
        s = s.rstrip(".")
    entry.value = s
    if not s:
        entry.valid = False
        entry.issues.append(("domains-invalid", "nothing is left once the extra characters are removed"))
        return entry
    ascii_form = s
    if not s.isascii():
        try:
            ascii_form = s.encode("idna").decode("ascii")
        except (UnicodeError, ValueError):
            entry.valid = False
            entry.issues.append(("domains-invalid", "it has characters no domain name can contain"))
            return entry
        entry.punycode = ascii_form
        entry.unicode_form = s
        entry.issues.append(("domains-idn", f"{s} = {ascii_form}"))
    elif "xn--" in s:
        try:
            entry.unicode_form = s.encode("ascii").decode("idna")
            entry.punycode = s
            if entry.unicode_form != s:
                entry.issues.append(("domains-idn", f"{entry.unicode_form} = {s}"))
        except (UnicodeError, ValueError):
            pass
    reason = _label_problem(ascii_form)
    if reason == "incomplete":
        entry.valid = False
        entry.issues.append(("domains-incomplete", ""))
    elif reason:
        entry.valid = False
        entry.issues.append(("domains-invalid", reason))
    elif s in _PLACEHOLDERS:
        entry.issues.append(("domains-placeholder", ""))
    return entry


def _label_problem(name: str) -> str:
    if len(name) > 253:
        return "it is longer than 253 characters"
    labels = name.split(".")
    if len(labels) == 1:
        if "*" in name or "_" in name or not _LABEL_RE.fullmatch(name):
            return "it has characters other than letters, digits and inner hyphens"
        return "incomplete"
    for label in labels:
        if not label:
            return "it has two dots in a row"
        if "_" in label:
            return f"the label '{_clip(label, 40)}' contains an underscore"
        if "*" in label:
            return "it has a '*' that is not a leading '*.'"
        if len(label) > 63:
            return "a label is longer than 63 characters"
        if label.startswith("-") or label.endswith("-"):
            return f"the label '{_clip(label, 40)}' starts or ends with a hyphen"
        if not _LABEL_RE.fullmatch(label):
            return f"the label '{_clip(label, 40)}' has characters other than letters, digits and hyphens"
    if labels[-1].isdigit():
        return "it is an IP address or ends in a number, not a domain name"
    return ""


def _joined(items: list[str], limit: int = _MAX_FACT) -> str:
    text = ", ".join(items)
    if len(text) <= limit:
        return text
    shown: list[str] = []
    size = 0
    for item in items:
        if size + len(item) + 2 > limit - 20:
            break
        shown.append(item)
        size += len(item) + 2
    return ", ".join(shown) + f" … and {len(items) - len(shown)} more"


def check_domains(text_or_list: Any, *, email: str | None = None, now: datetime | None = None) -> Report:
    """Check an allowlist of login domains and, with ``email``, whether that user's domain is in it.

    ``text_or_list`` is the pasted setting (split on commas, semicolons,
    whitespace and line breaks) or a list of entries. ``now`` is accepted for
    a uniform check signature and not used. Never raises.
    """
    try:
        findings = _check(text_or_list, email)
    except Exception:
        findings = [
            Finding(
                code="domains-unreadable",
                severity=Severity.INFO,
                title="This domain list could not be analysed",
                detail="Something in the pasted value stopped the check.",
                fix=("Paste the domains separated by commas, e.g. yourcompany.com, subsidiary.co.uk.",),
            )
        ]
    return Report(subject=SUBJECT, findings=tuple(findings), inputs=("domain_list",))


def _check(value: Any, email: str | None) -> list[Finding]:
    raw_entries = split_domain_entries(value)
    entries = [_normalise(e) for e in raw_entries]
    cleaned: list[str] = []
    duplicates: list[str] = []
    for entry in entries:
        if not entry.valid:
            continue
        if entry.value in cleaned:
            if entry.value not in duplicates:
                duplicates.append(entry.value)
            continue
        cleaned.append(entry.value)
    cleaned_text = _joined(cleaned)
    findings: list[Finding] = []
    if not raw_entries:
        findings.append(
            Finding(
                code="domains-empty",
                severity=Severity.FAIL,
                title="The domain list is empty",
                detail=(
                    "No domains were found. Users whose email domain is not listed may not be routed to SSO."
                ),
                fix=("Add every corporate email domain (the part after '@'), e.g. yourcompany.com.",),
                refs=(REF_HOST_SYNTAX,),
            )
        )
    else:
        findings.extend(_problem_findings(entries, duplicates, cleaned, cleaned_text))
        if not any(f.severity in (Severity.WARN, Severity.FAIL) for f in findings):
            findings.insert(
                0,
                Finding(
                    code="domains-ok",
                    severity=Severity.OK,
                    title=f"{len(cleaned)} domain{'s' if len(cleaned) != 1 else ''} look{'s' if len(cleaned) == 1 else ''} right",
                    detail=(
                        "Checked each entry: a bare domain (no '@', scheme, path, port or wildcard), valid labels, "
                        "no trailing dot, no duplicates."
                    ),
                    refs=(REF_HOST_SYNTAX,),
                    facts={"cleaned": cleaned_text, "count": str(len(cleaned))},
                ),
            )
    if email is not None:
        findings.append(_email_finding(_as_text(email), entries, cleaned))
    return findings


def _problem_findings(entries: list[_Entry], duplicates: list[str], cleaned: list[str], cleaned_text: str) -> list[Finding]:
    affected: dict[str, list[str]] = {}
    notes: dict[str, list[str]] = {}
    for entry in entries:
        for code, note in entry.issues:
            bucket = affected.setdefault(code, [])
            shown = _clip(entry.original, 80)
            if shown not in bucket:
                bucket.append(shown)
            if note:
                notes.setdefault(code, [])
                if note not in notes[code]:
                    notes[code].append(note)
    if duplicates:
        affected["domains-duplicate"] = [_clip(d, 80) for d in duplicates]
    findings: list[Finding] = []
    for code, (severity, title, detail) in _KINDS.items():
        items = affected.get(code)
        if not items:
            continue
        listed = ", ".join(items[:_MAX_LISTED]) + (f" and {len(items) - _MAX_LISTED} more" if len(items) > _MAX_LISTED else "")
        text = f"{detail} Affected: {listed}."
        facts = {"entries": _joined(items, 600), "count": str(len(items)), "cleaned": cleaned_text}
        fix: list[str] = []
        refs: tuple[str, ...] = (REF_HOST_SYNTAX,)
        if code == "domains-idn":
            pairs = notes.get(code, [])
            text += f" Forms: {_clip('; '.join(pairs[:_MAX_LISTED]), 600)}."
            facts["punycode"] = _joined([e.punycode for e in entries if e.punycode], 600)
            fix.append("If unsure which form the platform expects, enter both the Unicode and the punycode form.")
            refs = (REF_IDNA,)
        elif code == "domains-invalid":
            text += f" Why: {_clip('; '.join(notes.get(code, [])[:5]), 400)}."
            fix.append("Correct or remove these entries.")
            refs = (REF_DNS_SYNTAX, REF_HOST_SYNTAX)
        elif code == "domains-placeholder":
            fix.append("Replace them with your organisation's real email domains.")
        elif code == "domains-uppercase":
            refs = (REF_DNS_CASE,)
        if cleaned:
            fix.append(f"Enter the cleaned list: {cleaned_text}")
        findings.append(
            Finding(code=code, severity=severity, title=title, detail=text, fix=tuple(fix), refs=refs, facts=facts)
        )
    return findings


def _email_domain(email: str) -> str | None:
    s = email.strip()
    slack = _SLACK_LINK_RE.match(s)
    if slack:
        s = slack.group(2) or slack.group(1)
    s = s.strip(_WRAPPERS)
    if s.lower().startswith("mailto:"):
        s = s[7:]
    local, at, domain = s.rpartition("@")
    domain = domain.strip().rstrip(".").lower()
    if not at or not local or not domain or any(_is_invisible(ch) for ch in domain) or "." not in domain:
        return None
    return domain


def _ascii(domain: str) -> str:
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return domain


def _email_finding(email: str, entries: list[_Entry], cleaned: list[str]) -> Finding:
    domain = _email_domain(email)
    if domain is None:
        return Finding(
            code="domains-email-invalid",
            severity=Severity.WARN,
            title="That does not look like an email address",
            detail="To test the list, give a full address such as jane@yourcompany.com.",
            facts={"email": _clip(email, 120)},
        )
    facts = {"email_domain": _clip(domain, 120), "cleaned": _joined(cleaned)}
    listed = {_ascii(d): d for d in cleaned}
    ascii_domain = _ascii(domain)
    if domain in cleaned or ascii_domain in listed:
        same_form = domain in cleaned
        return Finding(
            code="domains-email-allowed",
            severity=Severity.OK,
            title=f"{_clip(domain, 80)} is in the list",
            detail=(
                "The email's domain matches an entry exactly, so this user is routed to SSO."
                if same_form
                else "The email's domain matches an entry once both are in punycode form; add the form the users' "
                "addresses use if the platform compares them as typed."
            ),
            facts=facts,
        )
    parents = [d for d in cleaned if ascii_domain.endswith("." + _ascii(d))]
    children = [d for d in cleaned if _ascii(d).endswith("." + ascii_domain)]
    if parents:
        return Finding(
            code="domains-email-subdomain-not-covered",
            severity=Severity.FAIL,
            title=f"{_clip(domain, 80)} is a subdomain of a listed domain, which does not cover it",
            detail=(
                f"{_clip(', '.join(parents), 200)} is listed, but the allowlist matches the part after '@' exactly: "
                f"a listed domain does not include its subdomains, so {_clip(domain, 80)} is not allowed."
            ),
            fix=(f"Add {_clip(domain, 120)} to the list.",),
            refs=(REF_HOST_SYNTAX,),
            facts={**facts, "listed_parent": _clip(", ".join(parents), 200)},
        )
    detail = f"No entry equals {_clip(domain, 80)}, so this user is not routed to SSO."
    if children:
        detail += f" Only its subdomain(s) {_clip(', '.join(children), 200)} are listed, which do not cover it."
    return Finding(
        code="domains-email-not-allowed",
        severity=Severity.FAIL,
        title=f"{_clip(domain, 80)} is not in the list",
        detail=detail,
        fix=(f"Add {_clip(domain, 120)} if these users should sign in with SSO.",),
        refs=(REF_HOST_SYNTAX,),
        facts=facts,
    )
