"""`sso-bot check scim` against real peers on loopback: the scim2-server package (PyPI) for the good path, a
wrong token and a wrong base path, and small handlers for what no real server does on demand (an HTML
sign-in page, a redirect to one, a 404 on a filter, a slow answer, a 429, a 5xx, an ignored filter),
including the responses Microsoft's and Okta's documentation publish (shared/corpus/scim/*.http).
"""

from __future__ import annotations

import base64
import json
import logging
from datetime import datetime, timedelta, timezone

import pytest

from bot.diagnostics.report import Severity
from bot.diagnostics.token import fingerprint
from bot.live.run import LiveInputError, run_scim_check
from bot.live.scim_plan import plan_for
from tests.live.peers import Answer, LoopbackServer, json_answer, scim2_server

TOKEN = "scim-test-token-6f1c0b6e2d7a4f0e9b3c"
NOW = datetime.now(timezone.utc)
FIXED = iter(f"00000000-0000-4000-8000-{n:012d}" for n in range(1, 10**6))


def nonce() -> str:
    return next(FIXED)


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


def problems(report) -> set[str]:
    return {f.code for f in report.findings if f.severity in (Severity.WARN, Severity.FAIL)}


def jwt(**claims) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.{'c2lnbmF0dXJl' * 4}"


def http_block(path, title: str) -> tuple[int, dict[str, str], str]:
    """The status, headers and body of the response titled ``title`` in a corpus .http file."""
    sections = path.read_text(encoding="utf-8").split("\n### ")
    section = next(s for s in sections if s.startswith(title + "\n"))
    lines = section.split("\n")[1:]
    status = int(lines[0].split()[1])
    headers: dict[str, str] = {}
    index = 1
    while lines[index].strip():
        name, _, value = lines[index].partition(":")
        headers[name.strip()] = value.strip()
        index += 1
    return status, headers, "\n".join(lines[index + 1:]).strip()


@pytest.fixture(scope="module")
def scim_peer():
    with scim2_server(TOKEN) as base:
        yield base


# ---------------------------------------------------------------------- the real SCIM server


@pytest.mark.parametrize("idp", ["entra", "okta"])
def test_a_working_endpoint_and_token_pass_the_replay(scim_peer, loopback_policy, idp):
    report = run_scim_check(scim_peer, TOKEN, idp=idp, policy=loopback_policy(), nonce=nonce)
    assert report.findings[0].code == "live-scim-ok", [(f.code, f.title) for f in report.findings]
    assert not report.failed and problems(report) == set()
    replay = next(f for f in report.findings if f.code == "live-scim-replay")
    sent = [key for key in replay.facts if key[0].isdigit()]
    assert len(sent) == len(plan_for(idp))
    assert all(replay.facts[key].startswith(("200", "404")) for key in sent)
    assert "live-scim-discovery-missing" not in codes(report)


def test_an_expired_jwt_is_named_as_the_reason_for_the_401(scim_peer, loopback_policy):
    token = jwt(iss="https://sts.windows.net/tenant/", aud="https://app.example.com", exp=int((NOW - timedelta(days=3))
                                                                                            .timestamp()))
    report = run_scim_check(scim_peer, token, policy=loopback_policy(), nonce=nonce)
    assert report.failed and codes(report)[:1] == ["live-scim-unauthorized"]
    unauthorized = report.findings[0]
    assert "expired" in unauthorized.title and unauthorized.facts["token_fingerprint"] == fingerprint(token)
    assert unauthorized.facts["www_authenticate"].startswith("Bearer")
    assert "token-expired" in codes(report)
    assert "live-scim-token-audience" in codes(report)  # aud is another host than 127.0.0.1
    replay = next(f for f in report.findings if f.code == "live-scim-replay")
    assert len([k for k in replay.facts if k[0].isdigit()]) == 1  # stopped after the first 401
    assert token not in json.dumps(report.to_dict())


