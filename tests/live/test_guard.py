"""The SSRF guard (bot/live/probe.py): what it refuses, before any socket opens; that it connects to the very
address it checked; redirects, the deadline, the byte cap, and GET only.

Refusals run with sockets and system lookups patched to fail the test (``no_sockets``), so nothing can
leave the machine, not even a DNS query. Everything else talks to servers on 127.0.0.1 only.
"""

from __future__ import annotations

import ast
import gzip
import inspect
import socket
import threading

import httpx
import pytest

from bot.live import probe as probe_module
from bot.live.addresses import parse_host_address, refusal
from bot.live.policy import AllowanceError, ProbePolicy, parse_allowance
from bot.live.probe import OnlyGet, Probe, _Deadline, _PinnedTransport
from bot.settings import SettingsError, load_settings
from tests.live.conftest import names_to
from tests.live.peers import Answer, LoopbackServer, json_answer

# One URL per address class, with the words its refusal must use.
FORBIDDEN = [
    ("https://127.0.0.1/", "loopback"),
    ("https://[::1]/", "loopback"),
    ("https://10.1.2.3/", "RFC 1918"),
    ("https://172.16.0.9/", "RFC 1918"),
    ("https://192.168.1.1/", "RFC 1918"),
    ("https://[fd12:3456::1]/", "fc00::/7"),
    ("https://[fc00::1]/", "fc00::/7"),
    ("https://169.254.10.1/", "link-local"),
    ("https://[fe80::1]/", "link-local"),
    ("https://169.254.169.254/latest/meta-data/", "metadata"),
    ("https://169.254.170.2/v2/credentials", "metadata"),
    ("https://[fd00:ec2::254]/", "metadata"),
    ("https://100.100.100.200/", "metadata"),
    ("https://168.63.129.16/", "metadata"),
    ("https://100.64.0.1/", "CGNAT"),
    ("https://224.0.0.251/", "multicast"),
    ("https://[ff02::1]/", "multicast"),
    ("https://0.0.0.0/", "unspecified"),
    ("https://[::]/", "unspecified"),
    ("https://240.0.0.1/", "reserved"),
    ("https://192.0.2.10/", "not publicly routable"),
    ("https://198.18.0.1/", "not publicly routable"),
    # IPv4 inside IPv6, and odd spellings of IPv4 that inet_aton (and so many resolvers) accept
    ("https://[::ffff:127.0.0.1]/", "loopback"),
    ("https://[::ffff:10.0.0.1]/", "RFC 1918"),
    ("https://[::ffff:169.254.169.254]/", "metadata"),
    ("https://[2002:7f00:1::]/", "loopback"),
    ("https://[64:ff9b::a9fe:a9fe]/", "metadata"),
    ("https://2130706433/", "loopback"),
    ("https://0x7f000001/", "loopback"),
    ("https://0x7f.1/", "loopback"),
    ("https://127.1/", "loopback"),
    ("https://0xa9fea9fe/", "metadata"),
    ("https://012.1/", "RFC 1918"),
]


@pytest.mark.parametrize(("url", "words"), FORBIDDEN, ids=[u for u, _ in FORBIDDEN])
def test_every_non_public_address_is_refused_before_a_socket_opens(no_sockets, url, words):
    exchange = Probe().get(url)
    assert exchange.failure is not None and exchange.failure.kind == "refused", exchange
    assert words in exchange.failure.detail
    assert exchange.status is None and exchange.address == ""


@pytest.mark.parametrize("url", ["https://0177.0.0.1/", "https://012.0.0.1/"])
def test_odd_spellings_httpx_itself_rejects_are_refused_too(no_sockets, url):
    assert Probe().get(url).failure.kind == "bad-url"


@pytest.mark.parametrize("answers", [["10.20.30.40"], ["93.184.216.34", "192.168.0.7"], ["::ffff:127.0.0.1"],
                                     ["169.254.169.254"]])
