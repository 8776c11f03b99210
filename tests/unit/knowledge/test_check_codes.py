"""Every finding code a check can emit has a knowledge entry, with the severity the check uses.

Only for the checks that still write their findings' text themselves: the live checks' titles
(live/, with the SAML metadata check's ``saml-metadata-*``). The other checks emit a code and facts,
and their text is the entry's (``explain.check_finding``, tests/unit/knowledge/test_check_texts.py);
when the live checks move too, this test goes.

The checks in ``bot/diagnostics/`` build findings in a few ways: ``Finding(code="...")``
directly; through a helper that passes its ``code`` parameter on
(``_finding("redirect-host", ...)``, ``_f("saml-expired", Severity.FAIL, ...)``); through a
small dataclass with a ``code`` field that is turned into a Finding later
(``_Problem("scim-url-v1", Severity.FAIL, ...)``); or by looping over a module-level
table (``for code, (severity, ...) in _KINDS.items()``); a finding copied from another
(``Finding(code=f.code, severity=f.severity, ...)``) is checked where the original is made.
This test reads the modules
with ``ast`` and follows exactly those shapes. A code it cannot follow to a string
literal (an f-string, a concatenation, a value from anywhere else) fails the test: a
code built at run time cannot be checked against the knowledge base, so it must not be
written that way.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.knowledge.schema import CHECK_ID_PREFIXES

DIAGNOSTICS = Path(__file__).resolve().parents[3] / "bot" / "diagnostics"

#: Codes that come from the knowledge base itself (``finding_from_entry`` uses ``entry.id``).
KNOWLEDGE_DERIVED = {("explain.py", "entry.id")}

#: How many codes each family had when this test was written; a drop means a module stopped being read.
MINIMUM_PER_FAMILY = {"saml-metadata-": 15, "live-": 60}  # saml-* and the others: see test_check_texts.py


@dataclass(frozen=True)
class Carrier:
    """Something that takes a finding code: where the code and severity go, and the default severity."""

    code_index: int | None
    code_name: str
    severity_index: int | None = None
    severity_name: str | None = None
    severity_default: ast.expr | None = None
    severity_fixed: ast.expr | None = None


@dataclass
class Scan:
    """What one module says: (code, severity or None, line) per site, and the sites that cannot be followed."""

    sites: list[tuple[str, str | None, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


FINDING = Carrier(code_index=0, code_name="code", severity_index=1, severity_name="severity")
#: Helpers imported from another module that pass their code on to a Finding (live/shared.live_finding).
IMPORTED_CARRIERS = {"live_finding": FINDING}


def _severity_literal(node: ast.expr | None) -> str | None:
    if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Severity"):
        return node.attr.lower()
    return None


def _callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _argument(call: ast.Call, index: int | None, name: str | None) -> ast.expr | None:
    if name is not None:
        for keyword in call.keywords:
            if keyword.arg == name:
                return keyword.value
    if index is not None and index < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: index + 1]):
        return call.args[index]
    return None


def _parameters(func: ast.FunctionDef) -> tuple[list[str], dict[str, ast.expr]]:
    """Positional parameter names in order, and the defaults of every parameter."""
    positional = [a.arg for a in func.args.posonlyargs + func.args.args]
    defaults: dict[str, ast.expr] = {}
    for arg, default in zip(reversed(positional), reversed(func.args.defaults)):
        defaults[arg] = default
    for arg, default in zip(func.args.kwonlyargs, func.args.kw_defaults):
        if default is not None:
            defaults[arg.arg] = default
    return positional, defaults


def _record_fields(tree: ast.Module) -> dict[str, Carrier]:
    """Classes with a ``code`` field (dataclasses built positionally or by keyword) carry codes too."""
    carriers: dict[str, Carrier] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        names = [s.target.id for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
        if "code" in names:
            carriers[node.name] = Carrier(
                code_index=names.index("code"),
                code_name="code",
                severity_index=names.index("severity") if "severity" in names else None,
                severity_name="severity" if "severity" in names else None,
            )
    return carriers


def _functions(tree: ast.Module) -> list[ast.FunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]


def _helper_carriers(tree: ast.Module, carriers: dict[str, Carrier]) -> None:
    """Functions that pass one of their parameters on as the code of a carrier become carriers (to a fixpoint)."""
    changed = True
    while changed:
        changed = False
        for func in _functions(tree):
            if func.name in carriers:
                continue
            positional, defaults = _parameters(func)
            params = set(positional) | {a.arg for a in func.args.kwonlyargs}
            for call in (n for n in ast.walk(func) if isinstance(n, ast.Call)):
                inner = carriers.get(_callee(call) or "")
                if inner is None:
                    continue
                code = _argument(call, inner.code_index, inner.code_name)
                if not (isinstance(code, ast.Name) and code.id in params):
                    continue
                severity = _argument(call, inner.severity_index, inner.severity_name)
                carrier = Carrier(
                    code_index=positional.index(code.id) if code.id in positional else None,
                    code_name=code.id,
                )
                if isinstance(severity, ast.Name) and severity.id in params:
                    carrier = Carrier(
                        code_index=carrier.code_index,
                        code_name=code.id,
                        severity_index=positional.index(severity.id) if severity.id in positional else None,
                        severity_name=severity.id,
                        severity_default=defaults.get(severity.id),
                    )
                else:
                    carrier = Carrier(code_index=carrier.code_index, code_name=code.id, severity_fixed=severity)
                carriers[func.name] = carrier
                changed = True
                break


def _module_tables(tree: ast.Module) -> dict[str, ast.Dict]:
    tables: dict[str, ast.Dict] = {}
    for node in tree.body:
        target, value = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and isinstance(value, ast.Dict):
            tables[target.id] = value
    return tables


def _bind(target: ast.expr, value: ast.expr, out: dict[str, ast.expr]) -> None:
    if isinstance(target, ast.Name):
        out[target.id] = value
    elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)):
        for t, v in zip(target.elts, value.elts):
            _bind(t, v, out)


def _loop_bindings(tree: ast.Module, tables: dict[str, ast.Dict]) -> dict[ast.For, list[dict[str, ast.expr]]]:
    """For loops over a module-level dict literal (``X``, ``X.items()``, ``X.keys()``): one binding per entry."""
    loops: dict[ast.For, list[dict[str, ast.expr]]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.For):
            continue
        source, how = node.iter, "keys"
        if isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute) and not source.args:
            how, source = source.func.attr, source.func.value
        if not isinstance(source, ast.Name) or source.id not in tables or how not in ("keys", "items"):
            continue
        table = tables[source.id]
        bindings = []
        for key, value in zip(table.keys, table.values):
            if key is None:
                continue
            bound: dict[str, ast.expr] = {}
            _bind(node.target, key if how == "keys" else ast.Tuple(elts=[key, value]), bound)
            bindings.append(bound)
        loops[node] = bindings
    return loops


def scan_module(source: str, filename: str) -> Scan:
    """The code sites of one module (see the module docstring for the shapes followed)."""
    tree = ast.parse(source, filename=filename)
    scan = Scan()
    carriers: dict[str, Carrier] = {"Finding": FINDING, **IMPORTED_CARRIERS, **_record_fields(tree)}
    _helper_carriers(tree, carriers)
    loops = _loop_bindings(tree, _module_tables(tree))

    # Which function and which loops enclose each call.
    enclosing: dict[ast.AST, tuple[ast.FunctionDef | None, list[ast.For]]] = {}

    def visit(node: ast.AST, func: ast.FunctionDef | None, fors: list[ast.For]) -> None:
        for child in ast.iter_child_nodes(node):
            inner_func = child if isinstance(child, ast.FunctionDef) else func
            inner_fors = fors + [child] if isinstance(child, ast.For) else fors
            if isinstance(child, ast.Call):
                enclosing[child] = (func, fors)
            visit(child, inner_func, inner_fors)

    visit(tree, None, [])

    for call, (func, fors) in enclosing.items():
        name = _callee(call)
        carrier = carriers.get(name or "")
        if carrier is None:
            continue
        code = _argument(call, carrier.code_index, carrier.code_name)
        where = f"{filename}:{call.lineno}"
        if code is None:
            scan.problems.append(f"{where}: {name}(...) without a code argument")
            continue
        severity = _argument(call, carrier.severity_index, carrier.severity_name)
        if severity is None:
            severity = carrier.severity_fixed if carrier.severity_fixed is not None else carrier.severity_default
        if isinstance(code, ast.Constant) and isinstance(code.value, str):
            scan.sites.append((code.value, _severity_literal(severity), call.lineno))
            continue
        params = set()
        if func is not None:
            params = {a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs}
        # A helper handing on its own parameter: its callers are checked instead.
        if isinstance(code, ast.Name) and func is not None and func.name in carriers and code.id in params:
            continue
        # A copy of a finding or record built elsewhere (code=f.code, severity=f.severity): the place
        # that built the original is checked instead.
        if (isinstance(code, ast.Attribute) and code.attr == "code" and isinstance(severity, ast.Attribute)
                and severity.attr == "severity" and ast.dump(code.value) == ast.dump(severity.value)):
            continue
        if (filename, ast.unparse(code)) in KNOWLEDGE_DERIVED:
            continue
        if isinstance(code, ast.Name):
            loop = next((f for f in reversed(fors) if f in loops and any(code.id in b for b in loops[f])), None)
            if loop is not None:
                for bound in loops[loop]:
                    value = bound.get(code.id)
                    sev = bound.get(severity.id) if isinstance(severity, ast.Name) else severity
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        scan.sites.append((value.value, _severity_literal(sev), call.lineno))
                    else:
                        scan.problems.append(f"{where}: a key of the table looped over is not a string literal")
                continue
        kind = "an f-string" if isinstance(code, ast.JoinedStr) else f"`{ast.unparse(code)}`"
        scan.problems.append(f"{where}: the finding code is {kind}, built at run time; write it as a literal")
    return scan


def scan_diagnostics() -> Scan:
    total = Scan()
    for path in sorted(DIAGNOSTICS.rglob("*.py")):
        scan = scan_module(path.read_text(encoding="utf-8"), path.relative_to(DIAGNOSTICS).as_posix())
        total.sites += [(code, sev, line) for code, sev, line in scan.sites]
        total.problems += scan.problems
    return total


def expected_entry_severity(severity: str | None) -> str | None:
    """The knowledge base has no 'ok' level: an ok finding's entry says 'info'."""
    return "info" if severity == "ok" else severity


