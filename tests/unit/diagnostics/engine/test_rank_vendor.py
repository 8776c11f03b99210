"""Free-text ranking leaves out the entries of a vendor the paste does not come from before it picks the
best ones, so that well-fitting vendor entries cannot fill the first places and then vanish. (The vendor
is a product of bot/knowledge/products.py; ``Ranker.rank`` takes the products the paste shows.)"""

from __future__ import annotations

import shutil

from bot.diagnostics.engine.rank import Ranker
from bot.knowledge import load_knowledge
from tests.conftest import REPO
from tests.unit.diagnostics.engine.test_engine_helpers import codes
from tests.unit.diagnostics.engine.test_engine_recognisers import _run

# Three Entra-only entries that fit the words better than the neutral one (their phrases repeat them),
# and one vendor-neutral entry that also fits. Made-up words keep the rest of the knowledge out of it.
_ENTRIES = """
[[entry]]
id = "msg-entra-zorbel-one"
system = "message"
name = "Zorbel quandrix one"
summary = "The zorbel quandrix fails on the wombling callback."
phrases = ["zorbel quandrix wombling callback", "zorbel quandrix fails", "wombling zorbel quandrix"]

[[entry]]
id = "msg-entra-zorbel-two"
system = "message"
name = "Zorbel quandrix two"
summary = "The zorbel quandrix breaks the wombling callback."
phrases = ["zorbel quandrix breaks wombling", "quandrix zorbel callback", "zorbel wombling quandrix again"]

[[entry]]
id = "msg-entra-zorbel-three"
system = "message"
name = "Zorbel quandrix three"
summary = "A zorbel quandrix loop on the wombling callback."
phrases = ["zorbel quandrix loop", "wombling quandrix zorbel loop", "zorbel quandrix wombling loop"]

[[entry]]
id = "msg-zorbel-neutral"
system = "message"
name = "Zorbel quandrix after login"
summary = "Any IdP: the zorbel quandrix is not sent back to the wombling callback after login."
phrases = ["zorbel quandrix missing after login at the callback"]
"""

TEXT = "after login the zorbel quandrix never reaches our wombling callback"


def _kb(tmp_path):
    data = tmp_path / "kb"
    shutil.copytree(REPO / "bot" / "knowledge" / "data", data)
    (data / "zorbel.toml").write_text(_ENTRIES)
    return load_knowledge(data)


def test_unfiltered_ranking_puts_the_vendor_entries_first(tmp_path):
    # The premise of the next test: when Entra's entries may compete, they take every place.
    ranked = [r.entry.id for r in Ranker(_kb(tmp_path)).rank(TEXT, frozenset({"entra"}))]
    assert ranked and all(i.startswith("msg-entra-zorbel") for i in ranked), ranked


def test_a_neutral_paste_gets_the_neutral_entry_not_the_menu(tmp_path, now):
    kb = _kb(tmp_path)
    assert [r.entry.id for r in Ranker(kb).rank(TEXT, frozenset())][:1] == ["msg-zorbel-neutral"]
    assert codes(_run(TEXT, now, kb))[0] == "msg-zorbel-neutral"


def test_a_paste_from_entra_still_gets_the_entra_entries(tmp_path, now):
    kb = _kb(tmp_path)
    found = codes(_run("Azure AD sign-in: " + TEXT + " (AADSTS error page)", now, kb))
    assert found[0].startswith("msg-entra-zorbel"), found
