"""No secret in an attached file leaves through ``bot.files``: generated secrets of every kind placed where
a HAR or a log export carries them, read through the core and through ``sso-bot diagnose --file``.

Each example puts every generated secret (``tests/support/secrets.py``) into a sign-in capture built in
real HAR shapes (``tests/unit/files/har_builder.py``): as a cookie and Set-Cookie value, an
Authorization header, the code and tokens in the callback's query and fragment, the SAMLResponse and the
password of a form post, a JSON error body, the error_description of a redirect; and into an Entra
provisioning export's error reason. No 12-character run of any of them, in any case and after undoing
URL, HTML and JSON escaping, may appear in the text or JSON report.
"""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, Phase, given, settings

from bot.diagnostics.render import render_json, render_text
from bot.files import analyse_file
from tests.support.secrets import Leaks, Pasted, one_of_each
from tests.unit.files import har_builder as hb

FILE_TEST = settings(max_examples=4, derandomize=True, database=None, deadline=None,
                     phases=[Phase.explicit, Phase.generate],
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                            HealthCheck.data_too_large])


def _values(pastes: tuple[Pasted, ...]) -> list[str]:
    return [s for p in pastes for s in p.secrets]


def _capture(pastes: tuple[Pasted, ...]) -> dict:
    secrets = _values(pastes)
    first, *rest = secrets
    flow = hb.code_flow(code=first, password=secrets[1], session=secrets[2])
    saml = next((s for p in pastes if p.kind == "saml" for s in p.secrets), first)
    flow += hb.saml_flow(saml)
    for n, secret in enumerate(rest):
        target = flow[n % len(flow)]
        target["request"]["headers"].append({"name": "Authorization", "value": f"Bearer {secret}"})
        target["request"]["headers"].append({"name": "Cookie", "value": f"sid={secret}; theme=dark"})
        target["response"]["headers"].append({"name": "Set-Cookie", "value": f"session={secret}; Path=/; Secure"})
        target["response"]["cookies"].append({"name": "session", "value": secret})
    tokens = urlencode({"access_token": secrets[3], "id_token": secrets[4], "state": "x", "token_type": "Bearer"})
    flow.append(hb.entry("GET", f"{hb.APP}/signin-oidc#{tokens}", 500, at=12, mime="application/json",
                         body=json.dumps({"error": "server_error", "error_description": f"token {secrets[5]} refused",
                                          "refresh_token": secrets[6]})))
    described = quote(f"AADSTS50011 for client_secret={secrets[7]} and Cookie: a={secrets[8]}")
    flow.append(hb.entry("GET", f"{hb.IDP}/common/oauth2/v2.0/authorize?client_id={hb.CLIENT}&response_type=code"
                         f"&redirect_uri=https%3A%2F%2Fapp.example.com%2Fsignin-oidc", 302, at=13,
                         location=f"{hb.APP}/signin-oidc?error=invalid_request&error_description={described}"))
    return hb.har(flow)


def _export(pastes: tuple[Pasted, ...]) -> str:
    rows = []
    for n, paste in enumerate(pastes):
        rows.append({"activityDateTime": f"2026-11-0{1 + n % 9}T10:00:00Z", "jobId": "scim.1", "provisioningAction": "create",
                     "sourceIdentity": {"details": {"UserPrincipalName": f"user{n}@example.com"}},
                     "provisioningStatusInfo": {"status": "failure", "errorInformation": {
                         "errorCode": "SystemForCrossDomainIdentityManagementBadResponse",
                         "reason": f"The SCIM endpoint answered 400: {paste.text}"}}})
    return "\n".join(json.dumps(r) for r in rows)


@FILE_TEST
@given(pastes=one_of_each())
def test_no_secret_in_a_capture_or_an_export_reaches_a_report(tmp_path_factory, pastes):
    leaks = Leaks(_values(pastes))
    folder = tmp_path_factory.mktemp("leaks")
    capture = hb.write(folder / "signin.har", _capture(pastes))
    export = folder / "provisioning.jsonl"
    export.write_text(_export(pastes))
    for path in (capture, export):
        report = analyse_file(path)
        assert report.findings
        for output in (render_text(report), render_json(report)):
            assert not leaks.in_text(output), (path, leaks.in_text(output)[:3])
        assert not leaks.in_value(report.to_dict())


@settings(FILE_TEST, max_examples=1)
@given(pastes=one_of_each())
def test_no_secret_in_a_file_reaches_the_command_line(tmp_path_factory, pastes):
    leaks = Leaks(_values(pastes))
    folder = tmp_path_factory.mktemp("cli")
    capture = hb.write(folder / "signin.har", _capture(pastes))
    for argv in (["diagnose", capture], ["diagnose", "--json", "--file", capture]):
        done = subprocess.run([sys.executable, "-m", "bot", *argv], capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, done.stderr
        assert not leaks.in_text(done.stdout + done.stderr)
