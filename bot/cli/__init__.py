"""The ``sso-bot`` command (also ``python -m bot``).

A composition root: it may import the outer layers, but only inside the
sub-command that needs them, so ``sso-bot diagnose`` never loads Slack or SQL
and works on a laptop with no credentials at all. One module per command group
(serve and db, diagnose, credentials and reminders, check), each argument
parsing plus calls into ``services``/``runtime``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from bot.cli import check, credentials, diagnose, explain, serve
from bot.cli.examples import add_examples
from bot.cli.common import EXIT_FAILED, EXIT_USAGE, version
from bot.settings import SettingsError


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except SettingsError as error:
        print(f"sso-bot: configuration error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: say so in one line, keep the traceback for whoever debugs it
        import os
        import traceback

        if os.environ.get("SSO_BOT_DEBUG"):
            traceback.print_exc()
        from bot.redaction import redact_text

        print(f"sso-bot: internal error ({type(error).__name__}: {redact_text(str(error))[:200]}); "
              "rerun with SSO_BOT_DEBUG=1 for the traceback and report it", file=sys.stderr)
        return EXIT_FAILED



def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sso-bot", description="Diagnose SSO and SCIM problems, in Slack or here.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    serve.add_serve_command(sub)
    diagnose.add_diagnose_command(sub)
    explain.add_explain_command(sub)
    serve.add_db_command(sub)
    credentials.add_credential_commands(sub)
    check.add_check_command(sub)  # sso-bot check scim|oidc|saml (live, read-only)
    add_examples(parser)
    return parser
