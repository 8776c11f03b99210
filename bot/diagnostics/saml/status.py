"""The top-level ``<samlp:Status>`` of a Response (SAML Core §3.2.2.1-§3.2.2.3).

Anything but ``Success`` is the IdP refusing to sign the user in; its second-level code and
message say why, and an error response carries no assertion, so nothing else is checked then.
"""

from __future__ import annotations

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Finding
from bot.diagnostics.saml.reading import Reading
from bot.diagnostics.saml.shared import SUCCESS, P, clip, present, short, text_of

# What the top-level status code says about who failed.
_MEANING = {
    "Requester": "the IdP blames the request it received from the SP",
    "Responder": "the IdP could not complete the sign-in on its side",
    "VersionMismatch": "the IdP does not accept the SAML version of the request",
}

# What the usual second-level status codes mean for the admin.
_HINTS = {
    "AuthnFailed": "the user could not be authenticated (wrong password, MFA not completed, account "
                   "locked or disabled).",
    "InvalidNameIDPolicy": "the SP asked for a NameID format the IdP is not configured to send; align "
                           "the NameIDPolicy of the SP with the Name ID format at the IdP.",
    "NoPassive": "the SP asked for a silent sign-in (IsPassive) but the user has to interact.",
    "RequestDenied": "the IdP refused on purpose, often because the user is not assigned to the app or "
                     "a policy blocks them.",
    "UnknownPrincipal": "the IdP does not know this user, or the user is not assigned to the app.",
    "NoAuthnContext": "the SP demanded an authentication context (e.g. a stronger method) the IdP "
                      "cannot satisfy.",
    "RequestUnsupported": "the IdP does not support something in the request.",
}


def check_status(reading: Reading) -> bool:
    """Core §3.2.2.1-§3.2.2.3. False when the IdP refused (nothing else is worth checking)."""
    status = reading.root.find(P + "Status")
    code = status.find(P + "StatusCode") if status is not None else None
    top = (code.get("Value") or "").strip() if code is not None else ""
    if not top:
        reading.add(_status_missing())
        return True
    if top == SUCCESS:
        return True
    sub_el = code.find(P + "StatusCode") if code is not None else None
    sub = (sub_el.get("Value") or "").strip() if sub_el is not None else ""
    message = text_of(status.find(P + "StatusMessage")) if status is not None else ""
    reading.add(_not_success(top, sub, message, reading.response_issuer))
    return False


def _status_missing() -> Finding:
    return check_finding("saml-status-missing")


def _not_success(top: str, sub: str, message: str, issuer: str) -> Finding:
    return check_finding(
        "saml-status-not-success",
        present({"status": short(top), "status_uri": clip(top), "sub_status": short(sub) if sub else "",
                 "status_message": clip(message, 300), "issuer": clip(issuer)}),
        values=_refusal(top, sub, message),
    )


def _refusal(top: str, sub: str, message: str) -> dict[str, str]:
    """What the entry's text places: who failed, what the second-level code means (a code without a
    meaning here is named alone), the IdP's own message."""
    hint = _HINTS.get(short(sub), "") if sub else ""
    return {
        "meaning": _MEANING.get(short(top), "the IdP did not sign the user in"),
        "hint": hint,
        "unexplained_sub_status": short(sub) if sub and not hint else "",
        "message_shown": clip(message, 300),
    }