def test_a_name_that_resolves_to_a_private_address_is_refused(no_sockets, answers):
    """One non-public answer among several is enough: the guard checks every address it got."""
    resolver = names_to({"intranet.example.test": answers})
    exchange = Probe(ProbePolicy(resolver=resolver)).get("https://intranet.example.test/scim/v2/Users")
    assert exchange.failure.kind == "refused"
    assert exchange.failure.host == "intranet.example.test"
    assert resolver.calls == ["intranet.example.test"]


def test_the_allowance_unlocks_a_listed_host_or_network_but_never_metadata(no_sockets):
    named = Probe(ProbePolicy(allow=parse_allowance("idp.corp.test"), resolver=names_to({"idp.corp.test": ["10.0.0.5"]})))
    assert named._admit("https://idp.corp.test/", _Deadline(5)).addresses == ("10.0.0.5",)
    network = Probe(ProbePolicy(allow=parse_allowance("10.0.0.0/8")))
    assert network._admit("https://10.9.8.7/", _Deadline(5)).addresses == ("10.9.8.7",)
    wide = Probe(ProbePolicy(allow=parse_allowance("169.254.0.0/16, 0.0.0.0/0")))
    assert wide.get("https://169.254.169.254/").failure.kind == "refused"
    assert not parse_allowance("idp.corp.test").allows_host("idp.corp.test.evil.example")


@pytest.mark.parametrize("url", ["http://example.com/", "http://93.184.216.34/"])
def test_plain_http_is_refused_without_a_lookup(no_sockets, url):
    exchange = Probe(ProbePolicy(resolver=names_to({}))).get(url)
    assert exchange.failure.kind == "scheme"


@pytest.mark.parametrize("url", ["ftp://example.com/x", "https://user:secret@example.com/", "not a url at all",
                                 "https://", "file:///etc/passwd", "gopher://127.0.0.1:25/"])
def test_urls_that_are_not_plain_https_are_refused(no_sockets, url):
    assert Probe().get(url).failure.kind == "bad-url"


def test_address_spellings_are_read_like_inet_aton():
    assert str(parse_host_address("2130706433")) == "127.0.0.1"
    assert str(parse_host_address("0x7f.0.0.1")) == "127.0.0.1"
    assert str(parse_host_address("10.1")) == "10.0.0.1"
    assert str(parse_host_address("fe80::1%eth0")) == "fe80::1"
    for not_an_address in ("example.com", "1.2.3.4.5", "256.0.0.1", "08.0.0.1", "0x100000000", ""):
        assert parse_host_address(not_an_address) is None
    assert refusal(parse_host_address("8.8.8.8")) is None
    assert refusal(parse_host_address("2606:4700::1111")) is None
    assert refusal(parse_host_address("::ffff:8.8.8.8")) is None


def test_the_allowance_is_parsed_strictly_and_settings_name_the_variable():
    allow = parse_allowance(" idp.corp.example , 10.0.0.0/8,127.0.0.1, [fd12::1], IDP2.Corp.Example. ")
    assert allow.hosts == {"idp.corp.example", "idp2.corp.example"}
    assert [str(n) for n in allow.networks] == ["10.0.0.0/8", "127.0.0.1/32", "fd12::1/128"]
    for bad in ("not a host!", "http://idp.corp.example", "10.0.0.0/33", "*.corp.example"):
        with pytest.raises(AllowanceError):
            parse_allowance(bad)
    with pytest.raises(SettingsError, match="SSO_BOT_PROBE_ALLOW"):
        load_settings({"SSO_BOT_PROBE_ALLOW": "idp.corp.example, what?"})
    with pytest.raises(SettingsError, match="SSO_BOT_PROBE_CA_FILE"):
        load_settings({"SSO_BOT_PROBE_CA_FILE": "/nonexistent/ca.pem"})
    assert load_settings({}).probe_allow.hosts == frozenset()


# ---------------------------------------------------------------------- only GET


