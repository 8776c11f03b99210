"""The Slack surface: Bolt listeners, Block Kit views and the HTTP/Socket Mode servers."""
