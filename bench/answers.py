"""The engine's answers on a fixed set of inputs, to prove a speed change changed none of them.

    .venv/bin/python bench/answers.py record FILE    # write every answer (JSON lines)
    .venv/bin/python bench/answers.py compare FILE   # diagnose again; list every input whose answer moved

The inputs: every paste in tests/data/pastes, every evaluation case (tests/data/eval/*.toml), each
non-empty line of those on its own, the first 200 characters of each (what ``explain`` reads), and the
shared corpus files (SCIM samples, log exports, code tables, tokens, HAR files, SAML responses ...),
whole and cut to their first 2,000 characters. An answer is the sealed report exactly as
``sso-bot diagnose --json`` prints it, plus the raw findings' facts and confidence before sealing.
The clock is fixed, so token expiry reads the same on every run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

PASTES = REPO / "tests" / "data" / "pastes"
EVAL = REPO / "tests" / "data" / "eval"
SHARED = Path(os.environ.get("SSO_BOT_SHARED", REPO.parent / "shared")).resolve()
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)


def inputs() -> Iterator[tuple[str, str]]:
    """(name, text) for every input, in a fixed order."""
    whole: list[tuple[str, str]] = []
    for path in sorted(PASTES.glob("*.txt")):
        whole.append((f"paste:{path.name}", path.read_text(encoding="utf-8", errors="replace")))
    for path in sorted(EVAL.glob("*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8")).get("case", []):
            whole.append((f"eval:{case['id']}", case["paste"]))
    for name, text in whole:
        yield name, text
        yield f"{name}[:200]", text[:200]
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                yield f"{name}#{number}", line
    corpus = SHARED / "corpus"
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8", errors="replace")
        name = f"corpus:{path.relative_to(corpus)}"
        yield name, text
        if len(text) > 2_000:
            yield f"{name}[:2000]", text[:2_000]


def answer(text: str) -> str:
    from bot.checks import run_check
    from bot.diagnostics.engine import diagnose
    from bot.diagnostics.render import render_json

    raw = diagnose(text, now=NOW)
    raw_facts = [[f.code, f.confidence, sorted((f.facts or {}).items())] for f in raw.findings]
    sealed = render_json(run_check("diagnose", text, now=NOW))
    return json.dumps({"json": sealed, "raw": raw_facts}, ensure_ascii=False, default=str)


def record(path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for name, text in inputs():
            out.write(json.dumps({"name": name, "answer": answer(text)}, ensure_ascii=False) + "\n")
            count += 1
    print(f"recorded {count} answers in {path}")
    return 0


def compare(path: Path) -> int:
    recorded = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        recorded[row["name"]] = row["answer"]
    moved, seen = [], 0
    for name, text in inputs():
        seen += 1
        if recorded.get(name) != answer(text):
            moved.append(name)
    missing = len(recorded) - seen
    print(f"compared {seen} answers: {len(moved)} moved" + (f", {missing} recorded inputs not seen" if missing else ""))
    for name in moved[:40]:
        print(f"  moved: {name}")
    return 1 if moved or missing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("record", "compare"))
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    return record(args.file) if args.mode == "record" else compare(args.file)


if __name__ == "__main__":
    sys.exit(main())
