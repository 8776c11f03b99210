"""The one error boundary between listeners and the people using the app.

A ``UserError`` is something the user can fix: it becomes a friendly ephemeral
message. Anything else becomes "something went wrong (ref ABC123)" in Slack,
while the log gets the full traceback under the same reference, so a support
request can be matched to its log line.

Every listener runs inside the boundary (``GuardedApp``): whatever it raises,
before or after its ``ack()``, is answered here and never reaches Bolt. Bolt's
own handling would turn it into a 500, or, for a listener that had acked
already, race with the ack and answer 404 after three seconds ("didn't call
ack()") although the reply had gone out.
"""

from __future__ import annotations

import logging
import secrets
import string
from typing import Any, Callable

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.kwargs_injection import build_required_kwargs
from slack_bolt.util.utils import get_arg_names_of_callable

from handlers.shared.payload import team_id, user_id
from handlers.shared.modals import error_modal
from handlers.shared.prompt_ack import PromptListenerRunner

log = logging.getLogger("sso_bot.errors")

_REF_ALPHABET = string.ascii_uppercase + string.digits


class UserError(Exception):
    """A problem with what the user asked for, with a next step."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def text(self) -> str:
        return f":warning: {self.message}" + (f"\n{self.hint}" if self.hint else "")


def new_ref() -> str:
    """A short reference id that a person can read out over the phone."""
    return "".join(secrets.choice(_REF_ALPHABET) for _ in range(6))


def unexpected_text(ref: str) -> str:
    return (f":x: Something went wrong on our side (ref {ref}). Nothing you entered was lost; "
            "please try again, and if it keeps happening give this reference to whoever runs sso-bot.")


class GuardedApp(App):
    """Bolt's App with every listener registered inside the error boundary (``guarded``), answering
    Slack as soon as a listener acks (``PromptListenerRunner``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bolts = self._listener_runner
        self._listener_runner = PromptListenerRunner(
            logger=bolts.logger, process_before_response=bolts.process_before_response,
            listener_error_handler=bolts.listener_error_handler, listener_start_handler=bolts.listener_start_handler,
            listener_completion_handler=bolts.listener_completion_handler, listener_executor=bolts.listener_executor,
            lazy_listener_runner=bolts.lazy_listener_runner)

    def _register_listener(self, functions, *args, **kwargs):  # the one place every app.action/view/... passes
        functions = list(functions)
        if functions:
            functions[0] = guarded(functions[0])
        return super()._register_listener(functions, *args, **kwargs)


def guarded(listener: Callable[..., Any]) -> Callable[..., Any]:
    """``listener`` so that nothing it raises reaches Bolt: ``settle`` answers it instead. Bolt passes the
    wrapper the request; the wrapper passes the listener the arguments it names, as Bolt would."""
    wanted = get_arg_names_of_callable(listener)

    def run_guarded(request: BoltRequest, response: BoltResponse, logger: logging.Logger) -> Any:
        try:
            return listener(**build_required_kwargs(logger=logger, required_arg_names=list(wanted), request=request,
                                                    response=response, this_func=listener))
        except Exception as error:
            try:
                settle(error, request)
            except Exception:  # telling the user failed too (Slack unreachable): the log is all that is left
                log.exception("could not answer a listener's failure")
            return None

    run_guarded.__name__ = getattr(listener, "__name__", "listener")  # Bolt's log lines name the listener
    run_guarded.__qualname__ = getattr(listener, "__qualname__", run_guarded.__name__)
    run_guarded.guarded = True  # type: ignore[attr-defined]
    return run_guarded


def settle(error: BaseException, request: BoltRequest) -> None:
    """Answer a listener's failure where the user sees it: in the ack when there is still one to give (a
    modal shows the message itself), else in the conversation (``response_url``), else in a small modal
    (a Home tab button has no conversation)."""
    body = request.body
    kind = request_kind(body)
    text = failure_text(error, request=kind, team=team_id(body) or "?", user=user_id(body) or "?")
    ack = request.context.ack
    if ack.response is None:
        if kind == "view_submission":
            ack(response_action="update", view=error_modal(text))
            return
        ack()
    respond = request.context.respond
    if respond is not None and respond.response_url:
        _reply(respond, text)
    elif kind == "block_actions" and body.get("trigger_id"):
        try:
            request.context.client.views_open(trigger_id=body["trigger_id"], view=error_modal(text))
        except Exception:
            log.exception("could not tell the user about an error")


def request_kind(body: dict[str, Any]) -> str:
    return str(body.get("type") or ("slash_command" if "command" in body else "unknown"))


def register(app: App) -> None:
    # Listeners are guarded (above); this catches what fails in Bolt's middleware around them.
    @app.error
    def error_boundary(error: Exception, body: dict[str, Any], respond, logger) -> None:
        report_failure(error, respond, request=request_kind(body), team=team_id(body) or "?",
                       user=user_id(body) or "?")


def report_failure(error: BaseException, respond, *, request: str, team: str, user: str) -> None:
    """Tell the user what went wrong: their mistake in plain words, ours with a reference id that
    the log line carries too. Also used for work that finishes after the listener returned."""
    _reply(respond, failure_text(error, request=request, team=team, user=user))


def failure_text(error: BaseException, *, request: str, team: str, user: str) -> str:
    """The message for the user; an unexpected error is logged with its traceback under a new reference."""
    if isinstance(error, UserError):
        return error.text()
    ref = new_ref()
    # Log the kind of request and the ids, not the body: it may hold a pasted secret.
    log.error("unhandled error ref=%s request=%s team=%s user=%s", ref, request, team, user, exc_info=error)
    return unexpected_text(ref)


def _reply(respond, text: str) -> None:
    if respond is None or getattr(respond, "response_url", None) is None:
        return  # events carry no response_url: the log line is all we can do
    try:
        respond(text=text, response_type="ephemeral", replace_original=False)
    except Exception:
        log.exception("could not tell the user about an error")

