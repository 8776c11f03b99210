"""How the free-text ranker reads words and orders its answers (bot/diagnostics/engine/rank.py), on a small
made-up knowledge base and lexicon, so that the tests hold whatever the shipped knowledge says."""

from __future__ import annotations

import pytest

from bot.diagnostics.engine.rank import Ranker
from bot.knowledge import load_knowledge
from bot.knowledge.lexicon import Lexicon
from bot.knowledge.products import products_in

_LEXICON = Lexicon({"login": "login", "log in": "login", "sign in": "login", "sign-in": "login",
                    "user": "user", "account": "user"}, frozenset({"login", "quandrix"}))

_ENTRIES = """
[[entry]]
id = "msg-quandrix-callback"
system = "message"
name = "Quandrix callback rejected"
summary = "The wombling callback rejects the quandrix after login."
phrases = ["quandrix rejected at the wombling callback", "wombling callback says quandrix invalid"]

[[entry]]
id = "symptom-quandrix-slow"
system = "symptom"
name = "Quandrix slow after login"
summary = "The quandrix takes long after login."
phrases = ["quandrix slow after login", "wombling quandrix takes ages"]

[[entry]]
id = "msg-unrelated"
system = "message"
name = "Frobnitz overflow"
summary = "The frobnitz buffer overflows."
phrases = ["frobnitz overflow"]
"""


