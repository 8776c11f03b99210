"""manifest.yml is a valid Slack app manifest, and it declares exactly what the code serves."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from bot.settings import Settings
from handlers.app import assemble
from handlers.router.listeners import SLASH_COMMAND
from handlers.shortcuts.ids import ShortcutIds
from handlers.unfurls.links import UNFURL_DOMAINS
from runtime.compose import make_deps
from storage import open_database
from storage.audit import AuditLog
from tests.conftest import REPO

# Every scope here must be used by code; add one only with the feature that needs it.
EXPECTED_BOT_SCOPES = {"commands", "chat:write", "users:read", "files:read", "app_mentions:read", "channels:history",
                       "groups:history", "files:write", "links:read", "links:write"}
EXPECTED_BOT_EVENTS = {"app_home_opened", "app_mention", "link_shared"}
# Slack's autocomplete shows the hint on one line beside the command; past about this it is cut off.
MAX_USAGE_HINT = 100


@pytest.fixture(scope="module")
def routed(tmp_path_factory) -> list[str]:
    """Every subcommand the real app routes, with all feature modules registered."""
    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('router')}/r.db")
    settings = Settings(bot_token="xoxb-contract", signing_secret="s", worker_processes=0)
    deps = make_deps(settings, db, AuditLog(db), listener_threads=2)
    names = [s.name for s in assemble(deps, token_verification=False).router.subcommands]
    deps.audit.close()
    deps.executor.shutdown()
    db.dispose()
    return names


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((REPO / "manifest.yml").read_text())


@pytest.fixture(scope="module")
def schema(corpus) -> dict:
    return json.loads((corpus / "specs" / "slack_manifest" / "manifest.schema.1.0.0.json").read_text())


def test_manifest_validates_against_slacks_v1_schema(manifest, schema):
    jsonschema.validate(manifest, schema)


def test_schema_really_rejects_a_broken_manifest(manifest, schema, corpus):
    """Guard against a schema that accepts anything (the corpus ships Slack's own invalid fixture)."""
    invalid = json.loads((corpus / "specs" / "slack_manifest" / "test_manifest_v1_invalid.json").read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(invalid, schema)
    broken = {**manifest, "display_information": {"name": "x" * 36}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_slash_commands_are_exactly_the_routers(manifest):
    declared = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert declared == {SLASH_COMMAND}


def test_usage_hint_fits_one_line_and_names_only_routed_subcommands(manifest, routed):
    hint = manifest["features"]["slash_commands"][0]["usage_hint"]
    assert {"help", "diagnose", "track", "checklist"} <= set(routed)  # the feature modules really registered
    assert len(hint) <= MAX_USAGE_HINT
    named = [alternative.split()[0] for alternative in hint.strip("[]").split(" | ")]
    assert {"help", "diagnose"} <= set(named)
    assert set(named) <= set(routed), f"the hint names commands the router does not serve: {set(named) - set(routed)}"


def test_shortcuts_are_exactly_the_ones_the_app_answers(manifest):
    shortcuts = {s["callback_id"]: s["type"] for s in manifest["features"]["shortcuts"]}
    assert shortcuts == {ShortcutIds.DIAGNOSE_MESSAGE: "message", ShortcutIds.OPEN_DIAGNOSE: "global"}


def test_unfurl_domains_are_the_hosts_the_unfurler_reads(manifest):
    assert set(manifest["features"]["unfurl_domains"]) == set(UNFURL_DOMAINS)
    assert {"links:read", "links:write"} <= set(manifest["oauth_config"]["scopes"]["bot"])
    assert "link_shared" in manifest["settings"]["event_subscriptions"]["bot_events"]


def test_scopes_events_and_features(manifest):
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == EXPECTED_BOT_SCOPES
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == EXPECTED_BOT_EVENTS
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    # The shortcut's answer comes by DM when it cannot be posted in the channel: a read-only Messages tab.
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_read_only_enabled"] is True
    assert manifest["features"]["bot_user"]["display_name"]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True


def test_http_mode_request_urls_are_documented():
    text = (REPO / "manifest.yml").read_text()
    assert "/slack/events" in text and "request_url" in text
