"""The knowledge base in memory: entries by id, code and text, checked as a whole when built.

``loading.py`` reads it from TOML files. File format (one file per family of codes, any name ending in ``.toml``)::

    system = "aadsts"          # optional default for the entries below

    [[entry]]
    id = "aadsts-50011"
    code = "50011"
    name = "InvalidReplyTo"
    summary = "..."

Every problem found is reported at once, each line naming the file and the
entry, so one CI run shows everything a bad edit broke.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .products import product_of, products_in
from .systems import CHECKS, CODED_SYSTEMS, ID_PREFIX, PREFIXED_CODES

if TYPE_CHECKING:  # entries are validated records at run time (record.py); the model is imported when one is made
    from .schema import Entry

DATA_DIR = Path(__file__).resolve().parent / "data"


#: Microsoft's public look-up page for an AADSTS code.
AADSTS_LOOKUP = "https://login.microsoftonline.com/error?code={code}"
#: For prefixed codes we have no entry for: what family the code belongs to, where to look, a reference.
UNKNOWN_NOTES = {
    "idx": ("an error of Microsoft.IdentityModel, the .NET library that validates tokens and OpenID Connect messages",
            "The application's own log, at the line that carries the code (enable PII logging in "
            "IdentityModelEventSource.ShowPII while debugging to see the values it compared)",
            "https://github.com/AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet/wiki"),
    "msis": ("an AD FS error", "AD FS server → Event Viewer → Applications and Services Logs → AD FS → Admin",
             "https://learn.microsoft.com/en-us/windows-server/identity/ad-fs/troubleshooting/ad-fs-tshoot-overview"),
}
#: Okta's reference of API error codes.
OKTA_ERROR_CODES = "https://developer.okta.com/docs/reference/error-codes/"


class KnowledgeError(Exception):
    """The knowledge data is broken. ``problems`` holds one line per problem.

    Each line reads ``<file>: entry '<id>': <what is wrong>``.
    """

    def __init__(self, problems: Iterable[str]):
        self.problems: tuple[str, ...] = tuple(problems)
        count = len(self.problems)
        head = f"knowledge base has {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n  ".join([head, *self.problems]))


@dataclass(frozen=True)
class TextMatch:
    """An entry found in free text by one of its patterns, at ``start``."""

    entry: Entry
    snippet: str
    start: int


_SNIPPET_MAX = 160
_MIN_SUFFIX = 10


class KnowledgeBase:
    """All entries, indexed by id, by (system, code, context), and by pattern."""

    def __init__(self, entries: Iterable[Entry], sources: Mapping[str, str] | None = None):
        self._entries: tuple[Entry, ...] = tuple(entries)
        self._sources = dict(sources or {})
        self._by_id: dict[str, Entry] = {}
        self._by_code: dict[tuple[str, str, str | None], Entry] = {}
        problems: list[str] = []
        for entry in self._entries:
            where = self._where(entry.id)
            if entry.id in self._by_id:
                problems.append(f"{where}: entry {entry.id!r}: duplicate id")
                continue
            self._by_id[entry.id] = entry
            keys = ([entry.code] if entry.code is not None else []) + list(entry.aliases)
            for key in keys:
                index_key = (entry.system, _normalise(entry.system, key), entry.context)
                other = self._by_code.get(index_key)
                if other is not None and other.id != entry.id:
                    problems.append(
                        f"{where}: entry {entry.id!r}: code {key!r} of system {entry.system!r} "
                        f"is already used by {other.id!r}"
                    )
                    continue
                self._by_code[index_key] = entry
        for entry in self._by_id.values():
            where = self._where(entry.id)
            for ref in entry.related:
                if ref not in self._by_id:
                    problems.append(f"{where}: entry {entry.id!r}: related {ref!r} does not exist")
            for ref in entry.caused_by:
                cause = self._by_id.get(ref)
                if cause is None:
                    problems.append(f"{where}: entry {entry.id!r}: caused_by {ref!r} does not exist")
                elif not cause.cues:
                    problems.append(f"{where}: entry {entry.id!r}: caused_by {ref!r} has no cues, so no paste "
                                    "could ever show it as the cause")
            for ref in entry.next_checks:
                if ref.startswith("check:"):
                    if ref not in CHECKS:  # already rejected by the schema; kept for direct construction
                        problems.append(f"{where}: entry {entry.id!r}: unknown check {ref!r}")
                elif ref not in self._by_id:
                    problems.append(f"{where}: entry {entry.id!r}: next check {ref!r} does not exist")
        if problems:
            raise KnowledgeError(problems)
        # App-prefixed provisioning codes ("ContosoEntryConflict") resolve by suffix, longest code first.
        # Only real codes of at least 10 characters take part, never aliases, so ordinary CamelCase
        # words ("MergeConflict") are not mistaken for provisioning errors.
        self._suffix_codes = sorted(
            (
                (_normalise(e.system, e.code), e)
                for e in self._by_id.values()
                if e.system == "entra_provisioning" and e.code is not None and len(e.code) >= _MIN_SUFFIX
            ),
            key=lambda item: -len(item[0]),
        )
        # Compiled on the first ``match_text`` (the diagnosis engine compiles its own, faster form).
        self._compiled: list[tuple[Entry, tuple[re.Pattern[str], ...]]] | None = None

    def _where(self, entry_id: str) -> str:
        return self._sources.get(entry_id, "<memory>")

    # -- the API other modules use -------------------------------------------

    def entries(self) -> tuple[Entry, ...]:
        """Every entry, in file order."""
        return self._entries

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this stable id, or None."""
        return self._by_id.get(entry_id)

    def source(self, entry_id: str) -> str | None:
        """The file an entry was loaded from (for error messages and the docs)."""
        return self._sources.get(entry_id) if entry_id in self._by_id else None

    def lookup_code(self, system: str, code: str | int, context: str | None = None) -> Entry | None:
        """Find an entry by its code within one system.

        Codes are normalised the way people paste them: ``AADSTS50011`` and
        ``50011`` for ``aadsts``; ``e0000011`` for ``okta``; ``Invalid_Client``
        for ``oauth``; ``401`` for ``http``. For ``http`` a ``context`` of
        ``"scim"`` or ``"sso"`` selects the flow-specific entry and falls back
        to the generic one. For ``entra_provisioning`` an app-prefixed code such
        as ``ContosoEntryConflict`` resolves to the code it ends with.
        """
        if system not in CODED_SYSTEMS:
            raise ValueError(f"unknown code system {system!r}; expected one of {sorted(CODED_SYSTEMS)}")
        key = _normalise(system, str(code))
        if not key:
            return None
        if context is not None:
            found = self._by_code.get((system, key, context))
            if found is not None:
                return found
        found = self._by_code.get((system, key, None))
        if found is not None:
            return found
        if system == "entra_provisioning":
            for known, entry in self._suffix_codes:
                if len(key) > len(known) and key.endswith(known):
                    return entry
        return None

    def match_text(self, text: str) -> list[TextMatch]:
        """Entries whose patterns occur in ``text``, in text order, each entry once (``match_order``
        says which of two entries at the same place comes first).

        Patterns are case-insensitive and linted at load time (no nested or
        unbounded gaps), so this stays fast on large pastes.
        """
        found: list[TextMatch] = []
        if not isinstance(text, str):
            raise TypeError("match_text expects a str")
        if not text:
            return found
        if self._compiled is None:
            self._compiled = [(e, tuple(re.compile(p, re.IGNORECASE) for p in e.patterns))
                              for e in self._entries if e.patterns]
        for entry, compiled in self._compiled:
            best: re.Match[str] | None = None
            for rx in compiled:
                m = rx.search(text)
                if m is not None and (best is None or m.start() < best.start()):
                    best = m
            if best is not None:
                found.append(TextMatch(entry=entry, snippet=_snippet(best.group(0)), start=best.start()))
        order = match_order(text)
        found.sort(key=lambda tm: order(tm.entry, tm.start))
        return found

    def unknown_aadsts(self, code: str | int) -> Entry:
        """A shallow entry for an AADSTS code we have no data on, pointing at Microsoft's look-up page."""
        digits = _normalise("aadsts", str(code))
        if not digits.isdigit():
            raise ValueError(f"{code!r} is not an AADSTS code")
        return _made_entry(
            id=f"aadsts-{digits}",
            system="aadsts",
            code=digits,
            name=f"AADSTS{digits}",
            summary=f"We have no notes on AADSTS{digits}; Microsoft's error look-up page describes it.",
            severity="warn",
            where=[
                "Entra admin center → Entra ID → Monitoring & health → Sign-in logs → the failed sign-in → Basic info (error code and failure reason)",
                f"Microsoft's error look-up page: {AADSTS_LOOKUP.format(code=digits)}",
            ],
            collect=[
                "The full error text, including the Correlation ID, Trace ID and timestamp",
                "The app's Application (client) ID and the tenant ID",
            ],
            refs=[AADSTS_LOOKUP.format(code=digits)],
        )

    def unknown_code(self, system: str, code: str) -> Entry:
        """A shallow entry for a prefixed code we have no notes on (AADSTS, IDX, MSIS), saying what family
        it belongs to and where to read about it."""
        if system == "aadsts":
            return self.unknown_aadsts(code)
        if system not in UNKNOWN_NOTES:
            raise ValueError(f"no shallow entries for system {system!r}")
        digits = _normalise(system, str(code))
        word, low, high = PREFIXED_CODES[system]
        if not (digits.isdigit() and low <= len(digits) <= high):
            raise ValueError(f"{code!r} is not a {word} code")
        family, where, ref = UNKNOWN_NOTES[system]
        return _made_entry(
            id=f"{ID_PREFIX[system]}{digits}", system=system, code=digits, name=f"{word}{digits}",
            summary=f"We have no notes on {word}{digits} yet; it is {family}, and the text after the code names the check that failed.",
            severity="warn", where=[where],
            collect=["The whole error line with the text after the code", "The time it happened and the user or app"],
            refs=[ref],
        )

    def unknown_okta(self, code: str) -> Entry:
        """A shallow entry for an Okta E0000… code we have no data on, pointing at Okta's reference."""
        norm = _normalise("okta", str(code))
        if not re.fullmatch(r"[A-Z0-9]{2,20}", norm):
            raise ValueError(f"{code!r} is not an Okta error code")
        return _made_entry(
            id=f"okta-{norm}",
            system="okta",
            code=norm,
            name=norm,
            summary=f"We have no notes on Okta error {norm}; Okta's error-code reference lists it.",
            severity="warn",
            where=[
                "Okta Admin Console → Reports → System Log (search for the error code or the affected user)",
                f"Okta's error-code reference: {OKTA_ERROR_CODES}",
            ],
            collect=[
                "The whole JSON error body: errorCode, errorSummary, errorId and errorCauses",
                "The errorId, which Okta support can trace",
            ],
            refs=[OKTA_ERROR_CODES],
        )

    # -- small conveniences ---------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id


