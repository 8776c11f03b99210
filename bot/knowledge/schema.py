"""The shape of one knowledge-base entry, validated with pydantic v2.

An entry describes one error code, one code-less message or one symptom. Its
``id`` is a stable slug that other modules store (``Finding.code``, audit rows,
Slack button values), so renaming an id is a breaking change.

Rules that concern a single entry live here; rules that need the whole set
(unique ids, cross-references that resolve) live in ``loader.py``.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator, model_validator

from .patterns import pattern_problem
from .products import PRODUCTS
# The systems, codes and templates are plain data the running bot reads without pydantic (systems.py);
# they are named here too, where the schema has always offered them.
from .systems import (CHECK_ID_PREFIXES, CHECK_SYSTEM, CHECKS, CODED_SYSTEMS, CONTEXTS, ID_PREFIX, OPTIONAL_PART,
                      PREFIXED_CODES, SYSTEMS, entry_label, template_fields)

Severity = Literal["info", "warn", "fail"]

ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[A-Za-z0-9_]+)+$")

#: An exception or class name as a stack trace prints it, optionally qualified
#: (``Saml2AuthenticationException``, ``org.opensaml.common.SAMLException``, ``OneLogin_Saml2_ValidationError``).
EXCEPTION_RE = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*$")
#: Exception names every runtime throws for any reason: they never point at one cause.
GENERIC_EXCEPTIONS = frozenset({"Exception", "RuntimeException", "RuntimeError", "ValueError", "TypeError",
                                "Throwable", "IllegalStateException", "IllegalArgumentException"})
#: A log field and the value that means this entry: ``outcome.reason=INVALID_CREDENTIALS``. The paste may show
#: the field's last segment as JSON (``"reason": "INVALID_CREDENTIALS"``) or as ``reason=INVALID_CREDENTIALS``.
FIELD_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*=[^\s=\"']{2,80}$")
#: Symptom phrases are words, not patterns: letters, digits, spaces and everyday punctuation.
PHRASE_RE = re.compile(r"^[\w][\w '’\-/.,:()+&?]*$")
MAX_PHRASE_LEN = 200
#: A cue is a short lower-case word or term a paste may hold ("replicas", "load balancer", "http://").
CUE_RE = re.compile(r"^[a-z0-9][a-z0-9 ._:/+-]{1,38}[a-z0-9/:_-]$")


class Entry(BaseModel):
    """One thing we know: an error code, a code-less message, a symptom, or a check's finding code.

    ``deep`` is derived: an entry is deep when it gives likely causes *and* fix
    steps; a shallow entry only names and summarises the code.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    system: str
    code: str | None = None
    name: str
    summary: str
    severity: Severity = "fail"
    causes: list[str] = Field(default_factory=list)
    fix: list[str] = Field(default_factory=list)
    where: list[str] = Field(default_factory=list)
    collect: list[str] = Field(default_factory=list)
    next_checks: list[str] = Field(default_factory=list)
    refs: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)
    #: Other spellings ``lookup_code`` accepts for this entry, within its system.
    aliases: list[str] = Field(default_factory=list)
    #: Exception and class names that mean this entry, matched as whole identifiers, case as written
    #: (``Saml2AuthenticationException``; a qualified name's last part is enough in a paste).
    exceptions: list[str] = Field(default_factory=list)
    #: Log fields that mean this entry, as ``name=value`` (see FIELD_RE).
    fields: list[str] = Field(default_factory=list)
    #: How people describe the problem in their own words ("users get no first name after first login").
    #: Not matched literally: the free-text ranker weighs them (with the synonym table) above the name,
    #: summary and causes.
    phrases: list[str] = Field(default_factory=list)
    #: The entries that are most often the real cause behind this one, most often first: the environment
    #: around a library's or IdP's exact message (a cookie's SameSite, a TLS-terminating proxy, replicas
    #: without shared sessions, a short state lifetime). When the paste gives evidence for one of them (its
    #: ``cues``), the engine shows it right after this entry's finding. Each must exist and have ``cues``.
    caused_by: list[str] = Field(default_factory=list)
    #: Words or terms in a paste that are evidence for this entry as the cause behind another one's
    #: message ("replicas", "load balancer", "safari", "iframe"): lower case, matched as whole words.
    cues: list[str] = Field(default_factory=list)
    #: For HTTP statuses: ``"scim"`` or ``"sso"`` when the entry is specific to one flow.
    context: str | None = None
    #: The HTTP status that usually carries this error (Okta API codes, SCIM errors).
    http_status: int | None = None
    #: The product the entry holds for, when its id prefix does not say it (``products.PRODUCTS``): the
    #: engine guesses it from free text only when the paste shows that product.
    product: str | None = None
    #: A check finding's own title and detail (system ``check`` only): templates whose ``{name}`` fields
    #: the check's facts fill (``bot.diagnostics.explain.check_finding``); ``fix`` lines may hold fields too.
    title: str | None = None
    detail: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def deep(self) -> bool:
        return bool(self.causes) and bool(self.fix)

    # -- single-field rules ---------------------------------------------------

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not ID_RE.match(value):
            raise ValueError(f"id {value!r} is not a slug like 'aadsts-50011' or 'msg-reply-url-mismatch'")
        return value

    @field_validator("system")
    @classmethod
    def _known_system(cls, value: str) -> str:
        if value not in SYSTEMS:
            raise ValueError(f"unknown system {value!r}; expected one of {sorted(SYSTEMS)}")
        return value

    @field_validator("code", "name", "summary", "context")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if not value.strip():
            raise ValueError("must not be empty")
        if "\n" in value or "\r" in value:
            raise ValueError("must be a single line")
        return value

    @field_validator("summary")
    @classmethod
    def _short_summary(cls, value: str) -> str:
        if len(value) > 240:
            raise ValueError("summary is longer than 240 characters; keep it to one line")
        return value

    @field_validator("causes", "fix", "where", "collect", "next_checks", "refs", "related", "aliases", "exceptions",
                     "fields", "phrases", "caused_by", "cues")
    @classmethod
    def _non_empty_items(cls, value: list[str]) -> list[str]:
        for item in value:
            if not item.strip():
                raise ValueError("list items must not be empty")
        if len(set(value)) != len(value):
            raise ValueError("list has duplicate items")
        return value

    @field_validator("refs")
    @classmethod
    def _https_refs(cls, value: list[str]) -> list[str]:
        for url in value:
            if not re.match(r"^https://[^\s]+$", url):
                raise ValueError(f"ref {url!r} is not an https URL")
        return value

    @field_validator("next_checks")
    @classmethod
    def _known_checks(cls, value: list[str]) -> list[str]:
        for item in value:
            if item.startswith("check:") and item not in CHECKS:
                raise ValueError(f"unknown check {item!r}; expected one of {sorted(CHECKS)}")
            if not item.startswith("check:") and not ID_RE.match(item):
                raise ValueError(f"next check {item!r} is neither a check name nor an entry id")
        return value

    @field_validator("patterns")
    @classmethod
    def _safe_patterns(cls, value: list[str]) -> list[str]:
        for pattern in value:
            problem = pattern_problem(pattern)
            if problem:
                raise ValueError(f"pattern {pattern!r}: {problem}")
        return value

    @field_validator("exceptions")
    @classmethod
    def _identifiers(cls, value: list[str]) -> list[str]:
        for name in value:
            if not EXCEPTION_RE.match(name):
                raise ValueError(f"exception {name!r} is not an identifier such as 'Saml2AuthenticationException'")
            last = name.rsplit(".", 1)[-1]
            if len(last) < 6 or last.islower() or last in GENERIC_EXCEPTIONS:
                raise ValueError(f"exception {name!r} is too plain to be matched as a name (an ordinary word?)")
        return value

    @field_validator("fields")
    @classmethod
    def _log_fields(cls, value: list[str]) -> list[str]:
        for item in value:
            if not FIELD_RE.match(item):
                raise ValueError(f"field {item!r} is not 'name=value' such as 'outcome.reason=INVALID_CREDENTIALS'")
        return value

    @field_validator("phrases")
    @classmethod
    def _plain_phrases(cls, value: list[str]) -> list[str]:
        for phrase in value:
            if len(phrase) > MAX_PHRASE_LEN:
                raise ValueError(f"phrase {phrase[:40]!r}... is longer than {MAX_PHRASE_LEN} characters")
            if not PHRASE_RE.match(phrase.strip()):
                raise ValueError(f"phrase {phrase!r} must be plain words (it is ranked, not matched as a pattern)")
        return value

    @field_validator("cues")
    @classmethod
    def _plain_cues(cls, value: list[str]) -> list[str]:
        for cue in value:
            if not CUE_RE.match(cue):
                raise ValueError(f"cue {cue!r} must be a short lower-case word or term (3 to 40 characters: "
                                 "letters, digits, spaces, . _ : / + -)")
        return value

    @field_validator("caused_by")
    @classmethod
    def _cause_ids(cls, value: list[str]) -> list[str]:
        for item in value:
            if not ID_RE.match(item):
                raise ValueError(f"caused_by {item!r} is not an entry id")
        return value

    @field_validator("product")
    @classmethod
    def _known_product(cls, value: str | None) -> str | None:
        if value is not None and value not in PRODUCTS:
            raise ValueError(f"unknown product {value!r}; expected one of {sorted(PRODUCTS)}")
        return value

    @field_validator("title", "detail")
    @classmethod
    def _template(cls, value: str | None) -> str | None:
        if value is not None:
            template_fields(value)
        return value

    @field_validator("http_status")
    @classmethod
    def _status_range(cls, value: int | None) -> int | None:
        if value is not None and not 100 <= value <= 599:
            raise ValueError("http_status must be between 100 and 599")
        return value

    # -- rules across fields -------------------------------------------------

    @model_validator(mode="after")
    def _consistent(self) -> "Entry":
        if self.system == CHECK_SYSTEM:
            return self._consistent_check()
        if self.title is not None or self.detail is not None:
            raise ValueError("only entries of system 'check' have a title or detail template")
        prefix = ID_PREFIX[self.system]
        if not self.id.startswith(prefix):
            raise ValueError(f"id {self.id!r} of system {self.system!r} must start with {prefix!r}")
        if self.system == "scim" and self.id.startswith("scim-url-"):
            raise ValueError("ids starting with 'scim-url-' are finding codes of the SCIM URL check; use system 'check'")
        if self.context is not None:
            if self.system != "http":
                raise ValueError("context is only used for HTTP statuses")
            if self.context not in CONTEXTS:
                raise ValueError(f"unknown context {self.context!r}; expected one of {sorted(CONTEXTS)}")
        if self.code is not None:
            shape = PREFIXED_CODES.get(self.system)
            if shape is not None and not (self.code.isdigit() and shape[1] <= len(self.code) <= shape[2]):
                raise ValueError(f"a {shape[0]} code is {shape[1]} to {shape[2]} digits without the word "
                                 f"({self.code!r} is not)")
            if self.system not in CODED_SYSTEMS:
                raise ValueError(f"system {self.system!r} has no codes; drop 'code' and use patterns")
            expected = prefix + self.code.replace(".", "_")
            if self.context:
                expected += f"-{self.context}"
            if self.id != expected:
                raise ValueError(f"id must be {expected!r} for code {self.code!r}")
        elif self.system in CODED_SYSTEMS - {"okta", "entra_provisioning"}:
            raise ValueError(f"entries of system {self.system!r} need a 'code'")
        recognisable = self.patterns or self.aliases or self.exceptions or self.fields or self.phrases
        if self.code is None and not recognisable and self.system not in {"scim", "engine"}:
            raise ValueError("an entry without a code needs 'patterns', 'exceptions', 'fields', 'phrases' or 'aliases' "
                             "so it can be found")
        if self.id in self.related or self.id in self.next_checks or self.id in self.caused_by:
            raise ValueError("an entry must not refer to itself")
        if self.fix and not self.causes:
            raise ValueError("an entry with fix steps must also list likely causes")
        return self

    def _consistent_check(self) -> "Entry":
        """A ``check`` entry is found by id (the finding code): no code, patterns, aliases or HTTP fields."""
        if not self.id.startswith(CHECK_ID_PREFIXES):
            raise ValueError(f"id {self.id!r} of system 'check' must start with one of {list(CHECK_ID_PREFIXES)}")
        for name in ("code", "context", "http_status"):
            if getattr(self, name) is not None:
                raise ValueError(f"entries of system 'check' are found by id; drop {name!r}")
        for name in ("patterns", "aliases", "exceptions", "fields", "phrases", "cues"):
            if getattr(self, name):
                raise ValueError(f"entries of system 'check' are found by id; drop {name!r}")
        if self.id in self.related or self.id in self.next_checks:
            raise ValueError("an entry must not refer to itself")
        if self.fix and not self.causes and self.detail is None:
            raise ValueError("an entry with fix steps must also list likely causes (or, for a check, a detail)")
        if self.title is not None or self.detail is not None:  # a finding's own text: its fix steps are templates
            if self.title is None or "\n" in self.title:
                raise ValueError("a check entry with a detail template needs a one-line title template")
            for item in self.fix:
                template_fields(item)
        return self

    # -- convenience ----------------------------------------------------------

    def __hash__(self) -> int:  # list fields are unhashable; the id is unique within a knowledge base
        return hash((self.system, self.id))

    @property
    def label(self) -> str:
        """How people write the code: ``AADSTS50011``, ``E0000011``, ``HTTP 401``, ``invalid_client``."""
        return entry_label(self)

