"""The SCIM base URL check: the paste around the URL (``paste``), its scheme and host (``origin``), the
environment it points at (``env``), its path and client GUID (``path``, ``guid``); ``check`` puts the
parts together and builds the corrected URL."""

from bot.diagnostics.scim.check import check_scim_url

__all__ = ["check_scim_url"]
