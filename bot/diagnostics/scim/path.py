"""The SCIM URL check, step 4: the path, then the query and fragment.

The path must be exactly ``/auth/realms/<realm>/org/<client_guid>/scim/v2``: these segments, in this
order and case (paths are case-sensitive, RFC 3986 §6.2.2.1), single slashes, no trailing slash, no
resource path (the IdP adds ``/Users`` itself, RFC 7644 §3.2), the version segment ``v2`` (RFC 7644
§3.13), and nothing after it. The client GUID is checked in guid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.diagnostics.scim.guid import client_guid, looks_like_guid
from bot.diagnostics.scim.shared import EXPECTED_SHAPE, Problem, clip, problem

_KEYWORDS = ("auth", "realms", "org", "scim")
RESOURCES = {  # resource endpoints (RFC 7644 §3.2), lower-cased -> as the RFC spells them
    "users": "Users",
    "groups": "Groups",
    "serviceproviderconfig": "ServiceProviderConfig",
    "serviceproviderconfigs": "ServiceProviderConfigs",
    "schemas": "Schemas",
    "resourcetypes": "ResourceTypes",
    "bulk": "Bulk",
    "me": "Me",
    ".search": ".search",
}
_VERSION_RE = re.compile(r"[vV]?\d{1,3}(?:\.\d{1,3})?")
_ENTRA_FLAG = "aadoptscim062020"


def path_segments(raw_path: str, problems: list[Problem]) -> list[str]:
    """The path's segments, after reporting doubled slashes and a trailing slash."""
    segments = [seg for seg in raw_path.split("/") if seg]
    if "//" in raw_path:
        problems.append(problem("scim-url-double-slash"))
    if raw_path.endswith("/") and segments:
        problems.append(problem("scim-url-trailing-slash"))
    return segments


@dataclass
class _Path:
    """The segments, where each fixed keyword first occurs, and which segments are accounted for."""

    segments: list[str]
    lowered: list[str]
    spots: dict[str, int]  # keyword -> index, in the order of _KEYWORDS
    used: set[int]

    @classmethod
    def of(cls, segments: list[str]) -> _Path:
        lowered = [seg.lower() for seg in segments]
        spots = {k: lowered.index(k) for k in _KEYWORDS if k in lowered}
        return cls(segments, lowered, spots, set(spots.values()))

    def value_after(self, keyword: str) -> str | None:
        """The segment after ``keyword``, unless there is none or it is another keyword."""
        i = self.spots.get(keyword)
        if i is None or i + 1 >= len(self.segments) or self.lowered[i + 1] in _KEYWORDS:
            return None
        return self.segments[i + 1]


def path_findings(segments: list[str], problems: list[Problem],
                  placeholders: list[str]) -> tuple[str | None, str | None]:
    """Walk the path; returns (realm, normalised client GUID) when they can be derived."""
    path = _Path.of(segments)
    wrong_case = [segments[i] for i in path.spots.values() if segments[i] != segments[i].lower()]
    realm = _realm(path, problems)
    guid = _client_guid(path, problems, placeholders)
    _scim_and_version(path, problems, wrong_case)
    _unexpected_segments(path, problems, placeholders)
    _segment_order(path, problems)
    _path_case(wrong_case, problems)
    if realm is not None and any(realm in p or p in realm for p in placeholders):
        realm = None  # "<realm>" left from the template: no corrected URL can be built from it
    return realm, guid


def _realm(path: _Path, problems: list[Problem]) -> str | None:
    realm = path.value_after("realms")
    if realm is None:
        problems.append(problem("scim-url-missing-realm", {"expected_shape": EXPECTED_SHAPE}, structural=False))
        return None
    path.used.add(path.spots["realms"] + 1)
    if "auth" not in path.spots:
        problems.append(problem("scim-url-missing-auth-prefix"))
    return realm


def _client_guid(path: _Path, problems: list[Problem], placeholders: list[str]) -> str | None:
    """The GUID after /org or, without /org, the first GUID-shaped segment left; checked in guid."""
    raw = path.value_after("org")
    after_org = raw is not None
    if after_org:
        path.used.add(path.spots["org"] + 1)
    elif "org" not in path.spots:
        raw = _bare_guid(path)
    if not after_org:
        problems.append(problem("scim-url-missing-org", {"expected_shape": EXPECTED_SHAPE}, structural=raw is not None))
    return client_guid(raw, problems, placeholders) if raw is not None else None


