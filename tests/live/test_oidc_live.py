"""`sso-bot check oidc` against a real OpenID Provider (oidc-provider from the npm registry, tests/peers/oidc)
and against discovery documents and key sets captured from Entra ID, Google, Okta, Keycloak and Ping
(shared/corpus/oidc/), served over TLS from loopback under their own host names.

The captured documents are served with ``https://host`` rewritten to ``https://host:PORT`` (the loopback
server cannot take port 443), so the issuer and the jwks_uri keep pointing at the same names; the names
resolve to 127.0.0.1 through the tests' resolver, never through DNS.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from bot.diagnostics.report import Severity
from bot.live.run import run_oidc_check
from tests.live.peers import Answer, LoopbackServer, oidc_provider

CAPTURED = datetime(2024, 11, 1, tzinfo=timezone.utc)  # the corpus documents were captured in October 2024


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


def problems(report) -> set[str]:
    return {f.code for f in report.findings if f.severity in (Severity.WARN, Severity.FAIL)}


# ---------------------------------------------------------------------- the real OpenID Provider


def test_a_real_provider_passes(ca, loopback_policy):
    with oidc_provider(ca) as issuer:
        report = run_oidc_check(issuer, policy=loopback_policy())
    assert codes(report)[0] == "live-oidc-ok", [(f.code, f.title) for f in report.findings]
    assert problems(report) == set()
    keys = next(f for f in report.findings if f.code == "live-oidc-keys")
    assert any("RSA" in value and "RS256" in value for value in keys.facts.values())
    summary = next(f for f in report.findings if f.code == "live-oidc-discovery")
    assert summary.facts["issuer"] == issuer and summary.facts["jwks_uri"].startswith(issuer)


def test_a_provider_whose_issuer_has_a_trailing_slash(ca, loopback_policy):
    with oidc_provider(ca, suffix="/") as issuer:
        report = run_oidc_check(issuer, policy=loopback_policy())
    mismatch = report.findings[0]
    assert mismatch.code == "live-oidc-issuer-mismatch" and mismatch.facts["difference"] == "a trailing slash"
    assert mismatch.facts["published"] == issuer + "/" and report.failed


# ---------------------------------------------------------------------- captured documents, served under their names


class Captured:
    """A TLS server on loopback answering for ``hosts`` with corpus files at their real paths."""

    def __init__(self, ca, corpus, hosts: list[str], files: dict[str, str], date: str | None = None):
        self.hosts = hosts
        self.server = LoopbackServer(tls=ca.issue(*hosts))
        self.files = files
        self.corpus = corpus
        self.date = date

    def __enter__(self):
        self.server.__enter__()
        for path, name in self.files.items():
            text = (self.corpus / "oidc" / name).read_text(encoding="utf-8")
            for host in self.hosts:
                text = text.replace(f"https://{host}/", f"https://{host}:{self.server.port}/")
                text = text.replace(f'"https://{host}"', f'"https://{host}:{self.server.port}"')
            headers = {"Content-Type": "application/json; charset=utf-8"}
            if self.date:
                headers["Date"] = self.date
            self.server.routes[path] = Answer(200, text, headers)
        return self

    def __exit__(self, *exc):
        self.server.__exit__(*exc)

    def issuer(self, host: str, path: str = "") -> str:
        return f"https://{host}:{self.server.port}{path}"

    def policy(self, loopback_policy):
        return loopback_policy(allow=",".join(self.hosts), names={h: ["127.0.0.1"] for h in self.hosts})


def test_google_captured_passes(ca, corpus, loopback_policy):
    hosts = ["accounts.google.com", "www.googleapis.com"]
    files = {"/.well-known/openid-configuration": "google_openid-configuration.json",
             "/oauth2/v3/certs": "google_jwks.json"}
    with Captured(ca, corpus, hosts, files) as served:
        report = run_oidc_check(served.issuer("accounts.google.com"), policy=served.policy(loopback_policy),
                                now=CAPTURED)
        names = set(served.server.server_names)
    assert codes(report)[0] == "live-oidc-ok" and problems(report) == set(), codes(report)
    assert names == {"accounts.google.com", "www.googleapis.com"}  # SNI carried the names, not 127.0.0.1


def test_entra_common_publishes_the_tenant_template(ca, corpus, loopback_policy):
    hosts = ["login.microsoftonline.com"]
    files = {"/common/v2.0/.well-known/openid-configuration": "entra_common_v2_openid-configuration.json",
             "/common/discovery/v2.0/keys": "entra_common_v2_jwks.json"}
    with Captured(ca, corpus, hosts, files) as served:
        report = run_oidc_check(served.issuer("login.microsoftonline.com", "/common/v2.0"),
                                policy=served.policy(loopback_policy), now=CAPTURED)
    assert problems(report) == {"live-oidc-issuer-template"} and not report.failed
    template = report.findings[0]
    assert "{tenantid}" in template.facts["published"]
    keys = next(f for f in report.findings if f.code == "live-oidc-keys")
    assert len(keys.facts) == 7 and all("2048 bits" in v and "certificate until" in v for v in keys.facts.values())


def test_okta_custom_server_with_a_trailing_slash_and_no_algorithms(ca, corpus, loopback_policy):
    """The custom authorization server document from Okta's SDK tests: asked for with a trailing slash, and it
    lists no ID token signing algorithms."""
    hosts = ["auth-js-test.okta.com"]
    files = {"/oauth2/aus8aus76q8iphupD0h7/.well-known/openid-configuration":
             "okta_custom_as_openid-configuration_auth-js-test.json"}
    with Captured(ca, corpus, hosts, files) as served:
        report = run_oidc_check(served.issuer("auth-js-test.okta.com", "/oauth2/aus8aus76q8iphupD0h7/"),
                                policy=served.policy(loopback_policy), now=CAPTURED)
    found = {f.code: f for f in report.findings}
    assert found["live-oidc-issuer-mismatch"].facts["difference"] == "a trailing slash"
    assert "id_token_signing_alg_values_supported" in found["live-oidc-missing-fields"].facts["missing"]
    assert found["live-oidc-jwks-unusable"].facts["status"] == "404"  # its keys are not among the captured files


def test_a_v1_style_document_with_relative_and_plain_endpoints(ca, corpus, loopback_policy):
    """Microsoft.IdentityModel's v1-shaped test document: its jwks_uri is relative ("JsonWebKeySet.json")."""
    hosts = ["sts.windows.net"]
    files = {"/d062b2b0-9aca-4ff7-b32a-ba47231a4002/.well-known/openid-configuration":
             "identitymodel_aad_v1_style_openid-configuration_testdata.json"}
    with Captured(ca, corpus, hosts, files) as served:
        report = run_oidc_check(served.issuer("sts.windows.net", "/d062b2b0-9aca-4ff7-b32a-ba47231a4002/"),
                                policy=served.policy(loopback_policy), now=CAPTURED)
    found = {f.code: f for f in report.findings}
    assert "jwks_uri" in found["live-oidc-endpoint-not-https"].facts
    assert "live-bad-url" in found  # the relative jwks_uri cannot be fetched


