"""Read SAML 2.0 metadata (fetched live or from a file) the way an SP about to trust the IdP would.

For every IdP entity: its ``entityID``; its SingleSignOnService and SingleLogoutService endpoints
with their bindings (an SP needs HTTP-Redirect or HTTP-POST for browser sign-in, SAML 2.0 Bindings
§3.4 and §3.5, and https locations); its signing certificates with their expiry and fingerprints,
one finding each, whose facts are what a *Track this certificate* button needs (``expires_at``,
``fingerprint``, ``sha1_thumbprint``); and the metadata's ``validUntil`` and ``cacheDuration``
(SAML 2.0 Metadata §2.3.1: metadata past its validUntil must not be used). The reading itself,
behind the one XML guard, is ``bot.saml_metadata``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

from bot.diagnostics.live.shared import clip, failure_finding, html_page, live_finding, short_url
from bot.diagnostics.report import Finding, Report, Severity
from bot.diagnostics.text import as_text
from bot.live.exchange import Exchange
from bot.safe_xml import XMLRefused
from bot.saml_metadata import Certificate, Entity, Metadata, MetadataError, read_metadata

__all__ = ["read_saml_metadata", "fetched_metadata_problem", "SUBJECT", "CERT_SOON"]

SUBJECT = "SAML metadata"
CERT_SOON = timedelta(days=30)
_BROWSER_BINDINGS = ("HTTP-Redirect", "HTTP-POST")


def read_saml_metadata(text: str, *, now: datetime, source: str = "") -> Report:
    """The findings for metadata ``text`` (``source`` names where it came from, for the summary)."""
    try:
        metadata = read_metadata(text)
    except XMLRefused as refused:
        return _report([live_finding("saml-metadata-unreadable",
                                     {"declaration": refused.declaration, "line": str(refused.line)},
                                     values={"if_dtd": "yes"})])
    except ET.ParseError as error:
        return _report([live_finding("saml-metadata-unreadable", {"position": clip(str(error), 80)},
                                     values={"if_not_xml": "yes"})])
    except MetadataError as error:
        return _report([live_finding("saml-metadata-not-metadata", {"reason": str(error)})])
    findings = _read(metadata, now, source)
    problems = sorted((f for f in findings if f.severity in (Severity.WARN, Severity.FAIL)), key=lambda f: -f.severity.rank)
    rest = [f for f in findings if f.severity not in (Severity.WARN, Severity.FAIL)]
    if not problems:
        rest.insert(0, live_finding("saml-metadata-ok", {"entities": str(sum(e.is_idp for e in metadata.entities))},
                                    severity=Severity.OK))
    return _report(problems + rest)


def _report(findings: list[Finding]) -> Report:
    return Report(subject=SUBJECT, findings=tuple(findings), inputs=("saml_metadata",))


def _read(metadata: Metadata, now: datetime, source: str) -> list[Finding]:
    findings: list[Finding] = []
    if metadata.valid_until is not None and metadata.valid_until <= now:
        findings.append(_expired_metadata("", metadata.valid_until))
    if metadata.unreadable_times:
        findings.append(live_finding("saml-metadata-bad-valid-until", {"value": ", ".join(metadata.unreadable_times[:3])}))
    idps = [e for e in metadata.entities if e.is_idp]
    if not idps:
        roles = sorted({r for e in metadata.entities for r in e.roles}) or ["none"]
        findings.append(live_finding("saml-metadata-no-idp",
                                     {"roles": ", ".join(roles), "entities": str(len(metadata.entities))}))
        return findings
    for entity in idps[:10]:
        findings += _entity(entity, metadata, now, source)
    return findings


def _entity(entity: Entity, metadata: Metadata, now: datetime, source: str) -> list[Finding]:
    name = clip(entity.entity_id or "(no entityID)", 120)
    findings: list[Finding] = [_summary(entity, metadata, source)]
    if entity.valid_until is not None and entity.valid_until <= now:
        findings.append(_expired_metadata(name, entity.valid_until))
    if not entity.sso:
        findings.append(live_finding("saml-metadata-no-sso", {"entity_id": name}))
    elif not any(e.binding_name in _BROWSER_BINDINGS for e in entity.sso):
        findings.append(live_finding("saml-metadata-no-browser-binding",
                                     {"bindings": ", ".join(sorted({e.binding_name for e in entity.sso}))},
                                     values={"entity": name}))
    plain = [e for e in entity.sso + entity.slo if not e.location.lower().startswith("https://")]
    if plain:
        findings.append(live_finding("saml-metadata-endpoint-not-https",
                                     {f"{e.service} ({e.binding_name})": clip(e.location, 160) for e in plain[:6]},
                                     values={"count": str(len(plain)), "entity": name}))
    idp_certs = [c for c in entity.certificates if c.role == "IDPSSODescriptor"]
    readable = [c for c in idp_certs if c.not_after is not None]
    current = [c for c in readable if c.not_after > now]
    for cert in idp_certs:
        findings += _certificate(cert, name, now, others_current=bool(current))
    if not readable:
        findings.append(live_finding("saml-metadata-no-signing-cert", {"entity_id": name}))
    elif not current:
        latest = max(c.not_after for c in readable)
        findings.append(live_finding("saml-metadata-all-certs-expired",
                                     {"entity_id": name, "certificates": str(len(readable)),
                                      "last_expiry": latest.strftime("%Y-%m-%dT%H:%M:%SZ")},
                                     values={"day": f"{latest:%Y-%m-%d}"}))
    return findings


def _summary(entity: Entity, metadata: Metadata, source: str) -> Finding:
    facts: dict[str, str] = {"entity_id": entity.entity_id or "(none)"}
    if source:
        facts["source"] = clip(source, 160)
    for endpoint in entity.sso[:6]:
        facts[f"SSO {endpoint.binding_name}"] = clip(endpoint.location, 160)
    for endpoint in entity.slo[:6]:
        facts[f"SLO {endpoint.binding_name}"] = clip(endpoint.location, 160)
    valid_until = entity.valid_until or metadata.valid_until
    if valid_until is not None:
        facts["valid_until"] = valid_until.strftime("%Y-%m-%d %H:%M UTC")
    cache = entity.cache_duration or metadata.cache_duration
    if cache:
        facts["cache_duration"] = clip(cache, 40)
    return live_finding("saml-metadata-idp", facts, values={"entity": clip(facts["entity_id"], 100)})


def _certificate(cert: Certificate, entity: str, now: datetime, *, others_current: bool) -> list[Finding]:
    """The certificate's facts (for tracking it) and its state. An expired one is a warning while another
    certificate still signs (a rollover left behind); when none does, the entity's finding says so."""
    if cert.not_after is None or cert.not_before is None:
        return [live_finding("saml-metadata-cert-unreadable", {"reason": cert.error}, values={"entity": entity})]
    left = cert.not_after - now
    facts = {"entity_id": entity, "expires_at": cert.not_after.strftime("%Y-%m-%dT%H:%M:%SZ"),
             "not_before": cert.not_before.strftime("%Y-%m-%dT%H:%M:%SZ"), "fingerprint": cert.fingerprint,
             "sha1_thumbprint": cert.sha1, "sha256": cert.sha256, "subject": clip(cert.subject, 160),
             "days_left": str(left.days)}
    days = {"until_day": f"{cert.not_after:%Y-%m-%d}", "from_day": f"{cert.not_before:%Y-%m-%d}"}
    found = [live_finding("saml-metadata-signing-cert", facts, values=days)]
    if cert.double_encoded:
        found.append(live_finding("saml-metadata-cert-double-encoded", {"fingerprint": cert.fingerprint}))
    if left <= timedelta(0):
        if others_current:
            found.append(live_finding("saml-metadata-cert-expired", facts, values=days))
    elif left < CERT_SOON:
        found.append(live_finding("saml-metadata-cert-expiring", facts, values=days))
    if cert.not_before > now:
        found.append(live_finding("saml-metadata-cert-not-yet-valid", facts, values=days))
    return found


