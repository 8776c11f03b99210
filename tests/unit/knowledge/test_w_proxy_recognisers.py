"""Reverse proxies, auth proxies and the environment around SSO (session 9, w-proxy): messages as each proxy
or module prints them, and the words admins use, recognised as the entry whose cause public threads confirmed.

``MATCHED`` checks that a pattern finds the entry (the message as the software prints it); ``NOT_MATCHED`` holds
look-alike text the patterns must leave alone; ``SAID`` runs the whole engine (the entry among the first two).
"""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose

MATCHED = [
    ("The redirect URI used by the app is http instead of https, which makes it impossible to authenticate",
     "msg-proxy-tls-termination"),
    ("the redirect_uri sent to keycloak has http:// rather than https", "msg-proxy-tls-termination"),
    # Authelia quoting the refused redirect_uri value.
    ("The 'redirect_uris' registered with OAuth 2.0 Client with id 'app' did not match 'redirect_uri' value "
     "'http://app.example.com/sso/callback'", "msg-proxy-tls-termination"),
    # istiod's placeholder key when it cannot fetch jwksUri: the name of the failure, in clear or base64.
    ('local_jwks {"keys":[{"e":"AQAB","kid":"abc","kty":"RSA","n":"RXJyb3ItSXN0aW9kRmFpbGVkVG9GZXRjaEp3a3NVcmkt'
     'aHR0cHM6Ly9leGFtcGxlLmNvbS8ud2VsbC1rbm93bi9qd2tzLmpzb24"}]}', "msg-proxy-jwks-fetch-failed"),
    ("Error-IstiodFailedToFetchJwksUri-https://idp.example.com/certs", "msg-proxy-jwks-fetch-failed"),
    # The ALB's own callback path answering 500.
    ("GET https://app.example.com/oauth2/idpresponse?code=abc&state=xyz returns HTTP 500", "msg-alb-oidc-561"),
    # Istio's ext_authz provider settings that decide which headers cross.
    ("envoyExtAuthzHttp:\n  service: oauth2-proxy.oauth2-proxy.svc.cluster.local\n  headersToUpstreamOnAllow: [x-auth-request-email]",
     "msg-forward-auth-headers-not-passed"),
    # traefik-forward-auth when its CSRF cookie did not come back with the callback.
    ('level=warning msg="Error validating csrf cookie: CSRF cookie does not match state" handler=AuthCallback',
     "msg-proxy-auth-cookie-domain"),
    # Google IAP: the app's check of the signed header, and IAP's own error pages.
    ("Invalid IAP assertion (HTTP 403: Forbidden)", "msg-iap-jwt-audience-mismatch"),
    ("IAP for Cloud Run app is not set up correctly. Please follow the instructions to rectify IAP and Cloud Run set up",
     "msg-iap-setup-incomplete"),
    ("Empty Google Account OAuth client ID(s)/secret(s).", "msg-iap-setup-incomplete"),
    # ModSecurity audit lines naming the SSO parameter or cookie a rule matched.
    ('Matched Data: if3q found within ARGS:SAMLResponse: PHNhbWxwOlJlc3BvbnNl [id "932140"]',
     "msg-waf-blocks-sso-callback"),
    ('ModSecurity: Warning. Matched "Operator Rx" against variable REQUEST_COOKIES:msal.interaction.status',
     "msg-waf-blocks-sso-callback"),
    # Apache's 400 page as people quote it, with and without "a" and "server".
    ("denied access to the site due to 'Size of request header field exceeds limit'", "msg-request-header-too-large"),
    # oauth2-proxy's validator.go and director.go when the return URL's host is not whitelisted.
    ('[validator.go:60] Rejecting invalid redirect "https://app.example.com/": domain / port not in whitelist',
     "msg-oauth2-proxy-redirect-not-whitelisted"),
    ("[director.go:85] Invalid redirect generated from X-Forwarded-* headers: https://app.example.com/",
     "msg-oauth2-proxy-redirect-not-whitelisted"),
    # authentik: the server's router when no outpost runs, and the proxy's access line for the outpost path.
    ('{"event":"proxy not running","level":"warning","logger":"authentik.router"}',
     "msg-authentik-outpost-not-serving"),
    ('"GET /outpost.goauthentik.io/auth/nginx HTTP/1.1" 404 19', "msg-authentik-outpost-not-serving"),
    # Traefik's ForwardAuth middleware (forward.go) in v2 and v3 wording, and nginx's auth_request subrequest.
    ('level=debug msg="Error calling http://oauth:4181. Cause: Get \\"http://oauth:4181\\": dial tcp: lookup oauth '
     'on 127.0.0.11:53: no such host" middlewareType=ForwardedAuthType', "msg-forward-auth-unreachable"),
    ('DBG forward.go:196 > Error calling http://auth:8080/check error="Get \\"http://auth:8080/check\\": dial tcp: '
     'connection refused"', "msg-forward-auth-unreachable"),
    ('connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: app.example.com, '
     'request: "GET / HTTP/1.1", subrequest: "/oauth2/auth", upstream: "http://127.0.0.1:4180/oauth2/auth"',
     "msg-forward-auth-unreachable"),
    # The return URL nested in itself, and Traefik's report of the auth service's 431.
    ("GET /?rd=https%3A%2F%2Fauth.example.com%2F%3Frd%3Dhttps%253A%252F%252Fauth.example.com",
     "msg-forward-auth-loop-on-auth-host"),
    ('msg="Remote error http://authelia:9091/api/verify?rd=https://auth.example.com. StatusCode: 431"',
     "msg-forward-auth-loop-on-auth-host"),
]

