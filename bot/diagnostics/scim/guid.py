"""The SCIM URL check, the client GUID: 8-4-4-4-12 hex digits, bare.

A GUID pasted without its hyphens or in the registry's braces is still the right GUID: it is
reported and written correctly in the corrected URL. Anything else is reported as not a GUID.
"""

from __future__ import annotations

from bot.diagnostics.scim.shared import GUID_RE, HEX32_RE, Problem, clip, problem

_HEX = "0123456789abcdefABCDEF"
_BRACES = (("{", "}"), ("%7B", "%7D"), ("%7b", "%7d"))


def looks_like_guid(value: str) -> bool:
    """A GUID with or without its hyphens."""
    return bool(GUID_RE.fullmatch(value) or HEX32_RE.fullmatch(value))


def client_guid(raw: str, problems: list[Problem], placeholders: list[str]) -> str | None:
    """The GUID in the form the path uses, or None when ``raw`` is not one (or is a placeholder)."""
    if any(raw in p or p in raw for p in placeholders):
        return None
    value, braces = _without_braces(raw)
    if HEX32_RE.fullmatch(value):
        value = _add_hyphens(value, problems)
    if braces and GUID_RE.fullmatch(value):
        problems.append(problem("scim-url-guid-braces", {"client_guid": value}, values={"pasted": clip(raw, 50)}))
    if GUID_RE.fullmatch(value):
        return value
    problems.append(_not_a_guid(value))
    return None


def _without_braces(raw: str) -> tuple[str, bool]:
    """``raw`` without the braces around it (literal or percent-encoded), and whether it had them."""
    for open_, close in _BRACES:
        if raw.startswith(open_) and raw.endswith(close) and len(raw) > len(open_) + len(close):
            return raw[len(open_) : -len(close)], True
    return raw, False


def _add_hyphens(value: str, problems: list[Problem]) -> str:
    fixed = f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    problems.append(problem("scim-url-guid-no-hyphens", {"client_guid": fixed}, values={"pasted": clip(value, 40)}))
    return fixed


def _not_a_guid(value: str) -> Problem:
    hex_digits = sum(ch in _HEX for ch in value)
    others = sorted({ch for ch in value if ch not in _HEX + "-"})
    reason = f"{len(value)} characters ({hex_digits} hex digits); a GUID has 36: 32 hex digits in groups 8-4-4-4-12"
    if others:
        reason += f"; it contains non-hex characters ({clip(''.join(others[:10]), 20)})"
    return problem("scim-url-guid-invalid", {"client_guid": clip(value, 60), "reason": reason}, structural=False)
