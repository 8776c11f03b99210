"""The SCIM base URL check: the paste around the URL (``paste``), its scheme and host (``origin``), the
environment it points at (``env``), its path and client GUID (``path``, ``guid``) or, for a URL of another
shape, the generic rules (``generic``) or a configured template (``template``, ``custom``); ``check`` puts
the parts together and builds the corrected URL.

``check_scim_url`` is imported on first use, so ``bot.settings`` can read the template module without
loading the check (and the knowledge base behind it) at start-up.
"""

from __future__ import annotations

from typing import Any

__all__ = ["check_scim_url"]


def __getattr__(name: str) -> Any:
    if name == "check_scim_url":
        from bot.diagnostics.scim.check import check_scim_url

        return check_scim_url
    raise AttributeError(name)
