"""Examples at the end of every command's ``--help``: one place, so they stay consistent and a test can
check that every command has some."""

from __future__ import annotations

import argparse

EXAMPLES: dict[str, tuple[str, ...]] = {
    "": ("sso-bot diagnose \"AADSTS50011: The redirect URI 'https://app.example.com/callback/' ...\"",
         "sso-bot explain E0000011", "sso-bot check scim https://app.example.com/scim/v2 --token-stdin"),
    "diagnose": ("sso-bot diagnose AADSTS50105",
                 "sso-bot diagnose \"registered https://app.example.com/cb, app sends https://app.example.com/cb/\"",
                 "pbpaste | sso-bot diagnose -          # a SCIM error body or a log line from the clipboard",
                 "sso-bot diagnose --file signin.har    # a HAR capture or a provisioning-log export",
                 "sso-bot diagnose --full AADSTS50011   # all fix steps, causes, where to look, links",
                 "sso-bot diagnose --json E0000011 | jq '.findings[0].causes'"),
    "explain": ("sso-bot explain AADSTS50011", "sso-bot explain E0000011", "sso-bot explain invalid_client",
                "sso-bot explain 'HTTP 401'", "sso-bot explain 'Redirect loop after sign-in'",
                "sso-bot explain --json EntryConflict"),
    "check": ("sso-bot check scim https://app.example.com/scim/v2 --token-stdin < token.txt",
              "sso-bot check oidc https://login.microsoftonline.com/<tenant>/v2.0",
              "sso-bot check saml https://app.example.com/saml/metadata"),
    "check scim": ("sso-bot check scim https://app.example.com/scim/v2 --token-stdin < token.txt",),
    "check oidc": ("sso-bot check oidc https://example.okta.com/oauth2/default",),
    "check saml": ("sso-bot check saml https://app.example.com/saml/metadata", "sso-bot check saml metadata.xml"),
    "credentials": ("sso-bot credentials list", "sso-bot credentials add --label 'Okta SCIM' --kind scim-token "
                    "--idp okta --channel C0123ABCD --team T0123ABCD --expires-at 2027-06-01"),
    "credentials add": ("sso-bot credentials add --label 'Okta SCIM' --kind scim-token --idp okta --channel C0123ABCD "
                        "--team T0123ABCD --token-stdin < token.txt",),
    "credentials list": ("sso-bot credentials list", "sso-bot credentials list --json"),
    "credentials remove": ("sso-bot credentials remove 3",),
    "reminders": ("sso-bot reminders run-once", "sso-bot reminders digest set --channel C0123ABCD --day monday --hour 9"),
    "reminders run-once": ("sso-bot reminders run-once",),
    "reminders digest": ("sso-bot reminders digest list",
                         "sso-bot reminders digest set --channel C0123ABCD --day friday --hour 4pm --tz Europe/Berlin"),
    "reminders digest set": ("sso-bot reminders digest set --channel C0123ABCD --day monday --hour 9 --tz America/New_York",),
    "reminders digest off": ("sso-bot reminders digest off --channel C0123ABCD",),
    "reminders digest list": ("sso-bot reminders digest list", "sso-bot reminders digest list --json"),
    "serve": ("sso-bot serve              # Socket Mode when SLACK_APP_TOKEN is set", "sso-bot serve --http"),
    "db": ("sso-bot db upgrade",),
    "db upgrade": ("DATABASE_URL=postgresql://… sso-bot db upgrade",),
}


def add_examples(parser: argparse.ArgumentParser, path: str = "") -> None:
    """Add ``EXAMPLES[path]`` to ``parser``'s help, and to each of its sub-commands' in turn."""
    examples = EXAMPLES.get(path)
    if examples:
        parser.epilog = "examples:\n" + "\n".join(f"  {line}" for line in examples)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
    for action in parser._actions:  # argparse keeps sub-parsers only here
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                add_examples(child, f"{path} {name}".strip())


def commands(parser: argparse.ArgumentParser, path: str = "") -> list[str]:
    """Every command path under ``parser`` ("diagnose", "check scim" ...)."""
    found: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                sub = f"{path} {name}".strip()
                found += [sub, *commands(child, sub)]
    return found
