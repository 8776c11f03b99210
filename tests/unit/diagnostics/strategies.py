"""Hypothesis strategies and helpers shared by the diagnostics tests."""

from __future__ import annotations

import base64
import json
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from bot.diagnostics.report import Finding, Report, Severity
from bot.redaction import SafeReport

MAX_INPUT = 100_000

# Deterministic, no example database on disk, no per-example deadline.
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _random_bytes_text(rnd: Any, size: int) -> str:
    return rnd.randbytes(size).decode("utf-8", errors="replace")


def _repeat(chunk: str, count: int) -> str:
    return (chunk * count)[:MAX_INPUT]


# Any text up to 100 KB: short arbitrary unicode (NULs and surrogates included),
# large random bytes decoded with errors="replace", and long repetitions of a
# short piece (the shape that hurts backtracking regexes).
hostile_text = st.one_of(
    st.text(max_size=2_000),
    st.text(alphabet=st.characters(exclude_categories=[]), max_size=500),  # lone surrogates too
    st.builds(_random_bytes_text, st.randoms(use_true_random=False), st.integers(0, MAX_INPUT)),
    st.builds(_repeat, st.text(min_size=1, max_size=24), st.integers(1, MAX_INPUT)),
    st.builds(
        _repeat,
        st.sampled_from(["eyJ", "eyJa.", "a@", "@", "/scim", "%7B", "{", "<", "https://", "a.", " .", "\x00", "Bearer "]),
        st.integers(1, MAX_INPUT),
    ),
)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def make_jwt(payload: dict[str, Any], header: dict[str, Any] | None = None, signature: str = "c2lnbmF0dXJlLWJ5dGVz") -> str:
    head = header if header is not None else {"alg": "RS256", "typ": "JWT", "kid": "test-key-1"}
    return ".".join(
        (b64url(json.dumps(head).encode()), b64url(json.dumps(payload).encode()), signature)
    )


def codes(report: Report) -> list[str]:
    return [f.code for f in report.findings]


def finding(report: Report, code: str) -> Finding:
    matches = [f for f in report.findings if f.code == code]
    assert matches, f"{code} not in {codes(report)}"
    assert len(matches) == 1, f"{code} reported {len(matches)} times"
    return matches[0]


def field_strings(report: Report) -> list[str]:
    """Every string a user could see in the findings: title, detail, fix, refs, facts.

    The code is left out: it is one of our own constants, so a random input that happens to
    spell part of one (``token-jwt-ba``) is not a leak."""
    out: list[str] = []
    for f in report.findings:
        out += [f.title, f.detail, *f.fix, *f.refs]
        for key, value in f.facts.items():
            out += [key, value]
    return out


def assert_wellformed(report: Report | SafeReport) -> None:
    assert isinstance(report, (Report, SafeReport))
    assert report.findings, "a check always says something"
    for f in report.findings:
        assert isinstance(f.severity, Severity)
        assert f.code and f.code == f.code.lower() and " " not in f.code
        assert isinstance(f.title, str) and f.title
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in f.facts.items())
        assert all(isinstance(step, str) for step in f.fix)
        assert len(f.detail) <= 3000, "a Slack section holds 3000 characters"
    report.to_dict()


def _pathological() -> list[str]:
    import random

    rnd = random.Random(20261128)
    return [
        rnd.randbytes(MAX_INPUT).decode("utf-8", errors="replace"),
        "".join(chr(rnd.randint(0, 0x10FFFF)) for _ in range(20_000)).encode("utf-8", "surrogatepass").decode(
            "utf-8", "replace"
        ),
        "a" * MAX_INPUT,
        "\x00" * MAX_INPUT,
        "eyJ" * (MAX_INPUT // 3),
        "eyJa." * (MAX_INPUT // 5),
        "a@" * (MAX_INPUT // 2),
        "https://" + "a" * (MAX_INPUT - 8),
        "/scim" * (MAX_INPUT // 5),
        "{" * MAX_INPUT,
        "%7B" * (MAX_INPUT // 3),
        "a." * (MAX_INPUT // 2),
        "Bearer " + "Ab1" * (MAX_INPUT // 3),
        "\ud800\udfff" * 1000,
        "https://a.com/x vs " * (MAX_INPUT // 19),
    ]


# Fixed 100 KB inputs, run by every check on every test run.
PATHOLOGICAL = _pathological()
