"""The SAML Response check: find a SAMLResponse in a paste (``find``, ``b64``, ``decode``), parse it
safely (``parsing``), read it (``reading``) and check each part (``status``, ``structure``,
``signatures``, ``conditions``, ``subject``, ``nameid``, ``addressing``, ``attributes``, ``times``);
``check`` puts the parts together."""

from bot.diagnostics.saml.check import check_saml_response
from bot.diagnostics.saml.decode import decode
from bot.diagnostics.saml.find import find_saml_responses

__all__ = ["check_saml_response", "decode", "find_saml_responses"]
