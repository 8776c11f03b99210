"""``sso-bot explain CODE``: what a code, message or symptom means, from the knowledge base (offline).

The same look-up as ``/sso explain``: an AADSTS, Okta E0000, OAuth, HTTP, SCIM or provisioning code, or
the name of an entry the answers refer to ("Redirect loop after sign-in"). It is a look-up, not a
diagnosis: it is headed "What … means" and exits 0 when the code is known.
"""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, colour_wanted


def add_explain_command(sub) -> None:
    explain = sub.add_parser(
        "explain", help="what an error code, message or symptom means (offline)",
        description="Look up a code in the knowledge base: its likely causes, fix steps, where to look and what "
                    "to collect. Also takes the name of an entry that another answer refers to.")
    explain.add_argument("code", nargs="+", metavar="CODE", help="a code (AADSTS50011, E0000011, invalid_client, "
                         "'HTTP 401', uniqueness, EntryConflict) or an entry's name")
    explain.add_argument("--json", action="store_true", help="print the entry as JSON")
    explain.add_argument("--brief", action="store_true", help="only the first view: meaning, cause and first fix steps")
    explain.set_defaults(handler=_explain)


def _explain(args: argparse.Namespace) -> int:
    from bot.diagnostics.present import Framing, present
    from bot.diagnostics.render import render_json, render_text
    from services import diagnose as diagnosis

    text = " ".join(args.code).strip()
    if not text:
        print("sso-bot explain: give a code, e.g. sso-bot explain AADSTS50011", file=sys.stderr)
        return EXIT_USAGE
    report = diagnosis.diagnose("explain", text)
    framing = present(report, lookup=True).framing
    if args.json:
        sys.stdout.write(render_json(report, lookup=True))
    else:
        sys.stdout.write(render_text(report, colour=colour_wanted(), full=not args.brief, lookup=True,
                                     more_hint="drop --brief"))
    if framing is Framing.UNRECOGNISED:
        # The text is not repeated: it may be a paste that holds a secret.
        print("sso-bot explain: no code or entry found in that; try sso-bot diagnose with the whole message",
              file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK
