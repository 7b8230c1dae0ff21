"""The Genie space's certified questions (genie/examples), matched to a question by meaning.

They are read through workspace.genie, the same code that deploys the Genie space, so the
offline answers and the space can never disagree about a question's SQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.embedder import QuestionEmbedder
from runner.config import Target
from workspace.genie import Example, SpaceDefinition, load_space

# Cosine similarity (multilingual-e5-small, "query: " on both sides) above which a question counts
# as a paraphrase of a certified one. Measured: paraphrases 0.89-0.98, unrelated questions 0.75-0.83,
# and a certified question with an added condition ("... cancelled events last month") 0.887; so the
# bar is high, and an added condition is caught by QUALIFIERS below as well.
MATCH_THRESHOLD = 0.90
# Words that narrow a question. A certified SQL answers the question without them, so a question
# that adds one is not the certified question, however close its wording.
QUALIFIERS = (
    "cancel", "postpon", "reschedul", "offsale", "onsale", "sold", "last", "previous", "past", "yesterday",
    "today", "tonight", "tomorrow", "weekend", "week", "year", "price", "cheap", "expensive", "free",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)  # fmt: skip


@dataclass(frozen=True)
class Match:
    example: Example
    similarity: float
    added_condition: str | None = None

    @property
    def usable(self) -> bool:
        return self.similarity >= MATCH_THRESHOLD and self.added_condition is None


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def added_condition(question: str, certified: str) -> str | None:
    """A narrowing word (or number) of the question that the certified question does not have."""
    theirs = set(_words(certified))
    for word in _words(question):
        if word in theirs:
            continue
        if word.isdigit() or any(word.startswith(q) for q in QUALIFIERS):
            return word
    return None


class CertifiedQuestions:
    def __init__(self, target: Target, embedder: Callable[[], QuestionEmbedder], space: SpaceDefinition | None = None):
        self.space = space or load_space(target)
        self.examples = self.space.examples
        # The model loads on first use: with a language model configured, matching is never needed.
        self._embedder = embedder
        self._vectors: np.ndarray | None = None

    def best(self, question: str) -> Match | None:
        if not self.examples:
            return None
        embedder = self._embedder()
        if self._vectors is None:
            self._vectors = np.vstack([embedder.embed_query(e.question) for e in self.examples])
        similarities = self._vectors @ embedder.embed_query(question)
        best = int(np.argmax(similarities))
        example = self.examples[best]
        return Match(example, float(similarities[best]), added_condition(question, example.question))
