"""Build the Bolt app: one ``register(app, deps)`` per feature package.

The order matters twice: it is the order help lists the subcommands in, and a feature that adds
buttons to another's messages (``deps.hooks``) registers before the first message is drawn, which
is any time after build.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient

from handlers.checklists import listeners as checklists
from handlers.credentials import listeners as credentials
from handlers.diagnose import listeners as diagnose
from handlers.files import listeners as files
from handlers.home import listeners as home
from handlers.mentions import listeners as mentions
from handlers.live import listeners as live
from handlers.router import listeners as router
from handlers.router.listeners import HELP
from handlers.status import listeners as status
from handlers.shared import errors
from handlers.shared.commands import Router
from handlers.shared.deps import Deps
from handlers.shared.errors import GuardedApp
from handlers.shared.hooks import Hooks, HomeSections
from handlers.shortcuts import listeners as shortcuts
from handlers.unfurls import listeners as unfurls


@dataclass(frozen=True)
class Assembly:
    """The Bolt app with the tables it was built from (the manifest contract test reads the router)."""

    app: App
    router: Router
    sections: HomeSections


class _ExpectedClientWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN itself and warns that our explicit client (which carries
    SLACK_API_URL) wins over it. That is the intent, so the line would only alarm operators."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def build_router() -> Router:
    """The /sso subcommand table, in the order help lists them."""
    router = Router()
    router.add(HELP)
    return router


def message_hooks() -> Hooks:
    """The hooks that draw messages outside a running app (``sso-bot reminders run-once``): the same
    buttons the app puts on them."""
    hooks = Hooks()
    checklists.contribute(hooks)
    return hooks


def build_app(deps: Deps, client: WebClient | None = None, *, token_verification: bool = True) -> App:
    return assemble(deps, client, token_verification=token_verification).app


def assemble(deps: Deps, client: WebClient | None = None, *, token_verification: bool = True) -> Assembly:
    settings = deps.settings
    client = client or WebClient(token=settings.bot_token, base_url=settings.slack_api_url)
    bolt_logger = logging.getLogger("sso_bot.bolt")
    if not any(isinstance(f, _ExpectedClientWarning) for f in bolt_logger.filters):
        bolt_logger.addFilter(_ExpectedClientWarning())
    # Every listener runs inside the error boundary: nothing it raises becomes a 500 or a late 404.
    app = GuardedApp(
        name="sso-bot",
        client=client,
        signing_secret=settings.signing_secret,
        # Checked once, before Bolt parses anything: runtime.http verifies every HTTP request's
        # signature and timestamp (401 otherwise); Socket Mode traffic arrives over the connection the
        # app token authenticated. A second check in Bolt would only cost time on the ack path.
        request_verification_enabled=False,
        token_verification_enabled=token_verification,
        listener_executor=deps.executor,
        logger=bolt_logger,
        # ack() first, slow work after it on the listener pool: Slack needs its answer within 3 s.
        process_before_response=False,
    )
    deps.hooks.router = build_router()
    errors.register(app)
    for feature in (router, diagnose, live, files, mentions, shortcuts, unfurls, credentials, checklists, status, home):
        feature.register(app, deps)
    return Assembly(app=app, router=deps.hooks.router, sections=deps.hooks.home_sections)