NOT_MATCHED = [
    ("the redirect uri is https and the IdP has https registered too", "msg-proxy-tls-termination"),
    ("did not match 'redirect_uri' value 'http://localhost:8080/callback'", "msg-proxy-tls-termination"),
    ("Jwks doesn't have key to match kid or alg from Jwt", "msg-proxy-jwks-fetch-failed"),
    ('Rejecting invalid redirect "/": not an absolute or relative URL', "msg-oauth2-proxy-redirect-not-whitelisted"),
    ('"GET /outpost.goauthentik.io/ping HTTP/1.1" 204 0', "msg-authentik-outpost-not-serving"),
    ("upstream timed out while connecting to upstream, upstream: \"http://10.0.0.5:8080/\"", "msg-forward-auth-unreachable"),
    ("GET /login?rd=https%3A%2F%2Fapp.example.com%2Fdashboard", "msg-forward-auth-loop-on-auth-host"),
    ("GET /oauth2/idpresponse?code=abc&state=xyz 302", "msg-alb-oidc-561"),
    ("requestHeadersToUpstream: [authorization]", "msg-forward-auth-headers-not-passed"),
    ("Invalid SAML assertion: audience does not match", "msg-iap-jwt-audience-mismatch"),
    ("You don't have access to this folder", "msg-iap-setup-incomplete"),
    ("ModSecurity: Access denied with code 403 (phase 2) for /index.php", "msg-waf-blocks-sso-callback"),
]

SAID = [
    ("502 bad gateway only once logged in; the site works while logged out, nginx in front",
     "msg-proxy-header-too-big"),
    ("When Quarkus runs behind an ssl terminating reverse proxy it generates the oidc redirect_uri with http",
     "msg-proxy-tls-termination"),
    ("SAML stopped working after we added a second server behind the AWS load balancer; with one server it works",
     "msg-session-not-shared"),
    ("keycloak runs in docker desktop and after the laptop slept the tokens it issues are already expired",
     "msg-jwt-clock-skew"),
    ("the cookie has SameSite Strict so after the redirect back from the login page the session is not sent",
     "msg-cookie-samesite"),
    ("behind nginx the callback url uses localhost:8080 instead of our domain", "msg-proxy-forwarded-host"),
    ("oauth2-proxy does not redirect back to the original url after login", "msg-oauth2-proxy-redirect-not-whitelisted"),
    ("traefik returns 500 for every app protected by forward auth", "msg-forward-auth-unreachable"),
    ("authentik forward auth returns 404 from the outpost", "msg-authentik-outpost-not-serving"),
    ("the app behind oauth2-proxy does not receive the user email header", "msg-forward-auth-headers-not-passed"),
    ("haproxy returns 502 after the saml login for users with many groups", "msg-proxy-header-too-big"),
    ("nginx auth_request gets connection refused from oauth2-proxy and returns 500", "msg-forward-auth-unreachable"),
    ("apache with mod_auth_openidc: Require valid-user works but Require claim roles:admin gives 401 after login",
     "msg-mod-auth-openidc-require-claim"),
    ("after adding an AuthorizationPolicy every call returns RBAC: access denied", "msg-envoy-rbac-access-denied"),
    ("behind the nginx sub path the session cookie gets Path=/ and the login does not stick",
     "msg-proxy-drops-set-cookie"),
    ("envoy gateway oidc returns 401 OAuth flow failed, log says csrf token validation failed",
     "msg-envoy-oauth2-flow-failed"),
]


def found(kb, text: str) -> list[str]:
    return [m.entry.id for m in kb.match_text(text)]


def first_two(text: str, now) -> list[str]:
    return [f.code for f in diagnose(text, now=now).findings[:2]]


@pytest.mark.parametrize(("text", "expected"), MATCHED)
def test_a_pattern_finds_the_entry(kb, text, expected):
    assert expected in found(kb, text)


@pytest.mark.parametrize(("text", "not_expected"), NOT_MATCHED)
def test_near_text_does_not_match(kb, text, not_expected):
    assert not_expected not in found(kb, text)


@pytest.mark.parametrize(("text", "expected"), SAID)
def test_words_put_the_cause_in_the_first_two(text, expected, now):
    assert expected in first_two(text, now)
