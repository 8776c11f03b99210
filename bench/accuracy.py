"""How often the diagnosis names the confirmed cause: top-1 and top-2 accuracy on the evaluation cases.

Each case (tests/data/eval/*.toml, the format of issue 10: ``[[case]]`` tables with ``id``, ``source``,
``family``, ``idp``, ``has_code``, ``paste``, ``cause`` and ``expect``) is a real paste and the finding
codes a right answer leads with. A case counts as right at top-N when one of its ``expect`` codes is
among the first N findings of ``diagnose(paste)``. ``new:<id>`` names an entry not written yet: it is a
miss until an entry with that id exists, and a hit on that id from then on.

    .venv/bin/python bench/accuracy.py [FOLDER ...] [--misses N] [--json] [--show-holdout]

Prints accuracy per family, with and without a code, and overall, for the ``dev`` cases, the ``holdout``
cases and all of them; then the misses among the dev cases (case id, expected, what came first and
second). The holdout cases (about a quarter, chosen by a hash of the case id: ``split_of``) are never
looked at while tuning: their figure says whether what was tuned on dev holds for pastes nobody tuned
to. ``--show-holdout`` lists their misses too, for the lead's review, not for tuning.
``tests/unit/diagnostics/test_accuracy_floor.py`` keeps top-2 accuracy at or above the floor recorded
in ``floor.toml`` beside the cases.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
import tomllib
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

EVAL = REPO / "tests" / "data" / "eval"
FLOOR_FILE = "floor.toml"
FAMILIES = ("idp-code", "idp-message", "library", "proxy", "scim", "symptom")
_REQUIRED = {"id": str, "family": str, "paste": str, "expect": list, "has_code": bool}
NEW = "new:"
SPLITS = ("dev", "holdout")
#: A case file may set ``split = "survey"``, ``"fresh"``, ``"fresh2"`` or ``"fresh3"`` (README.md "Dev and
#: holdout"): its cases were gathered after the dev/holdout split was tuned on, are held back like holdout cases
#: and are reported in a column of their own each.
FILE_SPLITS = ("survey", "fresh", "fresh2", "fresh3")
# The split rule (tests/data/eval/README.md): a case is held out when the SHA-256 of "<salt>:<case id>" is 0
# modulo 4. The salt was picked once among "holdout-0" ... "holdout-1999" for the most even share per family
# and per code/no-code (looking at counts only); a case keeps its side whatever else is added.
HOLDOUT_SALT = "holdout-906"


def split_of(case_id: str) -> str:
    digest = hashlib.sha256(f"{HOLDOUT_SALT}:{case_id}".encode()).hexdigest()
    return "holdout" if int(digest[:8], 16) % 4 == 0 else "dev"


class CaseError(ValueError):
    """A case file that does not follow the format; the message names the file and the case."""


@dataclass(frozen=True)
class Case:
    id: str
    family: str
    has_code: bool
    paste: str
    expect: tuple[str, ...]
    idp: str = "generic"
    source: str = ""
    file: str = ""
    guide: bool = False  # written from the vendor guide, not a real paste: reported apart
    held: str = ""  # a split named by the case's file (FILE_SPLITS), which overrides the hash rule

    @property
    def split(self) -> str:
        return self.held or split_of(self.id)


@dataclass
class Outcome:
    case: Case
    got: tuple[str, ...]  # the first codes the diagnosis gave
    top1: bool
    top2: bool
    confidence: float = 0.0
    reachable: bool = True  # one of the expected entries exists (a miss on a new: id is the knowledge's gap)


@dataclass
class Tally:
    n: int = 0
    top1: int = 0
    top2: int = 0

    def add(self, outcome: Outcome) -> None:
        self.n += 1
        self.top1 += outcome.top1
        self.top2 += outcome.top2

    def rate(self, which: str) -> float:
        return getattr(self, which) / self.n if self.n else 0.0


@dataclass
class Results:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def tally(self, family: str | None = None, has_code: bool | None = None, guide: bool | None = False,
              split: str | None = None) -> Tally:
        """Counts over the real pastes (``guide=False``, the default), the guide's cases (True) or all (None);
        over one ``split`` ("dev", "holdout") or both (None)."""
        tally = Tally()
        for outcome in self.outcomes:
            if guide is not None and outcome.case.guide != guide:
                continue
            if split is not None and outcome.case.split != split:
                continue
            if family is not None and outcome.case.family != family:
                continue
            if has_code is not None and outcome.case.has_code != has_code:
                continue
            tally.add(outcome)
        return tally

    def misses(self, split: str | None = "dev") -> list[Outcome]:
        """The cases missed at top-2, of one split (dev by default: the only ones to tune on) or all (None)."""
        return [o for o in self.outcomes if not o.top2 and (split is None or o.case.split == split)]


def case_files(folders: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        if folder.is_file():
            files.append(folder)
            continue
        files += sorted(p for p in folder.glob("*.toml") if p.name != FLOOR_FILE)
    return files


def load_cases(folders: Iterable[Path] = (EVAL,)) -> list[Case]:
    """Every ``[[case]]`` in the folders' TOML files (``floor.toml`` aside), checked for the fields we use."""
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in case_files(folders):
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise CaseError(f"{path.name}: not valid TOML: {error}") from error
        held = doc.get("split", "")
        if held and held not in FILE_SPLITS:
            raise CaseError(f"{path.name}: split {held!r} is not one of {FILE_SPLITS}")
        for raw in doc.get("case", []):
            if isinstance(raw, dict) and doc.get("kind") == "guide":
                raw = {"kind": "guide", **raw}  # a file of cases written from the guide marks them all
            cases.append(replace(_case(raw, path.name, seen), held=held))
    return cases


