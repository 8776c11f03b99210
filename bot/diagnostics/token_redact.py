"""The no-echo pass: no field of any finding may share a 12-character run with the pasted input.

The check never copies the token on purpose; this pass guarantees it even when a decoded claim
or our own wording happens to coincide with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from bot.diagnostics.report import Finding
from bot.diagnostics.text import without_invisible
from bot.diagnostics.token_paste import strip_wrapping

WINDOW = 12  # no run of this many characters from the input may appear in the output
_HIDDEN = "[hidden: overlapped the pasted token]"


def _windows(secrets: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for secret in secrets:
        for i in range(len(secret) - WINDOW + 1):
            out.add(secret[i : i + WINDOW])
    return out


def _leaks(text: str, windows: set[str]) -> bool:
    if not windows:
        return False
    return any(text[i : i + WINDOW] in windows for i in range(len(text) - WINDOW + 1))


def redact(findings: list[Finding], raw: str) -> list[Finding]:
    """Hide any field that shares a 12-character run with the pasted input (as pasted, unwrapped, or
    without its invisible characters)."""
    cleaned = strip_wrapping(raw)
    secrets = {raw, cleaned, without_invisible(cleaned)}
    windows = _windows(s for s in secrets if len(s) >= WINDOW)
    if not windows:
        return findings

    # A token could even contain our own placeholder text.
    hidden = "[hidden]" if _leaks(_HIDDEN, windows) else _HIDDEN

    def clean(text: str) -> str:
        return hidden if _leaks(text, windows) else text

    return [
        replace(
            f,
            title=clean(f.title),
            detail=clean(f.detail),
            fix=tuple(clean(step) for step in f.fix),
            refs=tuple(clean(ref) for ref in f.refs),
            facts={clean(k): clean(v) for k, v in f.facts.items()},
        )
        for f in findings
    ]
