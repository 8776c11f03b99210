"""The SCIM URL check, step 3: which of your environments the URL belongs to.

Given the environments' base URLs (``{"prod": "https://app.example.com"}``), the host, port and
leading path segments say which one the URL addresses; a URL from none of them, or from another
one than expected, gives 404 or provisions users into the wrong place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from bot.diagnostics.scim.origin import split_authority
from bot.diagnostics.scim.shared import SCHEME_RE, Problem, clip, problem
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
        infos.append(problem("scim-url-expected-env-unknown", {"known_environments": clip(known, 300)}, values={"expected": clip(as_text(expected_env), 40)}, structural=False))
    if best is None:
        problems.append(_unknown_environment(host, known))
        return None, ()
    name, origin = best
    if expected_env is not None and expected_env in origins and expected_env != name:
        problems.append(_wrong_environment(name, expected_env, environments))
    else:
        base = as_text(environments.get(name, ""))
        infos.append(problem("scim-url-environment", {"environment": clip(name, 40)}, values={"base": clip(base, 120)}, structural=False))
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
    return problem("scim-url-unknown-environment", {"host": clip(host, 120), "known_environments": clip(known, 300)}, structural=False)


def _wrong_environment(name: str, expected_env: str, environments: Mapping[str, str]) -> Problem:
    base = as_text(environments.get(name, ""))
    wanted = as_text(environments.get(expected_env, ""))
    return problem("scim-url-wrong-environment", {"environment": clip(name, 40), "expected_environment": clip(expected_env, 40)}, values={"base": clip(base, 120), "wanted": clip(wanted, 120)}, structural=False)
