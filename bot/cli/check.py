"""``sso-bot check scim|oidc|saml``: the live checks on the command line.

The ``check`` command group of ``bot.cli``, registered with one call (:func:`add_check_command`). The
token comes only from standard input (or a hidden prompt on a terminal), never from an argument, and is
never printed.
Exit status as for ``diagnose``: 0 when nothing failed, 1 when a finding failed, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, colour_wanted
from bot.settings import load_settings

_MAX_INPUT = 1_000_000

__all__ = ["add_check_command"]


def add_check_command(sub) -> None:
    check = sub.add_parser(
        "check", help="live, read-only checks: a SCIM endpoint as the IdP calls it, OIDC discovery, SAML metadata",
        description="Send the read-only requests an IdP or a relying party would send and explain the answers. "
                    "Only GET is ever sent, through a guard that refuses private, loopback and metadata addresses "
                    "(SSO_BOT_PROBE_ALLOW lists exceptions).")
    check_sub = check.add_subparsers(title="check commands", metavar="WHAT")

    scim = check_sub.add_parser(
        "scim", help="replay the IdP's Test connection and first-sync reads against a SCIM base URL",
        description="Replay, read-only, what Entra ID or Okta sends on Test connection and at the start of a sync. "
                    "The bearer token is read from standard input and never shown or kept.")
    scim.add_argument("url", metavar="URL", help="the SCIM base URL (Entra: Tenant URL; Okta: SCIM connector base URL)")
    scim.add_argument("--token-stdin", action="store_true", help="read the bearer token from standard input")
    scim.add_argument("--token", nargs="?", const="", default=None, help=argparse.SUPPRESS)
    scim.add_argument("--idp", choices=("entra", "okta"), default="entra", help="whose requests to replay "
                      "(default: entra)")
    scim.add_argument("--json", action="store_true", help="print the report as JSON")
    scim.add_argument("--keep-for", metavar="LABEL", help="if the check passes, keep the token (encrypted with "
                      "SSO_BOT_PROBE_KEY) for the daily check of this tracked SCIM token")
    scim.add_argument("--team", metavar="TEAM_ID", help="with --keep-for: the workspace, when the label exists in "
                      "several")
    scim.set_defaults(handler=_scim)

    oidc = check_sub.add_parser("oidc", help="fetch an issuer's discovery document and JWKS and check them")
    oidc.add_argument("issuer", metavar="ISSUER", help="the issuer URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0")
    oidc.add_argument("--json", action="store_true", help="print the report as JSON")
    oidc.set_defaults(handler=_oidc)

    saml = check_sub.add_parser("saml", help="read SAML metadata from a URL or a file and check it")
    saml.add_argument("source", metavar="METADATA_URL|FILE", help="an https URL, or a metadata XML file ('-' for "
                      "standard input)")
    saml.add_argument("--json", action="store_true", help="print the report as JSON")
    saml.set_defaults(handler=_saml)


def _policy():
    from bot.diagnostics.scim.template import use_template
    from bot.live.policy import ProbePolicy

    settings = load_settings()
    use_template(settings.scim_url_template)  # a 404's hints come from the SCIM URL check, in the configured shape
    return ProbePolicy(allow=settings.probe_allow, ca_file=settings.probe_ca_file)


def _print(report, as_json: bool) -> int:
    import os

    from bot.diagnostics.render import render_json, render_text

    if as_json:
        sys.stdout.write(render_json(report))
    else:
        sys.stdout.write(render_text(report, colour=colour_wanted()))
    return EXIT_FAILED if report.failed else EXIT_OK


def _usage(command: str, message: str) -> int:
    print(f"sso-bot check {command}: {message}", file=sys.stderr)
    return EXIT_USAGE


def _read_token() -> str:
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Paste the bearer token (it is not shown or kept): ")
    return sys.stdin.read(_MAX_INPUT)


def _scim(args: argparse.Namespace) -> int:
    if args.token is not None:
        return _usage("scim", "never pass a token as an argument (shell history and process lists keep it); "
                              "use --token-stdin and pipe it in, or type it at the prompt")
    if not args.token_stdin:
        return _usage("scim", "the bearer token is needed: add --token-stdin and give it on standard input")
    from bot.live.run import LiveInputError, run_scim_check

    if args.keep_for and not load_settings().probe_key:
        return _usage("scim", "--keep-for needs SSO_BOT_PROBE_KEY (the key that encrypts kept tokens); see the README")
    policy = _policy()
    token = _read_token()
    try:
        report = run_scim_check(args.url, token, idp=args.idp, policy=policy)
        kept = _keep(args, token, report) if args.keep_for else ""
    except LiveInputError as error:
        return _usage("scim", error.message)
    finally:
        del token
    status = _print(report, args.json)
    if kept:
        print(kept, file=sys.stderr)
    return status


def _keep(args: argparse.Namespace, token: str, report) -> str:
    """Keep the token for the daily check of the tracked credential ``--keep-for`` (the same use case as the
    Slack form's *Also check it every day for*); what to tell the user."""
    from datetime import datetime, timezone

    from bot.cli.common import cli_user, open_migrated
    from bot.live.vault import Vault
    from services import credentials as tracked
    from services.ports import DirectAudit
    from services.probes import keep_for_daily_check

    if report.failed:
        return "sso-bot check scim: not kept for the daily check: fix what this check found first"
    settings = load_settings()
    db = open_migrated(settings)
    try:
        matches = [c for c in tracked.by_label(db, args.keep_for, team_id=args.team) if c.kind == "scim-token"]
        if len(matches) != 1:
            return (f"sso-bot check scim: not kept: {'no tracked SCIM token is' if not matches else 'several are'} "
                    f"labelled {args.keep_for[:80]!r}{'' if not matches else '; add --team'}")
        cred = matches[0]
        result = keep_for_daily_check(db, Vault.from_text(settings.probe_key or ""), DirectAudit(db),
                                      team_id=cred.team_id, user_id=cli_user(), credential_id=cred.id,
                                      base_url=args.url, token=token, now=datetime.now(timezone.utc))
    finally:
        db.dispose()
    if not result.kept:
        return f"sso-bot check scim: not kept for the daily check: {result.reason}"
    return (f"sso-bot check scim: kept for the daily check of {result.label!r}; an alert posts in channel "
            f"{result.channel_id} if the endpoint rejects the token before its expiry date")


def _oidc(args: argparse.Namespace) -> int:
    from bot.live.run import LiveInputError, run_oidc_check

    try:
        report = run_oidc_check(args.issuer, policy=_policy())
    except LiveInputError as error:
        return _usage("oidc", error.message)
    return _print(report, args.json)


def _saml(args: argparse.Namespace) -> int:
    from bot.live.run import LiveInputError, run_saml_check

    source: str = args.source
    try:
        if source == "-":
            report = run_saml_check(text=sys.stdin.buffer.read(_MAX_INPUT), source="standard input")
        elif "://" in source:
            report = run_saml_check(url=source, policy=_policy())
        else:
            path = Path(source)
            if not path.is_file():
                return _usage("saml", f"{source[:200]!r} is neither an https:// URL nor a file")
            if path.stat().st_size > _MAX_INPUT:
                return _usage("saml", f"{source[:200]!r} is larger than 1 MB; metadata is a few kilobytes")
            report = run_saml_check(text=path.read_bytes(), source=path.name)
    except LiveInputError as error:
        return _usage("saml", error.message)
    return _print(report, args.json)
