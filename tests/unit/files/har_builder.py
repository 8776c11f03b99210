"""Sign-in captures for the tests, built in the shape of real HARs.

No public HAR of a real SSO sign-in exists (``../shared/corpus/SOURCES.md``, "Not found"), so the
captures are assembled here:

* each entry has the layout of Chrome DevTools' export in ``corpus/har/mitmproxy_chrome.har``
  (mitmproxy, MIT): ``request.headers`` / ``queryString`` / ``cookies`` / ``postData.params``,
  ``response.redirectURL``, ``content.mimeType``, ``timings``, ``_resourceType``;
* the requests follow the published formats: Microsoft identity platform's authorization request and
  error response (``/{tenant}/oauth2/v2.0/authorize?client_id=…&response_type=code&redirect_uri=…
  &response_mode=query&scope=…&state=…&nonce=…``, then ``redirect_uri?error=…&error_description=
  AADSTS…``), RFC 6749 §4.1.2 (``redirect_uri?code=…&state=…``), SAML Bindings §3.5 (an auto-posted
  form with ``SAMLResponse`` and ``RelayState``), with the SAML responses themselves from
  ``corpus/tokens/saml_responses/`` (python3-saml's test data, MIT).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

T0 = datetime(2026, 11, 28, 11, 59, 0, tzinfo=timezone.utc)
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CLIENT = "6731de76-14a6-49ae-97bc-6eba6914391e"
APP = "https://app.example.com"
IDP = "https://login.microsoftonline.com"


def entry(method: str, url: str, status: int, *, at: float, location: str = "", form: dict | None = None,
          set_cookies: tuple[str, ...] = (), cookies: str = "", date_skew: float = 0.0, mime: str = "text/html",
          body: str = "", request_headers: tuple[tuple[str, str], ...] = ()) -> dict:
    started = T0 + timedelta(seconds=at)
    parts = urlsplit(url)
    headers = [{"name": ":authority", "value": parts.netloc}, {"name": ":method", "value": method},
               {"name": ":path", "value": parts.path + ("?" + parts.query if parts.query else "")},
               {"name": "accept", "value": "text/html,application/xhtml+xml"},
               {"name": "user-agent", "value": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36"}]
    headers += [{"name": n, "value": v} for n, v in request_headers]
    if cookies:
        headers.append({"name": "cookie", "value": cookies})
    request = {"method": method, "url": url, "httpVersion": "http/2.0", "headers": headers,
               "queryString": [{"name": k, "value": v} for k, v in parse_qsl(parts.query, keep_blank_values=True)],
               "cookies": [{"name": c.split("=", 1)[0].strip(), "value": c.split("=", 1)[1]}
                           for c in cookies.split(";") if "=" in c], "headersSize": -1, "bodySize": 0}
    if form is not None:
        text = urlencode(form)
        request["postData"] = {"mimeType": "application/x-www-form-urlencoded", "text": text,
                               "params": [{"name": k, "value": v} for k, v in form.items()]}
        request["bodySize"] = len(text)
    response_headers = [{"name": "date", "value": format_datetime(started + timedelta(seconds=date_skew), usegmt=True)},
                        {"name": "content-type", "value": mime}]
    response_headers += [{"name": "set-cookie", "value": c} for c in set_cookies]
    if location:
        response_headers.append({"name": "location", "value": location})
    return {
        "_initiator": {"type": "other"}, "_priority": "VeryHigh", "_resourceType": "document", "cache": {},
        "pageref": "page_1", "request": request,
        "response": {"status": status, "statusText": "", "httpVersion": "http/2.0", "headers": response_headers,
                     "cookies": [], "content": {"size": len(body), "mimeType": mime, "text": body},
                     "redirectURL": location, "headersSize": -1, "bodySize": len(body), "_transferSize": 900},
        "serverIPAddress": "203.0.113.10", "startedDateTime": started.isoformat().replace("+00:00", "Z"),
        "time": 120.5, "timings": {"blocked": 1.2, "dns": -1, "ssl": -1, "connect": -1, "send": 0.2, "wait": 110.0,
                                   "receive": 9.1, "_blocked_queueing": 0.8},
    }


def har(entries: list[dict]) -> dict:
    return {"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
                    "pages": [{"startedDateTime": T0.isoformat(), "id": "page_1", "title": APP,
                               "pageTimings": {"onContentLoad": 500.1, "onLoad": 800.2}}], "entries": entries}}


def write(path, capture: dict) -> str:
    path.write_text(json.dumps(capture, indent=1))
    return str(path)


def authorize_url(*, state: str = "st4te-0f-the-sign-in-42", nonce: str = "n0nce-of-the-sign-in-77",
                  redirect_uri: str = APP + "/signin-oidc", response_type: str = "code") -> str:
    query = urlencode({"client_id": CLIENT, "response_type": response_type, "redirect_uri": redirect_uri,
                       "response_mode": "query", "scope": "openid profile email", "state": state, "nonce": nonce})
    return f"{IDP}/{TENANT}/oauth2/v2.0/authorize?{query}"


def code_flow(*, code: str = "0.AXoAv4j5cvGGr0GRqy180BHbR3beMWem", password: str = "Hunter2-sign-in!",
              session: str = "s3ssion-cookie-value-000111", state_back: str | None = "st4te-0f-the-sign-in-42",
              callback_status: int = 302, redirect_uri: str = APP + "/signin-oidc", idp_skew: float = 0.0,
              app_cookie: str = "") -> list[dict]:
    """An Entra authorization-code sign-in: the app redirects to authorize, the user signs in, Entra
    redirects back with a code, the app sets its session cookie."""
    back = {"code": code, "session_state": "a1b2c3d4-0000-1111-2222-333344445555"}
    if state_back is not None:
        back["state"] = state_back
    callback = f"{redirect_uri}?{urlencode(back)}"
    return [
        entry("GET", APP + "/account/login", 302, at=0, location=authorize_url(redirect_uri=redirect_uri),
              set_cookies=(app_cookie or ".AspNetCore.Correlation.oidc=N; path=/signin-oidc; samesite=none; "
                           "secure; httponly",)),
        entry("GET", authorize_url(redirect_uri=redirect_uri), 200, at=0.4, date_skew=idp_skew),
        entry("POST", f"{IDP}/{TENANT}/login", 302, at=9.0, location=callback, date_skew=idp_skew,
              form={"login": "ada@example.com", "passwd": password, "ctx": "rQQIARAA" * 4, "flowToken": "AQAB" * 8}),
        entry("GET", callback, callback_status, at=9.5,
              location=APP + "/" if callback_status == 302 else "",
              set_cookies=(f".AspNetCore.Cookies={session}; path=/; secure; samesite=lax; httponly",)
              if callback_status == 302 else ()),
        *([entry("GET", APP + "/", 200, at=9.8, cookies=f".AspNetCore.Cookies={session}")]
          if callback_status == 302 else []),
    ]


def error_flow() -> list[dict]:
    """Entra refuses the authorize request and sends the error back to the redirect URI."""
    wrong = "http://app-internal.example.net:8080/signin-oidc"
    error = urlencode({"error": "invalid_request", "error_description": "AADSTS50011: The redirect URI "
                       f"'{wrong}' specified in the request does not match the redirect URIs configured for the "
                       f"application '{CLIENT}'.", "state": "st4te-0f-the-sign-in-42"})
    return [
        entry("GET", APP + "/account/login", 302, at=0, location=authorize_url(redirect_uri=wrong)),
        entry("GET", authorize_url(redirect_uri=wrong), 302, at=0.3, location=f"{wrong}?{error}"),
    ]


def saml_flow(response_b64: str, *, acs: str = APP + "/saml/acs") -> list[dict]:
    """An SP-initiated SAML sign-in at Entra: AuthnRequest by redirect, the Response auto-posted to the ACS."""
    sso = f"{IDP}/{TENANT}/saml2"
    return [
        entry("GET", APP + "/saml/login", 302, at=0, location=f"{sso}?SAMLRequest=fZJBT8MwDIXvSPyHKPe2WdlFVVvdkQ"
                                                              "&RelayState=%2Fdashboard"),
        entry("GET", f"{sso}?SAMLRequest=fZJBT8MwDIXvSPyHKPe2WdlFVVvdkQ&RelayState=%2Fdashboard", 200, at=0.3),
        entry("POST", acs, 302, at=6.0, location=APP + "/dashboard",
              form={"SAMLResponse": response_b64, "RelayState": "/dashboard"}),
    ]
