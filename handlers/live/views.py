"""The live checks' modal and messages, built with slack_sdk.models and kept within Slack's limits."""

from __future__ import annotations

from slack_sdk.models.blocks import (ContextBlock, InputBlock, MarkdownTextObject, Option, PlainTextInputElement,
                                     SectionBlock, StaticSelectElement)
from slack_sdk.models.views import View

from handlers.live.ids import LiveId
from handlers.shared.limits import clip, escape_mrkdwn

INPUT_ACTION = "value"
IDP_LABELS = {"entra": "Microsoft Entra ID", "okta": "Okta"}

USAGE = ("`/sso check scim [base URL]` opens a private form for the URL and the token; "
         "`/sso check oidc <issuer URL>` reads the discovery document and its keys; "
         "`/sso check saml <metadata URL>` reads SAML metadata. Only GET requests are sent.")


def scim_modal(url: str = "", idp: str = "entra", problem: str = "") -> View:
    """The form for ``/sso check scim``: the token goes here, never into a message. ``problem``: why the
    last try could not be checked (shown above the form; the token field is empty again)."""
    options = [Option(value=key, label=label) for key, label in IDP_LABELS.items()]
    initial = next(o for o in options if o.value == (idp if idp in IDP_LABELS else "entra"))
    return View(
        type="modal", callback_id=LiveId.SCIM_MODAL, title="Check a SCIM endpoint", submit="Check", close="Cancel",
        blocks=[
            *([SectionBlock(text=MarkdownTextObject(text=clip(f":warning: {escape_mrkdwn(problem)}", 3000)))]
              if problem else []),
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
        ],
    )


def checking_modal(target: str) -> View:
    """Shown while the requests are out (up to 10 seconds)."""
    return View(type="modal", callback_id=LiveId.SCIM_MODAL, title="Check a SCIM endpoint", close="Close",
                blocks=[SectionBlock(text=MarkdownTextObject(text=clip(
                    f":hourglass_flowing_sand: Checking `{escape_mrkdwn(target)}`… this takes up to 10 seconds.",
                    3000)))])


def usage_blocks(problem: str) -> list:
    return [SectionBlock(text=MarkdownTextObject(text=clip(problem, 3000))),
            ContextBlock(elements=[MarkdownTextObject(text=USAGE)])]
