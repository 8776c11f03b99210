"""Find the sign-in in a capture and tell it as a numbered timeline, one line a step.

A step belongs to the flow when it carries OAuth/OIDC or SAML parameters (RFC 6749 §4.1, OIDC Core
§3.1.2, SAML Bindings §3.4/§3.5), hits a sign-in path or an IdP host, or is a redirect or an error on
a host the flow already visits.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.files.har_read import Step
from bot.files.redact import short

__all__ = ["idp_name", "flow_of", "describe", "timeline", "is_authorize", "is_callback", "MAX_LINES"]

MAX_LINES = 40
_IDP_HOSTS = (
    (("login.microsoftonline.com", "login.microsoft.com", "login.windows.net", "sts.windows.net",
      "login.microsoftonline.us", "login.partner.microsoftonline.cn", ".ciamlogin.com", ".b2clogin.com",
      "login.live.com"), "Entra"),
    ((".okta.com", ".oktapreview.com", ".okta-emea.com", ".okta-gov.com", ".okta.mil"), "Okta"),
    (("accounts.google.com",), "Google"),
    ((".auth0.com",), "Auth0"),
    ((".onelogin.com",), "OneLogin"),
    ((".pingone.com", ".pingone.eu", ".pingidentity.com"), "PingOne"),
)


def idp_name(host: str, path: str = "") -> str:
    """The identity provider a host (and path) belongs to, or ''."""
    for suffixes, name in _IDP_HOSTS:
        if any(_under(host, suffix) for suffix in suffixes):
            return name
    lowered = path.lower()
    if "/adfs/" in lowered:
        return "AD FS"
    if "/realms/" in lowered and "/protocol/" in lowered:
        return "Keycloak"
    return ""


def _under(host: str, suffix: str) -> bool:
    """``host`` is ``suffix`` itself, or (for ``.example.com``) any host below it."""
    if suffix.startswith("."):
        return host.endswith(suffix) or host == suffix[1:]
    return host == suffix


def is_authorize(step: Step) -> bool:
    """An authorization request (RFC 6749 §4.1.1): a GET with client_id and response_type, or any call to
    an ``/authorize`` endpoint (a POST there is OIDC's form-post variant)."""
    if "client_id" not in step.params:
        return False
    return step.path.rstrip("/").endswith("/authorize") or (step.method == "GET" and "response_type" in step.params)


def is_callback(step: Step) -> bool:
    """A request that brings the IdP's answer back to the app (a code, tokens, an error or a SAML post)."""
    if idp_name(step.host, step.path) or is_authorize(step):
        return False
    return bool({"code", "id_token", "access_token", "error", "samlresponse"} & step.params.keys())


def flow_of(steps: list[Step]) -> list[Step]:
    """The steps of the sign-in: the flow-ish ones, and redirects or errors on the hosts they touch."""
    hosts = {s.host for s in steps if s.flowish}
    hosts |= {s.location_host for s in steps if s.flowish and s.location_host}
    hosts |= {s.host for s in steps if idp_name(s.host, s.path)}
    if not any(s.flowish for s in steps):
        return []
    return [s for s in steps if s.flowish or s.host in hosts]


def describe(step: Step, saml_note: str = "") -> str:
    """What happened at ``step``, in a few words."""
    p = step.params
    idp = idp_name(step.host, step.path) or step.host
    if is_authorize(step):
        what = f"authorize request to {idp}, client {short(p['client_id'], 40)}"
        if "redirect_uri" in p:
            what += f", redirect_uri {short(p['redirect_uri'], 80)}"
        what += f", response_type {p.get('response_type', '?')}"
        if p.get("response_mode"):
            what += f", response_mode {p['response_mode']}"
    elif step.method == "POST" and "client_id" in p and "redirect_uri" in p:
        what = f"sign-in form posted to {idp} (client {short(p['client_id'], 40)}, redirect_uri " \
               f"{short(p['redirect_uri'], 80)})"
    elif "samlrequest" in p:
        binding = "HTTP-Redirect" if step.where.get("samlrequest") == "query" else "HTTP-POST"
        what = f"SAML AuthnRequest sent to {idp} ({binding})"
    elif "samlresponse" in p:
        what = f"SAMLResponse posted to {short(_origin_path(step.url), 80)}" + (f" ({saml_note})" if saml_note else "")
    elif "error" in p:
        what = f"error={short(p['error'], 40)} arrived in the {step.where.get('error', 'query')}"
        if p.get("error_description"):
            what += f": {short(p['error_description'], 90)}"
    elif "code" in p or "id_token" in p or "access_token" in p:
        carried = "an authorization code" if "code" in p else "tokens"
        what = f"callback with {carried} (in the {step.where.get('code') or step.where.get('id_token') or 'query'})"
    elif step.path.rstrip("/").endswith("/token") and step.method == "POST":
        what = f"token request{' (grant_type ' + p['grant_type'] + ')' if p.get('grant_type') else ''}"
    elif "logout" in step.path.lower() or "signout" in step.path.lower():
        what = "sign-out"
    else:
        what = short(step.path, 60)
    return what + _outcome(step)


def _outcome(step: Step) -> str:
    if 300 <= step.status < 400 and step.location:
        target = _origin_path(step.location)
        error = step.location_params.get("error")
        return f"; redirects to {short(target, 80)}" + (f" with error={short(error, 40)}" if error else "")
    if step.status >= 400:
        return f"; answered {step.status}" + (f" ({short(step.body_error, 90)})" if step.body_error else "")
    if step.status == 0:
        return f"; no answer ({short(step.error_text, 60) or 'blocked, cancelled or still pending'})"
    return ""


def _origin_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.netloc else url.split("?", 1)[0]


def timeline(flow: list[Step], notes: dict[int, str]) -> list[str]:
    """One numbered line per step: when (UTC), host, method, status, what happened."""
    lines = []
    for n, step in enumerate(flow[:MAX_LINES], start=1):
        when = step.started.strftime("%H:%M:%S") + " " if step.started else ""
        lines.append(f"{n}. {when}{step.host} {step.method} {step.status or '-'}: {describe(step, notes.get(step.number, ''))}")
    if len(flow) > MAX_LINES:
        lines.append(f"… and {len(flow) - MAX_LINES} more steps (the findings below cover them all)")
    return lines
