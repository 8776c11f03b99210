"""Which product an entry belongs to, and which products a paste shows.

Many entries hold for one product only: Keycloak's own messages, AD FS's, ASP.NET Core's, an Okta
admin page's, Entra's 40-minute provisioning cycle. Such an entry is a good answer when the paste
comes from that product and a poor guess otherwise: "not showing up in the app yet" in a paste about
Okta is not Entra's cycle. The engine uses this module to scope those entries (see
``bot/diagnostics/engine_phrases.py`` and ``engine_rank.py``), and ``KnowledgeBase.match_text`` to
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

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only; the schema imports this module
    from .schema import Entry


@dataclass(frozen=True)
class Product:
    name: str
    prefixes: tuple[str, ...]
    signs: re.Pattern[str]  # run on the lower-cased paste
    idp: bool  # an identity provider (else a library, framework or proxy)
    cues: tuple[str, ...]  # plain substrings one of which every sign holds: most pastes skip the regex


def _idp(name: str, prefixes: tuple[str, ...], signs: str, cues: tuple[str, ...]) -> Product:
    return Product(name, prefixes, re.compile(signs), True, cues)


def _library(name: str, prefixes: tuple[str, ...], signs: str, cues: tuple[str, ...]) -> Product:
    return Product(name, prefixes, re.compile(signs), False, cues)


PRODUCTS: dict[str, Product] = {p.name: p for p in (
    _idp("entra", ("aadsts-", "entra-prov-", "msg-entra-", "symptom-entra-", "scim-entra-"),
         r"\baadsts\d|\bentra\b|\bazure\b|microsoftonline|login\.microsoft|sts\.windows\.net|"
         r"systemforcrossdomainidentitymanagement|enterprise app|app registration|graph\.microsoft\.com|"
         r"\baad\b|aadoptscim|admin credentials|provision on demand|quarantin|myapps\.microsoft",
         ("aadsts", "entra", "azure", "microsoft", "windows.net", "systemforcross", "enterprise app",
          "app registration", "aad", "admin credentials", "provision on demand", "quarantin")),
    _idp("okta", ("okta-", "msg-okta-", "symptom-okta-"),
         r"okta|\be0000\d{3}\b|test api credentials|dashboard\s?(?:>|→|->)\s?tasks",
         ("okta", "e0000", "test api credentials", "tasks")),
    _idp("keycloak", ("msg-keycloak-",), r"keycloak|/realms/|\brealm\b|\brh-?sso\b|red hat single sign-on|\bkcadm",
         ("keycloak", "realm", "sso", "red hat", "kcadm")),
    _idp("adfs", ("msis-", "msg-adfs-"), r"\bad ?fs\b|\bmsis\d{4}|relying party trust|federation service",
         ("adfs", "ad fs", "msis", "relying party trust", "federation service")),
    _idp("google", ("msg-google-",), r"google|\bg ?suite\b", ("google", "suite")),
    _idp("auth0", ("msg-auth0-",), r"auth0", ("auth0",)),
    _idp("ping", ("msg-ping-",), r"ping ?(?:federate|one|identity|access|id)\b", ("ping",)),
    _idp("authentik", ("msg-authentik-",), r"authentik", ("authentik",)),
    _library("aspnet", ("msg-aspnet-", "msg-owin-", "idx-"),
             r"asp\.?net|microsoft\.identity\.web|identitymodel|\bowin\b|\bidx\d{5}|\bidw\d{5}|\.net (?:core|\d)|"
             r"openidconnecthandler|openidconnectauthenticationhandler",
             ("asp", "identity.web", "identitymodel", "owin", "idx", "idw", ".net", "openidconnect")),
    _library("msal", ("msg-msal-",), r"msal|browserautherror|clientautherror|interactionrequiredautherror",
             ("msal", "autherror")),
    _library("auth0-sdk", (), r"auth0|express-openid-connect", ("auth0", "express-openid")),
    _library("nextauth", (), r"next-?auth|\bauthjs\b|\bauth\.js\b|@auth/", ("auth",)),
    _library("node-saml", ("msg-node-saml-", "msg-passport-"),
             r"node-saml|passport-saml|passport-wsfed|validatepostresponse|validateredirect",
             ("node-saml", "passport-", "validatepostresponse", "validateredirect")),
    _library("python-saml", (), r"onelogin_saml2|python3-saml|php-saml|python-saml", ("saml",)),
    _library("spring", ("msg-spring-",), r"spring|org\.springframework", ("spring",)),
    _library("shibboleth", ("msg-shibboleth-",), r"shibboleth|\bshibd\b|net\.shibboleth", ("shib",)),
    _library("simplesamlphp", ("msg-simplesamlphp-",), r"simplesaml", ("simplesaml",)),
    _library("allauth", (), r"allauth", ("allauth",)),
)}

#: Products that appear together in one paste as a matter of course, so neither rules the other out.
_PARTNERS = {frozenset({"entra", "adfs"}), frozenset({"entra", "msal"}), frozenset({"aspnet", "msal"}),
             frozenset({"auth0", "auth0-sdk"})}

_BY_PREFIX = sorted(((prefix, p.name) for p in PRODUCTS.values() for prefix in p.prefixes),
                    key=lambda item: -len(item[0]))


def product_of(entry: "Entry") -> str | None:
    """The product ``entry`` holds for, or None for a neutral entry."""
    if entry.product is not None:
        return entry.product
    for prefix, name in _BY_PREFIX:
        if entry.id.startswith(prefix):
            return name
    return None


def products_in(lowered: str) -> frozenset[str]:
    """The products whose signs the lower-cased text shows."""
    return frozenset(p.name for p in PRODUCTS.values()
                     if any(cue in lowered for cue in p.cues) and p.signs.search(lowered) is not None)


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
