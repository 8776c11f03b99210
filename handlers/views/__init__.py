"""Block Kit views, built only with ``slack_sdk.models`` and kept within Slack's limits."""
