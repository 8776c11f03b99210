"""Replace secrets in outgoing text by their hints, with the 12-character guarantee.

A ``Scrubber`` is built from the secrets found in what was pasted. ``clean`` then makes two passes
over a piece of output text:

1. every run of 12 or more characters shared with one of those secrets, in any letter case and in the
   encodings a check may have applied on the way (URL-encoded or decoded, JSON- or HTML-escaped), is
   replaced by the secret's hint, so a token that a check lower-cased, cut, or glued to a path still
   cannot come back;
2. anything in the text that is itself shaped like a secret (``find_secrets``) is replaced by its hint,
   which catches values a check decoded from the paste, and secrets shorter than 12 characters where
   their context survives (``https://admin:hunter2@...``).

If a 12-character run of a secret is still there afterwards (a secret that contains our own wording,
say), the whole field becomes ``[hidden]``. ``redact_text`` is pass 2 alone: log lines and stored user
text, where there is no paste to compare with.
"""

from __future__ import annotations

import html
import json
from typing import Iterable
from urllib.parse import quote, quote_plus, unquote, unquote_plus

from bot.redaction.shapes import Secret, find_secrets

__all__ = ["WINDOW", "Scrubber", "redact_text", "HIDDEN"]

WINDOW = 12  # no run of this many characters of a secret may reach any output
_STEP = WINDOW // 2
HIDDEN = "[hidden]"
# ASCII letters lower-cased, everything else kept, so positions in the folded text are positions in the text.
_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def _variants(value: str) -> set[str]:
    """The forms a secret can take once a check has decoded or re-encoded the text around it."""
    forms = {value, unquote(value), unquote_plus(value), quote(value, safe=""), quote_plus(value, safe=""),
             html.escape(value, quote=False), html.unescape(value), json.dumps(value)[1:-1]}
    try:
        forms.add(json.loads(f'"{value}"'))
    except ValueError:
        pass
    return {_fold(form) for form in forms if len(form) >= WINDOW}


class Scrubber:
    """Hides the given secrets (and anything shaped like one) in any text passed to ``clean``."""

    def __init__(self, secrets: Iterable[Secret] = ()) -> None:
        self._hints: list[str] = []
        self._forms: list[tuple[str, int]] = []  # (folded form of a secret, index of its hint)
        pieces: dict[str, int] = {}
        for secret in secrets:
            forms = _variants(secret.value)
            if not forms:
                continue
            index = len(self._hints)
            self._hints.append(secret.hint)
            for form in forms:
                self._forms.append((form, index))
                for i in range(len(form) - _STEP + 1):
                    pieces.setdefault(form[i:i + _STEP], index)
        self._pieces = pieces

    @property
    def empty(self) -> bool:
        return not self._forms

    def clean(self, text: str) -> str:
        """``text`` with every secret replaced by its hint; ``[hidden]`` if that is not enough."""
        if not text:
            return text
        out = _replace(text, self._spans(text)) if self._forms else text
        out = redact_text(out)
        if self._forms and self._spans(out):
            return HIDDEN
        return out

    def leaks(self, text: str) -> bool:
        """Whether ``text`` holds a 12-character run of one of the secrets."""
        return bool(self._spans(text))

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        """Where ``text`` shares 12-character runs with a secret, merged: (start, end, hint).

        Any 12-character run holds a whole 6-character piece starting at a multiple of 6, so the text
        is sampled at those offsets against the secrets' 6-character pieces; only near a hit are the
        12-character runs compared. A text with no hit (nearly all) costs len/6 look-ups.
        """
        if len(text) < WINDOW:
            return []
        folded = _fold(text)
        starts: dict[int, int] = {}
        for j in range(0, len(folded) - _STEP + 1, _STEP):
            if folded[j:j + _STEP] not in self._pieces:
                continue
            for i in range(max(0, j - _STEP + 1), j + 1):
                if i not in starts:
                    index = self._holder(folded[i:i + WINDOW])
                    if index is not None:
                        starts[i] = index
        spans: list[tuple[int, int, str]] = []
        for i in sorted(starts):
            if spans and i <= spans[-1][1]:
                spans[-1] = (spans[-1][0], max(spans[-1][1], i + WINDOW), spans[-1][2])
            else:
                spans.append((i, i + WINDOW, self._hints[starts[i]]))
        return spans

    def _holder(self, window: str) -> int | None:
        if len(window) < WINDOW:
            return None
        return next((index for form, index in self._forms if window in form), None)


def _replace(text: str, spans: list[tuple[int, int, str]]) -> str:
    if not spans:
        return text
    out: list[str] = []
    keep = 0
    for start, end, hint in spans:
        out.append(text[keep:start])
        out.append(hint)
        keep = end
    out.append(text[keep:])
    return "".join(out)


# Texts known to hold nothing shaped like a secret: mostly our own knowledge wording, which every
# report repeats. Only such texts are remembered, so no secret is ever kept here.
_NOTHING_FOUND: dict[str, None] = {}
_NOTHING_FOUND_MAX = 4096


def redact_text(text: str) -> str:
    """``text`` with everything shaped like a secret replaced by its hint (log lines, stored user text)."""
    if not text or text in _NOTHING_FOUND:
        return text
    secrets = find_secrets(text)
    if not secrets:
        if len(_NOTHING_FOUND) >= _NOTHING_FOUND_MAX:
            _NOTHING_FOUND.clear()
        _NOTHING_FOUND[text] = None
        return text
    out: list[str] = []
    keep = 0
    for secret in secrets:
        out.append(text[keep:secret.start])
        out.append(secret.hint)
        keep = secret.end
    out.append(text[keep:])
    return "".join(out)
