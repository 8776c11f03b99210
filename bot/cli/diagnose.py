"""``sso-bot diagnose``: a diagnosis on the command line, offline (the same use case as ``/sso diagnose``)."""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, date_arg
from bot.settings import load_settings


def add_diagnose_command(sub) -> None:
    diagnose = sub.add_parser(
        "diagnose", help="explain an error, code, URL, token or log line (offline, no Slack needed)",
        description="Explain what you paste: AADSTS/Okta/OAuth/HTTP errors, SCIM URLs, redirect URI pairs, "
                    "tokens (never echoed), domain allowlists, SCIM error bodies and provisioning-log entries.")
    diagnose.add_argument("text", nargs="+", metavar="TEXT", help="what to diagnose; '-' reads standard input")
    diagnose.add_argument("--json", action="store_true", help="print the report as JSON")
    diagnose.add_argument("--issued-at", metavar="YYYY-MM-DD", type=date_arg,
                          help="when an opaque token was generated (its expiry is that plus 180 days)")
    diagnose.add_argument("--env", metavar="NAME", help="the environment the SCIM URL should belong to "
                          "(names from SSO_BOT_ENVIRONMENTS)")
    diagnose.set_defaults(handler=_diagnose)


def _diagnose(args: argparse.Namespace) -> int:
    from bot.diagnostics.render import render_json, render_text
    from services import diagnose as diagnosis

    text = _read_input(args.text)
    if not text.strip():
        print("sso-bot diagnose: nothing to diagnose (give TEXT, or '-' with something on standard input)",
              file=sys.stderr)
        return EXIT_USAGE
    settings = load_settings()
    if args.env and args.env not in settings.environments:
        known = ", ".join(settings.environments) or "none: set SSO_BOT_ENVIRONMENTS"
        print(f"sso-bot diagnose: unknown environment {args.env!r} (known: {known})", file=sys.stderr)
        return EXIT_USAGE
    report = diagnosis.diagnose("diagnose", text, environments=settings.environments, expected_env=args.env,
                                issued_at=args.issued_at)
    if args.json:
        sys.stdout.write(render_json(report))
    else:
        sys.stdout.write(render_text(report, colour=_colour_ok()))
    return EXIT_FAILED if report.failed else EXIT_OK


def _read_input(parts: list[str]) -> str:
    if parts == ["-"]:
        from bot.diagnostics.text import as_text  # UTF-16 too: PowerShell writes files and pipes that way

        return as_text(sys.stdin.buffer.read())
    return " ".join(parts)


def _colour_ok() -> bool:
    import os

    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


