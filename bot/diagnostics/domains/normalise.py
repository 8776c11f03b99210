"""Turn one pasted entry into the bare domain it was meant to be, noting each problem on the way.

Each step peels off one kind of extra (chat markup, quotes, a scheme, a path, an address's local
part, a port, a wildcard, spaces, upper case, a final dot) and records its ``domains-...`` code; the
order matters, since each step sees what the ones before it left. What remains is then checked as
a domain name (RFC 1035 §2.3.1, RFC 1123 §2.1), in its ASCII form for internationalised names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.diagnostics.domains.shared import WRAPPERS, clip, unwrap_link
from bot.diagnostics.text import has_invisible, is_invisible

_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]{0,31}://")
_LABEL_RE = re.compile(r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?")
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


@dataclass
class Entry:
    """One entry: as pasted, as cleaned, whether it is a usable domain, and what was wrong with it."""

    original: str
    value: str = ""
    valid: bool = True
    issues: list[tuple[str, str]] = field(default_factory=list)  # (code, note)
    punycode: str = ""
    unicode_form: str = ""


def normalise(original: str) -> Entry:
    entry = Entry(original=original)
    s = _bare_host(_strip_url(original, entry.issues), entry.issues)
    entry.value = s
    if not s:
        entry.valid = False
        entry.issues.append(("domains-invalid", "nothing is left once the extra characters are removed"))
        return entry
    ascii_form = _ascii_form(entry, s)
    if ascii_form is not None:
        _judge_name(entry, s, ascii_form)
    return entry


def _strip_url(s: str, issues: list[tuple[str, str]]) -> str:
    """Without chat markup, quotes, ``mailto:``, a scheme, or a path."""
    s = unwrap_link(s)
    if s and (s[0] in WRAPPERS or s[-1] in WRAPPERS):
        stripped = s.strip(WRAPPERS)
        if stripped != s:
            issues.append(("domains-stray-characters", ""))
            s = stripped
    if s.lower().startswith("mailto:"):
        s = s[7:]
    if _SCHEME_RE.match(s):
        issues.append(("domains-scheme", ""))
        s = s[s.index("://") + 3 :]
    cut = min((i for i in (s.find("/"), s.find("?"), s.find("#")) if i != -1), default=-1)
    if cut != -1:
        issues.append(("domains-path", ""))
        s = s[:cut]
    return s


def _bare_host(s: str, issues: list[tuple[str, str]]) -> str:
    """Without an address's local part or '@', a port, a wildcard, invisible characters, upper case, a final dot."""
    if "@" in s:
        local, _at, domain = s.rpartition("@")
        issues.append(("domains-address-instead-of-domain", "") if local.strip("@") else ("domains-leading-at", ""))
        s = domain
    if ":" in s:
        issues.append(("domains-port", ""))
        s = s.split(":", 1)[0]
    if s.startswith("*.") or (s.startswith(".") and len(s) > 1):
        issues.append(("domains-wildcard", ""))
        s = s[2:] if s.startswith("*.") else s[1:]
    if has_invisible(s):
        issues.append(("domains-inner-space", ""))
        s = "".join(ch for ch in s if not is_invisible(ch))
    lowered = s.lower()
    if lowered != s:
        issues.append(("domains-uppercase", ""))
        s = lowered
    if s.endswith("."):
        issues.append(("domains-trailing-dot", ""))
        s = s.rstrip(".")
    return s


def _ascii_form(entry: Entry, s: str) -> str | None:
    """The ASCII form of ``s``, noting both forms of an internationalised name; None when ``s`` cannot be one."""
    if s.isascii():
        if "xn--" in s:
            _note_unicode_form(entry, s)
        return s
    try:
        ascii_form = s.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        entry.valid = False
        entry.issues.append(("domains-invalid", "it has characters no domain name can contain"))
        return None
    entry.punycode = ascii_form
    entry.unicode_form = s
    entry.issues.append(("domains-idn", f"{s} = {ascii_form}"))
    return ascii_form


def _note_unicode_form(entry: Entry, s: str) -> None:
    """For a name pasted in punycode, its Unicode form too (if it decodes to one)."""
    try:
        entry.unicode_form = s.encode("ascii").decode("idna")
        entry.punycode = s
        if entry.unicode_form != s:
            entry.issues.append(("domains-idn", f"{entry.unicode_form} = {s}"))
    except (UnicodeError, ValueError):
        pass  # not valid punycode: the labels are still checked, as plain ASCII


def _judge_name(entry: Entry, s: str, ascii_form: str) -> None:
    """Mark the entry incomplete or invalid by its labels, or note that it is a sample from a guide."""
    reason = _label_problem(ascii_form)
    if reason == "incomplete":
        entry.valid = False
        entry.issues.append(("domains-incomplete", ""))
    elif reason:
        entry.valid = False
        entry.issues.append(("domains-invalid", reason))
    elif s in _PLACEHOLDERS:
        entry.issues.append(("domains-placeholder", ""))


def _label_problem(name: str) -> str:
    """Why ``name`` is not a domain name ("incomplete" for a single label), or "" when it is one."""
    if len(name) > 253:
        return "it is longer than 253 characters"
    labels = name.split(".")
    if len(labels) == 1:
        if "*" in name or "_" in name or not _LABEL_RE.fullmatch(name):
            return "it has characters other than letters, digits and inner hyphens"
        return "incomplete"
    for label in labels:
        reason = _bad_label(label)
        if reason:
            return reason
    if labels[-1].isdigit():
        return "it is an IP address or ends in a number, not a domain name"
    return ""


def _bad_label(label: str) -> str:
    if not label:
        return "it has two dots in a row"
    if "_" in label:
        return f"the label '{clip(label, 40)}' contains an underscore"
    if "*" in label:
        return "it has a '*' that is not a leading '*.'"
    if len(label) > 63:
        return "a label is longer than 63 characters"
    if label.startswith("-") or label.endswith("-"):
        return f"the label '{clip(label, 40)}' starts or ends with a hyphen"
    if not _LABEL_RE.fullmatch(label):
        return f"the label '{clip(label, 40)}' has characters other than letters, digits and hyphens"
    return ""
