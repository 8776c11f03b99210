"""Checklist definitions: TOML files in ``bot/checklists_data/``, validated by pydantic at load.

One file per checklist::

    id = "scim-401"                 # stable: stored with every run and sent in button values
    title = "SCIM 401 recovery"
    summary = "..."                 # one line, shown in the picker
    command = "401"                 # /sso checklist 401 ...
    aliases = ["token"]             # other words that start it
    idps = ["entra", "okta"]        # identity providers the definition knows about
    requires_idp = true             # must the person pick one before it starts?
    follow_up_minutes = 10          # ask in the thread this long after completion (optional)

    [[group]]
    id = "platform"
    title = "Part 1: ..."
    intro = "..."                   # optional, shown above the boxes
    idp = "okta"                    # optional: only for runs on this IdP

    [[group.item]]
    id = "platform-generate-key"    # stable, unique within the checklist
    text = "..."                    # the checkbox label (Slack: at most 75 characters)
    detail = "..."                  # optional second line (Slack: at most 75 characters)
    check = "scim_url"              # optional linked check, offered as a "Run check" button

Item ids are what runs store, so renaming one is a breaking change; a run
already started keeps the texts it was started with (see ``bot.checklists``).
Every problem is reported at once, each line naming the file, so a bad edit
fails the boot and CI rather than a user's command. Pure Python: no Slack, no SQL.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DATA_DIR = Path(__file__).resolve().parent / "checklists_data"

#: Identity providers a checklist can be specialised for, with the names people type.
IDPS: dict[str, str] = {"entra": "Microsoft Entra ID", "okta": "Okta"}
IDP_WORDS: dict[str, str] = {"entra": "entra", "entra-id": "entra", "entraid": "entra", "azure": "entra",
                             "azuread": "entra", "azure-ad": "entra", "aad": "entra", "okta": "okta"}

#: Diagnostics an item may link to; each opens a form and posts its result in the thread.
CHECKS: dict[str, str] = {
    "scim_url": "SCIM URL",
    "token": "token expiry",
    "redirect": "redirect URIs",
    "domains": "allowed domains",
}

#: Slack's limits for a checkbox option's text and description.
MAX_ITEM_TEXT = 75
MAX_ITEM_DETAIL = 75
#: A checkbox element holds at most 10 options; groups are split into elements of 10,
#: and a group this large would make a thread message nobody reads.
MAX_GROUP_ITEMS = 30
MAX_GROUP_CHECKS = 25
MAX_INTRO = 600

ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
WORD_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,23}$")


class ChecklistError(Exception):
    """The checklist data is broken. ``problems`` holds one line per problem (``<file>: <what>``)."""

    def __init__(self, problems: Iterable[str]):
        self.problems: tuple[str, ...] = tuple(problems)
        count = len(self.problems)
        head = f"checklist definitions have {count} problem{'s' if count != 1 else ''}:"
        super().__init__("\n  ".join([head, *self.problems]))


def _one_line(value: str, what: str, limit: int) -> str:
    if not value.strip():
        raise ValueError(f"{what} must not be empty")
    if "\n" in value or "\r" in value:
        raise ValueError(f"{what} must be a single line")
    if value != value.strip():
        raise ValueError(f"{what} has leading or trailing spaces")
    size = len(value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))  # as sent, mrkdwn-escaped
    if size > limit:
        raise ValueError(f"{what} is {size} characters as sent to Slack; Slack shows at most {limit}")
    return value


class ItemDef(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    text: str
    detail: str = ""
    check: str | None = None

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not ID_RE.match(value) or len(value) > 64:
            raise ValueError(f"item id {value!r} is not a lowercase slug like 'okta-base-url' (at most 64)")
        return value

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        return _one_line(value, "text", MAX_ITEM_TEXT)

    @field_validator("detail")
    @classmethod
    def _detail(cls, value: str) -> str:
        return _one_line(value, "detail", MAX_ITEM_DETAIL) if value else value

    @field_validator("check")
    @classmethod
    def _known_check(cls, value: str | None) -> str | None:
        if value is not None and value not in CHECKS:
            raise ValueError(f"unknown check {value!r}; expected one of {sorted(CHECKS)}")
        return value


class GroupDef(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    intro: str = ""
    idp: str | None = None
    item: list[ItemDef] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not ID_RE.match(value) or len(value) > 64:
            raise ValueError(f"group id {value!r} is not a lowercase slug")
        return value

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return _one_line(value, "title", 120)

    @field_validator("intro")
    @classmethod
    def _intro(cls, value: str) -> str:
        return _one_line(value, "intro", MAX_INTRO) if value else value

    @field_validator("idp")
    @classmethod
    def _known_idp(cls, value: str | None) -> str | None:
        if value is not None and value not in IDPS:
            raise ValueError(f"unknown idp {value!r}; expected one of {sorted(IDPS)}")
        return value

    @field_validator("item")
    @classmethod
    def _size(cls, value: list[ItemDef]) -> list[ItemDef]:
        if len(value) > MAX_GROUP_ITEMS:
            raise ValueError(f"{len(value)} items in one group; split it (at most {MAX_GROUP_ITEMS})")
        if sum(1 for item in value if item.check) > MAX_GROUP_CHECKS:
            raise ValueError(f"more than {MAX_GROUP_CHECKS} linked checks in one group (one button row holds 25)")
        return value

    @property
    def items(self) -> list[ItemDef]:
        return self.item


class ChecklistDef(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    title: str
    summary: str
    command: str
    aliases: list[str] = Field(default_factory=list)
    idps: list[str] = Field(default_factory=list)
    requires_idp: bool = False
    follow_up_minutes: int | None = None
    group: list[GroupDef] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not ID_RE.match(value) or len(value) > 64:
            raise ValueError(f"checklist id {value!r} is not a lowercase slug like 'scim-401'")
        return value

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return _one_line(value, "title", 60)

    @field_validator("summary")
    @classmethod
    def _summary(cls, value: str) -> str:
        return _one_line(value, "summary", 200)

    @field_validator("command", "aliases")
    @classmethod
    def _words(cls, value):
        for word in [value] if isinstance(value, str) else value:
            if not WORD_RE.match(word):
                raise ValueError(f"{word!r} is not a short lowercase word to type after /sso checklist")
            if word in IDP_WORDS:
                raise ValueError(f"{word!r} names an identity provider and cannot start a checklist")
        return value

    @field_validator("idps")
    @classmethod
    def _known_idps(cls, value: list[str]) -> list[str]:
        for idp in value:
            if idp not in IDPS:
                raise ValueError(f"unknown idp {idp!r}; expected one of {sorted(IDPS)}")
        if len(set(value)) != len(value):
            raise ValueError("idps has duplicates")
        return value

    @field_validator("follow_up_minutes")
    @classmethod
    def _follow_up(cls, value: int | None) -> int | None:
        if value is not None and not 1 <= value <= 24 * 60:
            raise ValueError("follow_up_minutes must be between 1 and 1440")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "ChecklistDef":
        item_ids = [item.id for group in self.group for item in group.item]
        duplicates = sorted({i for i in item_ids if item_ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate item ids: {duplicates}")
        group_ids = [group.id for group in self.group]
        if len(set(group_ids)) != len(group_ids):
            raise ValueError("duplicate group ids")
        for group in self.group:
            if group.idp is not None and group.idp not in self.idps:
                raise ValueError(f"group {group.id!r} is for {group.idp!r}, which is not in idps {self.idps}")
        if self.requires_idp:
            if not self.idps:
                raise ValueError("requires_idp needs idps to choose from")
            for idp in self.idps:
                if not any(group.idp == idp for group in self.group):
                    raise ValueError(f"requires_idp but no group is specific to {idp!r}")
        for idp in [None, *self.idps]:
            if not self.requires_idp or idp is not None:
                if sum(len(g.item) for g in self.groups_for(idp)) == 0:
                    raise ValueError(f"no items for idp {idp!r}")
        if self.command in self.aliases:
            raise ValueError("an alias repeats the command")
        return self

    @property
    def groups(self) -> list[GroupDef]:
        return self.group

    @property
    def words(self) -> tuple[str, ...]:
        """What a person may type after ``/sso checklist`` to start this one."""
        return (self.command, *self.aliases, self.id)

    def groups_for(self, idp: str | None) -> list[GroupDef]:
        """The groups a run on ``idp`` gets: every general group, plus those for that IdP.
        With no IdP chosen (allowed only when ``requires_idp`` is false) every group is kept."""
        return [g for g in self.group if g.idp is None or idp is None or g.idp == idp]

    def accepts_idp(self, idp: str | None) -> bool:
        if idp is None:
            return not self.requires_idp
        return idp in self.idps

    def item_count(self, idp: str | None) -> int:
        return sum(len(g.item) for g in self.groups_for(idp))


class ChecklistLibrary:
    """Every checklist definition, by id and by the words that start one."""

    def __init__(self, checklists: Iterable[ChecklistDef], sources: dict[str, str] | None = None) -> None:
        self._all = tuple(checklists)
        self._by_id: dict[str, ChecklistDef] = {}
        self._by_word: dict[str, ChecklistDef] = {}
        sources = sources or {}
        problems: list[str] = []
        for checklist in self._all:
            where = sources.get(checklist.id, "<memory>")
            if checklist.id in self._by_id:
                problems.append(f"{where}: checklist {checklist.id!r}: duplicate id")
                continue
            self._by_id[checklist.id] = checklist
            for word in checklist.words:
                other = self._by_word.get(word)
                if other is not None and other.id != checklist.id:
                    problems.append(f"{where}: checklist {checklist.id!r}: word {word!r} already starts {other.id!r}")
                self._by_word.setdefault(word, checklist)
        if problems:
            raise ChecklistError(problems)

    def __iter__(self) -> Iterator[ChecklistDef]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def get(self, checklist_id: str) -> ChecklistDef | None:
        return self._by_id.get(checklist_id)

    def find(self, word: str) -> ChecklistDef | None:
        """The checklist a word after ``/sso checklist`` names (its command, an alias, or its id)."""
        return self._by_word.get(word.strip().lower())


def parse_idp(word: str | None) -> str | None:
    """``entra``/``azure``/``aad`` -> ``entra``; ``okta`` -> ``okta``; anything else -> None."""
    return IDP_WORDS.get(word.strip().lower()) if word else None


def load_file(path: Path) -> ChecklistDef:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return ChecklistDef.model_validate(data)


def load_library(directory: Path = DATA_DIR) -> ChecklistLibrary:
    """Load and validate every ``*.toml`` in ``directory``; all problems are raised together."""
    checklists: list[ChecklistDef] = []
    sources: dict[str, str] = {}
    problems: list[str] = []
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise ChecklistError([f"{directory}: no checklist files"])
    for path in files:
        try:
            checklist = load_file(path)
        except tomllib.TOMLDecodeError as error:
            problems.append(f"{path.name}: not valid TOML: {error}")
            continue
        except ValidationError as error:
            for item in error.errors():
                place = ".".join(str(p) for p in item["loc"]) or "(file)"
                problems.append(f"{path.name}: {place}: {item['msg']}")
            continue
        if path.stem != checklist.id:
            problems.append(f"{path.name}: file name must be the checklist id ({checklist.id}.toml)")
        checklists.append(checklist)
        sources[checklist.id] = path.name
    if problems:
        raise ChecklistError(problems)
    return ChecklistLibrary(checklists, sources)


@functools.lru_cache(maxsize=1)
def load_checklists() -> ChecklistLibrary:
    """The shipped definitions, loaded once per process."""
    return load_library(DATA_DIR)
