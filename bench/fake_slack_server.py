"""Run the fake Slack Web API in its own process for the benchmarks.

Answering response_url posts costs CPU; inside the load generator's process it
would slow the measuring threads for the app that posts (sso-bot) and not for
the bare baseline, skewing the ratio. Prints the base URL, serves until stdin closes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.fake_slack import FakeSlack  # noqa: E402


def main() -> None:
    fake = FakeSlack().start()
    print(fake.base, flush=True)
    sys.stdin.read()  # the benchmark closes our stdin when it is done
    fake.stop()


if __name__ == "__main__":
    main()