@pytest.fixture(scope="module")
def scanned() -> Scan:
    return scan_diagnostics()


def check_codes(kb, scan: Scan) -> list[str]:
    """Everything wrong between the scanned sites and the knowledge base, one line each."""
    problems = list(scan.problems)
    for code, severity, line in scan.sites:
        if not code.startswith(CHECK_ID_PREFIXES):
            problems.append(f"line {line}: {code!r} has none of the check prefixes {CHECK_ID_PREFIXES}")
            continue
        entry = kb.get(code)
        if entry is None:
            problems.append(f"line {line}: {code!r} has no knowledge entry (add it to bot/knowledge/data/checks.toml)")
            continue
        want = expected_entry_severity(severity)
        if want is not None and entry.severity != want:
            problems.append(f"line {line}: {code!r} is emitted as {severity} but its entry says {entry.severity}")
    return problems


# ------------------------------------------------------------------ the real modules


def test_every_finding_code_can_be_followed_to_a_literal(scanned):
    assert scanned.problems == []


def test_every_emitted_code_has_an_entry_with_the_same_severity(kb, scanned):
    assert check_codes(kb, scanned) == []


def test_the_scan_finds_every_family(scanned):
    codes = {code for code, _sev, _line in scanned.sites}
    for prefix, minimum in MINIMUM_PER_FAMILY.items():
        family = {c for c in codes if c.startswith(prefix)}
        assert len(family) >= minimum, (prefix, len(family), sorted(family))


