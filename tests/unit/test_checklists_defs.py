"""Checklist definitions: the shipped TOML loads, ids are stable, and bad edits are caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.checklist_defs import (CHECKS, DATA_DIR, MAX_ITEM_DETAIL, MAX_ITEM_TEXT, ChecklistDef, ChecklistError,
                                ChecklistLibrary, load_checklists, load_library, parse_idp)
from tests.conftest import GUIDE

# Ids other code and stored runs rely on. Renaming one breaks runs in flight and button values:
# add new items freely, but change these only with a migration of stored runs.
STABLE_IDS = {
    "scim-401": {"platform-generate-key", "platform-copy-token", "platform-copy-endpoint", "entra-tenant-url",
                 "entra-secret-token", "entra-test-connection", "entra-save", "entra-restart", "okta-base-url",
                 "okta-bearer-token", "okta-test-credentials", "okta-save", "verify-wait-sync"},
    "sso-quick": {"redirect-uri-exact", "logout-url", "users-assigned", "client-credentials", "allowed-domains",
                  "unique-display-names", "break-glass-admin", "discovery-values", "okta-tile-url"},
    "scim-quick": {"tenant-url-v2", "token-active", "required-attributes", "attribute-types", "no-duplicate-emails",
                   "provisioning-logs", "fix-and-retry", "role-type-mismatches", "okta-system-log", "token-401"},
    "sso-setup": {"assign-users", "unique-names", "entra-app-types", "redirect-uri-exact", "logout-url",
                  "allowed-domains", "break-glass-admin", "jit-attributes", "okta-tile-url"},
}


@pytest.fixture(scope="module")
def library() -> ChecklistLibrary:
    return load_checklists()


def test_shipped_definitions_load_and_keep_their_ids(library):
    assert {c.id for c in library} == set(STABLE_IDS)
    for checklist_id, ids in STABLE_IDS.items():
        items = {i.id for g in library.get(checklist_id).groups for i in g.items}
        assert ids <= items, f"{checklist_id} lost {sorted(ids - items)}"


def test_every_item_fits_a_slack_checkbox(library):
    for checklist in library:
        for group in checklist.groups:
            for item in group.items:
                assert len(item.text) <= MAX_ITEM_TEXT and len(item.detail) <= MAX_ITEM_DETAIL
                assert item.check is None or item.check in CHECKS


def test_401_recovery_has_the_guides_steps_per_idp(library):
    recovery = library.get("scim-401")
    assert recovery.requires_idp and recovery.follow_up_minutes == 10
    entra = " ".join(i.text for g in recovery.groups_for("entra") for i in g.items)
    okta = " ".join(i.text for g in recovery.groups_for("okta") for i in g.items)
    for words in ("Enterprise apps", "Admin Credentials", "Tenant URL", "Secret Token", "Test Connection", "Save",
                  "Restart provisioning"):
        assert words in entra
    for words in ("Applications → Applications", "Integration", "SCIM 2.0 Base URL", "OAuth Bearer Token",
                  "Test API Credentials", "Save"):
        assert words in okta
    assert "OAuth Bearer Token" not in entra and "Tenant URL" not in okta
    for text in (entra, okta):
        assert "Settings → SSO & Provisioning" in text and "Generate Key" in text and "10 minutes" in text
    platform = recovery.groups[0]
    assert "masked" in platform.intro  # copy before leaving the page: the token is masked afterwards
    linked = [i for g in recovery.groups for i in g.items if i.check == "scim_url"]
    assert {"entra-tenant-url", "okta-base-url"} <= {i.id for i in linked}


def test_words_that_start_each_checklist(library):
    assert library.find("401").id == "scim-401"
    assert library.find("SSO").id == "sso-quick"
    assert library.find("scim").id == "scim-quick"
    assert library.find("setup").id == "sso-setup"
    assert library.find("scim-401").id == "scim-401"
    assert library.find("nonsense") is None
    assert parse_idp("Entra") == "entra" and parse_idp("azure") == "entra" and parse_idp("okta") == "okta"
    assert parse_idp("ping") is None and parse_idp(None) is None


def test_groups_for_an_idp(library):
    quick = library.get("sso-quick")
    assert "okta-tile-url" not in {i.id for g in quick.groups_for("entra") for i in g.items}
    assert "okta-tile-url" in {i.id for g in quick.groups_for("okta") for i in g.items}
    assert "okta-tile-url" in {i.id for g in quick.groups_for(None) for i in g.items}
    assert not library.get("scim-401").accepts_idp(None) and quick.accepts_idp(None)


def test_wording_is_ours_not_the_guides(library):
    """Facts carry over; sentences do not. No text repeats six words in a row from the guide."""
    guide = " ".join(GUIDE.read_text().replace("*", "").split()).lower() if GUIDE.exists() else ""
    if not guide:
        pytest.skip("guide not available")
    for checklist in library:
        texts = [checklist.summary] + [g.intro for g in checklist.groups if g.intro]
        texts += [t for g in checklist.groups for i in g.items for t in (i.text, i.detail) if t]
        for text in texts:
            words = text.lower().split()
            for n in range(len(words) - 5):
                window = " ".join(words[n:n + 6])
                assert window not in guide, f"copied from the guide: {window!r}"


def _write(tmp_path: Path, name: str, body: str) -> Path:
    (tmp_path / name).write_text(body)
    return tmp_path


GOOD = '''
id = "demo"
title = "Demo"
summary = "A demo."
command = "demo"

[[group]]
id = "one"
title = "One"

[[group.item]]
id = "first"
text = "Do the first thing"
'''


def test_a_good_file_loads(tmp_path):
    library = load_library(_write(tmp_path, "demo.toml", GOOD))
    assert library.get("demo").item_count(None) == 1


@pytest.mark.parametrize("change, message", [
    (('text = "Do the first thing"', 'text = "' + "x" * 80 + '"'), "Slack shows at most 75"),
    (('id = "first"', 'id = "First Thing"'), "lowercase slug"),
    (('text = "Do the first thing"', 'text = "Do it"\ncheck = "ping"'), "unknown check"),
    (('command = "demo"', 'command = "okta"'), "names an identity provider"),
    (('command = "demo"', 'command = "demo"\nrequires_idp = true\nidps = ["okta"]'), "no group is specific"),
    (('title = "One"', 'title = "One"\nidp = "ping"'), "unknown idp"),
    (('summary = "A demo."', 'summary = "A demo."\ncolour = "red"'), "Extra inputs"),
])
def test_bad_edits_fail_with_the_file_named(tmp_path, change, message):
    _write(tmp_path, "demo.toml", GOOD.replace(*change))
    with pytest.raises(ChecklistError) as raised:
        load_library(tmp_path)
    assert "demo.toml" in str(raised.value) and message in str(raised.value)


def test_duplicate_item_ids_and_mismatched_file_names_fail(tmp_path):
    twice = GOOD + '\n[[group.item]]\nid = "first"\ntext = "Again"\n'
    _write(tmp_path, "demo.toml", twice)
    with pytest.raises(ChecklistError, match="duplicate item ids"):
        load_library(tmp_path)
    (tmp_path / "demo.toml").unlink()
    _write(tmp_path, "other.toml", GOOD)
    with pytest.raises(ChecklistError, match="file name must be the checklist id"):
        load_library(tmp_path)


def test_two_checklists_cannot_share_a_word():
    a = ChecklistDef.model_validate({"id": "a", "title": "A", "summary": "a", "command": "same",
                                     "group": [{"id": "g", "title": "G", "item": [{"id": "i", "text": "T"}]}]})
    b = a.model_copy(update={"id": "b"})
    with pytest.raises(ChecklistError, match="already starts"):
        ChecklistLibrary([a, b])


def test_the_data_folder_ships_with_the_package():
    text = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert '"bot" = ["checklists_data/*.toml"]' in text
    assert DATA_DIR.name == "checklists_data" and sorted(DATA_DIR.glob("*.toml"))
