"""The SCIM URL check's path step for a template the operator configured (``SSO_BOT_SCIM_URL_TEMPLATE``).

The guide's own shape has its detailed walk (path, guid). Any other template is compared segment by
segment: literal segments must match exactly (paths are case-sensitive, RFC 3986 §6.2.2.1), a
``{client_guid}`` must hold a GUID, and any other placeholder any segment. A resource path pasted after
the base is reported and cut first, as for every SCIM URL (generic).
"""

from __future__ import annotations

from bot.diagnostics.scim.generic import without_resource_path
from bot.diagnostics.scim.guid import client_guid
from bot.diagnostics.scim.shared import Problem, clip, problem
from bot.diagnostics.scim.template import GUID_NAME, ScimTemplate


def template_path(template: ScimTemplate, segments: list[str], problems: list[Problem],
                  placeholders: list[str]) -> dict[str, str] | None:
    """The placeholders' values (a GUID written the way the path uses it) when the path can be put in the
    template's shape, else None; the problems found on the way are added to ``problems``."""
    kept = without_resource_path(segments, problems)
    values = template.match(kept)
    if values is None:
        values = template.match([_as_template(template, i, seg) for i, seg in enumerate(kept)])
        if values is not None:
            wrong = [seg for i, seg in enumerate(kept) if _as_template(template, i, seg) != seg]
            problems.append(problem("scim-url-path-case", {"segments": clip(", ".join(wrong), 120)},
                                    values={"listed": clip(", ".join("/" + seg for seg in wrong), 80)}))
    if values is None:
        at = template.first_difference(kept)
        found = "/" + kept[at] if at < len(kept) else "the end of the path"
        wanted = "/" + template.segments[at].shown() if at < len(template.segments) else "the end of the path"
        problems.append(problem("scim-url-template-mismatch", {"expected_shape": template.expected_shape},
                                values={"found": clip(found, 80), "wanted": clip(wanted, 80)}, structural=False))
        return None
    if any(v in p or p in v for v in values.values() for p in placeholders):
        return None  # "<tenant>" left from the template: no corrected URL can be built from it
    if GUID_NAME in values:
        guid = client_guid(values[GUID_NAME], problems, placeholders)
        if guid is None:
            return None
        values[GUID_NAME] = guid
    return values


def _as_template(template: ScimTemplate, index: int, segment: str) -> str:
    """``segment`` written as the template's literal at ``index`` when they differ only in case."""
    if index < len(template.segments):
        want = template.segments[index]
        if not want.is_placeholder and want.text.lower() == segment.lower():
            return want.text
    return segment