def _case(raw: Any, file: str, seen: dict[str, str]) -> Case:
    name = raw.get("id", "?") if isinstance(raw, dict) else "?"
    if not isinstance(raw, dict):
        raise CaseError(f"{file}: a case must be a table")
    for key, kind in _REQUIRED.items():
        if not isinstance(raw.get(key), kind):
            raise CaseError(f"{file}: case {name!r}: {key!r} missing or not a {kind.__name__}")
    if raw["family"] not in FAMILIES:
        raise CaseError(f"{file}: case {name!r}: family {raw['family']!r} is not one of {FAMILIES}")
    expect = raw["expect"]
    if not expect or not all(isinstance(e, str) and e.strip() for e in expect):
        raise CaseError(f"{file}: case {name!r}: 'expect' must list at least one finding code")
    if name in seen:
        raise CaseError(f"{file}: case {name!r} is also in {seen[name]}")
    seen[name] = file
    return Case(id=name, family=raw["family"], has_code=raw["has_code"], paste=raw["paste"],
                expect=tuple(e.strip() for e in expect), idp=str(raw.get("idp", "generic")),
                source=str(raw.get("source", "")), file=file, guide=raw.get("kind") == "guide")


def expected_codes(case: Case) -> set[str]:
    """The codes that count as right: ``new:x`` counts as ``x`` (a miss while no entry ``x`` exists)."""
    return {e[len(NEW):] if e.startswith(NEW) else e for e in case.expect}


def evaluate(cases: list[Case], *, now: datetime | None = None) -> Results:
    from bot.diagnostics.engine import diagnose
    from bot.knowledge import load_knowledge

    kb = load_knowledge()
    now = now or datetime(2025, 6, 1, tzinfo=timezone.utc)
    results = Results()
    started = time.perf_counter()
    for case in cases:
        report = diagnose(case.paste, now=now, kb=kb)
        got = tuple(f.code for f in report.findings[:3])
        right = expected_codes(case)
        confidence = report.findings[0].confidence if report.findings else 0.0
        results.outcomes.append(Outcome(case, got, bool(got[:1]) and got[0] in right,
                                        any(code in right for code in got[:2]), confidence,
                                        any(code in kb for code in expected_codes(case))))
    results.seconds = time.perf_counter() - started
    return results