def test_the_probe_offers_get_and_nothing_else():
    public = [name for name in dir(Probe) if not name.startswith("_")]
    assert public == ["get"]
    assert "method" not in inspect.signature(Probe.get).parameters


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
def test_the_transport_refuses_any_other_method_before_a_socket_opens(no_sockets, method):
    transport = _PinnedTransport("scim.example.test", ("93.184.216.34",), httpx.create_ssl_context(), _Deadline(5))
    with pytest.raises(OnlyGet):
        transport.handle_request(httpx.Request(method, "https://scim.example.test/scim/v2/Users", content=b"{}"))


def test_the_transport_refuses_a_host_it_did_not_check(no_sockets):
    transport = _PinnedTransport("scim.example.test", ("93.184.216.34",), httpx.create_ssl_context(), _Deadline(5))
    with pytest.raises(OnlyGet):
        transport.handle_request(httpx.Request("GET", "https://other.example.test/"))


def test_the_probe_module_names_no_other_http_method():
    tree = ast.parse(inspect.getsource(probe_module))
    words = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    methods = {"POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE"}
    assert words & (methods | {m.lower() for m in methods} - {"connect"}) == set()
    assert {"GET"} <= words


# ---------------------------------------------------------------------- pinning, redirects, limits (loopback)


def test_the_connection_goes_to_the_checked_address_with_the_name_kept_for_tls(ca, loopback_policy, loopback_only,
                                                                             monkeypatch):
    """The name resolves once (to 127.0.0.1, through the test resolver); the socket dials that address; TLS
    verifies the certificate for the name and sends it as SNI; the Host header keeps the name."""
    monkeypatch.setattr(socket, "getaddrinfo", _no_lookup_of("idp.test", socket.getaddrinfo))
    with LoopbackServer({"/x": json_answer('{"ok": true}', media="application/json")},
                        tls=ca.issue("idp.test")) as server:
        policy = loopback_policy(allow="idp.test", names={"idp.test": ["127.0.0.1"]})
        exchange = Probe(policy).get(server.url("/x", host="idp.test"))
    assert exchange.status == 200 and exchange.json() == {"ok": True}
    assert exchange.address == "127.0.0.1" and loopback_only == ["127.0.0.1"]
    assert server.server_names == ["idp.test"]
    assert server.seen[0].headers["host"] == f"idp.test:{server.port}"
    assert policy.resolver.calls == ["idp.test"]


def _no_lookup_of(name, real):
    def lookup(host, *args, **kwargs):
        if host == name:
            raise AssertionError(f"a second lookup of {name} went to the system resolver")
        return real(host, *args, **kwargs)

    return lookup


def test_a_certificate_for_another_name_fails_even_on_the_checked_address(ca, loopback_policy):
    with LoopbackServer({"/x": json_answer("{}")}, tls=ca.issue("other.test")) as server:
        policy = loopback_policy(allow="idp.test", names={"idp.test": ["127.0.0.1"]})
        exchange = Probe(policy).get(server.url("/x", host="idp.test"))
    assert exchange.failure.kind == "tls-hostname"


