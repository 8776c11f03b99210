"""The layer rule from DESIGN.md, checked by parsing imports (not by grepping text)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

OUTER = {"slack_bolt", "slack_sdk", "sqlmodel", "sqlalchemy", "alembic", "psycopg", "waitress", "handlers", "storage"}
# Composition roots may reach outward (lazily); everything else in bot/ is the pure core.
ROOTS = {"bot/__main__.py", "bot/cli.py"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


CORE = [p for p in _modules("bot") if str(p.relative_to(REPO)) not in ROOTS]


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(REPO)))
def test_core_imports_no_outer_layer(path):
    assert not (_imports(path) & OUTER), f"{path.relative_to(REPO)} imports {_imports(path) & OUTER}"


@pytest.mark.parametrize("path", _modules("storage"), ids=lambda p: str(p.relative_to(REPO)))
def test_storage_imports_neither_core_nor_handlers(path):
    assert not (_imports(path) & {"bot", "handlers", "slack_bolt", "slack_sdk"})


def test_httpx_only_in_the_network_probe():
    users = [p for pkg in ("bot", "handlers", "storage") for p in _modules(pkg) if "httpx" in _imports(p)]
    assert all(p.name == "probe.py" for p in users), users


def test_the_rule_itself_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from slack_sdk import WebClient\nimport storage.models\n")
    assert _imports(bad) & OUTER == {"slack_sdk", "storage"}
