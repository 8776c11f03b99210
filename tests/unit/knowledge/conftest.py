"""Fixtures for the knowledge-base tests: the packaged KB and the shared code lists."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase, load_knowledge


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.fixture(scope="session")
def aadsts_rows(corpus: Path) -> list[dict[str, str]]:
    rows = read_tsv(corpus / "codes" / "aadsts_error_codes.tsv")
    assert len(rows) >= 300, "the AADSTS list in the corpus looks truncated"
    return rows


@pytest.fixture(scope="session")
def okta_rows(corpus: Path) -> list[dict[str, str]]:
    rows = read_tsv(corpus / "codes" / "okta_api_error_codes.tsv")
    assert len(rows) >= 250, "the Okta list in the corpus looks truncated"
    return rows


@pytest.fixture(scope="session")
def oauth_rows(corpus: Path) -> list[dict[str, str]]:
    return read_tsv(corpus / "codes" / "oauth2_error_values.tsv")
