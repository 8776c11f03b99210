"""The redaction boundary: one notion of a secret, one scrub, one sealed report type.

* ``shapes``: what a secret is (``find_secrets``, ``looks_secret``), its hint and fingerprint;
* ``scrub``: ``Scrubber`` (a paste's secrets out of any text, 12-character guarantee) and ``redact_text``
  (secret shapes out of a log line or stored user text);
* ``report``: ``seal`` turns a check's ``Report`` into a ``SafeReport``, the only report the renderers,
  the stores and the share button accept.

Checks are run through ``bot.checks.run_check``, which seals what they return.
"""

from bot.redaction.report import SafeReport, require_safe, reseal, seal, secrets_in
from bot.redaction.scrub import HIDDEN, WINDOW, Scrubber, redact_text
from bot.redaction.shapes import KINDS, Secret, describe, find_secrets, fingerprint, looks_secret, named

__all__ = ["SafeReport", "seal", "reseal", "require_safe", "secrets_in", "Scrubber", "redact_text", "WINDOW",
           "HIDDEN", "Secret", "find_secrets", "fingerprint", "looks_secret", "describe", "named", "KINDS"]
