"""The layer rules from DESIGN.md, checked by parsing imports (not by grepping text).

    bot.cli -> runtime -> handlers -> services -> (bot, storage)

- ``bot/`` is the pure core: no Slack, no SQL, none of the outer packages (``bot/__main__.py`` and the
  ``bot/cli`` command are composition roots and may reach outward, lazily).
- ``storage/`` imports neither the core nor anything above it.
- ``services/`` (the use cases) imports the core and storage, never Slack's SDKs, handlers or runtime.
- ``handlers/`` (the Slack surface) never imports the runtime; a feature package imports no other
  feature (they meet in ``handlers/shared/hooks.py``), and ``handlers/shared`` imports no feature.
- Action ids are enums in each feature's ``ids.py``, and nowhere else.
- No module over 400 lines.
- No import circle anywhere, lazy (function-level) imports included, nor one through imports for type
  checkers only (``if TYPE_CHECKING:``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGES = ("bot", "handlers", "services", "runtime", "storage")
SLACK = {"slack_bolt", "slack_sdk"}
SQL = {"sqlmodel", "sqlalchemy", "alembic", "psycopg"}
# Composition roots may reach outward (lazily); everything else in bot/ is the pure core.
ROOTS = ("bot/__main__.py", "bot/cli.py", "bot/cli/")


def _rel(path: Path) -> str:
    return str(path.relative_to(REPO))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _typing_only(tree: ast.AST) -> set[int]:
    """The ids of the nodes under ``if TYPE_CHECKING:``, which never run."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for child in node.body for n in ast.walk(child))
    return skipped


def _imported_modules(path: Path, *, at_run_time: bool = False) -> set[str]:
    """Every module ``path`` imports, anywhere in it, as dotted names (relative imports resolved);
    ``at_run_time`` leaves out imports for type checkers only."""
    tree = ast.parse(path.read_text(), filename=str(path))
    skipped = _typing_only(tree) if at_run_time else set()
    inside = path.is_relative_to(REPO)
    package = "" if not inside else _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.update(f"{base}.{alias.name}" for alias in node.names)
            names.add(base)
    return names


def _tops(path: Path) -> set[str]:
    return {name.split(".")[0] for name in _imported_modules(path)}


def _modules(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


def _ids(paths: list[Path]):
    return [_rel(p) for p in paths]


CORE = [p for p in _modules("bot") if not _rel(p).startswith(ROOTS)]


@pytest.mark.parametrize("path", CORE, ids=_ids(CORE))
def test_core_imports_no_outer_layer(path):
    outer = SLACK | SQL | {"waitress", "handlers", "storage", "services", "runtime"}
    assert not (_tops(path) & outer), f"{_rel(path)} imports {_tops(path) & outer}"


@pytest.mark.parametrize("path", _modules("storage"), ids=_ids(_modules("storage")))
def test_storage_imports_neither_core_nor_anything_above_it(path):
    assert not (_tops(path) & ({"bot", "handlers", "services", "runtime"} | SLACK))


@pytest.mark.parametrize("path", _modules("services"), ids=_ids(_modules("services")))
def test_services_import_no_slack_surface_and_no_runtime(path):
    assert not (_tops(path) & (SLACK | {"handlers", "runtime", "waitress"})), f"{_rel(path)}: {_tops(path)}"


@pytest.mark.parametrize("path", _modules("handlers"), ids=_ids(_modules("handlers")))
def test_handlers_never_import_the_runtime(path):
    assert "runtime" not in _tops(path) and "bot.cli" not in _imported_modules(path)


def _feature(path_or_module: str) -> str | None:
    """``checklists`` for handlers/checklists/... or handlers.checklists..., None outside a feature."""
    parts = path_or_module.replace("/", ".").split(".")
    if len(parts) > 2 and parts[0] == "handlers" and (REPO / "handlers" / parts[1]).is_dir():
        return parts[1]
    return None


FEATURE_MODULES = [p for p in _modules("handlers") if _feature(_rel(p))]


@pytest.mark.parametrize("path", FEATURE_MODULES, ids=_ids(FEATURE_MODULES))
def test_no_feature_imports_another(path):
    own = _feature(_rel(path))
    others = {_feature(m) for m in _imported_modules(path)} - {None, own, "shared"}
    if own == "shared":
        others |= {_feature(m) for m in _imported_modules(path)} - {None, "shared"}
    assert not others, f"{_rel(path)} imports the feature(s) {sorted(others)}: contribute through hooks instead"


def test_handlers_is_one_folder_per_feature():
    loose = sorted(p.name for p in (REPO / "handlers").glob("*.py") if p.name not in {"__init__.py", "app.py"})
    assert loose == [], f"put these in a feature package: {loose}"
    features = {p.name for p in (REPO / "handlers").iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert {"diagnose", "checklists", "credentials", "home", "router", "shared"} <= features


def test_action_ids_live_only_in_the_features_ids_modules():
    homes = set()
    for path in _modules("handlers"):
        tree = ast.parse(path.read_text())
        if any(isinstance(n, ast.ClassDef) and any(getattr(b, "id", "") == "StrEnum" for b in n.bases)
               for n in ast.walk(tree)):
            homes.add(_rel(path))
    assert homes and all(h.endswith("/ids.py") for h in homes), sorted(homes)


MAX_LINES = 400


def test_no_module_is_over_400_lines():
    long = {_rel(p): n for pkg in PACKAGES for p in _modules(pkg)
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}, f"split these by what they do: {long}"


def test_httpx_only_in_the_network_probe():
    users = [p for pkg in PACKAGES for p in _modules(pkg) if "httpx" in _tops(p)]
    assert all(p.name == "probe.py" for p in users), users


def _graph(*, at_run_time: bool = True) -> dict[str, set[str]]:
    """Module -> the modules importing it runs (see :func:`_runs`), for every module of the packages;
    ``at_run_time=False`` adds the imports written for type checkers only."""
    paths = [p for pkg in PACKAGES for p in _modules(pkg)]
    known = {_module_name(p) for p in paths}
    return {_module_name(p): _runs(_module_name(p), _imported_modules(p, at_run_time=at_run_time), known)
            for p in paths}


def _runs(name: str, imported: set[str], known: set[str]) -> set[str]:
    """The modules of ``known`` that importing ``name`` runs: what it names, and those names' parent packages
    (Python runs a package's ``__init__`` before any module in it). ``from a.b import c`` names a.b (and a.b.c
    when that is a module). ``name``'s own packages are imported before it already: naming one only as the
    parent of another module (``from bot.files.har_scan import scan``) adds nothing, but importing from the
    package itself (``from bot.files import har_scan``) depends on it, and closes a circle when the
    package's ``__init__`` imports ``name``."""
    named = imported & known
    parents = {".".join(m.split(".")[:n]) for m in named for n in range(1, m.count(".") + 1)}
    own = {".".join(name.split(".")[:n]) for n in range(1, name.count(".") + 1)}
    return (named | (parents & known)) - (own - named) - {name}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle in ``graph``, or None (iterative depth-first search)."""
    state: dict[str, int] = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return path[path.index(child):] + [child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph.get(child, ())))))
    return None


def test_there_is_no_import_circle_anywhere():
    assert _cycle(_graph()) is None, " -> ".join(_cycle(_graph()) or [])


def test_no_circle_even_through_imports_for_type_checkers():
    """An ``if TYPE_CHECKING:`` import never runs, but it still ties two modules together: one that needs
    the other's type takes a Protocol instead (handlers/credentials/feature.py)."""
    graph = _graph(at_run_time=False)
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_rules_themselves_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from slack_sdk import WebClient\nimport storage.models\n")
    assert _tops(bad) & (SLACK | {"storage"}) == {"slack_sdk", "storage"}
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
    known = {"p", "p.a", "p.b"}
    assert _runs("p.a", {"p.b", "p.b.f"}, known) == {"p.b"}  # from p.b import f: p is imported before p.a anyway
    assert _runs("p.a", {"p", "p.b"}, known) == {"p", "p.b"}  # from p import b: p.a depends on its package
    assert _cycle({"p": {"p.a"}, "p.a": _runs("p.a", {"p", "p.b"}, known), "p.b": set()}) == ["p", "p.a", "p"]
    assert _feature("handlers/checklists/ticks.py") == "checklists" and _feature("handlers/app.py") is None
