"""The SCIM URL check, step 3: which of your environments the URL belongs to.

Given the environments' base URLs (``{"prod": "https://app.example.com"}``), the host, port and
leading path segments say which one the URL addresses; a URL from none of them, or from another
one than expected, gives 404 or provisions users into the wrong place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from bot.diagnostics.report import Finding, Severity
from bot.diagnostics.scim.origin import split_authority
from bot.diagnostics.scim.shared import SCHEME_RE, Problem, clip
from bot.diagnostics.text import as_text


@dataclass
class _Origin:
    scheme: str
    host: str
    port: str
    path_segments: tuple[str, ...]


def environment(
    host: str,
    port: str,
    raw_path: str,
    environments: Mapping[str, str],
    expected_env: str | None,
    infos: list[Problem],
    problems: list[Problem],
) -> tuple[str | None, tuple[str, ...]]:
    """(the environment's name, its base URL's path segments), or (None, ()) when no environment matches."""
    origins = _origins(environments)
    best = _best_match(host, port, raw_path, origins)
    known = ", ".join(f"{n} ({environments[n] if n in environments else ''})" for n in list(origins)[:10])
    if expected_env is not None and expected_env not in origins:
        infos.append(Problem(Finding(
            code="scim-url-expected-env-unknown",
            severity=Severity.INFO,
            title=f"No environment called '{clip(as_text(expected_env), 40)}' is configured",
            detail="The URL could not be compared with the environment you expected.",
            facts={"known_environments": clip(known, 300)},
        ), structural=False))
    if best is None:
        problems.append(_unknown_environment(host, known))
        return None, ()
    name, origin = best
    if expected_env is not None and expected_env in origins and expected_env != name:
        problems.append(_wrong_environment(name, expected_env, environments))
    else:
        base = as_text(environments.get(name, ""))
        infos.append(Problem(Finding(
            code="scim-url-environment",
            severity=Severity.INFO,
            title=f"Environment: {clip(name, 40)}",
            detail=f"The host matches the '{clip(name, 40)}' environment ({clip(base, 120)}).",
            facts={"environment": clip(name, 40)},
        ), structural=False))
    return name, origin.path_segments


def _origins(environments: Mapping[str, str]) -> dict[str, _Origin]:
    """The environments whose base URL can be read (the first 50), by name."""
    origins: dict[str, _Origin] = {}
    for name, base in list(environments.items())[:50]:
        try:
            origin = _parse_origin(as_text(base))
        except Exception:  # a broken setting must not stop the check
            origin = None
        if origin is not None:
            origins[as_text(name)] = origin
    return origins


def _best_match(host: str, port: str, raw_path: str, origins: dict[str, _Origin]) -> tuple[str, _Origin] | None:
    """The environment on this host and port whose base path the URL starts with; the longest such path wins."""
    h = host.lower().rstrip(".")
    p = "" if port in ("443", "80") else port
    path_lower = [seg.lower() for seg in raw_path.split("/") if seg]
    best: tuple[str, _Origin] | None = None
    for name, origin in origins.items():
        if origin.host != h or origin.port != p:
            continue
        prefix = [seg.lower() for seg in origin.path_segments]
        if path_lower[: len(prefix)] != prefix:
            continue
        if best is None or len(origin.path_segments) > len(best[1].path_segments):
            best = (name, origin)
    return best


def _parse_origin(base: str) -> _Origin | None:
    base = base.strip()
    if not base:
        return None
    match = SCHEME_RE.match(base)
    if match and match.group(2):
        scheme, rest = match.group(1).lower(), base[match.end() :]
    else:
        scheme, rest = "https", base.lstrip("/")
    cut = len(rest)
    for sep in "/?#":
        pos = rest.find(sep)
        if pos != -1:
            cut = min(cut, pos)
    authority, path = rest[:cut], rest[cut:].split("?")[0].split("#")[0]
    _user, host, port = split_authority(authority)
    if not host:
        return None
    default = {"https": "443", "http": "80"}.get(scheme)
    if port == default:
        port = ""
    return _Origin(scheme, host.lower().rstrip("."), port, tuple(p for p in path.split("/") if p))


def _unknown_environment(host: str, known: str) -> Problem:
    return Problem(Finding(
        code="scim-url-unknown-environment",
        severity=Severity.WARN,
        title="The host matches none of your environments",
        detail=f"'{clip(host, 80)}' is not the address of any configured environment ({clip(known, 300)}). "
        "A URL from the wrong environment (dev instead of prod) gives 404 or a failed Test Connection.",
        fix=("Copy the SCIM Endpoint from the console of the environment this IdP app should provision.",),
        facts={"host": clip(host, 120), "known_environments": clip(known, 300)},
    ), structural=False)


def _wrong_environment(name: str, expected_env: str, environments: Mapping[str, str]) -> Problem:
    base = as_text(environments.get(name, ""))
    wanted = as_text(environments.get(expected_env, ""))
    return Problem(Finding(
        code="scim-url-wrong-environment",
        severity=Severity.WARN,
        title=f"This is the {clip(name, 40)} URL, not {clip(expected_env, 40)}",
        detail=f"The host belongs to '{clip(name, 40)}' ({clip(base, 120)}), but you expected "
        f"'{clip(expected_env, 40)}' ({clip(wanted, 120)}). Users would be provisioned into the wrong "
        "environment, or the call fails with 404 because the client GUID differs there.",
        fix=(
            (
                f"Open the {clip(expected_env, 40)} console and copy its SCIM Endpoint (it starts with "
                f"{clip(wanted, 120)}); the realm and client GUID may differ between environments."
            ),
        ),
        facts={"environment": clip(name, 40), "expected_environment": clip(expected_env, 40)},
    ), structural=False)
