"""HTTP statuses as software prints them (bot/diagnostics/engine/codes.py): a number with a cue around it, or a
status enum's name after a status cue; and numbers that only look like a status (a timestamp's milliseconds,
a count, a port) or a reason word in prose, which must not be read as one.

The reader is asked directly (what it reads, not how the engine ranks it against messages the same line
may match); the last test goes through the engine for the flow a named status is refined to."""

from __future__ import annotations

import pytest

from bot.diagnostics.engine import diagnose
from bot.diagnostics.engine.candidates import Evidence, Paste
from bot.diagnostics.engine.codes import read_codes
from bot.knowledge import load_knowledge
from tests.unit.diagnostics.engine.test_engine_helpers import codes


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def statuses(text: str, kb) -> set[str]:
    """The HTTP statuses the code reader finds in ``text`` (as their "http-<status>" entries name them)."""
    found = read_codes(Paste(kb=kb, scan=text, words=text, lowered=text.lower()))
    return {c.finding.code.split("-")[1] for c in found if c.evidence is Evidence.HTTP}


@pytest.mark.parametrize(("text", "status"), [
    # .NET HttpClient, EnsureSuccessStatusCode (HttpRequestException's message).
    ("System.Net.Http.HttpRequestException: Response status code does not indicate success: 401 (Unauthorized).",
     "401"),
    # .NET: a log line that interpolates an HttpStatusCode value prints the enum's name, not its number.
    ("Request to the SCIM endpoint failed. Response Status Code: InternalServerError", "500"),
    ("Refit.ApiException: StatusCode: Unauthorized", "401"),
    ("throttled, StatusCode: TooManyRequests", "429"),
    ("StatusCode = HttpStatusCode.Forbidden", "403"),
    ("Response status code: GatewayTimeout", "504"),
    ("StatusCode: BadGateway", "502"),
    ("StatusCode: ServiceUnavailable", "503"),
    ("Status code: NotFound", "404"),
    ("StatusCode: Conflict", "409"),
    # Java (Spring's HttpStatus enum) and Python (http.HTTPStatus) names, with underscores.
    ("ResponseEntity status=TOO_MANY_REQUESTS", "429"),
    ("<HTTPStatus.NOT_FOUND: 404>", "404"),
    # A cue word with "code", "was" or "of" between it and the number.
    ("Error: status of http response was 429", "429"),
    ("HTTPError: Response code 429 (Too Many Requests)", "429"),  # Node's got
    # Ruby Faraday (Faraday::UnauthorizedError's message).
    ("Faraday::UnauthorizedError: the server responded with status 401", "401"),
    ("upstream returned 502 Bad Gateway", "502"),
    ("AxiosError: Request failed with status code 401", "401"),  # Node's axios
    ("HTTP Status 401 – Unauthorized", "401"),  # Apache Tomcat's error page title
    # Python requests (HTTPError from raise_for_status).
    ("requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: https://api.example.com/v1/me", "401"),
    # Python aiohttp (ClientResponseError's str).
    ("aiohttp.client_exceptions.ClientResponseError: 403, message='Forbidden', url=URL('https://api.example.com/')",
     "403"),
    # .NET IHttpClientFactory logging (Microsoft.Extensions.Http), the status as a number after the time.
    ("System.Net.Http.HttpClient.scim.ClientHandler[101] Received HTTP response headers after 153.2ms - 401",
     "401"),
    # OkHttp (Response.toString()).
    ("Response{protocol=h2, code=429, message=, url=https://api.example.com/scim/v2/Users}", "429"),
    ("unexpected status code 403", "403"),  # Go, as clients wrap a net/http response they did not expect
    ("curl: (22) The requested URL returned error: 404", "404"),  # curl --fail
    ("gateway returned 504", "504"),
    ("504 Gateway Timeout", "504"),
])
def test_a_status_as_a_library_prints_it_is_read(text, status, kb):
    assert statuses(text, kb) == {status}


@pytest.mark.parametrize("text", [
    "2026-12-03 16:40:41.401 ERROR sync stopped",  # the milliseconds of a timestamp
    "2026-12-03T16:40:41,503 WARN retrying",  # the same with a comma (log4j's default)
    "sync finished with 404 users skipped",  # a count, after a cue word
    "the export has 429 rows in it after the import",
    "the job took 401 ms after login",  # a duration
    "retried after 2.5s - 404 was never seen again",  # not the .NET log's "ms -"
    "zip code: 412 something",
    "the app listens on port 500 after login",  # a port
    "the proxy at 10.0.0.1:502 on the edge",
    "there is a conflict between the two policies",  # reason words in prose
    "the status unauthorized users see is odd",
    "status of the sync: not found anywhere in the logs, 12 users",
])
def test_a_number_or_word_that_is_not_a_status_is_not_read_as_one(text, kb):
    assert statuses(text, kb) == set()


def test_a_named_status_takes_the_flow_of_the_paste(now):
    # In a provisioning paste the status is refined to its SCIM reading, as a numeric one is.
    found = codes(diagnose("SCIM provisioning to https://app.example.com/scim/v2/Users failed. "
                           "Response Status Code: Unauthorized", now=now))
    assert "http-401-scim" in found
