"""A HAR capture in, findings out: the timeline of the sign-in, then what went wrong and why.

The engine explains error codes and HTTP statuses (``bot.checks.run_check``, sealed); the SAML
responses posted in the flow go through the same SAML checks as a pasted one, judged at the time
they were posted. Everything here works on steps the reader already redacted.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import IO

from bot.checks import run_check
from bot.diagnostics import explain  # a finding's text from the knowledge (not a check: nothing is judged there)
from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.saml import decode as decode_saml
from bot.files.har_checks import Numbering, check_flow
from bot.files.har_flow import flow_of, idp_name, timeline
from bot.files.har_read import Capture, Step, read_har
from bot.files.redact import short
from bot.files.saml_file import audience_findings
from bot.safe_xml import parse_untrusted

__all__ = ["analyse_har", "HarResult"]

_P = "{urn:oasis:names:tc:SAML:2.0:protocol}"
_A = "{urn:oasis:names:tc:SAML:2.0:assertion}"
_EXPLAINED = 2  # engine findings kept per explained error: the best two


@dataclass
class HarResult:
    findings: list[Finding] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)


def analyse_har(stream: IO[bytes], *, now: datetime | None = None, expect_audience: str = "") -> HarResult:
    """Read the capture in ``stream`` and say what happened (may raise ``HarUnreadable``)."""
    capture = read_har(stream)
    result = HarResult(inputs=["har"], secrets=list(capture.secrets))
    flow = flow_of(capture.steps)
    if not flow:
        result.findings.append(_no_sign_in(capture))
        result.findings += _capture_notes(capture)
        return result
    result.inputs.append("har_sign_in")
    number = Numbering(flow)
    notes, saml_findings = _saml(flow, number, expect_audience)
    result.findings.append(_timeline(flow, notes))
    problems = check_flow(flow, capture) + saml_findings + _errors_in_flow(flow, number)
    problems.sort(key=lambda f: -f.severity.rank)
    problems = _with_explanations(problems, now)
    result.findings += problems + _capture_notes(capture)
    if not problems:
        result.findings.append(explain.check_finding("har-flow-clean", severity=Severity.OK))
    return result


def _timeline(flow: list[Step], notes: dict[int, str]) -> Finding:
    idps = sorted({idp_name(s.host, s.path) for s in flow} - {""})
    first = next((s.started for s in flow if s.started), None)
    return explain.check_finding(
        "har-timeline", {"steps": str(len(flow)), "hosts": ", ".join(dict.fromkeys(s.host for s in flow))[:300]},
        values={"idps": ", ".join(idps), "steps_shown": f"{len(flow)} step{'s' if len(flow) != 1 else ''}",
                "first_at": first.strftime("%Y-%m-%d %H:%M:%S") if first else "",
                "timeline": "\n".join(timeline(flow, notes))},
    )


def _no_sign_in(capture: Capture) -> Finding:
    failed = sum(1 for s in capture.steps if s.status >= 400 or s.status == 0)
    return explain.check_finding("har-no-sign-in", {"requests": str(capture.entries), "hosts": str(len(capture.hosts))},
                                 values={"failed": str(failed) if failed else ""})


def _capture_notes(capture: Capture) -> list[Finding]:
    notes = []
    if capture.truncated:
        how = {"if_cut": "yes"} if capture.truncated == "cut" else {"if_broken": "yes"}
        notes.append(explain.check_finding("har-truncated", values={**how, "requests": str(capture.entries)}))
    if capture.dropped:
        notes.append(explain.check_finding("har-steps-capped", values={"dropped": str(capture.dropped)}))
    return notes


# ------------------------------------------------------------------ errors the IdP put in redirects


def _errors_in_flow(flow: list[Step], number: Numbering) -> list[Finding]:
    out, seen = [], set()
    for step in flow:
        for params, where in ((step.params, step.where.get("error", "query")), (step.location_params, "redirect")):
            error = params.get("error")
            if not error or (error, params.get("error_description", "")[:60]) in seen:
                continue
            seen.add((error, params.get("error_description", "")[:60]))
            description = params.get("error_description", "")
            sender = step.host if where == "redirect" else ""  # a redirect's sender is the host that answered
            idp = idp_name(sender, step.path)
            out.append(explain.check_finding("har-oidc-error", {"error": short(error, 60), "step": str(number(step))},
                                             values={"idp": idp, "if_no_idp": "" if idp else "yes",
                                                     "error_shown": short(error, 40), "where": where,
                                                     "description": short(description, 400),
                                                     "if_no_description": "" if description else "yes"}))
    return out


def _with_explanations(problems: list[Finding], now: datetime | None) -> list[Finding]:
    """Each OIDC error and HTTP failure followed by the engine's explanation of it (once per code)."""
    out: list[Finding] = []
    explained: set[str] = {f.code for f in problems}
    for finding in problems:
        out.append(finding)
        question = _question(finding)
        if not question:
            continue
        report = run_check("explain" if len(question) <= 200 else "diagnose", question, now=now)
        for extra in [f for f in report.findings if f.severity is not Severity.OK and f.confidence >= 0.5][:_EXPLAINED]:
            if extra.code not in explained:
                explained.add(extra.code)
                out.append(extra)
    return out


