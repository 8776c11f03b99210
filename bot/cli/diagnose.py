"""``sso-bot diagnose``: a diagnosis on the command line, offline (the same use case as ``/sso diagnose``)."""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import EXIT_USAGE, colour_wanted, date_arg
from bot.diagnostics.scim.template import use_template
from bot.settings import load_settings


def add_diagnose_command(sub) -> None:
    diagnose = sub.add_parser(
        "diagnose", help="explain an error, code, URL, token or log line (offline, no Slack needed)",
        description="Explain what you paste: AADSTS/Okta/OAuth/HTTP errors, SCIM URLs, redirect URI pairs, "
                    "tokens (never echoed), domain allowlists, SCIM error bodies and provisioning-log entries.")
    diagnose.add_argument("text", nargs="*", metavar="TEXT", help="what to diagnose; '-' reads standard input; "
                          "the name of an existing file means --file")
    diagnose.add_argument("--file", metavar="PATH", help="a HAR capture of a sign-in, or a CSV/JSON/JSON Lines "
                          "export of Entra provisioning or sign-in logs or Okta's System Log")
    diagnose.add_argument("--csv", metavar="PATH", help="with --file: also write an export's failures grouped by "
                          "cause to PATH as CSV (masked users, no raw values; '-' for standard output)")
    diagnose.add_argument("--expect-audience", "--sp-entity-id", metavar="ENTITY_ID", dest="expect_audience",
                          default="", help="with --file: the SP's entity ID, compared with the Audience of every SAML "
                          "Response in the file (a HAR's posts, or a saved Response)")
    diagnose.add_argument("--json", action="store_true", help="print the report as JSON (always complete)")
    diagnose.add_argument("--full", "--verbose", "-v", dest="full", action="store_true",
                          help="every finding in full: all fix steps, other causes, where to look, what to collect, "
                               "related entries and links (by default: the verdict, cause and first fix steps)")
    diagnose.add_argument("--issued-at", metavar="YYYY-MM-DD", type=date_arg,
                          help="when an opaque token was generated (its expiry is that plus 180 days)")
    diagnose.add_argument("--env", metavar="NAME", help="the environment the SCIM URL should belong to "
                          "(names from SSO_BOT_ENVIRONMENTS)")
    diagnose.set_defaults(handler=_diagnose)


def _diagnose(args: argparse.Namespace) -> int:
    from bot.diagnostics.render import exit_code_of, render_json, render_text
    from services import diagnose as diagnosis

    if (args.csv or args.expect_audience) and not (args.file or (len(args.text) == 1 and _is_file(args.text[0]))):
        print("sso-bot diagnose: --csv and --expect-audience go with --file PATH", file=sys.stderr)
        return EXIT_USAGE
    if args.file or (len(args.text) == 1 and args.text[0] != "-" and _is_file(args.text[0])):
        return _diagnose_file(args.file or args.text[0], args)
    if not args.text:
        print("usage: sso-bot diagnose [--json] TEXT... | - | --file PATH\nsso-bot diagnose: error: give TEXT, '-' "
              "for standard input, or --file PATH", file=sys.stderr)
        return EXIT_USAGE
    text = _read_input(args.text)
    if not text.strip():
        print("sso-bot diagnose: nothing to diagnose (give TEXT, or '-' with something on standard input)",
              file=sys.stderr)
        return EXIT_USAGE
    settings = load_settings()
    use_template(settings.scim_url_template)
    if args.env and args.env not in settings.environments:
        known = ", ".join(settings.environments) or "none: set SSO_BOT_ENVIRONMENTS"
        print(f"sso-bot diagnose: unknown environment {args.env!r} (known: {known})", file=sys.stderr)
        return EXIT_USAGE
    report = diagnosis.diagnose("diagnose", text, environments=settings.environments, expected_env=args.env,
                                issued_at=args.issued_at)
    if args.json:
        sys.stdout.write(render_json(report))
    else:
        sys.stdout.write(render_text(report, colour=colour_wanted(), full=args.full))
    return exit_code_of(report)


def _is_file(text: str) -> bool:
    import os

    return len(text) < 4096 and "\n" not in text and os.path.isfile(text)


def _diagnose_file(path: str, args: argparse.Namespace) -> int:
    """``diagnose --file``: a HAR or a log export (``services.diagnose.diagnose_file``); exit 2 when it
    cannot be read."""
    from bot.diagnostics.render import exit_code_of, render_json, render_text
    from services import diagnose as diagnosis

    try:
        report, refused = diagnosis.diagnose_file(path, expect_audience=args.expect_audience)
    except OSError as error:
        print(f"sso-bot diagnose: cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    if args.csv == "-":
        sys.stdout.write(_grouped_csv(report))
    else:
        sys.stdout.write(render_json(report) if args.json else render_text(report, colour=colour_wanted(),
                                                                           full=args.full))
    if refused:
        return EXIT_USAGE
    if args.csv and args.csv != "-":
        try:
            with open(args.csv, "w", encoding="utf-8-sig", newline="") as out:  # the BOM: Excel then reads UTF-8
                out.write(_grouped_csv(report))
        except OSError as error:
            print(f"sso-bot diagnose: cannot write {args.csv}: {error.strerror or error}", file=sys.stderr)
            return EXIT_USAGE
    return exit_code_of(report)


def _grouped_csv(report) -> str:
    from bot.files.failures_csv import failure_groups, failures_csv

    if not failure_groups(report):
        print("sso-bot diagnose: no grouped failures in this file (the CSV has its header only)", file=sys.stderr)
    return failures_csv(report)


def _read_input(parts: list[str]) -> str:
    if parts == ["-"]:
        from bot.diagnostics.text import as_text  # UTF-16 too: PowerShell writes files and pipes that way

        return as_text(sys.stdin.buffer.read())
    return " ".join(parts)
