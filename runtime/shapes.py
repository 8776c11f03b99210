"""The shapes of the requests Slack sends us, as far as sso-bot and Bolt read them.

``runtime.inbound`` checks every request against these before Bolt sees it, so a
listener, a Bolt matcher or Bolt's own context builder never meets a field of the wrong
type (``actions: []``, ``user: 5``, a view without a ``type``). Only the fields someone
reads are declared; everything else Slack adds is kept as it came (``extra="allow"``),
so a new field in Slack's payloads never breaks a request.

The field lists come from what each listener reads (handlers/*.py) and what Bolt reads
before dispatching (slack_bolt.request.internals.build_context, payload_utils, the
built-in middleware), checked against the payloads in ``corpus/slack``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


# Where a reply goes (Slack's is https://hooks.slack.com/...): a URL, never a word our reply would fail on.
Url = Annotated[str, Field(pattern=r"^https?://\S+$", max_length=2048)]


class _Shape(BaseModel):
    # strict: a number is not an id, a list is not a string. extra: Slack's other fields pass as they came.
    model_config = ConfigDict(extra="allow", strict=True)


class IdRef(_Shape):
    """A team, enterprise or channel as an object."""

    id: str


class UserRef(_Shape):
    id: str
    team_id: str | None = None


class Option(_Shape):
    value: str


class Action(_Shape):
    """One element of ``block_actions.actions`` (Slack sends exactly one)."""

    action_id: str
    block_id: str | None = None
    type: str | None = None
    value: str | None = None
    selected_option: Option | None = None
    selected_options: list[Option] | None = None


class Container(_Shape):
    type: str | None = None
    message_ts: str | None = None
    channel_id: str | None = None
    view_id: str | None = None


class ElementState(_Shape):
    """What one input of a modal holds when it is submitted."""

    type: str | None = None
    value: str | None = None
    selected_date: str | None = None
    selected_option: Option | None = None
    selected_options: list[Option] | None = None
    selected_conversation: str | None = None


class ViewState(_Shape):
    values: dict[str, dict[str, ElementState]] = Field(default_factory=dict)


class ViewRef(_Shape):
    """A view anywhere in a body (Bolt reads which workspace it belongs to)."""

    type: str | None = None
    id: str | None = None
    team_id: str | None = None
    app_installed_team_id: str | None = None


class View(ViewRef):
    """The view of an interaction: a modal being submitted, or the Home tab or modal a button is in."""

    type: str
    callback_id: str = ""
    # Slack's own cap; our modals keep a few ids in it.
    private_metadata: str = Field(default="", max_length=3000)
    state: ViewState | None = None


class ResponseUrl(_Shape):
    response_url: Url


class _BoltReads(_Shape):
    """Fields Bolt reads from a body while building its context, and again, the same way, from the
    ``event``, ``message``, ``item`` or first ``authorizations`` entry inside it: typed at every level."""

    type: str | None = None
    enterprise: str | IdRef | None = None
    enterprise_id: str | None = None
    team: str | IdRef | None = None
    team_id: str | None = None
    user: str | UserRef | None = None
    user_id: str | None = None
    channel: str | IdRef | None = None
    channel_id: str | None = None
    bot_id: str | None = None
    is_enterprise_install: bool | str | None = None
    is_ext_shared_channel: bool | None = None
    event: _BoltReads | None = None
    message: _BoltReads | None = None
    previous_message: _BoltReads | None = None
    item: _BoltReads | None = None
    assistant_thread: _BoltReads | None = None
    authorizations: list[_BoltReads] | None = None
    view: ViewRef | None = None
    response_url: Url | None = None
    response_urls: list[ResponseUrl] | None = None
    function_execution_id: str | None = None
    function_data: dict[str, Any] | None = None
    bot_access_token: str | None = None


class _Interaction(_BoltReads):
    """What listeners read from every interaction: objects where Bolt would also take a string."""

    team: IdRef | None = None  # None in org-wide installs: the user's team_id says which workspace
    enterprise: IdRef | None = None
    user: UserRef
    channel: IdRef | None = None
    trigger_id: str
    container: Container | None = None
    view: View | None = None


class BlockActions(_Interaction):
    type: Literal["block_actions"]
    actions: list[Action] = Field(min_length=1)


class ViewSubmission(_Interaction):
    type: Literal["view_submission"]
    view: View


class ShortcutMessage(_BoltReads):
    """The message a message shortcut was used on (what handlers/shortcuts reads of it)."""

    ts: str
    text: str = ""
    thread_ts: str | None = None
    files: list[dict[str, Any]] | None = None
    attachments: list[dict[str, Any]] | None = None


class MessageAction(_Interaction):
    """A message shortcut ("Diagnose this message"): the message, its conversation, and where to reply."""

    type: Literal["message_action"]
    callback_id: str
    channel: IdRef
    message: ShortcutMessage


class GlobalShortcut(_Interaction):
    """A global shortcut (the diagnose form from the shortcuts menu)."""

    type: Literal["shortcut"]
    callback_id: str


#: The interaction payloads sso-bot registers listeners for (the manifest subscribes to no others).
INTERACTIONS: dict[str, type[_Interaction]] = {"block_actions": BlockActions, "view_submission": ViewSubmission,
                                                "message_action": MessageAction, "shortcut": GlobalShortcut}


class SlashCommand(_BoltReads):
    """A slash command's form fields (all strings, as forms are)."""

    command: str
    team_id: str
    user_id: str
    text: str = ""
    channel_id: str = ""
    trigger_id: str = ""
    response_url: Url | None = None


# --------------------------------------------------------------------------- the Events API


class Event(_BoltReads):
    """Any event (its user is an object in user_change, a string elsewhere)."""

    type: str


class AppHomeOpened(Event):
    type: Literal["app_home_opened"]
    user: str
    tab: str = "home"


class AppMention(Event):
    type: Literal["app_mention"]
    user: str
    channel: str
    ts: str
    text: str = ""
    thread_ts: str | None = None


class SharedLink(_Shape):
    domain: str
    url: str = Field(max_length=8000)


class LinkShared(Event):
    """Links on the manifest's unfurl domains, posted (``channel`` and ``message_ts``) or still in the
    composer (``unfurl_id`` and ``source``, with placeholders for the other two)."""

    type: Literal["link_shared"]
    user: str
    channel: str
    message_ts: str
    links: list[SharedLink] = Field(min_length=1, max_length=100)
    unfurl_id: str | None = None
    source: str | None = None
    thread_ts: str | None = None


#: Events with listeners, held to their own shape; any other event type only to ``Event``.
EVENTS: dict[str, type[Event]] = {"app_home_opened": AppHomeOpened, "app_mention": AppMention,
                                  "link_shared": LinkShared}


class EventCallback(_BoltReads):
    type: Literal["event_callback"]
    event: Event


class UrlVerification(_BoltReads):
    type: Literal["url_verification"]
    challenge: str


class AppRateLimited(_BoltReads):
    type: Literal["app_rate_limited"]
    team_id: str | None = None


#: JSON envelopes of the Events API, by ``type``.
ENVELOPES: dict[str, type[_BoltReads]] = {"event_callback": EventCallback, "url_verification": UrlVerification,
                                      "app_rate_limited": AppRateLimited}


class SslCheck(_BoltReads):
    """Slack checking the certificate of the request URL (Bolt answers it)."""

    ssl_check: str