def test_each_code_has_one_severity(scanned):
    seen: dict[str, set[str]] = {}
    for code, severity, _line in scanned.sites:
        if severity is not None:
            seen.setdefault(code, set()).add(severity)
    assert {c: s for c, s in seen.items() if len(s) > 1} == {}


def test_check_entries_are_complete(kb, scanned):
    codes = {code for code, _sev, _line in scanned.sites}
    entries = [e for e in kb.entries() if e.system == "check"]
    written = [e for e in entries if e.title is None]  # the others are the findings' own text (check_finding)
    assert {e.id for e in written} == codes, "checks.toml should hold exactly the codes the checks emit"
    for entry in entries:
        assert entry.name and entry.summary, entry.id
        if entry.severity in ("warn", "fail"):
            assert entry.deep and entry.where, f"{entry.id}: a warn/fail entry needs causes, fix and where"


def test_saml_entries_point_at_the_saml_settings(kb):
    entry = kb.get("saml-audience-mismatch")
    where = " ".join(entry.where)
    assert "Single sign-on → Basic SAML Configuration" in where
    assert "General → SAML Settings" in where
    assert "Provisioning → Admin Credentials → Tenant URL" in " ".join(kb.get("scim-url-missing-v2").where)
    assert "Authentication → Redirect URIs" in " ".join(kb.get("redirect-mismatch").where)


# ------------------------------------------------------------------ the scanner itself can fail