def test_an_opaque_wrong_token_says_its_expiry_is_unknown(scim_peer, loopback_policy):
    token = "0123456789abcdefghijklmnopqrstuvwxyzABCD"
    report = run_scim_check(scim_peer, "Bearer " + token, idp="okta", policy=loopback_policy(), nonce=nonce)
    unauthorized = report.findings[0]
    assert unauthorized.code == "live-scim-unauthorized" and "opaque" in unauthorized.title
    assert "token-opaque" in codes(report)
    assert token not in json.dumps(report.to_dict())


@pytest.mark.parametrize("path", ["/v2/Users", "/v1"])
def test_a_wrong_base_path_is_a_404_with_the_path_problem_named(scim_peer, loopback_policy, path):
    base = scim_peer.rsplit("/v2", 1)[0] + path
    report = run_scim_check(base, TOKEN, policy=loopback_policy(), nonce=nonce)
    assert report.findings[0].code == "live-scim-not-found", codes(report)
    assert "live-scim-filter-404" not in codes(report) and "live-scim-discovery-missing" not in codes(report)
    assert report.findings[0].facts["path_problems"]
    assert any(code.startswith("scim-url-") for code in codes(report))


def test_a_404_on_a_well_formed_path_of_another_shape_invents_no_path_problem(scim_peer, loopback_policy):
    """The peer serves /v2; /scim/v2 is a fine SCIM URL for some other server, so only the 404 says it is wrong
    here (the guide's shape, which it is not in, would have added three problems that are not)."""
    base = scim_peer.rsplit("/v2", 1)[0] + "/scim/v2"
    report = run_scim_check(base, TOKEN, policy=loopback_policy(), nonce=nonce)
    assert report.findings[0].code == "live-scim-not-found", codes(report)
    assert "path_problems" not in report.findings[0].facts
    assert not any(code.startswith("scim-url-") for code in codes(report))


def test_plain_http_without_the_allowance_is_refused(scim_peer, no_sockets):
    report = run_scim_check(scim_peer, TOKEN, nonce=nonce)
    assert codes(report)[0] == "live-not-https"


# ---------------------------------------------------------------------- what the documentation publishes


def test_the_responses_microsoft_documents_pass(corpus, ca, loopback_policy):
    """Entra's "Get User by query - Zero results" and an empty group list, served as published."""
    status, _headers, body = http_block(corpus / "scim" / "entra_scim_requests_responses.http",
                                        "Get User by query - Zero results -- response")
    empty = json_answer(body, status=status)
    with LoopbackServer({"/scim/v2/Users": empty, "/scim/v2/Groups": empty}, tls=ca.issue("scim.example.test")) as srv:
        policy = loopback_policy(allow="scim.example.test", names={"scim.example.test": ["127.0.0.1"]})
        report = run_scim_check(srv.url("/scim/v2", host="scim.example.test"), TOKEN, policy=policy, nonce=nonce)
    assert problems(report) == set() and codes(report)[0] == "live-scim-ok"
    assert "live-scim-discovery-missing" in codes(report)
    assert srv.server_names and set(srv.server_names) == {"scim.example.test"}
    assert {s.method for s in srv.seen} == {"GET"}
    first = srv.seen[0]
    assert first.path.startswith("/scim/v2/Users?filter=userName%20eq%20%22") and first.headers["authorization"] == \
        f"Bearer {TOKEN}"
    groups = srv.seen[1]
    assert groups.path.startswith("/scim/v2/Groups?excludedAttributes=members&filter=displayName%20eq%20%22")


