"""The live-check feature's Slack ids: one enum, nothing else defines them."""

from __future__ import annotations

from enum import StrEnum


class LiveId(StrEnum):
    SCIM_MODAL = "live.scim_modal"
    URL_BLOCK = "live.url"
    TOKEN_BLOCK = "live.token"
    IDP_BLOCK = "live.idp"
    KEEP_BLOCK = "live.keep"
    OPEN_SCIM_MODAL = "live.open_scim_modal"
    SAML_MODAL = "live.saml_modal"
    SAML_URL_BLOCK = "live.saml_url"
    SAML_FILE_BLOCK = "live.saml_file"
