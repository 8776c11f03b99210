"""Link unfurling for error links: a Microsoft or Okta error link posted in a conversation gets one line
under it, what the code means, and a button that opens the full explanation privately.

Slack sends ``link_shared`` for the domains the manifest lists (``app_unfurl_domains``), for links typed into
the composer as well as posted ones; the answer is ``chat.unfurl``. Links that name no code, codes the
knowledge base has no notes on, and links carrying anything shaped like a secret are left alone. Slack
retries an event it thinks was missed; a retry is answered once only.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.shared.deps import Deps
from handlers.shared.once import Once
from handlers.unfurls.links import error_code
from handlers.unfurls.views import unfurl_blocks
from services import diagnose as diagnosis

log = logging.getLogger("sso_bot.unfurls")

MAX_LINKS = 10  # a message's links beyond these stay as Slack shows them


def register(app: App, deps: Deps) -> None:
    once = Once()

    @app.event("link_shared")
    def on_link_shared(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        if not once.first(str(body.get("event_id") or "")):
            return
        unfurls: dict[str, dict[str, Any]] = {}
        codes: list[str] = []
        for link in (event.get("links") or [])[:MAX_LINKS]:
            url = str(link.get("url") or "")
            code = error_code(url)
            blocks = unfurl_blocks(diagnosis.diagnose("explain", code)) if code and url not in unfurls else []
            if blocks:
                unfurls[url] = {"blocks": [b.to_dict() for b in blocks]}
                codes.append(code)
        if not unfurls:
            return
        where = ({"unfurl_id": event["unfurl_id"], "source": event["source"]}
                 if event.get("unfurl_id") and event.get("source") else
                 {"channel": event.get("channel"), "ts": event.get("message_ts")})
        try:
            client.chat_unfurl(unfurls=unfurls, **where)
        except SlackApiError as error:  # the message was deleted, or the link edited away: nothing to add to
            log.info("could not unfurl %d link(s): %s", len(unfurls), error.response.get("error"))
            return
        deps.audit.record(team_id=str(body.get("team_id", "")), user_id=str(event.get("user", "")),
                          action="unfurl", input_kinds=("error_link",), outcome="ok", detail=",".join(codes)[:200])