def test_oktas_documented_no_match_response_is_read_with_its_content_type(corpus, loopback_policy):
    """Okta's reference shows the empty ListResponse with Content-Type text/json, and its alternative: a 404
    with the SCIM error schema. Both are served as published."""
    path = corpus / "scim" / "okta_scim20_http_exchanges.http"
    status, headers, body = http_block(path, "Determine if the User already exists -- response (no match, empty "
                                             "ListResponse)")
    alt_status, alt_headers, alt_body = http_block(path, "Determine if the User already exists -- alternative "
                                                         "response (404 error schema)")
    documented = Answer(status, body, {"Content-Type": headers["Content-Type"]})
    with LoopbackServer({"/scim/v2/Users": documented, "/scim/v2/Groups": documented}) as server:
        report = run_scim_check(server.url("/scim/v2"), TOKEN, idp="okta", policy=loopback_policy(), nonce=nonce)
    assert "live-scim-content-type" in problems(report)
    assert next(f for f in report.findings if f.code == "live-scim-content-type").facts["content_type"] == \
        "text/json;charset=UTF-8"
    assert "live-scim-error-body" in problems(report)  # the unknown id got our plain 404 page

    def users(seen):
        if "filter=" in seen.path:
            return Answer(alt_status, alt_body, {"Content-Type": alt_headers["Content-Type"]})
        return json_answer(body)

    with LoopbackServer({"/scim/v2/Users": users, "/scim/v2/Groups": json_answer(body)}) as server:
        okta = run_scim_check(server.url("/scim/v2"), TOKEN, idp="okta", policy=loopback_policy(), nonce=nonce)
        entra = run_scim_check(server.url("/scim/v2"), TOKEN, idp="entra", policy=loopback_policy(), nonce=nonce)
    assert "live-scim-filter-404-tolerated" in problems(okta) and not okta.failed
    assert "live-scim-filter-404" in problems(entra) and entra.failed


# ---------------------------------------------------------------------- misbehaviours on demand

SIGN_IN = ("<!DOCTYPE html><html><head><title>Sign in - Contoso</title></head><body><form method=post>"
           "<input name=user><input type=password name=pw></form></body></html>")
EMPTY_LIST = json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 0,
                         "startIndex": 1, "itemsPerPage": 0, "Resources": []})


def _serve_everywhere(answer):
    return {path: answer for path in ("/scim/v2/Users", "/scim/v2/Groups", "/scim/v2/ServiceProviderConfig",
                                      "/scim/v2/Schemas", "/scim/v2/ResourceTypes")}


def test_an_html_sign_in_page_instead_of_json(loopback_policy):
    with LoopbackServer(_serve_everywhere(Answer(200, SIGN_IN, {"Content-Type": "text/html"}))) as server:
        report = run_scim_check(server.url("/scim/v2"), TOKEN, policy=loopback_policy(), nonce=nonce)
    html = report.findings[0]
    assert html.code == "live-scim-html" and "sign-in page" in html.title
    assert html.facts["page_title"] == "Sign in - Contoso"


def test_a_redirect_to_a_sign_in_page_does_not_carry_the_token(loopback_policy):
    routes = _serve_everywhere(Answer(302, b"", {"Location": "/login?next=/scim"}))
    routes["/login"] = Answer(200, SIGN_IN, {"Content-Type": "text/html; charset=utf-8"})
    with LoopbackServer(routes) as server:
        report = run_scim_check(server.url("/scim/v2"), TOKEN, policy=loopback_policy(), nonce=nonce)
    redirect = report.findings[0]
    assert redirect.code == "live-scim-redirect" and redirect.facts["ends_at"] == "a sign-in page"
    logins = [s for s in server.seen if s.path.startswith("/login")]
    assert logins and all("authorization" not in s.headers for s in logins)


def test_a_slow_endpoint_times_out_and_the_replay_stops(loopback_policy):
    with LoopbackServer() as server:
        server.routes.update(_serve_everywhere(Answer(200, EMPTY_LIST, {"Content-Type": "application/scim+json"},
                                                      wait=server.release)))
        report = run_scim_check(server.url("/scim/v2"), TOKEN, policy=loopback_policy(deadline=0.3), nonce=nonce)
        seen = len(server.seen)
    assert codes(report)[0] == "live-timeout" and seen == 1


def test_a_429_reports_retry_after_and_stops(loopback_policy):
    answer = json_answer('{"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "429"}', status=429,
                         Retry_After="120")
    with LoopbackServer(_serve_everywhere(answer)) as server:
        report = run_scim_check(server.url("/scim/v2"), TOKEN, idp="okta", policy=loopback_policy(), nonce=nonce)
    limited = report.findings[0]
    assert limited.code == "live-scim-rate-limited" and limited.facts["retry_after"] == "120"
    assert len(server.seen) == 1 and not report.failed