def _bare_guid(path: _Path) -> str | None:
    """The first segment not yet accounted for that is a GUID (bare, braced or without hyphens)."""
    for i, seg in enumerate(path.segments):
        if i not in path.used and looks_like_guid(seg.strip("{}")):
            path.used.add(i)
            return seg
    return None


def _scim_and_version(path: _Path, problems: list[Problem], wrong_case: list[str]) -> None:
    """/scim, the version segment after it, and a resource path pasted after that."""
    i_scim = path.spots.get("scim")
    if i_scim is None:
        problems.append(problem("scim-url-missing-scim-path"))
        return
    after = i_scim + 1
    version = path.segments[after] if after < len(path.segments) else None
    if version is not None and _VERSION_RE.fullmatch(version):
        path.used.add(after)
        _version(version, problems, wrong_case)
        _resource_path(path, after + 1, problems)
        return
    problems.append(problem("scim-url-missing-v2"))
    _resource_path(path, after, problems)


def _version(version: str, problems: list[Problem], wrong_case: list[str]) -> None:
    if version.lower() == "v1":
        problems.append(problem("scim-url-v1", {"version": version}))
    elif version.lower() != "v2":
        problems.append(problem("scim-url-wrong-version", {"version": clip(version, 10)}))
    elif version != "v2":
        wrong_case.append(version)


def _resource_path(path: _Path, start: int, problems: list[Problem]) -> None:
    """/Users, /Groups ... from ``start`` on: the IdP adds these itself."""
    tail = path.segments[start:]
    if not tail or tail[0].lower() not in RESOURCES:
        return
    path.used.update(range(start, len(path.segments)))
    resource = RESOURCES[tail[0].lower()]
    problems.append(problem("scim-url-resource-path", {"resource_path": clip("/" + "/".join(tail), 120)}, values={"resource": resource}))


def _unexpected_segments(path: _Path, problems: list[Problem], placeholders: list[str]) -> None:
    extra = [path.segments[i] for i in range(len(path.segments)) if i not in path.used]
    extra = [seg for seg in extra if not any(seg in p or p in seg for p in placeholders)]
    if extra:
        problems.append(problem("scim-url-unexpected-segments", {"unexpected": clip(", ".join(extra[:20]), 160)}, values={"listed": clip(", ".join("/" + seg for seg in extra[:8]), 160)}))


def _segment_order(path: _Path, problems: list[Problem]) -> None:
    present = list(path.spots.items())
    order_ok = all(a[1] < b[1] for a, b in zip(present, present[1:]))
    i_auth, i_realms = path.spots.get("auth"), path.spots.get("realms")
    if i_auth is not None and i_realms is not None and i_realms != i_auth + 1:
        order_ok = False  # /realms must follow /auth directly
    if not order_ok:
        problems.append(problem("scim-url-segment-order", values={"found": clip(" → ".join("/" + k for k, _ in sorted(present, key=lambda x: x[1])), 80)}))


def _path_case(wrong_case: list[str], problems: list[Problem]) -> None:
    if wrong_case:
        problems.append(problem("scim-url-path-case", {"segments": clip(", ".join(wrong_case), 120)}, values={"listed": clip(", ".join("/" + seg for seg in wrong_case), 80)}))


# -- query and fragment ---------------------------------------------------------------------


def query_and_fragment(query: str | None, fragment: str | None, problems: list[Problem],
                       infos: list[Problem]) -> bool:
    """Report a query or fragment; returns whether the URL carries Entra's compatibility flag (kept in the fix)."""
    keep_flag = _query(query, problems, infos) if query is not None else False
    if fragment is not None:
        problems.append(problem("scim-url-fragment", {"fragment": clip("#" + fragment, 120)}))
    return keep_flag


def _query(query: str, problems: list[Problem], infos: list[Problem]) -> bool:
    """Entra's ?aadOptscim062020 is a setting and gets a note; any other query is a problem.
    Returns whether the flag is there."""
    params = [p for p in query.split("&") if p]
    flagged = [p for p in params if p.lower() == _ENTRA_FLAG]
    others = [p for p in params if p.lower() != _ENTRA_FLAG]
    if flagged:
        infos.append(problem("scim-url-entra-flag", structural=False))
    if others or not flagged:
        problems.append(problem("scim-url-query", {"query": clip("?" + "&".join(others), 120) if others else "?"}))
    return bool(flagged)
