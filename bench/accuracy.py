"""How often the diagnosis names the confirmed cause: top-1 and top-2 accuracy on the evaluation cases.

Each case (tests/data/eval/*.toml, the format of issue 10: ``[[case]]`` tables with ``id``, ``source``,
``family``, ``idp``, ``has_code``, ``paste``, ``cause`` and ``expect``) is a real paste and the finding
codes a right answer leads with. A case counts as right at top-N when one of its ``expect`` codes is
among the first N findings of ``diagnose(paste)``. ``new:<id>`` names an entry not written yet: it is a
miss until an entry with that id exists, and a hit on that id from then on.

    .venv/bin/python bench/accuracy.py [FOLDER ...] [--misses N] [--json]

Prints accuracy per family, with and without a code, and overall; then the misses (case id, expected,
what came first and second). ``tests/unit/diagnostics/test_accuracy_floor.py`` keeps top-2 accuracy
at or above the floor recorded in ``floor.toml`` beside the cases.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tomllib
from dataclasses import dataclass, field
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

    def tally(self, family: str | None = None, has_code: bool | None = None, guide: bool | None = False) -> Tally:
        """Counts over the real pastes (``guide=False``, the default), the guide's cases (True) or all (None)."""
        tally = Tally()
        for outcome in self.outcomes:
            if guide is not None and outcome.case.guide != guide:
                continue
            if family is not None and outcome.case.family != family:
                continue
            if has_code is not None and outcome.case.has_code != has_code:
                continue
            tally.add(outcome)
        return tally

    @property
    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.top2]


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
        for raw in doc.get("case", []):
            if isinstance(raw, dict) and doc.get("kind") == "guide":
                raw = {"kind": "guide", **raw}  # a file of cases written from the guide marks them all
            cases.append(_case(raw, path.name, seen))
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


def _row(label: str, tally: Tally) -> str:
    if not tally.n:
        return f"  {label:<22} {0:>4}        -        -"
    return f"  {label:<22} {tally.n:>4}   {tally.rate('top1'):6.1%}   {tally.rate('top2'):6.1%}"


def table(results: Results) -> list[str]:
    lines = [f"  {'':<22} {'n':>4}    top-1    top-2"]
    for family in FAMILIES:
        if results.tally(family).n:
            lines.append(_row(family, results.tally(family)))
            for has_code in (True, False):
                sub = results.tally(family, has_code)
                if sub.n:
                    lines.append(_row(f"  {'with' if has_code else 'without'} a code", sub))
    lines.append(_row("with a code", results.tally(has_code=True)))
    lines.append(_row("without a code", results.tally(has_code=False)))
    lines.append(_row("overall (real pastes)", results.tally()))
    reachable = Tally()
    for outcome in results.outcomes:
        if not outcome.case.guide and outcome.reachable:
            reachable.add(outcome)
    lines.append(_row("  whose entry exists", reachable))
    if results.tally(guide=True).n:
        lines.append(_row("guide's cases (apart)", results.tally(guide=True)))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[EVAL], help="case folders or files")
    parser.add_argument("--misses", type=int, default=50, help="misses to list (default 50)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    cases = load_cases(args.folders)
    if not cases:
        print(f"no cases in {', '.join(map(str, args.folders))}", file=sys.stderr)
        return 2
    results = evaluate(cases)
    if args.json:
        figures: dict[str, Any] = {family: vars(results.tally(family)) for family in FAMILIES}
        figures |= {"with_code": vars(results.tally(has_code=True)),
                    "without_code": vars(results.tally(has_code=False)), "overall": vars(results.tally())}
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{len(cases)} cases from {len(case_files(args.folders))} files, diagnosed in {results.seconds:.2f} s")
    print("\n".join(table(results)))
    misses = results.misses
    if misses and args.misses:
        print(f"\nmisses at top-2 ({len(misses)}; first {min(len(misses), args.misses)}):")
        for outcome in misses[:args.misses]:
            got = ", ".join(outcome.got[:2]) or "-"
            gap = "" if outcome.reachable else "  [no expected entry exists yet]"
            print(f"  {outcome.case.id}\n      expected {', '.join(outcome.case.expect)}{gap}\n      got      {got}"
                  f"  (confidence {outcome.confidence:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
