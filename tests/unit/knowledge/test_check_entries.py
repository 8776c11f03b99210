"""Every finding code the checks name has its knowledge entry, every entry is a code some check names, and
the checks fill the templates they use.

A check emits a code and its facts (``explain.check_finding``; the live checks through
``live.shared.live_finding``); the finding's whole text is its entry in ``checks.toml``, ``live_checks.toml``
or ``file_checks.toml``, and ``check_finding`` refuses a code without one. So there is one copy of every
text, and nothing to keep in step but the codes themselves:

* a code is written as a string literal where the check decides on it (or in a module-level table of
  them), so every string in ``bot/`` shaped like a check code must be an entry, and every entry must be
  such a string somewhere (a typo leaves its entry unnamed);
* the checks, run on real material (the shared corpus) and on the sign-ins and answers built here, give
  every field their templates need outside a ``[[...]]`` part: no title falls back to the entry's name.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.diagnostics.explain import check_finding
from bot.diagnostics.live import read_discovery, read_saml_metadata, read_scim_answers
from bot.diagnostics.live.shared import failure_finding
from bot.diagnostics.report import Finding
from bot.files import analyse_file
from bot.knowledge.schema import CHECK_ID_PREFIXES
from bot.knowledge.systems import OPTIONAL_PART, template_fields
from bot.live.exchange import FAILURE_KINDS, Exchange, Failure
from bot.live.scim_plan import plan_for
from tests.unit.files import har_builder as hb

BOT = Path(__file__).resolve().parents[3] / "bot"
CODE_SHAPE = re.compile(r"^(?:%s)[a-z0-9]+(?:-[a-z0-9]+)*$" % "|".join(map(re.escape, CHECK_ID_PREFIXES)))
#: Strings of that shape that are not finding codes: kinds of secret and of tracked credential.
NOT_CODES = {"saml-cert", "saml-response", "saml-request"}
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
#: The findings of the file and live readers, whose titles always have their facts. (Some other checks let
#: a title fall back to the entry's name on purpose: saml-nameid-missing when there is no NameID at all.)
READERS = ("har-", "file-", "export-", "live-", "saml-metadata-")


def named_codes() -> dict[str, set[str]]:
    """Every string constant in ``bot/`` shaped like a check's finding code, with the modules naming it."""
    found: dict[str, set[str]] = {}
    for path in sorted(BOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE_SHAPE.match(node.value):
                found.setdefault(node.value, set()).add(path.relative_to(BOT).as_posix())
    return found


def test_every_code_the_checks_name_has_its_entry_and_every_entry_is_named(kb):
    entries = {e.id for e in kb.entries() if e.system == "check"}
    named = named_codes()
    assert {code: sorted(where) for code, where in named.items() if code not in entries | NOT_CODES} == {}
    assert sorted(entries - named.keys()) == []
    assert len(entries) > 250  # the scan read the checks (a drop means a module stopped being read)


# ------------------------------------------------------------------ the templates are filled


def unfilled(finding: Finding, kb) -> list[str]:
    """What is wrong with ``finding``'s text: a title that fell back to the entry's name although the check
    has the facts for it, or a template's marks left in."""
    entry = kb.get(finding.code)
    if entry is None or entry.title is None or not finding.code.startswith(READERS):
        return []  # a finding of another kind (the engine's explanations, a cause of an export, a SAML check's)
    problems = []
    if template_fields(OPTIONAL_PART.sub("", entry.title)) and finding.title == entry.name:
        problems.append(f"{finding.code}: the title fell back to the entry's name")
    for text in (finding.title, finding.detail, *finding.fix):
        if "[[" in text or "]]" in text:
            problems.append(f"{finding.code}: a template mark is left in {text[:80]!r}")
    return problems


def test_a_title_that_falls_back_is_caught(kb):
    assert unfilled(check_finding("har-state-lost"), kb) == ["har-state-lost: the title fell back to the entry's name"]
    assert unfilled(check_finding("har-state-lost", values={"sent_step": "1", "callback_step": "3"}), kb) == []


def _files(corpus: Path, tmp_path: Path) -> list[Finding]:
    paths = sorted((corpus / "har").glob("*.har")) + sorted((corpus / "tokens" / "saml_responses").iterdir())
    paths += sorted((corpus / "provisioning_exports").iterdir())
    response = (corpus / "tokens" / "saml_responses" / "valid_response.xml.base64").read_text().strip()
    built = {"ok": hb.code_flow(), "error": hb.error_flow(), "saml": hb.saml_flow(response),
             "502": hb.code_flow(callback_status=502), "skew": hb.code_flow(idp_skew=600)}
    paths += [Path(hb.write(tmp_path / f"{name}.har", hb.har(flow))) for name, flow in built.items()]
    findings = []
    for path in paths:
        findings += analyse_file(path, now=NOW, expect_audience="https://sp.example.com/metadata").findings
    return findings


def _answer(url: str, body: object, *, status: int = 200, media: str = "application/json") -> Exchange:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Exchange(url=url, final_url=url, status=status, headers={"content-type": media, "date":
                    "Mon, 01 Jun 2026 12:09:00 GMT"}, body=raw, received_at=NOW)


def _live(corpus: Path) -> list[Finding]:
    findings = [failure_finding(Exchange(url="https://idp.example.com/x", failure=Failure(kind, host="idp.example.com")),
                                "the discovery document") for kind in sorted(FAILURE_KINDS)]
    oidc = corpus / "oidc"
    for name, keys in (("google", "google_jwks.json"), ("entra_common_v2", "entra_common_v2_jwks.json"),
                       ("keycloak_lagoon_realm", "keycloak_lagoon_realm_jwks.json")):
        document = json.loads((oidc / f"{name}_openid-configuration.json").read_text())
        issuer = document["issuer"].replace("{tenantid}", "common") + "/"
        jwks = _answer(document["jwks_uri"], json.loads((oidc / keys).read_text()))
        findings += read_discovery(issuer, _answer(issuer, document), jwks, now=NOW).findings
    findings += read_discovery("https://idp.example.com", _answer("https://idp.example.com", b"<html>Sign in</html>",
                                                                  media="text/html"), None, now=NOW).findings
    for path in sorted((corpus / "saml_metadata").iterdir()):
        findings += read_saml_metadata(path.read_text(), now=NOW, source=path.name).findings
    findings += read_saml_metadata("<not xml", now=NOW).findings
    base = "https://scim.example.com/scim/v2"
    steps = plan_for("entra")
    wrong = [(step, _answer(base + step.target(), {"detail": "no"}, status=404, media="text/plain")) for step in steps]
    plain = [(step, _answer(base + step.target(), {"totalResults": 0}, media="application/json")) for step in steps]
    refused = [(steps[0], _answer(base + steps[0].target(), {"detail": "bad token"}, status=401))]
    for answers in (wrong, plain, refused):
        findings += read_scim_answers(base, "entra", answers, token="not-a-real-token-123456", now=NOW).findings
    return findings


def test_the_file_readers_fill_their_templates(kb, corpus, tmp_path):
    findings = _files(corpus, tmp_path)
    assert len({f.code for f in findings if f.code.startswith(("har-", "file-", "export-"))}) >= 10
    assert [p for f in findings for p in unfilled(f, kb)] == []


def test_the_live_readers_fill_their_templates(kb, corpus):
    findings = _live(corpus)
    assert len({f.code for f in findings if f.code.startswith(("live-", "saml-metadata-"))}) >= 30
    assert [p for f in findings for p in unfilled(f, kb)] == []


# ------------------------------------------------------------------ conditions pick a wording


def test_a_condition_picks_its_part_and_shows_nothing():
    html = check_finding("saml-metadata-html", {"status": "200"}, values={"if_login": "yes"})
    page = check_finding("saml-metadata-html", {"status": "200"}, values={"if_page": "yes"})
    assert html.title == "The metadata URL answered with a sign-in page"
    assert page.title == "The metadata URL answered with an HTML page"
    assert "if_login" not in html.facts and "yes" not in html.title


def test_a_condition_given_as_a_fact_is_still_never_shown():
    finding = check_finding("saml-metadata-html", {"if_page": "yes"})
    assert finding.title == "The metadata URL answered with an HTML page"


# ------------------------------------------------------------------ the check entries themselves


def test_check_entries_are_complete(kb):
    for entry in (e for e in kb.entries() if e.system == "check"):
        assert entry.name and entry.summary and entry.title, entry.id
        if entry.severity in ("warn", "fail") and entry.fix:
            assert entry.deep and entry.where, f"{entry.id}: a warn/fail entry with fix steps needs causes and where"


def test_saml_entries_point_at_the_saml_settings(kb):
    entry = kb.get("saml-audience-mismatch")
    where = " ".join(entry.where)
    assert "Single sign-on → Basic SAML Configuration" in where
    assert "General → SAML Settings" in where
    assert "Provisioning → Admin Credentials → Tenant URL" in " ".join(kb.get("scim-url-missing-v2").where)
    assert "Authentication → Redirect URIs" in " ".join(kb.get("redirect-mismatch").where)


CHECK_ENTRY = """
system = "check"

[[entry]]
id = "saml-expired"
name = "SAML response expired"
summary = "NotOnOrAfter has passed."
severity = "fail"
causes = ["a"]
fix = ["b"]
where = ["c"]
"""


def write_check(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "checks.toml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_a_check_entry_needs_no_code_or_patterns(tmp_path):
    from bot.knowledge import load_knowledge

    kb = load_knowledge(write_check(tmp_path, CHECK_ENTRY))
    entry = kb.get("saml-expired")
    assert entry.system == "check" and entry.code is None and entry.patterns == [] and entry.deep
    assert kb.match_text("saml-expired SAML response expired") == []  # found by id only


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('id = "saml-expired"', 'id = "msg-saml-expired"'), "must start with one of"),
        (('severity = "fail"', 'severity = "fail"\ncode = "expired"'), "drop 'code'"),
        (('severity = "fail"', "severity = \"fail\"\npatterns = ['expired']"), "drop 'patterns'"),
        (('severity = "fail"', "severity = \"fail\"\naliases = ['x']"), "drop 'aliases'"),
        (('severity = "fail"', 'severity = "fail"\nhttp_status = 401'), "drop 'http_status'"),
        (('causes = ["a"]\n', ""), "must also list likely causes"),
        (('severity = "fail"', 'severity = "ok"'), "severity"),
    ],
)
def test_check_entries_are_validated_strictly(tmp_path, change, message):
    from bot.knowledge import KnowledgeError, load_knowledge

    old, new = change
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(write_check(tmp_path, CHECK_ENTRY.replace(old, new)))
    assert message in str(info.value) and "checks.toml" in str(info.value)


def test_scim_url_ids_are_reserved_for_the_check(tmp_path):
    from bot.knowledge import KnowledgeError, load_knowledge

    body = CHECK_ENTRY.replace('system = "check"', 'system = "scim"').replace("saml-expired", "scim-url-expired")
    with pytest.raises(KnowledgeError, match="use system 'check'"):
        load_knowledge(write_check(tmp_path, body))
