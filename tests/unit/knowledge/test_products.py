"""Entries of one product are scoped to pastes that show it (bot/knowledge/products.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.diagnostics.engine import diagnose
from bot.knowledge import Entry
from bot.knowledge.products import PRODUCTS, hedged, product_of, products_in, ruled_out, shown


def test_the_product_comes_from_the_field_or_the_id_prefix(kb):
    assert product_of(kb.get("msg-keycloak-session-timeout")) == "keycloak"
    assert product_of(kb.get("msis-7042")) == "adfs"
    assert product_of(kb.get("aadsts-50011")) == "entra"
    assert product_of(kb.get("symptom-provisioning-cycle-delay")) == "entra"  # said by its `product` field
    assert product_of(kb.get("msg-auth0-nextjs-state-cookie")) == "auth0-sdk"
    assert product_of(kb.get("msg-cookie-samesite")) is None


def test_an_unknown_product_is_refused():
    with pytest.raises(ValidationError, match="unknown product"):
        Entry(id="msg-x", system="message", name="x", summary="x", patterns=["xyz"], product="lotus-notes")


@pytest.mark.parametrize("text, expected", [
    ("AADSTS50011: The redirect URI specified in the request does not match", {"entra"}),
    ("Okta System Log: app.user_management.push_new_user failed", {"okta"}),
    ("GET https://sso.example.com/realms/acme/protocol/openid-connect/auth", {"keycloak"}),
    ("MSIS7042: The same client browser session has made 6 requests", {"adfs"}),
    ("at Microsoft.AspNetCore.Authentication.RemoteAuthenticationHandler", {"aspnet"}),
    ("[next-auth][error][OAUTH_CALLBACK_ERROR]", {"nextauth"}),
    ("users keep getting a redirect loop after login", set()),
    ("the ping from the load balancer fails", set()),  # a word, not Ping Identity
])
def test_a_paste_shows_the_products_it_names(text, expected):
    assert products_in(text.lower()) == frozenset(expected)


def test_rivals_rule_out_identity_providers_and_hedge_libraries():
    okta, nextauth, aspnet = frozenset({"okta"}), frozenset({"nextauth"}), frozenset({"aspnet"})
    assert ruled_out("entra", okta) and not ruled_out("entra", frozenset({"okta", "entra"}))
    assert not ruled_out("adfs", frozenset({"entra"}))  # federated domains: AD FS and Entra go together
    assert not ruled_out("okta", aspnet)  # an ASP.NET Core app signs in with Okta too
    assert hedged("auth0-sdk", nextauth) and not hedged("auth0-sdk", frozenset())
    assert not hedged("aspnet", okta)
    assert shown(None, frozenset()) and not shown("keycloak", okta)
    assert all(p.signs or p.words or p.patterns for p in PRODUCTS.values())


def test_at_the_same_place_the_entry_of_a_product_the_text_does_not_show_goes_second(kb):
    bare = [m.entry.id for m in kb.match_text("Exception: Correlation failed.")]
    assert bare[:2] == ["msg-cookie-samesite", "msg-aspnet-correlation-failed"]
    named = [m.entry.id for m in kb.match_text("Microsoft.AspNetCore.Authentication: Correlation failed.")]
    assert named.index("msg-aspnet-correlation-failed") < named.index("msg-cookie-samesite")


def test_a_symptom_of_one_product_needs_a_paste_from_it(now):
    okta = [f.code for f in diagnose("new user assigned in okta is not showing up in the app yet", now=now).findings]
    assert "symptom-provisioning-cycle-delay" not in okta
    entra = [f.code for f in diagnose("new user assigned in entra is not showing up in the app yet", now=now).findings]
    assert "symptom-provisioning-cycle-delay" in entra


def test_a_ranked_guess_names_a_product_only_when_the_paste_does(now):
    said = "keycloak logs users out after a few minutes although the app session is longer"
    assert any(f.code.startswith("msg-keycloak-") for f in diagnose(said, now=now).findings)
    unsaid = "users are logged out after a few minutes although the app session is longer"
    assert not any(f.code.startswith("msg-keycloak-") for f in diagnose(unsaid, now=now).findings)


def test_proxies_and_frameworks_with_entries_of_their_own_are_products(kb):
    assert product_of(kb.get("msg-grafana-oauth-state-missing")) == "grafana"
    assert product_of(kb.get("msg-mod-auth-openidc-state-cookie-missing")) == "mod-auth-openidc"
    assert product_of(kb.get("msg-oauth2-proxy-csrf-cookie-missing")) == "oauth2-proxy"
    assert products_in("[auth_openidc:error] oidc_authenticate_user: state cookie") >= {"mod-auth-openidc"}
    assert "grafana" in products_in("t=2024 lvl=eror msg=login.oauthlogin logger=context grafana.ini root_url")
    assert "vault" not in products_in("the vaultwarden sso button is missing")


def test_a_guess_about_one_proxy_is_not_offered_for_another_proxys_paste():
    # mod_auth_openidc's state message once brought Grafana's "missing saved oauth state" entry up second.
    paste = ('[auth_openidc:error] oidc_authorization_response_match_state: unable to restore state\n'
             'login fails with a state cookie error behind our apache')
    codes = [f.code for f in diagnose(paste).findings]
    assert codes and not any(code.startswith(("msg-grafana-", "msg-vault-", "msg-omniauth-")) for code in codes)
    named = [f.code for f in diagnose("Grafana login: missing saved oauth state after the callback").findings]
    assert "msg-grafana-oauth-state-missing" in named[:2]

