"""The loader refuses broken data with errors that name the file and the entry."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from bot.knowledge import CHECKS, Entry, KnowledgeBase, KnowledgeError, load_knowledge
from bot.knowledge.patterns import pattern_problem


def test_ids_are_unique_and_slug_shaped(kb):
    ids = [e.id for e in kb.entries()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(?:-[A-Za-z0-9_]+)+", i) for i in ids)


def test_cross_references_resolve(kb):
    for entry in kb.entries():
        for ref in entry.related:
            assert kb.get(ref) is not None, (entry.id, ref)
        for ref in entry.next_checks:
            assert ref in CHECKS or kb.get(ref) is not None, (entry.id, ref)


def test_default_load_is_cached(kb):
    assert load_knowledge() is load_knowledge()


def test_all_files_in_the_data_dir_load(kb):
    files = {kb.source(e.id) for e in kb.entries()}
    data = Path(__file__).resolve().parents[3] / "bot" / "knowledge" / "data"
    assert files == {p.name for p in data.glob("*.toml")}


GOOD = """
[[entry]]
id = "aadsts-50011"
code = "50011"
name = "InvalidReplyTo"
summary = "Redirect URI not registered."
causes = ["a"]
fix = ["b"]
next_checks = ["check:redirect"]
"""


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text('system = "aadsts"\n' + textwrap.dedent(body), encoding="utf-8")
    return path


def broken(tmp_path: Path) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(tmp_path)
    return info.value


def test_a_good_directory_loads(tmp_path):
    write(tmp_path, "a.toml", GOOD)
    kb = load_knowledge(tmp_path)
    assert kb.get("aadsts-50011").deep
    assert load_knowledge(tmp_path) is not kb  # only the default directory is cached


def test_bad_type_names_file_and_entry(tmp_path):
    write(tmp_path, "bad_type.toml", GOOD.replace('fix = ["b"]', 'fix = "b"'))
    err = broken(tmp_path)
    assert "bad_type.toml" in str(err) and "'aadsts-50011'" in str(err) and "fix" in str(err)


def test_dangling_reference(tmp_path):
    write(tmp_path, "dangling.toml", GOOD + 'related = ["aadsts-99999"]\n')
    err = broken(tmp_path)
    assert "dangling.toml" in str(err) and "aadsts-50011" in str(err) and "aadsts-99999" in str(err)


def test_dangling_next_check_and_unknown_check(tmp_path):
    write(tmp_path, "a.toml", GOOD.replace('"check:redirect"', '"check:redirect", "symptom-nowhere"'))
    assert "symptom-nowhere" in str(broken(tmp_path))
    write(tmp_path, "a.toml", GOOD.replace('"check:redirect"', '"check:nonsense"'))
    assert "check:nonsense" in str(broken(tmp_path))


def test_duplicate_id_across_files(tmp_path):
    write(tmp_path, "one.toml", GOOD)
    write(tmp_path, "two.toml", GOOD)
    err = broken(tmp_path)
    assert "two.toml" in str(err) and "one.toml" in str(err) and "duplicate id" in str(err)
    assert "aadsts-50011" in str(err)


@pytest.mark.parametrize(
    "pattern",
    ["unclosed (group", "slow (a+)+b", "gap .* here", "(?:a|aa)*c", ".{0,80}starts with a gap"],
)
def test_bad_regex_is_refused(tmp_path, pattern):
    body = GOOD + f"patterns = [{pattern!r}]\n".replace('"', "'")
    write(tmp_path, "regex.toml", body)
    err = broken(tmp_path)
    assert "regex.toml" in str(err) and "aadsts-50011" in str(err) and "pattern" in str(err)


def test_toml_syntax_error_names_the_file(tmp_path):
    (tmp_path / "syntax.toml").write_text("[[entry]\nid = ", encoding="utf-8")
    assert "syntax.toml" in str(broken(tmp_path))


def test_unknown_field_and_derived_deep_are_refused(tmp_path):
    write(tmp_path, "a.toml", GOOD + 'colour = "red"\n')
    assert "colour" in str(broken(tmp_path))
    write(tmp_path, "a.toml", GOOD + "deep = true\n")
    assert "deep" in str(broken(tmp_path))


def test_id_must_follow_the_code(tmp_path):
    write(tmp_path, "a.toml", GOOD.replace('id = "aadsts-50011"', 'id = "aadsts-50012"'))
    err = broken(tmp_path)
    assert "aadsts-50012" in str(err) and "must be 'aadsts-50011'" in str(err)


def test_every_problem_is_reported_at_once(tmp_path):
    write(tmp_path, "a.toml", GOOD.replace('fix = ["b"]', "fix = 3") + GOOD.replace("50011", "50012").replace('fix = ["b"]', "fix = 4"))
    err = broken(tmp_path)
    assert len(err.problems) >= 2
    assert any("aadsts-50011" in p for p in err.problems) and any("aadsts-50012" in p for p in err.problems)


def test_missing_directory(tmp_path):
    assert "no .toml files" in str(broken(tmp_path))
    with pytest.raises(KnowledgeError):
        load_knowledge(tmp_path / "absent")


def test_direct_construction_checks_references():
    entry = Entry(id="msg-x", system="message", name="x", summary="x", patterns=["x"], related=["msg-y"])
    with pytest.raises(KnowledgeError, match="msg-y"):
        KnowledgeBase([entry])


@pytest.mark.parametrize("pattern", ["abc", "redirect uri .{0,300}?does not match", "a(?:b|c)?d", r"x\s{0,3}y"])
def test_safe_patterns_pass_the_lint(pattern):
    assert pattern_problem(pattern) is None


def test_all_shipped_patterns_pass_the_lint(kb):
    for entry in kb.entries():
        for pattern in entry.patterns:
            assert pattern_problem(pattern) is None, (entry.id, pattern)
