"""Check a SCIM base URL (Entra "Tenant URL", Okta "SCIM connector base URL").

The product's SCIM endpoint has one shape, by default the guide's (``template``; an operator can set
another with ``SSO_BOT_SCIM_URL_TEMPLATE``)::

    {environment_base_url}/auth/realms/<realm>/org/<client_guid>/scim/v2

A URL evidently meant to be in that shape (on a configured environment, or with the shape's own path
segments) is held to it; any other URL is some other SCIM server's and gets only the rules every SCIM
server shares (``generic``): the scheme, host, query and slashes below, no resource path, no SCIM 1.1.

The IdP appends resource paths to it (``/Users``, ``/Groups``,
``/ServiceProviderConfig``; RFC 7644 §3.2 and §4), so the base URL must end
exactly at ``/scim/v2``: the version segment is how SCIM 2.0 endpoints are
addressed (RFC 7644 §3.13). Paths are compared case-sensitively while scheme
and host are not (RFC 3986 §6.2.2.1), and a doubled or trailing slash makes a
different path (RFC 3986 §3.3). A wrong URL shows up as 404 Not Found on
provisioning calls or a failed "Test Connection" / "Test API Credentials".

The check reports one finding per problem and, whenever the pieces are there,
the corrected URL (fact ``corrected_url``, repeated in the fix). Pure function:
no network, no clock.

The steps live beside this module, one family of problems each, run in this order (which is the
order of the findings): paste (clean-up of the paste, placeholders), origin
(scheme and host), env (which environment), path (path segments, then query and
fragment) with guid (the client GUID). This module runs them and assembles the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Finding, Report, Severity
from bot.diagnostics.scim.custom import template_path
from bot.diagnostics.scim.env import environment
from bot.diagnostics.scim.generic import generic_path
from bot.diagnostics.scim.origin import check_host, check_userinfo, read_scheme, split_url
from bot.diagnostics.scim.paste import check_placeholders, nothing_to_check, peel
from bot.diagnostics.scim.path import path_findings, path_segments, query_and_fragment
from bot.diagnostics.scim.shared import EXPECTED_SHAPE, SCIM_PATH_TEMPLATE, Problem, clip
from bot.diagnostics.scim.template import ScimTemplate, configured_template
from bot.diagnostics.text import as_text as _as_text

__all__ = ["check_scim_url", "SCIM_PATH_TEMPLATE"]

SUBJECT = "SCIM base URL"
_MAX_CHARS = 100_000  # a URL is a few hundred characters; the rest of a huge paste is not read


def check_scim_url(
    url: Any,
    *,
    environments: Mapping[str, str] | None = None,
    expected_env: str | None = None,
    now: datetime | None = None,
    template: ScimTemplate | None = None,
) -> Report:
    """Check ``url`` against ``template`` (default: the one configured at start-up, else the guide's
    ``{environment_base_url}/auth/realms/<realm>/org/<client_guid>/scim/v2``), or by the generic rules.

    ``environments`` maps environment names to base URLs (``{"prod":
    "https://app.example.com"}``); the report says which one the URL belongs
    to and warns when it matches none or differs from ``expected_env``.
    ``now`` is accepted for a uniform check signature and not used. Never raises.
    """
    try:
        findings = _check(_as_text(url), environments, expected_env, template or configured_template())
    except Exception:
        findings = [
            check_finding("scim-url-unreadable")
        ]
    return Report(subject=SUBJECT, findings=tuple(findings), inputs=("scim_url",))


def _check(text: str, environments: Mapping[str, str] | None, expected_env: str | None,
           template: ScimTemplate) -> list[Finding]:
    """Every step in turn, each adding its problems (or notes, ``infos``) in the order they are reported."""
    problems: list[Problem] = []
    infos: list[Problem] = []
    text = text[:_MAX_CHARS]
    s = peel(text, problems)
    alone = nothing_to_check(s)
    if alone is not None:
        return [alone]
    placeholders = check_placeholders(s, problems)
    scheme, rest = read_scheme(s, placeholders, problems)
    parts = split_url(rest)
    check_userinfo(parts, problems)
    host_ok = check_host(parts, placeholders, problems)
    env_name, env_prefix = None, ()
    env_problems: list[Problem] = []  # reported after every problem of the URL itself
    if environments and host_ok:
        env_name, env_prefix = environment(parts.host, parts.port, parts.path, environments, expected_env, infos,
                                           env_problems)
    segments = path_segments(parts.path, problems)
    prefix_segments, segments = _split_prefix(segments, env_prefix)
    origin = (scheme, parts.host, parts.port, prefix_segments)
    held = env_name is not None or template.claims(segments)
    if held and template.is_default:
        realm, guid = path_findings(segments, problems, placeholders)
        keep_flag = query_and_fragment(parts.query, parts.fragment, problems, infos)
        corrected = None
        if host_ok and realm and guid and not placeholders:
            corrected = _corrected_url(*origin, f"/auth/realms/{realm}/org/{guid}/scim/v2", keep_flag)
        return _assemble(text, s, problems + env_problems, infos, corrected, realm, guid, env_name)
    if held:
        values = template_path(template, segments, problems, placeholders)
        path = template.fill(values) if values is not None else None
        mode = _Mode("scim-url-template-ok", template)
    else:
        path = "".join("/" + seg for seg in generic_path(segments, problems, infos))
        mode = _Mode("scim-url-generic-ok", template, note="scim-url-generic")
    keep_flag = query_and_fragment(parts.query, parts.fragment, problems, infos)
    corrected = _corrected_url(*origin, path, keep_flag) if host_ok and path is not None and not placeholders else None
    return _assemble(text, s, problems + env_problems, infos, corrected, None, None, env_name, mode)
    return _assemble(text, s, problems + env_problems, infos, corrected, realm, guid, env_name)


def _split_prefix(segments: list[str], env_prefix: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(the environment's own base path, the rest): an environment served under a path keeps that path."""
    if env_prefix and [seg.lower() for seg in segments[: len(env_prefix)]] == [p.lower() for p in env_prefix]:
        return segments[: len(env_prefix)], segments[len(env_prefix) :]
    return [], segments