def _expired_metadata(entity: str, moment: datetime) -> Finding:
    """The metadata of ``entity``, or of the whole document when ``entity`` is empty, has expired."""
    return live_finding("saml-metadata-expired", {"valid_until": moment.strftime("%Y-%m-%d %H:%M UTC")},
                        values={"entity": entity, "day": f"{moment:%Y-%m-%d}"} if entity else
                        {"if_document": "yes", "day": f"{moment:%Y-%m-%d}"})


def fetched_metadata_problem(exchange: Exchange, max_bytes: int) -> Finding | None:
    """Why a fetched metadata answer cannot be read as metadata (no answer, not 200, HTML, too large), or None."""
    if not exchange.answered:
        return failure_finding(exchange, "the metadata")
    request = f"GET {short_url(exchange.final_url or exchange.url)}"
    facts = {"request": request, "status": str(exchange.status),
             "content_type": exchange.header("content-type") or "(none)"}
    if exchange.status != 200:
        return live_finding("saml-metadata-fetch-status", facts)
    page = html_page(exchange)
    if page is not None:
        if page.title:
            facts["page_title"] = page.title
        return live_finding("saml-metadata-html", facts, values={"if_login": "yes"} if page.login else {"if_page": "yes"})
    if exchange.truncated:
        return live_finding("live-too-large", facts, values={"if_unread": "yes", "limit_kb": f"{max_bytes // 1000:,}"})
    return None


def read_fetched_metadata(exchange: Exchange, *, max_bytes: int, now: datetime, source: str) -> Report:
    """The report on metadata fetched over HTTP: why it could not be read, or the metadata's own checks."""
    problem = fetched_metadata_problem(exchange, max_bytes)
    if problem is not None:
        return Report(subject="SAML metadata", findings=(problem,), inputs=("saml_metadata",))
    return read_saml_metadata(as_text(exchange.body), now=now, source=source)
