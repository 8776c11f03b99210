"""The bearer-token check: a pasted SCIM token or client secret, its wrapping (``paste``), a JWT's header
and claims (``jwt``, ``claims``) or an opaque token (``opaque``), and when it expires (``expiry``);
``check`` puts the parts together."""

from bot.diagnostics.token.check import check_token
from bot.diagnostics.token.paste import fingerprint, strip_wrapping

__all__ = ["check_token", "fingerprint", "strip_wrapping"]