SYNTHETIC = textwrap.dedent(
    '''
    from dataclasses import dataclass
    from bot.diagnostics.report import Finding, Severity

    _TABLE = {"redirect-host": (Severity.FAIL, "t"), "domains-no-such-code": (Severity.WARN, "t")}

    @dataclass
    class _Problem:
        code: str
        severity: Severity

    def _helper(code, title, *, severity=Severity.WARN):
        return Finding(code=code, severity=severity, title=title)

    def check(x, prefix):
        out = [Finding(code="token-made-up-code", severity=Severity.FAIL, title="x")]
        out.append(_helper("redirect-host", "t"))
        out.append(_Problem("scim-url-ok", Severity.FAIL))
        for code, (severity, title) in _TABLE.items():
            out.append(Finding(code=code, severity=severity, title=title))
        out.append(Finding(code=f"{prefix}-x", severity=Severity.INFO, title="x"))
        out.append(Finding(code="saml-" + x, severity=Severity.INFO, title="x"))
        out.append(Finding(code=x.upper(), severity=Severity.INFO, title="x"))
        out += [Finding(code=f.code, severity=f.severity, title="copy") for f in out]
        out.append(Finding(code=x.code, severity=Severity.OK, title="not a copy"))
        return out
    '''
)


def test_the_scanner_follows_every_shape_and_flags_dynamic_codes():
    scan = scan_module(SYNTHETIC, "synthetic.py")
    sites = {(code, sev) for code, sev, _line in scan.sites}
    assert sites == {
        ("token-made-up-code", "fail"),
        ("redirect-host", "warn"),  # the helper's default severity
        ("scim-url-ok", "fail"),
        ("redirect-host", "fail"),  # from the table
        ("domains-no-such-code", "warn"),
    }
    assert len(scan.problems) == 4
    assert any("f-string" in p for p in scan.problems)
    assert any("`x.code`" in p for p in scan.problems)
    assert any("'saml-' + x" in p for p in scan.problems)
    assert any("x.upper()" in p for p in scan.problems)


def test_an_unknown_code_or_a_wrong_severity_fails_the_check(kb):
    problems = check_codes(kb, scan_module(SYNTHETIC, "synthetic.py"))
    text = "\n".join(problems)
    assert "'token-made-up-code' has no knowledge entry" in text
    assert "'domains-no-such-code' has no knowledge entry" in text
    assert "'redirect-host' is emitted as warn but its entry says fail" in text
    assert "'scim-url-ok' is emitted as fail but its entry says info" in text
    assert "f-string" in text


# ------------------------------------------------------------------ the schema of the check system

CHECK_ENTRY = """
system = "check"

[[entry]]
id = "saml-expired"
name = "SAML response expired"
summary = "NotOnOrAfter has passed."
severity = "fail"
causes = ["a"]
fix = ["b"]
where = ["c"]
"""


def write_check(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "checks.toml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_a_check_entry_needs_no_code_or_patterns(tmp_path):
    from bot.knowledge import load_knowledge

    kb = load_knowledge(write_check(tmp_path, CHECK_ENTRY))
    entry = kb.get("saml-expired")
    assert entry.system == "check" and entry.code is None and entry.patterns == [] and entry.deep
    assert kb.match_text("saml-expired SAML response expired") == []  # found by id only


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('id = "saml-expired"', 'id = "msg-saml-expired"'), "must start with one of"),
        (('severity = "fail"', 'severity = "fail"\ncode = "expired"'), "drop 'code'"),
        (('severity = "fail"', "severity = \"fail\"\npatterns = ['expired']"), "drop 'patterns'"),
        (('severity = "fail"', "severity = \"fail\"\naliases = ['x']"), "drop 'aliases'"),
        (('severity = "fail"', 'severity = "fail"\nhttp_status = 401'), "drop 'http_status'"),
        (('causes = ["a"]\n', ""), "must also list likely causes"),
        (('severity = "fail"', 'severity = "ok"'), "severity"),
    ],
)
def test_check_entries_are_validated_strictly(tmp_path, change, message):
    from bot.knowledge import KnowledgeError, load_knowledge

    old, new = change
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(write_check(tmp_path, CHECK_ENTRY.replace(old, new)))
    assert message in str(info.value) and "checks.toml" in str(info.value)


def test_scim_url_ids_are_reserved_for_the_check(tmp_path):
    from bot.knowledge import KnowledgeError, load_knowledge

    body = CHECK_ENTRY.replace('system = "check"', 'system = "scim"').replace("saml-expired", "scim-url-expired")
    with pytest.raises(KnowledgeError, match="use system 'check'"):
        load_knowledge(write_check(tmp_path, body))
