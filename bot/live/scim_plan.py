"""The requests an IdP sends to a SCIM endpoint on "Test connection" and at the start of a sync,
as a plan of read-only steps (all GET). Pure data: ``bot.live.run`` sends them through the probe.

Sources, per IdP:

* **Microsoft Entra ID.** "Microsoft Entra ID makes requests to fetch a random user and group to
  ensure that the endpoint and the credentials are valid. It's also done as a part of the Test
  Connection flow." (Microsoft Learn, *Tutorial: Develop and plan provisioning for a SCIM endpoint*,
  section "General"). Users are queried by ``userName`` and groups by ``displayName``, with
  ``excludedAttributes=members`` on group reads (same page, requirements table). The shapes are the
  page's own examples "Get User by query - Zero results" and "Get Group by displayName", kept in
  ``shared/corpus/scim/entra_scim_requests_responses.http``. The page also asks for ``/Schemas``.
* **Okta.** Okta's SCIM 2.0 spec test (``shared/corpus/scim/okta_runscope_SCIM-20-SPEC-Test.json``):
  ``GET /Users?count=1&startIndex=1`` ("Test Users endpoint", the request behind *Test API
  Credentials*), ``GET /Users?filter=userName eq "<random>"`` ("Make sure random user doesn't
  exist"), ``GET /Users/<unknown id>`` ("Test invalid User by ID", a 404 with the SCIM error schema)
  and ``GET /Groups`` ("Verify Groups endpoint"); the headers are the suite's (Accept
  ``application/scim+json``, Accept-Charset utf-8, a Content-Type even on GET). Okta's SCIM 2.0
  reference (``shared/corpus/scim/okta_scim20_http_exchanges.http``) shows the same user lookup
  during a sync with ``startIndex=1&count=100``, and ``GET /Groups?startIndex=1&count=100``.
* Both: ``/ServiceProviderConfig``, ``/Schemas`` and ``/ResourceTypes`` (RFC 7644 §4), read when
  the server offers them; a 404 there is only noted.

Every step is a GET by construction: a step has a path and a query, nothing else.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

__all__ = ["Step", "plan_for", "IDPS", "headers_for", "SCIM_MEDIA_TYPE"]

IDPS = ("entra", "okta")
SCIM_MEDIA_TYPE = "application/scim+json"

REF_ENTRA_TUTORIAL = ("https://learn.microsoft.com/en-us/entra/identity/app-provisioning/"
                      "use-scim-to-provision-users-and-groups")
REF_OKTA_SCIM = "https://developer.okta.com/docs/reference/scim/scim-20/"
REF_RFC7644_QUERY = "https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2"
REF_RFC7644_DISCOVERY = "https://www.rfc-editor.org/rfc/rfc7644#section-4"


@dataclass(frozen=True)
class Step:
    """One GET of the replay.

    ``key`` names the step in findings; ``role`` says what a good answer is: ``list-empty`` (a
    ListResponse with no match), ``list`` (any ListResponse), ``missing`` (a 404 with the SCIM error
    schema) or ``discovery`` (a JSON document, optional). ``optional`` steps (groups, discovery) only
    inform when the server does not offer them.
    """

    key: str
    path: str
    query: tuple[tuple[str, str], ...]
    role: str
    label: str
    source: str
    optional: bool = False

    def target(self) -> str:
        """``/Users?filter=userName%20eq%20%22...%22``: the path and query as sent (spaces as %20, the way
        Okta's reference shows them)."""
        if not self.query:
            return self.path
        return self.path + "?" + "&".join(f"{name}={quote(value, safe='')}" for name, value in self.query)


def _discovery() -> list[Step]:
    return [
        Step("service-provider-config", "/ServiceProviderConfig", (), "discovery", "service provider configuration",
             REF_RFC7644_DISCOVERY, optional=True),
        Step("schemas", "/Schemas", (), "discovery", "schemas", REF_ENTRA_TUTORIAL, optional=True),
        Step("resource-types", "/ResourceTypes", (), "discovery", "resource types", REF_RFC7644_DISCOVERY,
             optional=True),
    ]


def plan_for(idp: str, *, nonce: Callable[[], str] | None = None) -> list[Step]:
    """The steps for ``idp`` (``entra`` or ``okta``), with random names drawn from ``nonce`` (a fresh
    UUID each call by default; tests pass a fixed one)."""
    draw = nonce or (lambda: str(uuid.uuid4()))
    if idp == "entra":
        user, group = draw(), draw()
        return [
            Step("users-filter", "/Users", (("filter", f'userName eq "{user}"'),), "list-empty",
                 "query for a random user (Test Connection)", REF_ENTRA_TUTORIAL),
            Step("groups-filter", "/Groups", (("excludedAttributes", "members"), ("filter", f'displayName eq "{group}"')),
                 "list-empty", "query for a random group (Test Connection)", REF_ENTRA_TUTORIAL, optional=True),
            *_discovery(),
        ]
    if idp == "okta":
        user, missing = draw(), draw()
        return [
            Step("users-page", "/Users", (("startIndex", "1"), ("count", "1")), "list",
                 "first page of users (Test API Credentials)", REF_OKTA_SCIM),
            Step("users-filter", "/Users",
                 (("filter", f'userName eq "{user}@example.invalid"'), ("startIndex", "1"), ("count", "100")),
                 "list-empty", "look-up of a user that does not exist (first sync)", REF_OKTA_SCIM),
            Step("user-missing", f"/Users/{missing}", (), "missing", "read of a user id that does not exist",
                 REF_OKTA_SCIM),
            Step("groups-page", "/Groups", (("startIndex", "1"), ("count", "100")), "list", "first page of groups",
                 REF_OKTA_SCIM, optional=True),
            *_discovery(),
        ]
    raise ValueError(f"unknown IdP {idp!r}; expected one of {', '.join(IDPS)}")


def headers_for(idp: str, token: str) -> dict[str, str]:
    """The request headers ``idp`` sends, with the bearer token. The User-Agent says who we are."""
    headers = {
        "Authorization": f"Bearer {token}",
        "Accept": SCIM_MEDIA_TYPE if idp == "okta" else f"{SCIM_MEDIA_TYPE}, application/json",
        "User-Agent": f"sso-bot-live-check/1 (read-only replay of {'Okta' if idp == 'okta' else 'Microsoft Entra'} "
                      "SCIM requests)",
    }
    if idp == "okta":
        headers["Accept-Charset"] = "utf-8"
        headers["Content-Type"] = f"{SCIM_MEDIA_TYPE}; charset=utf-8"
    return headers