def _question(finding: Finding) -> str:
    if finding.code == "har-oidc-error":
        return f"error={finding.facts.get('error', '')} error_description={finding.detail}"
    if finding.code.startswith("har-callback-"):
        return f"HTTP {finding.code.rsplit('-', 1)[1]} after the sign-in callback"
    if finding.code == "har-http-error":
        return f"HTTP {finding.facts.get('status', '')} {finding.facts.get('error', '')}".strip()
    return ""


# ------------------------------------------------------------------ SAML


def _saml(flow: list[Step], number: Numbering, expect_audience: str = "") -> tuple[dict[int, str], list[Finding]]:
    notes: dict[int, str] = {}
    findings: list[Finding] = []
    for step in (s for s in flow if s.saml_response):
        facts = _saml_facts(step.saml_response)
        notes[step.number] = ", ".join(f"{k} {short(v, 60)}" for k, v in facts.items() if k in ("issuer", "status"))
        report = run_check("diagnose", "SAMLResponse=" + step.saml_response, now=step.started)
        for f in report.findings:
            if f.code.startswith("saml-") and f.severity is not Severity.OK:
                named = explain.check_finding("har-saml-step", values={"step": str(number(step)), "finding": f.title})
                findings.append(replace(f, title=named.title))
        findings += _saml_addressing(step, facts, number)
        findings += audience_findings(step.saml_response, expect_audience, where=f"Step {number(step)} (SAML): the Response")
        step.saml_response = ""  # read; not kept a moment longer
    return notes, findings


def _saml_facts(value: str) -> dict[str, str]:
    """Issuer, status, destination, recipient and audience of a posted Response (none of them secret)."""
    decoded = decode_saml(value)
    if decoded.xml is None:
        return {}
    try:
        root = parse_untrusted(decoded.xml)
    except Exception:
        return {}
    facts = {"destination": root.get("Destination", "")}
    issuer = root.find(f"{_A}Issuer")
    facts["issuer"] = (issuer.text or "").strip() if issuer is not None else ""
    status = root.find(f"{_P}Status/{_P}StatusCode")
    facts["status"] = (status.get("Value", "").rsplit(":", 1)[-1]) if status is not None else ""
    data = root.find(f".//{_A}SubjectConfirmationData")
    facts["recipient"] = data.get("Recipient", "") if data is not None else ""
    audience = root.find(f".//{_A}Audience")
    facts["audience"] = (audience.text or "").strip() if audience is not None else ""
    return {k: v for k, v in facts.items() if v}


#: The finding for each address a posted Response names that must be the URL it was posted to.
_ADDRESSING_CODES = {"destination": "har-saml-destination-mismatch", "recipient": "har-saml-recipient-mismatch"}


def _saml_addressing(step: Step, facts: dict[str, str], number: Numbering) -> list[Finding]:
    posted = f"{step.scheme}://{step.host}{step.path}"
    out = []
    for name in ("destination", "recipient"):
        value = facts.get(name, "")
        if value and value.rstrip("/").lower() != posted.rstrip("/").lower():
            out.append(explain.check_finding(_ADDRESSING_CODES[name], {"posted to": posted, name: value},
                                             values={"step": str(number(step)), "value": short(value, 80),
                                                     "posted": posted}))
    return out
