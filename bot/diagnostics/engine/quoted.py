"""Values an error message quotes, as facts of the code it belongs to.

Entra and Okta messages quote the values they refused: "The redirect URI 'https://…/callback/'
specified in the request does not match …", "Application with identifier '…' was not found in the
directory '…'". The answer puts them to use ("register `https://…/callback/`", a button to compare it),
so the code reader hands them over as facts. Only the nouns below are read, and only a quoted value
right after them, on the code's own line; the report is sealed afterwards like any other.
"""

from __future__ import annotations

import re

from bot.diagnostics.text import fold

# noun phrase before the quote -> fact name, and a word every match holds (in the case fold): most lines hold
# none of them, and an IGNORECASE pattern cannot let the regex engine skip ahead.
_NOUNS = (
    (re.compile(r"redirect[ _-]?uri\s*'([^'\s]{1,500})'", re.IGNORECASE), "redirect_uri", "redirect"),
    (re.compile(r"reply (?:url|address)\s*'([^'\s]{1,500})'", re.IGNORECASE), "redirect_uri", "reply "),
    (re.compile(r"(?:application|app) with identifier\s*'([^'\s]{1,200})'", re.IGNORECASE), "application",
     " with identifier"),
    (re.compile(r"in the directory\s*'([^'\s]{1,200})'", re.IGNORECASE), "tenant", "in the directory"),
)
_LINE_CHARS = 2000


def quoted_facts(text: str, position: int) -> dict[str, str]:
    """The quoted values on the line of ``text`` that holds ``position`` (a code), by fact name."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    line = text[start:(len(text) if end == -1 else end)][:_LINE_CHARS]
    facts: dict[str, str] = {}
    folded = fold(line)
    for rx, name, word in _NOUNS:
        if word not in folded:
            continue
        match = rx.search(line)
        if match and name not in facts:
            facts[name] = match.group(1)
    return facts
