"""Accuracy on the evaluation set (tests/data/eval) can only go up: top-2 stays at or above the floor
recorded in tests/data/eval/floor.toml. The figures themselves: ``.venv/bin/python bench/accuracy.py``."""

from __future__ import annotations

import pytest

from bench.accuracy import EVAL, FAMILIES, CaseError, evaluate, expected_codes, floor, load_cases, split_of, table


@pytest.fixture(scope="module")
def results():
    return evaluate(load_cases([EVAL]))


#: The splits ``top2`` and ``top2_without_code`` in floor.toml count: the real pastes they were measured on.
#: The fresh sets (fresh.toml, split "fresh"; fresh2.toml, split "fresh2"; fresh3.toml, split "fresh3") came later
#: and have floors of their own (``fresh_top2``, ``fresh2_top2``, ``fresh3_top2`` ...), recorded when each was first
#: measured, so adding them lowered no floor.
FLOOR_SPLITS = ("dev", "holdout", "survey")


def _top2(results, splits, has_code=None) -> tuple[float, int]:
    tallies = [results.tally(split=split, has_code=has_code) for split in splits]
    n = sum(t.n for t in tallies)
    return (sum(t.top2 for t in tallies) / n if n else 0.0), n


def test_the_floor_is_recorded():
    recorded = floor()
    assert {f"{prefix}{figure}" for prefix in ("", "fresh_", "fresh2_", "fresh3_")
            for figure in ("top2", "top2_without_code")} <= set(recorded)
    assert all(0.0 < value <= 1.0 for value in recorded.values())


@pytest.mark.parametrize(("prefix", "splits"), [("", FLOOR_SPLITS), ("fresh_", ("fresh",)),
                                                        ("fresh2_", ("fresh2",)), ("fresh3_", ("fresh3",))])
def test_top2_accuracy_stays_at_or_above_the_floor(results, prefix, splits):
    recorded = floor()
    (overall, n), (without, _) = _top2(results, splits), _top2(results, splits, has_code=False)
    assert n, splits
    assert overall >= recorded[f"{prefix}top2"], \
        f"{'/'.join(splits)}: top-2 accuracy fell to {overall:.1%} (floor {recorded[f'{prefix}top2']:.1%})"
    assert without >= recorded[f"{prefix}top2_without_code"], \
        f"{'/'.join(splits)}: top-2 accuracy without a code fell to {without:.1%} " \
        f"(floor {recorded[f'{prefix}top2_without_code']:.1%})"


def test_every_real_paste_is_under_a_floor(results):
    assert {o.case.split for o in results.outcomes if not o.case.guide} <= {*FLOOR_SPLITS, "fresh", "fresh2", "fresh3"}


def test_there_are_enough_real_cases(results):
    assert results.tally().n >= 300
    assert results.tally(has_code=False).n >= 0.4 * results.tally().n


def test_new_ids_count_by_the_id_they_will_have():
    case = load_cases([EVAL])[0]
    assert expected_codes(type(case)(**{**vars(case), "expect": ("new:msg-x", "aadsts-50011")})) == \
        {"msg-x", "aadsts-50011"}


def test_a_malformed_case_is_refused_with_its_file_and_id(tmp_path):
    (tmp_path / "bad.toml").write_text('[[case]]\nid = "x-01"\nfamily = "nope"\nhas_code = false\n'
                                       'paste = "p"\nexpect = ["msg-a"]\n')
    with pytest.raises(CaseError, match=r"bad.toml: case 'x-01': family"):
        load_cases([tmp_path])
    (tmp_path / "bad.toml").write_text('[[case]]\nid = "x-01"\nfamily = "symptom"\nhas_code = false\n'
                                       'paste = "p"\nexpect = []\n')
    with pytest.raises(CaseError, match="expect"):
        load_cases([tmp_path])


def test_a_miss_is_a_miss(tmp_path):
    (tmp_path / "one.toml").write_text('[[case]]\nid = "x-01"\nfamily = "idp-code"\nhas_code = true\n'
                                       'paste = "AADSTS50011: reply URL mismatch"\nexpect = ["aadsts-50105"]\n'
                                       '[[case]]\nid = "x-02"\nfamily = "idp-code"\nhas_code = true\n'
                                       'paste = "AADSTS50011: reply URL mismatch"\nexpect = ["aadsts-50011"]\n')
    outcome = {o.case.id: o for o in evaluate(load_cases([tmp_path])).outcomes}
    assert not outcome["x-01"].top2 and outcome["x-02"].top1