@pytest.fixture(scope="module")
def ranker(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kb")
    (folder / "quandrix.toml").write_text(_ENTRIES)
    return Ranker(load_knowledge(folder), _LEXICON)


@pytest.mark.parametrize("said", ["she signs in", "signed in", "signing in", "he logs in", "logged in",
                                  "after the sign-in"])
def test_every_form_of_a_synonym_counts_as_its_group(ranker, said):
    # The lexicon lists "sign in" and "log in" only: the stems carry every inflected form to "login".
    assert ranker.words(said) == ["login"]


def test_a_plural_of_a_synonym_folds_too(ranker):
    assert ranker.words("accounts") == ranker.words("users") == ["user"]


def test_what_a_contraction_leaves_is_no_word(ranker):
    # "doesn't" splits into "doesn" and "t": neither may count as a rare word shared with an entry.
    assert ranker.words("it doesn't work and they don't know why, it isn't fixed") == ["work", "fix"]


def test_pronouns_that_name_no_one_are_no_words(ranker):
    # "we restarted everything" must not match an entry about a restart that "made everything slow".
    assert ranker.words("everything broke for everyone, and anybody or somebody could see it") == ["broke"]


def test_a_symptom_close_behind_the_best_match_leads(ranker):
    # The symptom fits the words almost as well as the message (within SYMPTOM_MARGIN): the paste describes
    # a symptom in words and nothing more specific decided, so the guide's plain-words entry leads.
    from bot.diagnostics.engine.rank import SYMPTOM_MARGIN

    ranked = ranker.rank("wombling callback: quandrix rejected, takes ages")
    ids = [r.entry.id for r in ranked]
    assert ids[:2] == ["symptom-quandrix-slow", "msg-quandrix-callback"], ids
    assert ranked[1].score > ranked[0].score >= SYMPTOM_MARGIN * ranked[1].score


def test_a_symptom_far_behind_stays_behind(ranker):
    ranked = ranker.rank("quandrix invalid: rejected at the wombling callback after login")
    assert [r.entry.id for r in ranked][:1] == ["msg-quandrix-callback"]
    assert ranked[1].score < 0.8 * ranked[0].score


def test_a_symptom_said_in_words_leads_when_it_fits_best(ranker):
    ids = [r.entry.id for r in ranker.rank("the quandrix is so slow after login, it takes ages")]
    assert ids[:1] == ["symptom-quandrix-slow"], ids


def test_words_shared_with_no_entry_give_nothing(ranker):
    assert ranker.rank("the weather is lovely today") == []


@pytest.mark.parametrize("text, product", [
    ("users can't sign in to office 365 since monday", "entra"),
    ("sso to microsoft 365 fails for federated users", "entra"),
    ("o365 login keeps looping", "entra"),
    ("the gmail api token stops working after a week", "google"),
])
def test_the_suite_people_name_shows_its_identity_provider(text, product):
    assert product in products_in(text)


def test_a_word_inside_another_is_no_sign():
    assert "entra" not in products_in("the bo365x build") and "google" not in products_in("gmailer.py crashed")


# -- a log: its routine lines (INFO, DEBUG ... with no error word) are context -------------------------------

_LOG_ENTRIES = """
[[entry]]
id = "msg-zorbel-handshake"
system = "message"
name = "Zorbel handshake timed out"
summary = "The zorbel handshake with the IdP times out."
phrases = ["zorbel handshake timed out"]

[[entry]]
id = "msg-wombling-cache"
system = "message"
name = "Wombling cache refresh"
summary = "The wombling cache refreshes its quandrix tiles after each grommet poll."
phrases = ["wombling cache refreshed quandrix tiles", "grommet poll done"]
"""

_PROBLEM = "2026-12-01T10:01:00Z ERROR zorbel handshake timed out"


def _log(problem_at: int, lines: int = 30, problem: str = _PROBLEM) -> str:
    routine = ["2026-12-01T10:00:{:02d}Z INFO wombling cache refreshed {} quandrix tiles",
               "2026-12-01T10:00:{:02d}Z DEBUG grommet poll done in {} ms"]
    out = [routine[i % 2].format(i % 60, 100 + i) for i in range(lines)]
    out.insert(problem_at, problem)
    return "\n".join(out)


@pytest.fixture(scope="module")
def log_ranker(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kb")
    (folder / "log.toml").write_text(_LOG_ENTRIES)
    return Ranker(load_knowledge(folder), _LEXICON)


def test_a_log_is_ranked_by_the_lines_that_are_not_routine(log_ranker):
    from bot.diagnostics.engine.query import split_log

    text, context = split_log(_log(problem_at=15))
    assert text == _PROBLEM
    assert "wombling" in context and "zorbel" not in context
    ranked = [r.entry.id for r in log_ranker.rank(text, context=context)]
    assert ranked[:1] == ["msg-zorbel-handshake"], ranked
    # Read as one query, the routine lines' many shared words win: the premise of the split.
    whole = [r.entry.id for r in log_ranker.rank(_log(problem_at=15))]
    assert whole[:1] == ["msg-wombling-cache"], whole


def test_a_line_of_prose_in_a_log_is_ranked_in_full():
    from bot.diagnostics.engine.query import split_log

    said = "after login the zorbel handshake just hangs"  # no level, no error word: a person's words
    text, context = split_log(_log(problem_at=3, lines=12, problem=said))
    assert text == said and "grommet" in context


def test_an_info_line_with_an_error_word_is_not_routine():
    from bot.diagnostics.engine.query import split_log

    line = "2026-12-01T10:02:00Z INFO token validation failed: zorbel handshake timed out"
    text, _ = split_log(_log(problem_at=5, lines=12, problem=line))
    assert text == line


def test_the_problem_in_a_long_log_is_read_wherever_it_is(log_ranker):
    from bot.diagnostics.engine.query import MAX_QUERY_CHARS, split_log

    log = _log(problem_at=200, lines=200)
    assert log.index("zorbel") > MAX_QUERY_CHARS  # past what a paste's prose is ranked on
    text, _ = split_log(log)
    assert text == _PROBLEM


@pytest.mark.parametrize("paste", [
    "after login we are sent back to the start\nERROR zorbel handshake timed out",  # no routine line
    "\n".join(["2026-12-01 INFO grommet poll done"] * 10),  # only routine lines
    "the zorbel handshake times out",
])
def test_a_paste_without_both_kinds_of_line_is_read_whole(paste):
    from bot.diagnostics.engine.query import split_log

    assert split_log(paste) == (paste, "")


_FRAMES = [
    "\tat org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:116)",
    "    at Object.<anonymous> (/app/server.js:12:5)",
    "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
    '  File "/app/venv/lib/python3.11/site-packages/onelogin/saml2/auth.py", line 130, in process_response',
    "#0 /var/www/vendor/simplesamlphp/lib/SimpleSAML/Auth/State.php(263): SimpleSAML\\Auth\\State::loadState()",
    "   at Microsoft.AspNetCore.Authentication.RemoteAuthenticationHandler`1.HandleRequestAsync()",
]


def test_the_frames_of_a_stack_trace_are_context():
    from bot.diagnostics.engine.query import split_log

    text, context = split_log("\n".join(["zorbel handshake timed out", *_FRAMES]))
    assert text == "zorbel handshake timed out"
    assert context.splitlines() == _FRAMES


@pytest.mark.parametrize("line", ["at login the page says: access denied",
                                  "at 10:42 users were sent back to the login page"])
def test_a_sentence_opening_with_at_is_no_frame(line):
    from bot.diagnostics.engine.query import split_log

    assert split_log(line + "\n" + _FRAMES[0])[0] == line


def test_the_line_patterns_cannot_backtrack():
    # split_log reads up to 16,000 characters of whatever is pasted: no pattern may trade characters between
    # two repeats (bot/knowledge/regex_cost.py says why a paste of that kind took minutes).
    from bot.diagnostics.engine import query
    from bot.knowledge.regex_cost import backtracking_problem

    for rx in (query._FRAME, query._FRAME_START, query._ROUTINE_LEVEL, query._PROBLEM, query._VALUES):
        assert backtracking_problem(rx.pattern, rx.flags) is None, rx.pattern
