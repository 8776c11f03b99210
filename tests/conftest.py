"""Shared test fixtures: where the read-only corpus lives, and a fixed clock."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# CI clones main into a fresh folder with a copy of shared/ beside it, as on a developer's machine.
SHARED = Path(os.environ.get("SSO_BOT_SHARED", REPO.parent / "shared")).resolve()
CORPUS = SHARED / "corpus"
GUIDE = SHARED / "reference" / "sso-scim-troubleshooting-guide.md"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS}; set SSO_BOT_SHARED to the shared/ folder")
    return CORPUS


@pytest.fixture
def now() -> datetime:
    """A fixed, timezone-aware 'now' for pure checks that take an explicit clock."""
    return datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
