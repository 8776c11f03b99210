"""What of a paste the free-text ranker reads (``rank.py``): its prose, and a log's lines apart.

* ``prose_of``: the paste without the values the checks read (URLs, email addresses, blanked tokens),
  which are no words describing a problem.
* ``split_log``: the routine lines of a log (a level that reports no problem, INFO, DEBUG, TRACE or
  NOTICE, and no error word) and the frames of a stack trace, set apart from the rest (prose, error lines,
  lines with no level): the ranker counts their words at a small weight (``rank.CONTEXT_WEIGHT``).
* ``is_json``, ``has_words``: pastes not to rank at all (a JSON document; binary, numbers, a lone value).
* ``raw_words``: the words of a text as the ranker counts them (CamelCase and snake_case split, folded);
  ``STOP_WORDS``, those it drops; ``pattern_text``, the literal words of a message pattern.

Every pattern here reads up to ``MAX_LOG_CHARS`` of whatever is pasted, so none may backtrack
(``bot/knowledge/regex_cost.py``; tests/unit/diagnostics/engine/test_rank_words.py checks them).
"""

from __future__ import annotations

import json
import re

from bot.diagnostics.text import fold

MIN_WORDS = 3
MAX_QUERY_CHARS = 4_000  # a symptom or an error line fits many times over; bounds the work on a log export
MAX_LOG_CHARS = 16_000  # how far a log is read for the lines that are not routine (split_log)


# URLs, email addresses and blanked tokens are values the checks read, not words describing a problem.
# Each value starts where a word starts, and an address's parts cannot take its "@": two repeats that could
# trade characters (``\S+@\S+``) took minutes on "a@a@a@..." (bot/knowledge/regex_cost.py).
_VALUES = re.compile(r"(?<![a-zA-Z0-9+.-])[a-zA-Z][a-zA-Z0-9+.-]{1,20}://\S+|(?<!\S)[^\s@]+@[^\s@]+\.\w+"
                     r"|\[token\]|\[saml (?:response|message)\]")


def prose_of(text: str) -> str:
    """The paste without its values (URLs, email addresses, blanked tokens)."""
    return _VALUES.sub(" ", text)


# A routine log line: a log level that reports no problem (INFO, DEBUG, TRACE, NOTICE) and no error word.
# Such lines say what went right, where and when; a line of prose or an error line has no such level.
_ROUTINE_LEVEL = re.compile(r"(?<![\w-])(?:INFO|DEBUG|TRACE|NOTICE|VERBOSE|info|debug|trace|notice)(?![\w-])")
_PROBLEM = re.compile(r"(?i)\b(?:errors?|exceptions?|fail(?:s|ed|ure|ing)?|denied|invalid|unable|cannot|can't|"
                      r"could not|couldn't|refused|rejected|expired|mismatch(?:ed)?|not found|forbidden|"
                      r"unauthori[sz]ed|fatal|critical|warn(?:ing)?)\b")


# A stack frame: where the code was (Java and .NET "at pkg.Class.method(File.java:12)", Node "at fn
# (file.js:1:2)", Python 'File "x.py", line 3', PHP "#2 /app/x.php(12)"), never what went wrong. Its package
# and class names would otherwise count as words shared with every entry of that framework.
_FRAME = re.compile(r"\s*(?:at [\w$<>\[\]`/]+\.[\w$<>\[\]`./]+\("  # Java, .NET ("java.base/java.lang...")
                    r"|at [^\n(]*\((?:node:|file:)?[^\s():]+:\d+:\d+\)|at (?:node:|file:)?[^\s():]+:\d+:\d+\s*$"  # Node
                    r"|File \"[^\"\n]*\", line \d+|#\d+ (?:[^\s(]*\(\d+\)|\[internal function\]))")
_FRAME_START = re.compile(r"\n\s*(?:at\s|File \"|#\d)")  # where a frame may start: the quick test first


def split_log(prose: str) -> tuple[str, str]:
    """(the text to rank, its context): the routine lines of a log (a level that reports no problem, no
    error word) and the frames of a stack trace are context; everything else, prose and error lines, is
    ranked in full."""
    if "\n" not in prose or not (_ROUTINE_LEVEL.search(prose) or _FRAME_START.search(prose)):
        return prose, ""  # one line, or no routine line and no frame: the common case, decided in two searches
    lines = prose.splitlines()
    routine = [bool(_FRAME.match(line)) or bool(_ROUTINE_LEVEL.search(line)) and not _PROBLEM.search(line)
               for line in lines]
    if not any(routine) or all(routine):
        return prose, ""
    return ("\n".join(line for line, quiet in zip(lines, routine) if not quiet),
            "\n".join(line for line, quiet in zip(lines, routine) if quiet))


