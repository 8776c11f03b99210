"""The live checks' modal and messages, built with slack_sdk.models and kept within Slack's limits."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from slack_sdk.models.blocks import (ActionsBlock, ContextBlock, InputBlock, MarkdownTextObject, Option,
                                     PlainTextInputElement, SectionBlock, StaticSelectElement)
from slack_sdk.models.blocks.block_elements import FileInputElement
from slack_sdk.models.views import View

from bot.recovery import recovery_steps
from bot.redaction import SafeReport
from handlers.live.ids import LiveId
from handlers.shared.dates import slack_time
from handlers.shared.limits import clip, escape_mrkdwn
from handlers.shared.modals import problem_blocks
from services.credentials import Tracked

INPUT_ACTION = "value"
IDP_LABELS = {"entra": "Microsoft Entra ID", "okta": "Okta"}

USAGE = ("`/sso check scim [base URL]` opens a private form for the URL and the token; "
         "`/sso check oidc <issuer URL>` reads the discovery document and its keys; "
         "`/sso check saml <metadata URL>` reads SAML metadata. Only GET requests are sent.")


def scim_modal(url: str = "", idp: str = "entra", problem: str = "",
               keep_choices: Sequence[tuple[int, str]] = ()) -> View:
    """The form for ``/sso check scim``: the token goes here, never into a message. ``problem``: why the
    last try could not be checked (shown above the form; the token field is empty again). ``keep_choices``:
    tracked SCIM tokens (id, label) the token may be kept for, for the daily check (only when the operator
    set a key)."""
    options = [Option(value=key, label=label) for key, label in IDP_LABELS.items()]
    initial = next(o for o in options if o.value == (idp if idp in IDP_LABELS else "entra"))
    return View(
        type="modal", callback_id=LiveId.SCIM_MODAL, title="Check a SCIM endpoint", submit="Check", close="Cancel",
        blocks=[
            *problem_blocks(problem),
            SectionBlock(text=MarkdownTextObject(text=(
                ":mag: sso-bot sends the read-only requests your IdP sends on *Test connection* and at the start of "
                "a sync (GET only: nothing is created or changed) and explains each answer. :lock: The token is used "
                "for those requests only: never stored, logged or shown; you see its fingerprint."))),
            InputBlock(block_id=LiveId.URL_BLOCK, label="SCIM base URL (Tenant URL)",
                       element=PlainTextInputElement(action_id=INPUT_ACTION, max_length=2000,
                                                     initial_value=clip(url, 2000) or None,
                                                     placeholder="https://app.example.com/scim/v2")),
            InputBlock(block_id=LiveId.TOKEN_BLOCK, label="Bearer token (Secret Token)",
                       element=PlainTextInputElement(action_id=INPUT_ACTION, max_length=3000,
                                                     placeholder="the token the IdP sends")),
            InputBlock(block_id=LiveId.IDP_BLOCK, label="Replay the requests of",
                       element=StaticSelectElement(action_id=INPUT_ACTION, options=options, initial_option=initial)),
            *([_keep_block(keep_choices)] if keep_choices else []),
        ],
    )


def _keep_block(choices: Sequence[tuple[int, str]]) -> InputBlock:
    options = [Option(value=str(cid), label=clip(label, 75)) for cid, label in choices[:100]]
    return InputBlock(
        block_id=LiveId.KEEP_BLOCK, label="Also check it every day for", optional=True,
        element=StaticSelectElement(action_id=INPUT_ACTION, options=options, placeholder="a tracked SCIM token"),
        hint=("Optional. The token is then kept, encrypted with the operator's key, and checked read-only each day; "
              "if the endpoint rejects it before its expiry date, the recovery steps are posted in the "
              "credential's channel at once. Renewing or untracking the credential deletes it."))


def saml_modal(problem: str = "") -> View:
    """``/sso check saml`` without a URL: the metadata URL, or the metadata file itself."""
    return View(
        type="modal", callback_id=LiveId.SAML_MODAL, title="Check SAML metadata", submit="Check", close="Cancel",
        blocks=[
            *problem_blocks(problem),
            SectionBlock(text=MarkdownTextObject(text=(
                ":mag: Give the IdP's metadata URL, or upload the metadata XML you downloaded. sso-bot lists the "
                "entityID, the sign-in and logout endpoints and each signing certificate with its expiry."))),
            InputBlock(block_id=LiveId.SAML_URL_BLOCK, label="Metadata URL", optional=True,
                       element=PlainTextInputElement(action_id=INPUT_ACTION, max_length=2000,
                                                     placeholder="https://idp.example.com/metadata")),
            InputBlock(block_id=LiveId.SAML_FILE_BLOCK, label="Or the metadata file", optional=True,
                       element=FileInputElement(action_id=INPUT_ACTION, filetypes=["xml", "txt"], max_files=1)),
        ],
    )


def checking_modal(target: str, title: str = "Check a SCIM endpoint") -> View:
    """Shown while the requests are out (up to 10 seconds)."""
    return View(type="modal", callback_id=LiveId.SCIM_MODAL, title=title, close="Close",
                blocks=[SectionBlock(text=MarkdownTextObject(text=clip(
                    f":hourglass_flowing_sand: Checking `{escape_mrkdwn(target)}`… this takes up to 10 seconds.",
                    3000)))])


def usage_blocks(problem: str) -> list:
    return [SectionBlock(text=MarkdownTextObject(text=clip(problem, 3000))),
            ContextBlock(elements=[MarkdownTextObject(text=USAGE)])]


def rejected_message(cred: Tracked, report: SafeReport, now: datetime, extra_buttons: list) -> dict[str, Any]:
    """The daily check's alert: the SCIM endpoint rejected a token before its expiry date. What was seen,
    then the recovery steps, as ``chat.postMessage`` arguments."""
    days = max(0, (cred.expires_at - now).days)
    lead = next((f for f in report.findings if f.severity.value == "fail"), report.findings[0])
    head = (f":red_circle: *{escape_mrkdwn(cred.label)}*: the SCIM endpoint rejected the token in today's "
            f"read-only check, {days} day{'s' if days != 1 else ''} before its expiry date "
            f"({cred.expires_at:%Y-%m-%d}). Provisioning fails until the IdP has a working token; Entra ID "
            "quarantines the app after repeated failures.")
    seen = f"*What the endpoint said:* {escape_mrkdwn(lead.title)}"
    steps = "*Recover now:*\n" + "\n".join(f"{i}. {step}" for i, step in enumerate(recovery_steps(cred.kind, cred.idp), 1))
    blocks: list = [SectionBlock(text=MarkdownTextObject(text=clip(head, 3000))),
                    SectionBlock(text=MarkdownTextObject(text=clip(seen, 3000))),
                    SectionBlock(text=MarkdownTextObject(text=clip(steps, 3000))),
                    ContextBlock(elements=[MarkdownTextObject(text=clip(
                        f"Token fingerprint `{cred.fingerprint or 'unknown'}` · checked {slack_time(now)} · "
                        "only GET requests are sent; the token is kept encrypted and never shown.", 300))])]
    if extra_buttons:
        blocks.append(ActionsBlock(elements=extra_buttons[:5]))
    return {"text": clip(f"{cred.label}: the SCIM endpoint rejected the token before its expiry date", 300),
            "blocks": [b.to_dict() for b in blocks]}
