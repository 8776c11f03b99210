"""Diagnostics: pure checks that turn pasted text into a Report.

One subpackage per family, each importing the shared core below and nothing of the engine:
``engine`` (``diagnose``: any paste, ranked findings), ``saml`` (a SAML Response), ``token`` (a bearer
token), ``scim`` (a SCIM base URL), ``redirect`` (two redirect URIs), ``domains`` (a login-domain
allowlist) and ``live`` (what the live checks fetched). The shared core: ``report`` (the records),
``render`` (text and JSON), ``text`` (strings from a paste, clipping for a finding), ``explain``
(a finding from a knowledge entry) and ``extract`` (URLs, e-mails, tokens and Slack links in a paste).
"""
