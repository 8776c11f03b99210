"""The quick HAR reading (``bot.files.har_scan``) keeps exactly what the streaming parser keeps: the same
steps, hosts, counts and secrets, on the corpus's real captures (``corpus/har``) and the sign-in flows of
``har_builder``, whatever the chunk size; a file it cannot vouch for is read by the streaming parser."""

from __future__ import annotations

import io
import json

import pytest

from bot.files import har_read, har_scan
from tests.unit.files import har_builder as hb

NOT_A_CAPTURE = {"haralyzer_single_entry.har"}  # one entry, not a HAR: refused before it is read


def _kept(capture: har_read.Capture):
    return (capture.entries, sorted(capture.hosts), capture.truncated, capture.dropped, sorted(capture.secrets),
            [vars(step) for step in capture.steps])


def _both(data: bytes):
    quick = har_read.read_har(io.BytesIO(data))
    streamed = har_read._read_streaming(io.BytesIO(data))
    return _kept(quick), _kept(streamed)


def _captures(corpus) -> list[tuple[str, bytes]]:
    real = [(p.name, p.read_bytes().removeprefix(b"\xef\xbb\xbf")) for p in sorted((corpus / "har").glob("*.har"))
            if p.name not in NOT_A_CAPTURE and p.name != "mitmproxy_brokenfile.har"]
    flows = [("code_flow", hb.code_flow()), ("error_flow", hb.error_flow()), ("callback_502", hb.code_flow(
        callback_status=502))]
    return real + [(name, json.dumps(hb.har(flow)).encode()) for name, flow in flows]


@pytest.mark.parametrize("chunk", [har_scan.CHUNK, 97, 4096])
def test_the_quick_reading_keeps_what_the_streaming_parser_keeps(corpus, monkeypatch, chunk):
    monkeypatch.setattr(har_scan, "CHUNK", chunk)  # small chunks: entries cut across reads, keys straddling them
    for name, data in _captures(corpus):
        quick, streamed = _both(data)
        assert quick == streamed, name
        seen = har_scan.scan(io.BytesIO(data), lambda sighting: True, lambda entry, sighting: None)
        assert seen == quick[0], name  # read the quick way, not handed over to the streaming parser


def test_keys_inside_bodies_do_not_fool_it(corpus):
    """A response body that is itself a HAR (JSON text inside a JSON string, so every quote escaped)."""
    inner = (corpus / "har" / "mitmproxy_chrome.har").read_text()
    flow = hb.code_flow()
    flow[1]["response"]["content"] = {"mimeType": "application/json", "size": len(inner), "text": inner}
    data = json.dumps(hb.har(flow), indent=1).encode()
    quick, streamed = _both(data)
    assert quick == streamed and quick[0] == len(flow)
    assert har_scan.scan(io.BytesIO(data), lambda sighting: True, lambda entry, sighting: None) == len(flow)


def test_what_it_cannot_vouch_for_goes_to_the_streaming_parser(corpus):
    cut = json.dumps(hb.har(hb.code_flow())).encode()[:-400]  # cut off inside the last entry
    quick, streamed = _both(cut)
    assert quick == streamed and quick[2] == "cut"
    with pytest.raises(har_scan.Fallback):
        har_scan.scan(io.BytesIO(b'{"log": {"entries": []}}'), lambda seen: True, lambda entry, seen: None)
    latin = json.dumps(hb.har(hb.code_flow())).replace("Hunter2", "Hunt\u00e9r2").encode("latin-1")
    quick, streamed = _both(latin)
    assert quick == streamed
