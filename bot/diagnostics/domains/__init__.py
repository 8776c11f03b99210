"""The login-domain allowlist check: the entries of a paste (``entries``), each normalised
(``normalise``), the problems found (``findings``) and a user's e-mail against the list (``email``);
``check`` puts the parts together."""

from bot.diagnostics.domains.check import check_domains
from bot.diagnostics.domains.entries import split_domain_entries

__all__ = ["check_domains", "split_domain_entries"]
