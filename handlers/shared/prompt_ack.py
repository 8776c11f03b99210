"""Answer Slack the moment a listener acks, not on the request thread's next poll.

Bolt runs a listener on its executor and the request thread then checks ``ack.response`` every
10 ms until the listener acks. An ack that lands just after a check waits out the rest of that
10 ms, so the acknowledgement time of a request is quantised: two apps that differ by a
millisecond of work differ by 10 ms at the tail. Here the ack itself wakes the request thread
(a ``threading.Event``), so the answer leaves as soon as it exists.

Everything else is Bolt's: requests with lazy listeners and ``process_before_response`` go
through Bolt's own runner unchanged, the ack timeout is the listener's, and a listener that
never acks is left to the same timeout and the same warning. Every listener of ours is guarded
(``handlers.shared.errors.guarded``), so the error handler here only sees Bolt's own failures.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Optional

from slack_bolt.context.ack import Ack
from slack_bolt.listener import Listener
from slack_bolt.listener.thread_runner import ThreadListenerRunner
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse


class SignallingAck(Ack):
    """Bolt's ``ack`` that also sets ``acked`` once the response is recorded."""

    def __init__(self, acked: threading.Event) -> None:
        super().__init__()
        self.acked = acked

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        response = super().__call__(*args, **kwargs)
        self.acked.set()
        return response


class PromptListenerRunner(ThreadListenerRunner):
    """Bolt's thread runner, waiting on the ack instead of polling for it (see the module docstring)."""

    def run(self, request: BoltRequest, response: BoltResponse, listener_name: str, listener: Listener,
            starting_time: Optional[float] = None) -> Optional[BoltResponse]:
        if self.process_before_response or request.lazy_only or listener.lazy_functions:
            return super().run(request, response, listener_name, listener, starting_time)
        starting_time = starting_time if starting_time is not None else time.time()
        already = request.context.ack
        if already.response is not None:  # a middleware answered already
            return already.response
        acked = threading.Event()
        ack = SignallingAck(acked)
        request.context["ack"] = ack  # the listener's ``ack`` argument is read from the context
        if listener.auto_acknowledgement:  # events: Slack only needs the 200
            ack()
        self.listener_executor.submit(self._run_listener, request, response, listener, ack)
        acked.wait(max(0.0, listener.ack_timeout - (time.time() - starting_time)))
        if ack.response is None:
            self.logger.warning(f"{listener_name} did not call ack() within {listener.ack_timeout} s")
            return None
        return ack.response

    def _run_listener(self, request: BoltRequest, response: BoltResponse, listener: Listener,
                      ack: SignallingAck) -> None:
        try:
            self.listener_start_handler.handle(request=request, response=response)
            listener.run_ack_function(request=request, response=response)
        except Exception as error:  # Bolt's own machinery failed around a guarded listener
            self.listener_error_handler.handle(error=error, request=request, response=response)
            if ack.response is None:  # as Bolt does: a 500 now rather than a 404 after the timeout
                ack.response = BoltResponse(status=500)
                ack.acked.set()
        finally:
            self.listener_completion_handler.handle(request=request, response=response)
