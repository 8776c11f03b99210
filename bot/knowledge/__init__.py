"""The knowledge base: what each SSO/SCIM error code, message and symptom means.

Knowledge is data: TOML files in ``bot/knowledge/data/``, validated at load
time. This package is pure Python (no Slack, no SQL)::

    from bot.knowledge import load_knowledge

    kb = load_knowledge()
    kb.lookup_code("aadsts", "50011")            # -> Entry | None
    kb.lookup_code("http", "401", context="scim")
    kb.match_text("The reply URL specified in the request does not match ...")
"""

from typing import TYPE_CHECKING, Any

from .loader import KnowledgeBase, KnowledgeError, TextMatch
from .loading import load_knowledge
from .record import EntryRecord
from .systems import CHECKS

if TYPE_CHECKING:
    from .schema import Entry

__all__ = ["CHECKS", "Entry", "EntryRecord", "KnowledgeBase", "KnowledgeError", "TextMatch", "load_knowledge"]


def __getattr__(name: str) -> Any:
    """``Entry``, the pydantic model, is imported when first asked for: the running bot reads validated
    records (``record.py``) and needs pydantic only to validate (a cold ``sso-bot diagnose`` spares it)."""
    if name == "Entry":
        from .schema import Entry

        return Entry
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
