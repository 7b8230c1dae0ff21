"""What a local run does for search once the event documents are current: the step `run` calls last."""

from __future__ import annotations

from typing import TYPE_CHECKING

from runner.errors import LakehouseError

if TYPE_CHECKING:
    from lakehouse.console import Console
    from runner.config import Target
    from runner.engines.base import Engine


def refresh_search_index(target: Target, engine: Engine, console: Console) -> None:
    """Keep the keyword index current, so the first search only queries; re-embed changed events.

    The keyword index is brought up to date for the documents this run changed (all of them on a
    fresh lakehouse: about 3 s of CPU per 100K events). Embeddings are kept current only
    once `search` or `ask` has built them, for events whose text changed and for at most
    RUN_BUDGET_S: a user who never searches does not pay for a model, and new events are embedded
    by the next search. Without the search extra installed there is no index to keep.
    """
    if not target.is_local:
        return  # on Databricks the Delta Sync index follows the documents table by itself
    from assistant.keywords import refresh_keyword_index

    connection = engine.connection  # type: ignore[attr-defined]
    try:
        keywords = refresh_keyword_index(connection)
    except LakehouseError as exc:
        console.detail(f"keyword index: not kept ({exc})")  # no search extra, or no documents table
        return
    line = keywords.summary()
    console.say(line) if keywords.indexed or keywords.removed else console.detail(line)

    from assistant.index import EMBEDDINGS, RUN_BUDGET_S, sync_embeddings
    from runner.project import Renderer

    schema, _, table = EMBEDDINGS.partition(".")
    exists = engine.execute(Renderer(target).render_statement("runner/search_vectors_exist.sql"), [schema, table])
    if not exists.rows or not exists.rows[0][0]:
        return
    from assistant.embedder import default_embedder

    result = sync_embeddings(connection, default_embedder(), console.detail, budget_s=RUN_BUDGET_S, changed_only=True)
    if result.embedded or result.removed:
        console.say(result.summary())
