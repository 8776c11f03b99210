"""The baseline for bench/ack_latency.py: a bare Bolt app whose /sso listener only acks,
served by the same server (waitress, same thread count) as `sso-bot serve --http`."""

from __future__ import annotations

import os
import re
import sys

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress.server import create_server


def main() -> None:
    port = int(sys.argv[1])
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = App(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])

    @app.command("/sso")
    def only_ack(ack):
        ack()

    @app.action(re.compile(".*"))
    def only_ack_actions(ack):  # the baseline for ticking a checklist box
        ack()

    server = create_server(SlackRequestHandler(app), host="127.0.0.1", port=port, threads=16)
    print(f"bare bolt is serving on {port}", file=sys.stderr, flush=True)
    server.run()


if __name__ == "__main__":
    main()
