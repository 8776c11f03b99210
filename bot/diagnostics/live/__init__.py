"""The live checks' readers: what an OpenID Provider (``oidc``), SAML metadata (``saml``) and a SCIM
endpoint (``scim``) answered to ``bot.live``, read into a ``Report``; ``shared`` holds the findings for a
request that got no answer. They never touch the network themselves."""

from bot.diagnostics.live.oidc import discovery_url, jwks_uri_of, read_discovery
from bot.diagnostics.live.saml import read_fetched_metadata, read_saml_metadata
from bot.diagnostics.live.scim import read_scim_answers, stops_the_replay
from bot.diagnostics.live.shared import short_url

__all__ = ["discovery_url", "jwks_uri_of", "read_discovery", "read_fetched_metadata", "read_saml_metadata",
           "read_scim_answers", "short_url", "stops_the_replay"]