def test_a_server_error_and_an_ignored_filter(loopback_policy):
    one_user = json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 1,
                           "startIndex": 1, "itemsPerPage": 1, "Resources": [{"id": "1", "userName": "someone"}]})
    routes = {"/scim/v2/Users": json_answer(one_user),
              "/scim/v2/Groups": json_answer('{"detail": "boom"}', status=500)}
    with LoopbackServer(routes) as server:
        report = run_scim_check(server.url("/scim/v2"), TOKEN, policy=loopback_policy(), nonce=nonce)
    assert {"live-scim-filter-ignored", "live-scim-server-error"} <= problems(report)


def test_a_list_without_its_fields_and_a_wrong_content_type(loopback_policy):
    routes = {"/scim/v2/Users": json_answer('{"Resources": []}', media="application/json"),
              "/scim/v2/Groups": json_answer('{"totalResults": 0}', media="application/json")}
    with LoopbackServer(routes) as server:
        report = run_scim_check(server.url("/scim/v2"), TOKEN, policy=loopback_policy(), nonce=nonce)
    assert {"live-scim-list-no-total", "live-scim-list-fields"} <= problems(report)
    assert "live-scim-content-type-json" in codes(report)


def test_a_server_that_echoes_the_token_has_it_hidden(loopback_policy, caplog):
    def echo(seen):
        detail = f"token {seen.headers.get('authorization', '')} is not valid"
        return json_answer(json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "401",
                                       "detail": detail}), status=401)

    caplog.set_level(logging.DEBUG)
    with LoopbackServer(_serve_everywhere(echo)) as server:
        report = run_scim_check(server.url("/scim/v2"), TOKEN, policy=loopback_policy(), nonce=nonce)
    assert report.findings[0].code == "live-scim-unauthorized"
    assert "-character token, fingerprint" in report.findings[0].facts["detail"]  # the boundary's hint
    assert TOKEN not in json.dumps(report.to_dict())
    assert TOKEN not in caplog.text


# ---------------------------------------------------------------------- TLS


@pytest.mark.parametrize(("kind", "code"), [("expired", "live-tls-expired"), ("self_signed", "live-tls-self-signed"),
                                            ("hostname", "live-tls-hostname"), ("other_ca", "live-tls-untrusted"),
                                            ("same_name_other_key", "live-tls-untrusted")])
def test_certificate_problems_are_named(ca, loopback_policy, tmp_path, kind, code):
    from tests.live.peers import TestCA

    issued = {"expired": lambda: ca.issue("127.0.0.1", expired=True),
              "self_signed": lambda: ca.issue("127.0.0.1", self_signed=True),
              "hostname": lambda: ca.issue("scim.other.test"),
              "other_ca": lambda: TestCA(tmp_path, "another CA").issue("127.0.0.1"),
              "same_name_other_key": lambda: TestCA(tmp_path).issue("127.0.0.1")}[kind]()
    with LoopbackServer(_serve_everywhere(json_answer(EMPTY_LIST)), tls=issued) as server:
        report = run_scim_check(server.url("/scim/v2"), TOKEN, policy=loopback_policy(), nonce=nonce)
    assert codes(report)[0] == code and report.failed
    assert not any(s for s in server.seen)  # the handshake failed: no request was ever read


# ---------------------------------------------------------------------- input


@pytest.mark.parametrize(("url", "token", "idp", "field"), [
    ("", TOKEN, "entra", "url"), ("https://scim.example.test/scim/v2", "  ", "entra", "token"),
    ("https://scim.example.test/scim/v2", TOKEN, "onelogin", "idp"), ("ftp://x.test/", TOKEN, "okta", "url")])
def test_bad_input_is_a_clear_error_that_never_repeats_the_token(no_sockets, url, token, idp, field):
    with pytest.raises(LiveInputError) as error:
        run_scim_check(url, token, idp=idp)
    assert error.value.field == field and TOKEN not in error.value.message
