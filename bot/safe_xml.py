"""Parse XML that came from outside (a pasted SAML message, an IdP's metadata) behind one vetted guard.

SAML responses, requests and metadata never carry a document type declaration, and a DTD is the
door for every XML attack that matters here: entity expansion ("billion laughs", quadratic blowup),
external entities (XXE reading a file or calling a URL) and external DTDs or parameter entities.
So the parser is defusedxml's, told to refuse a DTD, an entity declaration and an external
reference wherever they appear; it stops at the declaration, before anything in it is defined,
expanded or fetched. No pattern match on the text decides this, so no padding, comment or case
trick gets past it.

The parser is fed text, never bytes: the caller has already decided how the bytes decode (see
:func:`bot.diagnostics.text.decode_bytes`), so an ``encoding=`` in the XML declaration cannot change it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

__all__ = ["XMLRefused", "parse_untrusted", "REFUSED_MESSAGE"]

REFUSED_MESSAGE = "This XML declares a DTD; SAML metadata and responses never do, so it was not read."


class XMLRefused(ValueError):
    """The XML declares a DTD, an entity or an external reference, and was not read.

    ``declaration`` names what was met first (``DOCTYPE``, ``ENTITY``, ``external reference``) and
    ``line`` where; neither repeats anything the document says.
    """

    def __init__(self, declaration: str, line: int) -> None:
        super().__init__(REFUSED_MESSAGE)
        self.declaration = declaration
        self.line = line


def parse_untrusted(text: str) -> ET.Element:
    """The root element of ``text``; raises :class:`XMLRefused` or ``xml.etree.ElementTree.ParseError``.

    Never raises anything else for a string: text that cannot be encoded (a lone surrogate, which a
    JSON escape can carry) is a ParseError like any other malformed XML.
    """
    parser = DefusedXMLParser(target=ET.TreeBuilder(), forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    try:
        parser.feed(text)
        return parser.close()
    except DTDForbidden:
        raise XMLRefused("DOCTYPE", parser.parser.CurrentLineNumber) from None
    except EntitiesForbidden:  # only reachable inside a DTD, so a second line of defence
        raise XMLRefused("ENTITY", parser.parser.CurrentLineNumber) from None
    except ExternalReferenceForbidden:  # likewise
        raise XMLRefused("external reference", parser.parser.CurrentLineNumber) from None
    except UnicodeError as error:
        raise _not_text(text, error) from None


def _not_text(text: str, error: UnicodeError) -> ET.ParseError:
    """A ParseError that points at the character that could not be encoded."""
    at = getattr(error, "start", 0)
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1)
    problem = ET.ParseError(f"not valid text (a lone surrogate): line {line}, column {column}")
    problem.position = (line, column)
    return problem
