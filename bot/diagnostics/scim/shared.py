"""What every step of the SCIM URL check shares: the expected shape, and the ``Problem`` record each
step reports.

A step reports each problem with ``problem("scim-url-...", facts)``: its finding's title, detail, fix
steps and references are the code's entry in bot/knowledge/data/checks.toml. ``Problem`` adds whether
the corrected URL fixes it, known only once every step has run (then the finding is filled again, with
the corrected URL as a fact, which the entry's last fix step shows).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.diagnostics.explain import check_finding
from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.text import clip as _clip
from bot.diagnostics.text import marked

SCIM_PATH_TEMPLATE = "/auth/realms/<realm>/org/<client_guid>/scim/v2"
EXPECTED_SHAPE = "{environment_base_url}" + SCIM_PATH_TEMPLATE

SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]{0,31}):(/*)")
GUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
HEX32_RE = re.compile(r"[0-9a-fA-F]{32}")

_MAX_SHOWN = 200


@dataclass
class Problem:
    """One problem a step found: its finding, whether the corrected URL addresses it (then the finding
    gets that URL in its facts and fix; otherwise the expected shape, when no URL can be built), and the
    values its text was filled with besides the facts."""

    finding: Finding
    structural: bool = True
    values: Mapping[str, str] = field(default_factory=dict)


def problem(code: str, facts: Mapping[str, str] | None = None, *, severity: Severity | None = None,
            values: Mapping[str, str] | None = None, structural: bool = True) -> Problem:
    """The problem ``code``, its finding filled from the knowledge entry (``explain.check_finding``)."""
    return Problem(check_finding(code, facts, severity=severity, values=values), structural, dict(values or {}))


def clip(text: str, limit: int = _MAX_SHOWN) -> str:
    """``text`` cut to ``limit`` characters, with invisible characters shown as '?': findings are read in chat."""
    return _clip(text, limit, show=marked)
