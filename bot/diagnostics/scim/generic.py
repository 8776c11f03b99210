"""The SCIM URL check for a URL that is not in the product's shape: the rules every SCIM server shares.

Scheme, host, credentials, query and fragment are checked as for any URL (origin, path.query_and_fragment),
doubled and trailing slashes too (path.path_segments). What is left is the path, where only two things
hold for every server: it stops before the resources (the IdP adds ``/Users``, ``/Groups``, ... itself,
RFC 7644 §3.2), and ``v1`` right after a ``scim`` segment, or ending the path, addresses SCIM 1.1, which
Entra's and Okta's SCIM 2.0 provisioning does not speak (a ``v1`` elsewhere is the service's own API
version, as in ``/api/v1/scim``). A version segment is how SCIM 2.0 is usually addressed (RFC 7644
§3.13) but not required (some services publish ``/scim`` or ``/scim/directory/<id>``), so a path with
none gets a note, not a problem.
"""

from __future__ import annotations

import re

from bot.diagnostics.scim.path import RESOURCES
from bot.diagnostics.scim.shared import Problem, clip, problem

_VERSION = re.compile(r"[vV]\d{1,3}(?:\.\d{1,3})?|\d{1,3}(?:\.\d{1,3})?")


def without_resource_path(segments: list[str], problems: list[Problem]) -> list[str]:
    """``segments`` up to the first resource segment (``Users``, ``Groups`` ...), reporting what was cut."""
    lowered = [seg.lower() for seg in segments]
    cut = next((i for i, seg in enumerate(lowered) if i > 0 and seg in RESOURCES), None)
    if cut is None:
        return segments
    tail = segments[cut:]
    problems.append(problem("scim-url-resource-path", {"resource_path": clip("/" + "/".join(tail), 120)},
                            values={"resource": RESOURCES[lowered[cut]]}))
    return segments[:cut]


def generic_path(segments: list[str], problems: list[Problem], infos: list[Problem]) -> list[str]:
    """The path's problems by the rules every SCIM server shares; returns the segments of the corrected path."""
    kept = without_resource_path(segments, problems)
    lowered = [seg.lower() for seg in kept]
    for i, seg in enumerate(lowered):
        if seg == "v1" and (i == len(lowered) - 1 or (i > 0 and lowered[i - 1] == "scim")):
            problems.append(problem("scim-url-v1", {"version": kept[i]}))
            kept = [*kept[:i], "v2", *kept[i + 1:]]
            break
    if not any(_VERSION.fullmatch(seg) or _VERSION.fullmatch(seg.removeprefix("scim")) for seg in lowered):
        infos.append(problem("scim-url-generic-no-version", structural=False))
    return kept
