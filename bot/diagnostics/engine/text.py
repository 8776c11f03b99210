"""What every reader of a paste shares: the case fold its patterns run on, and how much it reads.

The readers' patterns are written in lower case and compiled without IGNORECASE, and run on a copy of
the paste folded by ``lower``: the regex engine can then jump to their literal prefixes, which
IGNORECASE prevents, and a lower-case pattern still finds what it would find with IGNORECASE.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import Iterable

# ``lower``: the paste with its letters folded to ASCII lower case where IGNORECASE would (A-Z and the four
# non-ASCII letters IGNORECASE takes for ASCII ones, one character for one; bot.diagnostics.text.fold).
from bot.diagnostics.text import fold as lower
from bot.diagnostics.text import matches_at

MAX_ITEMS = 20  # of one kind (codes, URLs, tokens) per paste
# JSON is parsed from a longer prefix than the text scanners read: a SIEM export cut at the engine's
# MAX_INPUT_CHARS would no longer parse, and json.loads is linear and fast.
MAX_JSON_CHARS = 2_000_000


def first_matches(rx: re.Pattern[str], text: str, starts: Iterable[int] | None = None) -> list[re.Match[str]]:
    """The first MAX_ITEMS matches of ``rx``: enough to report, and the work stays bounded however long the paste.
    ``starts``: places that include every start of a match, when the pattern cannot let the regex engine
    skip ahead (a look-behind or ``\\b`` first: ``bot.diagnostics.text.matches_at``)."""
    return list(islice(rx.finditer(text) if starts is None else matches_at(rx, text, starts), MAX_ITEMS))