def _made_entry(**fields: object) -> "Entry":
    """An entry made for a code we have no notes on, validated as a data file's entries are (the pydantic
    model is imported here, on first use: a load from the cache needs none)."""
    from .schema import Entry

    return Entry(**fields)


def match_order(text: str, products: frozenset[str] | None = None) -> "Callable[[Entry, int], tuple[int, int, str]]":
    """The sort key of a match in ``text``: where it starts; at the same place, an entry of a product the text
    shows first (Vault's own missing-claim entry before the general one when the paste is Vault's), then a
    neutral one, then one of a product the text does not show (the bare "Correlation failed." is first the
    SameSite cookie, then ASP.NET Core's own entry); then the id.
    ``products``: those the text shows, when the caller already knows them."""
    if products is None:
        products = products_in(text.lower())

    def key(entry: Entry, start: int) -> tuple[int, int, str]:
        product = product_of(entry)
        return start, (1 if product is None else 0 if product in products else 2), entry.id

    return key


def _normalise(system: str, code: str) -> str:
    code = code.strip()
    if system in PREFIXED_CODES:
        word = PREFIXED_CODES[system][0]
        if code[:len(word)].upper() == word:
            code = code[len(word):]
        return code.strip(" :")
    if system == "okta":
        return code.upper()
    if system in {"oauth", "scim_type", "entra_provisioning", "okta_event"}:
        return code.lower()
    if system == "http":
        m = re.match(r"^(?:HTTP\s*)?(\d{3})\b", code, flags=re.IGNORECASE)
        return m.group(1) if m else code
    return code


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SNIPPET_MAX else text[: _SNIPPET_MAX - 1] + "…"
