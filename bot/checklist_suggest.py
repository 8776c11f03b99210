"""Which checklist a diagnosis points to (the *Start checklist* button under a report)."""

from __future__ import annotations

from typing import Iterable, Sequence

_RECOVERY_CODES = frozenset({
    "http-401-scim", "msg-scim-token-invalid", "msg-entra-test-connection-invalid-credentials",
    "okta-msg-scim-token-rejected", "okta-msg-test-api-credentials-failed", "symptom-provisioning-quarantined",
    "entra-prov-SystemForCrossDomainIdentityManagementUnauthorized",
    "entra-prov-SystemForCrossDomainIdentityManagementCredentialValidationFailure",
    "entra-prov-quarantine", "entra-prov-EncounteredQuarantineException", "token-expired",
})
_SCIM_PREFIXES = ("scim-", "entra-prov-", "okta-msg-", "okta-event-")
_SCIM_CODES = frozenset({"symptom-users-not-provisioned", "symptom-test-connection-fails",
                         "symptom-sso-works-scim-fails", "symptom-scim-sync-delay"})
_SSO_PREFIXES = ("aadsts-", "oauth-", "redirect-", "domains-", "msg-saml-", "msg-oidc-", "msg-okta-",
                 "msg-keycloak-")
_SSO_CODES = frozenset({"msg-reply-url-mismatch", "msg-user-not-assigned", "msg-invalid-issuer",
                        "msg-client-secret-invalid", "msg-client-secret-expired", "msg-jit-missing-attributes",
                        "msg-certificate-expired", "symptom-redirect-loop", "symptom-logout-loop",
                        "symptom-discovery-ok-login-fails", "symptom-profile-incomplete", "symptom-502-vs-503",
                        "symptom-not-routed-to-sso", "symptom-locked-out", "symptom-wrong-tenant-routing"})


def _idp_hint(codes: Sequence[str]) -> str | None:
    if any(c.startswith(("entra-", "msg-entra-", "aadsts-")) for c in codes):
        return "entra"
    if any(c.startswith("okta-") or c.startswith("msg-okta-") for c in codes):
        return "okta"
    return None


def suggest_checklist(findings: Iterable[tuple[str, str]]) -> tuple[str, str | None] | None:
    """The checklist a diagnosis points to, as (definition id, IdP or None), or None.

    ``findings`` are (code, severity) pairs, most severe first. Findings that
    say all is well are ignored. A 401 on provisioning (or an expired token or
    a quarantined job) means the 401 recovery; other SCIM findings the SCIM
    quick check; sign-in findings the SSO quick check.
    """
    codes = [code for code, severity in findings if severity in ("fail", "warn")]
    if not codes:
        return None
    idp = _idp_hint(codes)
    if any(code in _RECOVERY_CODES for code in codes):
        return "scim-401", idp
    for code in codes:
        if code in _SCIM_CODES or (code.startswith(_SCIM_PREFIXES) and not code.startswith("scim-url-ok")) \
                or (code.startswith("http-") and code.endswith("-scim")):
            return "scim-quick", idp
        if code in _SSO_CODES or code.startswith(_SSO_PREFIXES) or (code.startswith("http-") and code.endswith("-sso")):
            return "sso-quick", idp
    return None