def test_a_redirect_to_a_forbidden_address_is_refused_before_connecting(loopback_policy, loopback_only):
    routes = {"/start": Answer(302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"})}
    with LoopbackServer(routes) as server:
        exchange = Probe(loopback_policy()).get(server.url("/start"))
    assert exchange.failure.kind == "refused" and exchange.failure.address == "169.254.169.254"
    assert [hop.location for hop in exchange.redirects] == ["http://169.254.169.254/latest/meta-data/"]
    assert loopback_only == ["127.0.0.1"]


def test_a_redirect_to_a_name_that_resolves_privately_or_to_plain_http_is_refused(loopback_policy, loopback_only):
    names = {"internal.example.test": ["10.0.0.8"], "public.example.test": ["93.184.216.34"]}
    routes = {"/a": Answer(301, b"", {"Location": "https://internal.example.test/admin"}),
              "/b": Answer(307, b"", {"Location": "http://public.example.test/"})}
    with LoopbackServer(routes) as server:
        probe = Probe(loopback_policy(names=names))
        to_private, to_http = probe.get(server.url("/a")), probe.get(server.url("/b"))
    assert to_private.failure.kind == "refused" and to_private.failure.address == "10.0.0.8"
    assert to_http.failure.kind == "scheme"
    assert loopback_only == ["127.0.0.1", "127.0.0.1"]


def test_three_redirects_are_followed_a_fourth_is_refused_and_credentials_stay_behind(loopback_policy):
    routes = {f"/r{i}": Answer(302, b"", {"Location": f"/r{i + 1}"}) for i in range(1, 5)}
    routes["/r4"] = json_answer('{"done": 1}', media="application/json")
    routes["/r5"] = json_answer('{"done": 2}', media="application/json")
    with LoopbackServer(routes) as server:
        probe = Probe(loopback_policy())
        three = probe.get(server.url("/r1"), {"Authorization": "Bearer do-not-forward-0123456789"})
        server.routes["/r4"] = Answer(302, b"", {"Location": "/r5"})
        four = probe.get(server.url("/r1"))
    assert three.status == 200 and three.json() == {"done": 1} and len(three.redirects) == 3
    assert four.failure.kind == "redirects"
    first, *later = server.seen[:4]
    assert first.headers.get("authorization") == "Bearer do-not-forward-0123456789"
    assert all("authorization" not in s.headers for s in later)


def test_the_deadline_covers_a_server_that_never_answers(loopback_policy):
    with LoopbackServer() as server:
        server.routes["/slow"] = Answer(200, b"{}", {"Content-Type": "application/json"}, wait=server.release)
        exchange = Probe(loopback_policy(deadline=0.3)).get(server.url("/slow"))
    assert exchange.failure.kind == "timeout"


def test_the_deadline_covers_a_body_that_stops_half_way(loopback_policy):
    """Headers and 10 bytes arrive, then nothing: the read of the rest ends at the deadline."""
    listener = socket.create_server(("127.0.0.1", 0))
    release = threading.Event()

    def serve():
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\": 1234")
        release.wait()
        conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        exchange = Probe(loopback_policy(deadline=0.3)).get(f"http://127.0.0.1:{listener.getsockname()[1]}/")
    finally:
        release.set()
        thread.join()
        listener.close()
    assert exchange.failure.kind == "timeout"


def test_the_body_is_cut_at_one_megabyte_even_when_compressed(loopback_policy):
    bomb = gzip.compress(b"\0" * 50_000_000)
    routes = {"/big": Answer(200, b"x" * 3_000_000, {"Content-Type": "application/json"}),
              "/bomb": Answer(200, bomb, {"Content-Type": "application/json", "Content-Encoding": "gzip"}),
              "/small": Answer(200, gzip.compress(b'{"a": 1}'), {"Content-Type": "application/json",
                                                                  "Content-Encoding": "gzip"})}
    with LoopbackServer(routes) as server:
        probe = Probe(loopback_policy())
        big, bombed, small = probe.get(server.url("/big")), probe.get(server.url("/bomb")), probe.get(server.url("/small"))
    assert len(bomb) < 100_000
    assert big.truncated and len(big.body) == 1_000_000 and big.json() is None
    assert bombed.truncated and len(bombed.body) == 1_000_000
    assert not small.truncated and small.json() == {"a": 1}


def test_proxy_variables_and_netrc_are_ignored(loopback_policy, loopback_only, monkeypatch, tmp_path):
    """A proxy would connect somewhere the guard never checked, and .netrc would add credentials."""
    monkeypatch.setenv("HTTPS_PROXY", "http://10.0.0.1:3128")
    monkeypatch.setenv("HTTP_PROXY", "http://10.0.0.1:3128")
    monkeypatch.setenv("ALL_PROXY", "http://10.0.0.1:3128")
    (tmp_path / "netrc").write_text("machine 127.0.0.1 login admin password hunter2-secret\n")
    monkeypatch.setenv("NETRC", str(tmp_path / "netrc"))
    with LoopbackServer({"/x": json_answer("{}", media="application/json")}) as server:
        exchange = Probe(loopback_policy()).get(server.url("/x"))
    assert exchange.status == 200 and loopback_only == ["127.0.0.1"]
    assert "authorization" not in server.seen[0].headers
