"""The vocabulary of the knowledge base as plain data: systems, their id prefixes and codes, the checks an
entry may point to, the finding templates' fields, and how an entry's code is written.

Kept apart from ``schema.py`` (the pydantic model that validates entries) so the running bot, which reads
entries validated earlier (``record.py``, ``cache.py``), never imports pydantic for them.
"""

from __future__ import annotations

import re
import string
from typing import Any

#: Systems a code can belong to, and the id prefix each one uses.
ID_PREFIX: dict[str, str] = {
    "aadsts": "aadsts-",
    "okta": "okta-",
    "oauth": "oauth-",
    "http": "http-",
    "scim_type": "scim-type-",
    "entra_provisioning": "entra-prov-",
    "okta_event": "okta-event-",
    # Microsoft.IdentityModel (the .NET token validation libraries): IDX10214 ... as idx-10214.
    "idx": "idx-",
    # AD FS: MSIS7007 ... as msis-7007.
    "msis": "msis-",
    "scim": "scim-",
    "message": "msg-",
    "symptom": "symptom-",
    # Texts the diagnosis engine itself shows (the "what I can check" menu, truncation notice).
    "engine": "engine-",
}

#: The ``check`` system explains the findings the checks in ``bot/diagnostics`` emit. Its
#: entry ids are the finding codes themselves, so it has one prefix per check (``log-`` for
#: the log-event readers of ``bodies.py``, ``live-`` for the live checks, whose SAML metadata
#: findings use ``saml-metadata-``).
CHECK_SYSTEM = "check"
CHECK_ID_PREFIXES: tuple[str, ...] = ("scim-url-", "token-", "redirect-", "domains-", "saml-", "log-", "live-", "har-",
                                     "export-", "file-")

SYSTEMS = frozenset(ID_PREFIX) | {CHECK_SYSTEM}

#: Systems whose entries are addressed by code (``KnowledgeBase.lookup_code``).
CODED_SYSTEMS = frozenset({"aadsts", "okta", "oauth", "http", "scim_type", "entra_provisioning", "okta_event", "idx",
                           "msis"})

#: Coded systems whose codes are a fixed word and digits in a paste (``AADSTS50011``, ``IDX10214``,
#: ``MSIS7007``): system -> (the word, fewest digits, most digits). The code readers find them all with
#: one rule each; an entry's ``code`` holds the digits only.
PREFIXED_CODES: dict[str, tuple[str, int, int]] = {
    "aadsts": ("AADSTS", 4, 8),
    "idx": ("IDX", 5, 5),
    "msis": ("MSIS", 4, 4),
}

#: Diagnostics an entry may point to in ``next_checks`` (besides other entry ids).
CHECKS = frozenset({"check:scim_url", "check:token", "check:redirect", "check:domains"})

#: Where an HTTP status was seen; ``http-401-scim`` and ``http-401-sso`` refine ``http-401``.
CONTEXTS = frozenset({"scim", "sso"})

_FIELD_RE = re.compile(r"^[a-z][a-z0-9_]*$")
#: A part of a finding template that is left out when a fact it names is missing: ``[[ Only {x} is.]]``.
OPTIONAL_PART = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
#: A field named ``if_...`` places nothing: it only decides whether the ``[[...]]`` part naming it shows.
CONDITION_PREFIX = "if_"


def template_fields(template: str) -> set[str]:
    """The ``{name}`` fields of a finding template (``{{`` and ``}}`` are literal braces; ``[[...]]`` marks a
    part left out when its facts are missing). A field is a plain lower-case name: no attribute, index,
    conversion or format spec, so a template can only place a fact."""
    try:
        parts = list(string.Formatter().parse(OPTIONAL_PART.sub(r"\1", template)))
    except ValueError as exc:
        raise ValueError(f"template {template!r} is not well-formed: {exc}") from None
    names: set[str] = set()
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if not _FIELD_RE.match(name) or spec or conversion:
            raise ValueError(f"template field {{{name}}} must be a plain lower-case name, like {{days_left}}")
        names.add(name)
    return names


def entry_label(entry: Any) -> str:
    """How people write an entry's code (``Entry.label``), for the model and the run-time records alike."""
    if entry.code is None:
        return entry.name
    if entry.system in PREFIXED_CODES:
        return f"{PREFIXED_CODES[entry.system][0]}{entry.code}"
    if entry.system == "http":
        return f"HTTP {entry.code}"
    if entry.system == "scim_type":
        return f"scimType {entry.code}"
    return entry.code
