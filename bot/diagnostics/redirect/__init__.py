"""The redirect URI comparison: the pair in a paste (``parse``), then the two URIs compared part by part
(``compare``: ``origin`` for scheme, host and port, ``path`` for path, query and fragment); ``check``
puts the parts together."""

from bot.diagnostics.redirect.check import check_redirect, check_redirect_text, parse_redirect_pair
from bot.diagnostics.redirect.compare import diverge_at

__all__ = ["check_redirect", "check_redirect_text", "diverge_at", "parse_redirect_pair"]
