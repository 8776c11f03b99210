"""The SCIM URL check, the client GUID: 8-4-4-4-12 hex digits, bare.

A GUID pasted without its hyphens or in the registry's braces is still the right GUID: it is
reported and written correctly in the corrected URL. Anything else is reported as not a GUID.
"""

from __future__ import annotations

from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.scim.shared import EFFECT, GUID_RE, HEX32_RE, REF_ENTRA_SCIM, WHERE, Problem, clip

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
        problems.append(Problem(Finding(
            code="scim-url-guid-braces",
            severity=Severity.FAIL,
            title="The client GUID is wrapped in braces",
            detail=f"'{clip(raw, 50)}' carries the {{ }} of the registry/.NET format. The path uses the bare GUID. "
            + EFFECT,
            fix=(f"Remove the braces: {value}.",),
            refs=(REF_ENTRA_SCIM,),
            facts={"client_guid": value},
        )))
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
    problems.append(Problem(Finding(
        code="scim-url-guid-no-hyphens",
        severity=Severity.FAIL,
        title="The client GUID is missing its hyphens",
        detail=f"'{clip(value, 40)}' has the 32 hex digits of a GUID but not the 8-4-4-4-12 hyphens the path "
        f"uses: {fixed}. " + EFFECT,
        fix=(f"Write the GUID as {fixed}.",),
        refs=(REF_ENTRA_SCIM,),
        facts={"client_guid": fixed},
    )))
    return fixed


def _not_a_guid(value: str) -> Problem:
    hex_digits = sum(ch in _HEX for ch in value)
    others = sorted({ch for ch in value if ch not in _HEX + "-"})
    reason = f"{len(value)} characters ({hex_digits} hex digits); a GUID has 36: 32 hex digits in groups 8-4-4-4-12"
    if others:
        reason += f"; it contains non-hex characters ({clip(''.join(others[:10]), 20)})"
    return Problem(Finding(
        code="scim-url-guid-invalid",
        severity=Severity.FAIL,
        title="The client GUID is not a GUID",
        detail=f"'{clip(value, 60)}' is {reason}. It was probably mistyped or cut short. " + EFFECT,
        fix=(WHERE,),
        refs=(REF_ENTRA_SCIM,),
        facts={"client_guid": clip(value, 60), "reason": reason},
    ), structural=False)