def test_the_split_is_fixed_by_the_case_id_and_holds_about_a_quarter_of_each_family():
    cases = [c for c in load_cases([EVAL]) if not c.held]  # a file's own split (survey) is tested below
    assert [split_of(c.id) for c in cases] == [c.split for c in cases]
    assert split_of("ms-001") == split_of("ms-001") and {split_of(f"x-{i}") for i in range(50)} == {"dev", "holdout"}
    for family in FAMILIES:
        real = [c for c in cases if c.family == family and not c.guide]
        held = [c for c in real if c.split == "holdout"]
        assert 0.15 <= len(held) / len(real) <= 0.35, family


def test_misses_are_listed_for_dev_cases_unless_asked(tmp_path):
    ids = [f"x-{i:02}" for i in range(40)]
    body = "".join(f'[[case]]\nid = "{i}"\nfamily = "idp-code"\nhas_code = true\n'
                   f'paste = "AADSTS50011: reply URL mismatch"\nexpect = ["aadsts-50105"]\n' for i in ids)
    (tmp_path / "all-miss.toml").write_text(body)
    results = evaluate(load_cases([tmp_path]))
    assert {o.case.split for o in results.misses()} == {"dev"}
    assert {o.case.split for o in results.misses(None)} == {"dev", "holdout"}
    assert results.tally(split="dev").n + results.tally(split="holdout").n == results.tally().n == 40


def test_a_file_split_holds_its_cases_back_from_the_dev_misses(tmp_path):
    body = "".join(f'[[case]]\nid = "s-{i:02}"\nfamily = "symptom"\nhas_code = false\n'
                   f'paste = "AADSTS50011: reply URL mismatch"\nexpect = ["aadsts-50105"]\n' for i in range(8))
    (tmp_path / "survey.toml").write_text('split = "survey"\n' + body)
    results = evaluate(load_cases([tmp_path]))
    assert {o.case.split for o in results.outcomes} == {"survey"}
    assert results.misses() == [] and len(results.misses(None)) == 8
    assert results.tally(split="survey").n == 8 and "surv" in table(results)[0]
    (tmp_path / "survey.toml").write_text('split = "later"\n' + body)
    with pytest.raises(CaseError, match="split 'later'"):
        load_cases([tmp_path])


#: The files whose every case is held back (their ``split``), with the least number of cases each must keep.
HELD_FILES = [("survey.toml", "survey", 60), ("fresh.toml", "fresh", 100), ("fresh2.toml", "fresh2", 100),
              ("fresh3.toml", "fresh3", 80)]


@pytest.mark.parametrize(("name", "split", "least"), HELD_FILES)
def test_a_held_back_file_is_large_enough_and_shares_no_thread(name, split, least):
    cases = load_cases([EVAL])
    mine = [c for c in cases if c.file == name]
    assert len(mine) >= least and {c.split for c in mine} == {split}
    assert all(c.source.startswith("https://") for c in mine)
    others = {c.source for c in cases if c.file != name}
    assert not others & {c.source for c in mine}, f"a {split} case repeats another file's thread"


def _read_by_writers() -> set[str]:
    """The URLs in the knowledge writers' read logs (``read/<writer>.txt``: ``URL | cause | entry | hit/miss/new``)."""
    urls = set()
    for log in (EVAL / "read").glob("*.txt"):
        for line in log.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                urls.add(line.split("|")[0].strip().rstrip("/"))
    return urls


def test_no_fresh3_thread_was_read_by_a_knowledge_writer():
    # The set measures threads nobody wrote knowledge from: a writer who reads one of its threads spoils that case.
    fresh3 = {c.source.rstrip("/") for c in load_cases([EVAL]) if c.file == "fresh3.toml"}
    assert not fresh3 & _read_by_writers(), "a fresh3 thread is in a writer's read log: take the case out"
