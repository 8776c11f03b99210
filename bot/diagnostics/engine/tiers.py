"""The tiers findings are ordered by (``diagnosis`` sorts on them; see its docstring): which kind of evidence a
candidate is, and whether it is a problem or a note."""

from __future__ import annotations

import re

from bot.diagnostics.engine.candidates import UMBRELLAS, Candidate, Evidence
from bot.diagnostics.report import Severity

# Tiers: lower sorts first among problems (see the docstring of diagnosis.py).
(_TIER_CODE, _TIER_CHECK, _TIER_MESSAGE, _TIER_PAIR, _TIER_OAUTH, _TIER_HTTP, _TIER_UMBRELLA, _TIER_SYMPTOM,
 _TIER_RANKED, _TIER_ENGINE) = range(10)

SCIM_CHECK_PREFIXES = ("scim-url-",)
_OKTA_ID = re.compile(r"^okta-[A-Z]\d{7}$")


_TIERS: dict[tuple[str, Evidence], int] = {}


def tier(candidate: Candidate) -> int:
    key = (candidate.code, candidate.evidence)
    tier = _TIERS.get(key)
    if tier is None:
        if len(_TIERS) > 10_000:  # codes of unknown AADSTS or Okta numbers are unbounded
            _TIERS.clear()
        tier = _TIERS[key] = _tier_of(candidate)
    return tier


def _tier_of(candidate: Candidate) -> int:
    code = candidate.code
    if candidate.evidence in (Evidence.RANKED, Evidence.RELATED, Evidence.CAUSE):
        return _TIER_RANKED
    if code in UMBRELLAS:
        return _TIER_UMBRELLA
    if code.startswith(("aadsts-", "entra-prov-", "scim-type-", "okta-event-", "idx-", "msis-")) or _OKTA_ID.match(code):
        return _TIER_CODE
    if code.startswith(("token-", "domains-", "saml-") + SCIM_CHECK_PREFIXES):
        return _TIER_CHECK
    if code.startswith(("msg-", "okta-msg-", "scim-")) or candidate.evidence in (Evidence.EXCEPTION, Evidence.FIELD):
        return _TIER_MESSAGE
    if code.startswith("redirect-"):
        return _TIER_PAIR
    if code.startswith("oauth-"):
        return _TIER_OAUTH
    if code.startswith("http-"):
        return _TIER_HTTP
    if code.startswith("symptom-"):
        return _TIER_SYMPTOM
    if code.startswith("engine-"):
        return _TIER_ENGINE
    return _TIER_CHECK  # a check we do not know by name yet


def bucket(candidate: Candidate, tier: int) -> int:
    if tier == _TIER_RANKED:
        return 0  # ranked free text is offered as a cause, in the order of its relevance
    severity = candidate.finding.severity
    if candidate.hedged and candidate.evidence is Evidence.CHECK:
        return 3  # a value of another system: a note after all the others
    if severity is Severity.FAIL:
        return 0
    if severity is Severity.WARN:
        return 0 if tier in (_TIER_CODE, _TIER_MESSAGE, _TIER_OAUTH) else 1
    return 2 if severity is Severity.INFO else 3
