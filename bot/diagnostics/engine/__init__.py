"""The diagnosis engine: free text in, a ``Report`` out (``diagnosis.diagnose``).

``diagnosis`` prepares the paste and orders the findings; the structured readers (``bodies``,
``json_bodies``, ``secrets``) and the recognisers (``codes``, ``names``, ``phrases``, ``links``,
``rank``) return ``candidates.Candidate``s and never import the engine back. The bot, the benchmark and
the tests import the names below from here.
"""

from bot.diagnostics.engine.diagnosis import (MAX_INPUT_CHARS, MAX_ITEMS, MAX_JSON_CHARS, RECOGNISERS, UMBRELLAS,
                                              Collector, Recogniser, diagnose, phrase_matches)

__all__ = ["MAX_INPUT_CHARS", "MAX_ITEMS", "MAX_JSON_CHARS", "RECOGNISERS", "UMBRELLAS", "Collector", "Recogniser",
           "diagnose", "phrase_matches"]
