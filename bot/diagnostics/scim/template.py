"""The shape of the product's SCIM base URL, as a template an operator can change.

The guide's shape is the default::

    {base}/auth/realms/{realm}/org/{client_guid}/scim/v2

``{base}`` is an environment's base URL (scheme, host and any path it is served under); the path after
it is a list of segments, each either literal text or a ``{name}`` (``<name>`` is read the same way)
filled in per customer. ``{client_guid}`` must hold a GUID; any other name any non-empty segment.

A URL is held to the template only when it is evidently meant to be in that shape: it is on one of the
configured environments, or its path has one of the template's own literal segments (``auth``,
``realms``, ``org`` for the default: ``scim`` and a version are in every SCIM URL, so they say nothing).
Any other URL is some other SCIM server's, and only the rules every SCIM server shares apply to it
(``generic``). The process's template is set once, from ``SSO_BOT_SCIM_URL_TEMPLATE``
(``bot.settings``), with ``use_template``; a check can also be given one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_TEMPLATE_TEXT = "{base}/auth/realms/{realm}/org/{client_guid}/scim/v2"
GUID_NAME = "client_guid"

_BASE = re.compile(r"\{(?:base|environment_base_url)\}|<(?:base|environment_base_url)>")
_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]{0,39})\}|<([a-z][a-z0-9_]{0,39})>")
_LITERAL = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@-]{1,100}")
_VERSION = re.compile(r"[vV]\d{1,3}(?:\.\d{1,3})?")
_SAYS_NOTHING = {"scim"}  # a literal every SCIM URL has


@dataclass(frozen=True)
class Segment:
    """One path segment of the template: literal ``text``, or a placeholder named ``name``."""

    text: str = ""
    name: str = ""

    @property
    def is_placeholder(self) -> bool:
        return bool(self.name)

    def shown(self) -> str:
        return f"<{self.name}>" if self.name else self.text


@dataclass(frozen=True)
class ScimTemplate:
    text: str
    segments: tuple[Segment, ...]

    @property
    def is_default(self) -> bool:
        return self.segments == DEFAULT_TEMPLATE.segments

    @property
    def path(self) -> str:
        """The path after the base, placeholders in angle brackets: ``/auth/realms/<realm>/...``."""
        return "".join("/" + s.shown() for s in self.segments)

    @property
    def expected_shape(self) -> str:
        return "{environment_base_url}" + self.path

    def distinctive(self) -> frozenset[str]:
        """The literal segments (lower-cased) that only a URL meant to be in this shape has."""
        return frozenset(s.text.lower() for s in self.segments if not s.is_placeholder
                         and s.text.lower() not in _SAYS_NOTHING and not _VERSION.fullmatch(s.text))

    def claims(self, segments: list[str]) -> bool:
        """Whether a URL with these path segments is evidently meant to be in this shape."""
        return bool(self.distinctive() & {seg.lower() for seg in segments})

    def match(self, segments: list[str]) -> dict[str, str] | None:
        """The placeholders' values when ``segments`` follow the template exactly (case included), else None."""
        if len(segments) != len(self.segments):
            return None
        values: dict[str, str] = {}
        for want, got in zip(self.segments, segments):
            if want.is_placeholder:
                values[want.name] = got
            elif want.text != got:
                return None
        return values

    def first_difference(self, segments: list[str]) -> int:
        """The index of the first segment that differs from the template (its length when one is a prefix)."""
        for i, (want, got) in enumerate(zip(self.segments, segments)):
            if not want.is_placeholder and want.text != got:
                return i
        return min(len(self.segments), len(segments))

    def fill(self, values: dict[str, str]) -> str:
        return "".join("/" + (values[s.name] if s.is_placeholder else s.text) for s in self.segments)


class TemplateError(ValueError):
    """Why a template cannot be used, in one sentence."""


def parse_template(text: str) -> ScimTemplate:
    """The template ``text`` describes: ``{base}`` first, then path segments; TemplateError otherwise."""
    text = text.strip()
    base = _BASE.match(text)
    if base is None:
        raise TemplateError("it must start with {base}, the environment's base URL, e.g. " + DEFAULT_TEMPLATE_TEXT)
    path = text[base.end():]
    if any(c in path for c in "?#") or "//" in path or path.endswith("/") or not path.startswith("/"):
        raise TemplateError("after {base} it must be a path of single-slash segments, with no query, fragment "
                            "or trailing slash")
    segments = tuple(_segment(part) for part in path[1:].split("/"))
    names = [s.name for s in segments if s.is_placeholder]
    if len(names) != len(set(names)):
        raise TemplateError("a placeholder appears twice in it")
    if segments[-1].text.lower() in {"users", "groups"}:
        raise TemplateError("it must stop at the base URL, before /Users or /Groups (the IdP adds those)")
    return ScimTemplate(text, segments)


def _segment(part: str) -> Segment:
    placeholder = _PLACEHOLDER.fullmatch(part)
    if placeholder:
        return Segment(name=placeholder.group(1) or placeholder.group(2))
    if _LITERAL.fullmatch(part):
        return Segment(text=part)
    raise TemplateError(f"the segment '{part[:40]}' is neither plain text nor a {{placeholder}}")


DEFAULT_TEMPLATE = parse_template(DEFAULT_TEMPLATE_TEXT)
_configured = DEFAULT_TEMPLATE


def use_template(template: ScimTemplate) -> None:
    """Make ``template`` the one checks use when they are given none (set once, at start-up)."""
    global _configured
    _configured = template


def configured_template() -> ScimTemplate:
    return _configured
