"""The knowledge base: what each SSO/SCIM error code, message and symptom means.

Knowledge is data: TOML files in ``bot/knowledge/data/``, validated at load
time. This package is pure Python (no Slack, no SQL)::

    from bot.knowledge import load_knowledge

    kb = load_knowledge()
    kb.lookup_code("aadsts", "50011")            # -> Entry | None
    kb.lookup_code("http", "401", context="scim")
    kb.match_text("The reply URL specified in the request does not match ...")
"""

from .loader import KnowledgeBase, KnowledgeError, TextMatch
from .loading import load_knowledge
from .schema import CHECKS, Entry

__all__ = ["CHECKS", "Entry", "KnowledgeBase", "KnowledgeError", "TextMatch", "load_knowledge"]