def is_json(text: str) -> bool:
    stripped = text.strip()
    if not stripped.startswith(("{", "[")) or not stripped.endswith(("}", "]")):
        return False
    try:
        json.loads(stripped)
    except (ValueError, RecursionError):
        return False
    return True


_LETTERS = re.compile(r"[a-z]{3,}")


def has_words(lowered: str) -> bool:
    """Some words to rank: at least three runs of three letters (binary, numbers and a lone value have none)."""
    found = 0
    for _ in _LETTERS.finditer(lowered, 0, MAX_QUERY_CHARS):
        found += 1
        if found >= MIN_WORDS:
            return True
    return False


# -- words -------------------------------------------------------------------------------------------

# The ranker's words: a paste split where CamelCase turns ("InvalidNonceException" -> invalid nonce exception,
# "SAMLResponse" -> saml response), folded by ``fold``, then each run of letters and digits that opens with a
# letter, or a run of three digits or more. ``_SPLIT_WORDS`` is the plain statement of that rule (insert a
# space at each turn, fold, find the runs); ``_WORD_RUN`` finds the same runs in one pass over the text as
# pasted, without the copy the inserted spaces make, the fold of the whole paste, or the look-behind at every
# character that kept the regex engine from skipping to the next letter: a letter continues a word unless a
# turn falls before it, and a turn falls only before an upper-case letter that follows a lower-case letter
# or digit, or that follows another upper-case one and is followed by a lower-case one (the "R" of
# "SAMLResponse"). The characters ``fold`` makes letters of (İ, ı, the Kelvin sign, the long s) take part as
# letters; no turn falls around them, as none falls in ``_SPLIT_WORDS``'s rule. The tests check the two
# agree (tests/unit/diagnostics/engine/test_rank_words.py).
_TURN = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_FOLDED_WORD = re.compile(r"[a-z][a-z0-9]*|\d{3,}")
_FOLDS = "\u0130\u0131\u212a\u017f"  # what ``fold`` turns into an ASCII letter besides A-Z
_WORD_RUN = re.compile(rf"[A-Za-z{_FOLDS}](?:[a-z0-9{_FOLDS}]|(?<=[A-Z])[A-Z](?![a-z])|(?<=[{_FOLDS}])[A-Z])*"
                       r"|\d{3,}")


def raw_words(text: str) -> list[str]:
    """The words of ``text``, folded, in order: one letter alone is no word, a number of three digits is."""
    runs = _WORD_RUN.findall(text)
    if not runs:
        return []
    return [w for w in fold(" ".join(runs)).split(" ") if len(w) > 1 or w.isdigit()]


def _split_words(text: str) -> list[str]:
    """``raw_words`` as the rule says it, step by step (the tests hold ``raw_words`` to it)."""
    return [w for w in _FOLDED_WORD.findall(fold(_TURN.sub(" ", text))) if len(w) > 1 or w.isdigit()]


# Words that carry no meaning for telling one problem from another (plus the usual English ones).
STOP_WORDS = frozenset("""
a about above after again against all am an and any are aren't as at be because been before being below between
both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from
further had hadn't has hasn't have haven't having he her here hers herself him himself his how i i'm if in into is
isn't it it's its itself just let's me more most mustn't my myself no nor not now of off on once only or other ought
our ours ourselves out over own same she should shouldn't so some such than that that's the their theirs them
themselves then there there's these they this those through to too under until up very was wasn't we were weren't
what when where which while who whom why will with won't would wouldn't you your yours yourself yourselves also
get gets got getting still even really please thanks thank hi hello help anyone someone something anything way
everyone everybody everything anybody somebody
like want need trying try tried see seems seem using use used one two us able know just via per etc e g ie
""".split()) | frozenset(
    # What an apostrophe leaves of a contraction ("doesn't" -> doesn, t): as empty of meaning as the whole.
    "aren couldn didn doesn don hadn hasn haven isn mustn shouldn wasn weren won wouldn ll ve re".split())


# What is no word of the message in a pattern: a look-around (what must not be there), a class of characters,
# an escape, a count, the syntax of groups and repeats. Each alternative of a group stays (either wording).
_NOT_WORDS = re.compile(r"\(\?<?[!=](?:\\.|[^()\\])*\)|\[(?:\\.|[^\]\\])*\]|\\[a-zA-Z]|\(\?:|\{\d{0,4},?\d{0,4}\}"
                        r"|\\.|[()?*+|^$.]")


def pattern_text(pattern: str) -> str:
    """The literal words of a message pattern (its regex syntax blanked)."""
    return _NOT_WORDS.sub(" ", pattern)