def test_a_skewed_clock_and_keys_without_alg(ca, corpus, loopback_policy):
    """Google's document with Ping's key set (no alg, no x5c), from a server whose clock is ten minutes ahead."""
    ahead = format_datetime(datetime.now(timezone.utc).replace(microsecond=0) + timedelta(minutes=10), usegmt=True)
    hosts = ["accounts.google.com", "www.googleapis.com"]
    files = {"/.well-known/openid-configuration": "google_openid-configuration.json",
             "/oauth2/v3/certs": "pingidentity_jwks_identitymodel_testdata.json"}
    with Captured(ca, corpus, hosts, files, date=ahead) as served:
        report = run_oidc_check(served.issuer("accounts.google.com"), policy=served.policy(loopback_policy),
                                now=CAPTURED)
    assert problems(report) == {"live-oidc-clock-skew"}
    skew = report.findings[0]
    assert "ahead of" in skew.title and 590 <= int(skew.facts["skew_seconds"]) <= 600


def test_a_missing_document_and_an_html_page(ca, loopback_policy):
    page = Answer(200, "<html><head><title>Welcome</title></head><body>portal</body></html>",
                  {"Content-Type": "text/html"})
    with LoopbackServer({"/portal/.well-known/openid-configuration": page}, tls=ca.issue("127.0.0.1")) as server:
        missing = run_oidc_check(server.url("/nothing"), policy=loopback_policy())
        html = run_oidc_check(server.url("/portal"), policy=loopback_policy())
    assert codes(missing)[0] == "live-oidc-discovery-status" and missing.failed
    assert codes(html)[0] == "live-oidc-discovery-not-json"
    assert html.findings[0].facts["page_title"] == "Welcome"


def test_a_jwks_uri_on_a_private_address_is_refused(ca, loopback_policy):
    document = json.dumps({"issuer": "ISSUER", "authorization_endpoint": "https://127.0.0.1/auth",
                           "token_endpoint": "https://127.0.0.1/token", "jwks_uri": "https://169.254.169.254/keys",
                           "response_types_supported": ["code"], "subject_types_supported": ["public"],
                           "id_token_signing_alg_values_supported": ["RS256"]})
    with LoopbackServer(tls=ca.issue("127.0.0.1")) as server:
        issuer = server.url("")
        server.routes["/.well-known/openid-configuration"] = Answer(
            200, document.replace("ISSUER", issuer), {"Content-Type": "application/json"})
        report = run_oidc_check(issuer, policy=loopback_policy())
    refused = next(f for f in report.findings if f.code == "live-refused")
    assert refused.facts["address"] == "169.254.169.254" and report.failed


def test_the_issuer_must_be_a_url(no_sockets):
    from bot.live.run import LiveInputError

    with pytest.raises(LiveInputError):
        run_oidc_check("   ")
    assert codes(run_oidc_check("https://10.0.0.1/tenant/v2.0"))[0] == "live-refused"