def floor(folder: Path = EVAL) -> dict[str, float]:
    """The accuracy floors recorded beside the cases (``top2``, ``top2_without_code``)."""
    path = folder / FLOOR_FILE
    doc = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {key: float(value) for key, value in doc.items() if isinstance(value, (int, float))}


def _cells(tally: Tally) -> str:
    if not tally.n:
        return f"{0:>4}      -      -"
    return f"{tally.n:>4} {tally.rate('top1'):6.1%} {tally.rate('top2'):6.1%}"


def splits(results: Results) -> tuple[str, ...]:
    """The splits the results hold cases of: dev and holdout always, a file's split (FILE_SPLITS) when present."""
    present = {o.case.split for o in results.outcomes}
    return SPLITS + tuple(s for s in FILE_SPLITS if s in present)


def _row(label: str, results: Results, **where: Any) -> str:
    cells = "   ".join(_cells(results.tally(split=split, **where)) for split in (*splits(results), None))
    return f"  {label:<22} {cells}"


def table(results: Results) -> list[str]:
    names = {"holdout": "hold", "survey": "surv", "fresh": "frsh", "fresh2": "frs2", "fresh3": "frs3"}
    head = "   ".join(f"{names.get(name, name):>4}  top-1  top-2" for name in (*splits(results), "all"))
    note = ("(dev: tuned on; hold: held out; surv: survey, held out; frsh/frs2/frs3: fresh sets, held out; "
            "all: together)")
    lines = [f"  {'':<22} {head}", f"  {'':<22} {note}"]
    for family in FAMILIES:
        if results.tally(family).n:
            lines.append(_row(family, results, family=family))
            for has_code in (True, False):
                if results.tally(family, has_code).n:
                    lines.append(_row(f"  {'with' if has_code else 'without'} a code", results, family=family,
                                      has_code=has_code))
    lines.append(_row("with a code", results, has_code=True))
    lines.append(_row("without a code", results, has_code=False))
    lines.append(_row("overall (real pastes)", results))
    if results.tally(guide=True).n:
        lines.append(_row("guide's cases (apart)", results, guide=True))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[EVAL], help="case folders or files")
    parser.add_argument("--misses", type=int, default=50, help="misses to list (default 50)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--show-holdout", action="store_true",
                        help="also list the held-out cases' misses (for review, never for tuning)")
    args = parser.parse_args(argv)
    cases = load_cases(args.folders)
    if not cases:
        print(f"no cases in {', '.join(map(str, args.folders))}", file=sys.stderr)
        return 2
    results = evaluate(cases)
    if args.json:
        figures: dict[str, Any] = {}
        for split in (*splits(results), None):
            where = {family: vars(results.tally(family, split=split)) for family in FAMILIES}
            where |= {"with_code": vars(results.tally(has_code=True, split=split)),
                      "without_code": vars(results.tally(has_code=False, split=split)),
                      "overall": vars(results.tally(split=split))}
            figures[split or "all"] = where
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{len(cases)} cases from {len(case_files(args.folders))} files, diagnosed in {results.seconds:.2f} s")
    print("\n".join(table(results)))
    misses = results.misses(None if args.show_holdout else "dev")
    if misses and args.misses:
        which = "dev and holdout" if args.show_holdout else "dev"
        print(f"\n{which} misses at top-2 ({len(misses)}; first {min(len(misses), args.misses)}):")
        for outcome in misses[:args.misses]:
            got = ", ".join(outcome.got[:2]) or "-"
            gap = "" if outcome.reachable else "  [no expected entry exists yet]"
            side = f"  [{outcome.case.split}]" if args.show_holdout else ""
            print(f"  {outcome.case.id}{side}\n      expected {', '.join(outcome.case.expect)}{gap}\n"
                  f"      got      {got}  (confidence {outcome.confidence:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