def _corrected_url(scheme: str, host: str, port: str, prefix_segments: list[str], path: str, keep_flag: bool) -> str:
    """The URL as it should be: https, the host and a port that is not http's default, the path (the
    template filled in, or the generic path cleaned up)."""
    keep_port = port and not (port == "80" and scheme.lower() != "https")
    return (
        "https://"
        + host
        + (f":{port}" if keep_port else "")
        + "".join("/" + seg for seg in prefix_segments)
        + path
        + ("?aadOptscim062020" if keep_flag else "")
    )


@dataclass(frozen=True)
class _Mode:
    """How a URL outside the guide's walk was checked: the all-clear finding's code, the template, and the
    note that says so when something is wrong."""

    ok_code: str
    template: ScimTemplate
    note: str = ""


# --------------------------------------------------------------------------- the report


def _assemble(
    pasted: str,
    cleaned: str,
    problems: list[Problem],
    infos: list[Problem],
    corrected: str | None,
    realm: str | None,
    guid: str | None,
    env_name: str | None,
    mode: _Mode | None = None,
) -> list[Finding]:
    """One finding per code, problems first, then notes; an ok finding leads when nothing is wrong."""
    seen: set[str] = set()
    changed = corrected is not None and corrected != pasted
    findings = [_with_correction(p, corrected, changed) for p in _first_of_each(problems, seen)]
    findings += [info.finding for info in _first_of_each(infos, seen)]
    clean = not any(p.finding.severity in (Severity.WARN, Severity.FAIL) for p in problems)
    if mode is not None:
        facts = {"url": clip(cleaned, 300), "expected_shape": mode.template.expected_shape}
        if clean:
            findings.insert(0, check_finding(mode.ok_code, facts, severity=Severity.OK))
        elif mode.note:
            findings.append(check_finding(mode.note, facts))
    elif clean:
        findings.insert(0, _ok_finding(cleaned, realm, guid, env_name))
    return findings


def _first_of_each(problems: list[Problem], seen: set[str]) -> list[Problem]:
    """The problems whose code is not in ``seen`` yet (adding it): a code is reported once."""
    first: list[Problem] = []
    for problem in problems:
        if problem.finding.code not in seen:
            seen.add(problem.finding.code)
            first.append(problem)
    return first


def _with_correction(problem: Problem, corrected: str | None, changed: bool) -> Finding:
    """The problem's finding, with the corrected URL when it fixes the problem (or the expected shape when
    there is no corrected URL to give)."""
    finding = problem.finding
    if not problem.structural or (corrected is not None and not changed):
        return finding
    facts = dict(finding.facts)
    if corrected is not None:
        facts["corrected_url"] = corrected
    else:
        facts.setdefault("expected_shape", EXPECTED_SHAPE)
    return check_finding(finding.code, facts, severity=finding.severity, values=problem.values)


def _ok_finding(cleaned: str, realm: str | None, guid: str | None, env_name: str | None) -> Finding:
    facts = {"url": clip(cleaned, 300)}
    if realm:
        facts["realm"] = clip(realm, 80)
    if guid:
        facts["client_guid"] = guid
    if env_name:
        facts["environment"] = clip(env_name, 40)
    return check_finding("scim-url-ok", facts, severity=Severity.OK)
