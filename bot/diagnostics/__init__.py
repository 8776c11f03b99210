"""Diagnostics: pure checks that turn pasted text into a Report."""
