"""Which product an entry belongs to, and which products a paste shows.

Many entries hold for one product only: Keycloak's own messages, AD FS's, ASP.NET Core's, an Okta
admin page's, Entra's 40-minute provisioning cycle. Such an entry is a good answer when the paste
comes from that product and a poor guess otherwise: "not showing up in the app yet" in a paste about
Okta is not Entra's cycle. The engine uses this module to scope those entries (see
``bot/diagnostics/engine/phrases.py`` and ``engine/rank.py``), and ``KnowledgeBase.match_text`` to
order two entries that match at the same place (the one whose product the text does not show goes
second).

An entry's product is its ``product`` field when set, else the one its id prefix names
(``msg-keycloak-…``, ``msis-…``); entries of no product are neutral. A paste shows a product when it
holds one of the product's signs: its name, its namespaces and code words (``org.keycloak``,
``AADSTS…``, ``MSIS…``), nothing that other software prints too.

Identity providers are rivals of one another: a paste that plainly comes from one of them and names
no other is not about another one's admin pages (``ruled_out``). Libraries are rivals of one another
too, more softly: two libraries may print the same words (``hedged``). A library is no rival of an
identity provider (an ASP.NET Core app signs in with Okta as well as with Entra). Entra and AD FS go
together (federated domains), as do Entra and MSAL. Some products here have no entries of their own
(Auth.js, python3-saml): their signs tell that a paste comes from another library.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from .cues import Cues, CueSet
from typing import Protocol


class _Scoped(Protocol):
    """What :func:`product_of` reads of an entry (``schema.Entry`` has both; the schema imports this module)."""

    id: str
    product: str | None


@dataclass(frozen=True)
class Product:
    """``signs``: plain words a paste names the product by, found anywhere (``okta``, ``org.keycloak``);
    ``words``: the same, but only as whole words (``realm``, ``owin``); ``patterns``: regular expressions,
    each opening with literal text (the code words: ``msis\\d{4}``)."""

    name: str
    prefixes: tuple[str, ...]
    idp: bool  # an identity provider (else a library, framework or proxy)
    signs: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


PRODUCTS: dict[str, Product] = {p.name: p for p in (
    Product("entra", ("aadsts-", "entra-prov-", "msg-entra-", "symptom-entra-", "scim-entra-"), True,
            signs=("aadsts", "microsoftonline", "login.microsoft", "sts.windows.net", "systemforcrossdomainidentity",
                   "enterprise app", "app registration", "graph.microsoft.com", "aadoptscim", "admin credentials",
                   "provision on demand", "quarantin", "myapps.microsoft",
                   # Microsoft's sign-in libraries talk to Entra ID (and its B2C) only.
                   "microsoft.identity.web", "msal"),
            # Microsoft 365 signs in through Entra ID whatever the app: people name the suite, not the IdP.
            words=("entra", "azure", "aad", "office 365", "microsoft 365", "o365", "m365")),
    Product("okta", ("okta-", "msg-okta-", "symptom-okta-"), True, signs=("okta", "test api credentials"),
            patterns=(r"e0000\d{3}\b", r"dashboard\s?(?:>|→|->)\s?tasks")),
    # "realm" as a whole word, but not Entra's "federation realm" (AADSTS50107: "The requested federation realm
    # object ... does not exist"), which names a federated domain's issuer, not a Keycloak realm.
    Product("keycloak", ("msg-keycloak-",), True, signs=("keycloak", "/realms/", "red hat single sign-on"),
            words=("rh-sso", "rhsso", "kcadm"), patterns=(r"realm(?<!\wrealm)(?<!federation realm)\b",)),
    Product("adfs", ("msis-", "msg-adfs-"), True, signs=("relying party trust", "federation service"),
            words=("adfs", "ad fs"), patterns=(r"msis\d{4}",)),
    Product("google", ("msg-google-",), True, signs=("google",), words=("gsuite", "g suite", "gmail")),
    Product("auth0", ("msg-auth0-",), True, signs=("auth0",)),
    Product("ping", ("msg-ping-",), True, signs=("pingfederate", "pingone", "pingidentity", "pingaccess",
                                                 "ping federate", "ping identity"), words=("pingid",)),
    Product("authentik", ("msg-authentik-",), True, signs=("authentik",)),
    Product("aspnet", ("msg-aspnet-", "msg-owin-", "idx-"), False,
            signs=("asp.net", "aspnet", "microsoft.identity.web", "identitymodel", ".net core", "openidconnecthandler",
                   "openidconnectauthenticationhandler"),
            words=("owin",), patterns=(r"idx\d{5}", r"idw\d{5}", r"\.net \d")),
    Product("msal", ("msg-msal-",), False, signs=("msal", "browserautherror", "clientautherror")),
    Product("auth0-sdk", (), False, signs=("auth0", "express-openid-connect")),
    Product("nextauth", ("msg-nextauth-", "msg-authjs-"), False, signs=("next-auth", "nextauth", "@auth/"),
            words=("authjs", "auth.js")),
    Product("node-saml", ("msg-node-saml-", "msg-passport-"), False,
            signs=("node-saml", "passport-saml", "passport-wsfed", "validatepostresponse", "validateredirect")),
    Product("python-saml", (), False, signs=("onelogin_saml2", "python3-saml", "php-saml", "python-saml")),
    Product("spring", ("msg-spring-",), False, signs=("spring",)),
    Product("shibboleth", ("msg-shibboleth-",), False, signs=("shibboleth",), words=("shibd",)),
    Product("simplesamlphp", ("msg-simplesamlphp-",), False, signs=("simplesaml",)),
    Product("allauth", ("msg-allauth-",), False, signs=("allauth",)),
    # Proxies and frameworks with entries of their own: a guess about Grafana's or Vault's settings is a poor
    # answer to a paste that never mentions them, however close its words (state, cookie, callback).
    Product("grafana", ("msg-grafana-",), False, signs=("grafana",)),
    Product("vault", ("msg-vault-",), False, signs=("hashicorp", "vault write auth/", "auth/oidc", "vault login"),
            words=("vault",)),
    Product("oauth2-proxy", ("msg-oauth2-proxy-",), False, signs=("oauth2-proxy", "oauth2_proxy", "oauthproxy.go")),
    Product("mod-auth-openidc", ("msg-mod-auth-openidc-",), False,
            signs=("auth_openidc", "mod_auth_openidc", "oidcredirecturi", "oidc_authenticate_user", "oidccryptopassphrase",
                   "oidc_util_")),
    Product("omniauth", ("msg-omniauth-",), False, signs=("omniauth",)),
    Product("socialite", ("msg-laravel-",), False, signs=("socialite", "laravel")),
    # Products whose entries a survey of public threads added (issue 10): their admin pages and options are a poor
    # guess for a paste that never names them.
    Product("cognito", ("msg-cognito-",), True, signs=("cognito", "amazoncognito")),
    Product("cloudflare-access", ("msg-cloudflare-",), False, signs=("cloudflare", "cf_authorization")),
    Product("mellon", ("msg-mellon-",), False, signs=("auth_mellon", "mellon")),
    Product("mozilla-django-oidc", ("msg-mozilla-oidc-",), False,
            signs=("mozilla_django_oidc", "mozilla-django-oidc", "oidc_rp_", "oidc_op_")),
    Product("social-auth", ("msg-social-auth-",), False,
            signs=("social_core", "social-auth", "social_django", "python-social-auth", "social.apps", "socialauth")),
    # Smaller identity providers and OAuth providers with entries of their own (session 5). GitLab is not a rival
    # of the IdPs: it is as often the app that signs in with Okta or Entra as the provider.
    Product("authelia", ("msg-authelia-",), True, signs=("authelia",)),
    Product("dex", ("msg-dex-",), True, signs=("dexidp", "/dex/"), words=("dex",)),
    Product("zitadel", ("msg-zitadel-",), True, signs=("zitadel",)),
    Product("gitlab", ("msg-gitlab-",), False, signs=("gitlab",), words=("doorkeeper",)),
    # AWS as the service provider of SAML federation (IAM identity providers, AssumeRoleWithSAML): no rival of the IdPs.
    Product("aws-saml", ("msg-aws-",), False, signs=("signin.aws.amazon.com", "aws.amazon.com/saml", "assumerolewithsaml",
                                                      "saml2aws", "authsamlinvalidsamlresponseexception"), words=("aws",)),
    # Duo sits beside another IdP (Okta, Entra, AD FS, Keycloak), so it is no rival of them either.
    Product("duo", ("msg-duo-",), False, signs=("duosecurity", "duo security", "duo universal", "duo push",
                                                "duo_universal", "duo_client"), words=("duo",)),
    # Firebase Authentication (and Identity Platform, its paid form) signs users in for the app: a library here.
    Product("firebase", ("msg-firebase-",), False, signs=("firebase", "identity platform", "signinwithredirect",
                                                          "signinwithpopup")),
    # Supabase Auth (GoTrue) signs users in for the app through external providers: a library here too.
    Product("supabase", ("msg-supabase-",), False, signs=("supabase", "gotrue", "exchangecodeforsession")),
    # The AWS Application Load Balancer's authenticate-oidc action: a proxy, named by its parts or its 561.
    Product("aws-alb", ("msg-alb-",), False, signs=("application load balancer", "authenticate-oidc", "awselb", "elasticloadbalancing",
                                                    "authenticate_oidc"), words=("alb", "elb", "albs"),
            patterns=(r"561\b",)),
    # Kubernetes as an OIDC relying party: kubectl with kubelogin or dex, the API server's --oidc-* flags.
    Product("kubernetes", ("msg-kubernetes-",), False, signs=("kubectl", "kube-apiserver", "kubelogin", "kubernetes",
                                                              "kubeconfig", "oidc-login", "apiserver"),
            words=("k8s", "k3s", "eks", "aks", "gke")),
    # SCIM targets with refusals of their own (data/scim_field.toml): service providers, no rival of any IdP.
    Product("aws-scim", (), False, signs=("identitystore-scim", "iam identity center", "aws sso", "ssosync",
                                          "idp-scim-sync", "amazonaws.com/"), words=("aws",)),
    Product("salesforce", (), False, signs=("salesforce",)),
    # PHP's OpenID-Connect-PHP (jumbojett), under many PHP apps' OIDC plugins, and Java's pac4j.
    Product("openid-connect-php", ("msg-php-oidc-",), False, signs=("jumbojett", "openidconnectclient", "openid-connect-php")),
    Product("pac4j", ("msg-pac4j-",), False, signs=("pac4j",)),
    # Flask-AppBuilder's OAuth login, under Apache Superset and Airflow's web UI (w-lib, session 9).
    Product("flask-appbuilder", ("msg-fab-",), False, signs=("flask_appbuilder", "flask-appbuilder", "superset",
                                                             "airflow", "oauth-authorized", "webserver_config")),
    Product("portainer", ("msg-portainer-",), False, signs=("portainer", "api/auth/oauth/validate")),
    Product("quarkus", ("msg-quarkus-",), False, signs=("quarkus", "codeauthenticationmechanism", "q_auth")),
    # Google's Identity-Aware Proxy in front of Cloud Run, App Engine or a load balancer: a proxy, named by its parts.
    Product("google-iap", ("msg-iap-",), False, signs=("identity-aware proxy", "x-goog-iap", "iap-secured", "gcp-sa-iap",
                                                       "iap.googleapis"), words=("iap",)),
)}

#: Products that appear together in one paste as a matter of course, so neither rules the other out.
_PARTNERS = {frozenset({"entra", "adfs"}), frozenset({"entra", "msal"}), frozenset({"aspnet", "msal"}),
             frozenset({"auth0", "auth0-sdk"})}

_BY_PREFIX = sorted(((prefix, p.name) for p in PRODUCTS.values() for prefix in p.prefixes),
                    key=lambda item: -len(item[0]))


def product_of(entry: _Scoped) -> str | None:
    """The product ``entry`` holds for, or None for a neutral entry."""
    if entry.product is not None:
        return entry.product
    entry_id = entry.id
    try:
        return _BY_ID[entry_id]  # the readers ask for the same few entries on every paste
    except KeyError:
        pass
    if len(_BY_ID) > 20_000:  # ids of unknown AADSTS or Okta codes are unbounded
        _BY_ID.clear()
    found = _BY_ID[entry_id] = _by_prefix(entry_id)
    return found


def _by_prefix(entry_id: str) -> str | None:
    for prefix, name in _BY_PREFIX:
        if entry_id.startswith(prefix):
            return name
    return None


#: Entry id -> its product by id prefix (None for a neutral one): a function of the id alone.
_BY_ID: dict[str, str | None] = {}


def products_in(lowered: str, first: Mapping[str, int] | None = None) -> frozenset[str]:
    """The products whose signs the lower-cased text shows (one pass: ``bot.knowledge.cues``); ``first``:
    where the signs' literals first occur, when the caller has scanned for them already."""
    return frozenset(signs().found(lowered, first))


@functools.cache
def signs() -> Cues:
    """Every product's signs as one set of cues (``signs().literals``: the literal text to scan for)."""
    return Cues({p.name: CueSet(p.signs, p.words, p.patterns) for p in PRODUCTS.values()})


def shown(product: str | None, products: frozenset[str]) -> bool:
    """Whether an entry of ``product`` fits a paste showing ``products`` (a neutral entry always does)."""
    return product is None or product in products


def ruled_out(product: str | None, products: frozenset[str]) -> bool:
    """Whether the paste plainly comes from a rival identity provider and not from ``product``'s."""
    return _rivals(product, products, idp=True)


def hedged(product: str | None, products: frozenset[str]) -> bool:
    """Whether the paste comes from another library and not from ``product`` (a library): the same words
    may be the other library's (openid-client prints "checks.state argument is missing" for Auth.js and
    for Auth0's SDK alike)."""
    return _rivals(product, products, idp=False)


def _rivals(product: str | None, products: frozenset[str], *, idp: bool) -> bool:
    if product is None or product in products or PRODUCTS[product].idp is not idp:
        return False
    return any(PRODUCTS[other].idp is idp and frozenset({product, other}) not in _PARTNERS for other in products)
