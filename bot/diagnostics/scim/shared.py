"""What every step of the SCIM URL check shares: the expected shape, its references and wording,
and the ``Problem`` record each step reports.

A step writes each problem as the ``Finding`` it will become (``Finding(code="scim-url-...", ...)``,
which tests/unit/knowledge/test_check_codes.py reads to match every code with its knowledge entry);
``Problem`` adds whether the corrected URL fixes it, known only once every step has run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.diagnostics.report import Finding
from bot.diagnostics.text import clip as _clip
from bot.diagnostics.text import marked

SCIM_PATH_TEMPLATE = "/auth/realms/<realm>/org/<client_guid>/scim/v2"
EXPECTED_SHAPE = "{environment_base_url}" + SCIM_PATH_TEMPLATE

REF_SCIM_VERSION = "https://www.rfc-editor.org/rfc/rfc7644#section-3.13"
REF_SCIM_ENDPOINTS = "https://www.rfc-editor.org/rfc/rfc7644#section-3.2"
REF_URI_SYNTAX = "https://www.rfc-editor.org/rfc/rfc3986#section-3"
REF_URI_COMPARE = "https://www.rfc-editor.org/rfc/rfc3986#section-6.2.2"
REF_ENTRA_SCIM = (
    "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups"
)
REF_ENTRA_COMPAT = (
    "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/"
    "application-provisioning-config-problem-scim-compatibility"
)

WHERE = (
    "Copy the SCIM Endpoint from the product (Settings → SSO & Provisioning → SCIM 2.0) with its copy icon, "
    "and paste it as the Tenant URL (Entra: Enterprise apps → your app → Provisioning → Admin Credentials) "
    "or the SCIM 2.0 Base URL (Okta: Applications → your app → Provisioning → Integration)."
)
EFFECT = "The IdP gets 404 Not Found, and Test Connection / Test API Credentials fails."

SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]{0,31}):(/*)")
GUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
HEX32_RE = re.compile(r"[0-9a-fA-F]{32}")

_MAX_SHOWN = 200


@dataclass
class Problem:
    """One problem a step found: its finding, and whether the corrected URL addresses it (then the
    finding gets that URL in its facts and fix; otherwise the expected shape, when no URL can be built)."""

    finding: Finding
    structural: bool = True


def clip(text: str, limit: int = _MAX_SHOWN) -> str:
    """``text`` cut to ``limit`` characters, with invisible characters shown as '?': findings are read in chat."""
    return _clip(text, limit, show=marked)
