"""The BM25 keyword index of the event documents, kept in the lakehouse and refreshed incrementally.

DuckDB's `fts` extension builds its index in one go (`PRAGMA create_fts_index`), which on 100K
events took about 20 s, and would have to run again for every change. Here the index is two plain
tables that a run brings up to date for the documents whose text changed, so a search only
queries: one row per (event, stemmed term) with the term's count, and one row per event with the
document's term count and the `content_hash` it was built from. The words are split, stemmed
(Porter) and stop-worded as `create_fts_index(..., stemmer='porter', stopwords='english',
strip_accents=1, lower=1)` does, with the extension's own `stem` function and stop-word list, and
scored with the extension's BM25 formula (k1 = 1.2, b = 0.75), so the scores are those of
`match_bm25` (tests/assistant/test_keyword_index.py compares them).
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import duckdb

from assistant.extensions import load_extensions
from runner.errors import LakehouseError

DOCUMENTS = "gold.event_documents"
TERMS = "gold.event_document_terms"
LENGTHS = "gold.event_document_lengths"
# What `fts` does to a text before stemming: accents stripped, lower case, digits and punctuation
# replaced by spaces, split on white space.
_TOKENIZE = (
    "string_split_regex(regexp_replace(lower(strip_accents({text})), "
    "'[0-9!@#$%^&*()_+={{}}\\[\\]:;<>,.?~\\\\/\\|''''\"`-]+', ' ', 'g'), '\\s+')"
)
# BM25 parameters: those of match_bm25's defaults.
K1 = 1.2
B = 0.75


def tokenize_sql(text: str) -> str:
    return _TOKENIZE.format(text=text)


@functools.cache
def stopwords() -> tuple[str, ...]:
    """The extension's English stop-word list, read from an index built on an empty table in memory."""
    with duckdb.connect() as scratch:
        load_extensions(scratch, "fts")
        scratch.execute("CREATE TABLE empty (id VARCHAR, text VARCHAR)")
        scratch.execute("PRAGMA create_fts_index('empty', 'id', 'text', stopwords = 'english')")
        return tuple(
            row[0] for row in scratch.execute("SELECT sw FROM fts_main_empty.stopwords ORDER BY sw").fetchall()
        )


@dataclass
class KeywordRefresh:
    indexed: int  # documents (re)indexed
    removed: int
    total: int
    seconds: float

    def summary(self) -> str:
        return (
            f"keyword index: {self.indexed:,} event(s) indexed, {self.removed:,} removed, {self.total:,} in the index "
            f"[{self.seconds:.2f}s]"
        )


def ensure_keyword_tables(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS {TERMS} (event_id VARCHAR NOT NULL, term VARCHAR NOT NULL, tf INTEGER NOT NULL)"
    )
    connection.execute(
        f"COMMENT ON TABLE {TERMS} IS 'BM25 keyword index of gold.event_documents: how often each stemmed word "
        "occurs in each event document; kept by runs and the search commands.'"
    )
    connection.execute(
        f"""CREATE TABLE IF NOT EXISTS {LENGTHS} (
            event_id VARCHAR NOT NULL, content_hash VARCHAR NOT NULL, terms INTEGER NOT NULL
        )"""
    )
    connection.execute(
        f"COMMENT ON TABLE {LENGTHS} IS 'BM25 keyword index of gold.event_documents: the indexed words of each event "
        "document and the content_hash they were taken from (another current hash means index again).'"
    )


def refresh_keyword_index(connection: duckdb.DuckDBPyConnection) -> KeywordRefresh:
    """Index the documents that are new or whose text changed, and drop those of gone events.

    ``connection`` must be able to write the lakehouse and load extensions; one transaction, so an
    interrupted refresh leaves the index as it was. What changed is found from the keys alone (event
    id and content hash), and the index is only written for those documents, so the cost follows
    the change; the words are counted BATCH documents at a time, so their counts stay in memory."""
    started = time.perf_counter()
    try:
        connection.execute(f"SELECT 1 FROM {DOCUMENTS} LIMIT 0")
    except duckdb.CatalogException as exc:
        raise LakehouseError(f"{DOCUMENTS} does not exist yet: run `lakehouse run` to build the lakehouse.") from exc
    ensure_keyword_tables(connection)
    connection.execute("BEGIN TRANSACTION")
    try:
        # New or changed documents (content_hash set), and indexed ones whose entries go (indexed).
        connection.execute(
            f"""CREATE OR REPLACE TEMP TABLE keyword_changes AS
            SELECT coalesce(d.event_id, l.event_id) AS event_id, d.content_hash, l.event_id IS NOT NULL AS indexed
            FROM (SELECT event_id, content_hash FROM {DOCUMENTS}) AS d
            FULL JOIN (SELECT event_id, content_hash FROM {LENGTHS}) AS l ON l.event_id = d.event_id
            WHERE l.content_hash IS DISTINCT FROM d.content_hash"""
        )
        row = connection.execute(
            "SELECT count(content_hash), count(*) FILTER (WHERE content_hash IS NULL), count(*) FILTER (WHERE indexed) "
            "FROM keyword_changes"
        ).fetchone()
        assert row is not None  # an aggregate without GROUP BY returns one row
        stale, gone, dropped = (int(value) for value in row)
        if dropped:
            for table in (TERMS, LENGTHS):
                connection.execute(
                    f"DELETE FROM {table} WHERE event_id IN (SELECT event_id FROM keyword_changes WHERE indexed)"
                )
        if stale:
            _index(connection, stale)
        connection.execute("DROP TABLE keyword_changes")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    total = _count(connection, f"SELECT count(*) FROM {LENGTHS}")
    return KeywordRefresh(stale, gone, total, time.perf_counter() - started)


# Documents whose words are counted at once: a million documents' counts at once spilled to disk.
BATCH = 100_000


def _index(connection: duckdb.DuckDBPyConnection, stale: int) -> None:
    """Write the index entries of the new or changed documents of keyword_changes."""
    load_extensions(connection, "fts")  # for stem()
    connection.execute(
        f"""CREATE OR REPLACE TEMP TABLE keyword_stale AS
        SELECT d.event_id, d.content_hash, d.document, (row_number() OVER () - 1) // {BATCH} AS batch
        FROM {DOCUMENTS} AS d
        SEMI JOIN keyword_changes AS c ON c.event_id = d.event_id AND c.content_hash = d.content_hash"""
    )
    # An anti-join: a 571-word list tested per word is 50x slower. The list goes in as one string:
    # a list parameter of that length takes seconds to bind.
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE keyword_stopwords AS SELECT unnest(string_split(?, ' ')) AS word",
        [" ".join(stopwords())],
    )
    for batch in range((stale + BATCH - 1) // BATCH):
        connection.execute(
            f"""CREATE OR REPLACE TEMP TABLE keyword_words AS
            SELECT event_id, word, count(*) AS tf
            FROM (SELECT event_id, unnest({tokenize_sql("document")}) AS word FROM keyword_stale WHERE batch = ?) AS w
            ANTI JOIN keyword_stopwords AS s ON s.word = w.word
            WHERE len(w.word) > 0
            GROUP BY ALL""",
            [batch],
        )
        # Each distinct word is stemmed once: a corpus has far fewer distinct words than words, and
        # stemming every word where it occurs was most of the cost.
        connection.execute(
            f"""INSERT INTO {TERMS}
            SELECT w.event_id, s.term, sum(w.tf)::INTEGER
            FROM keyword_words AS w
            JOIN (SELECT word, stem(word, 'porter') AS term FROM (SELECT DISTINCT word FROM keyword_words)) AS s
                ON s.word = w.word
            GROUP BY ALL"""
        )
        connection.execute(
            f"""INSERT INTO {LENGTHS}
            SELECT s.event_id, s.content_hash, coalesce(w.terms, 0)::INTEGER
            FROM (SELECT event_id, content_hash FROM keyword_stale WHERE batch = ?) AS s
            LEFT JOIN (SELECT event_id, sum(tf) AS terms FROM keyword_words GROUP BY event_id) AS w
                ON w.event_id = s.event_id""",
            [batch],
        )
    for table in ("keyword_stopwords", "keyword_words", "keyword_stale"):
        connection.execute(f"DROP TABLE {table}")


def _count(connection: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = connection.execute(sql).fetchone()
    assert row is not None  # an aggregate without GROUP BY returns one row
    return int(row[0])


def bm25_sql(schema_prefix: str = "") -> str:
    """Top events by BM25 for a query (parameters: the query text, the limit), over the index tables.

    As match_bm25: the query's distinct stemmed words; per word, its idf over all indexed documents
    times the saturated, length-normalised count in the document; summed. DuckDB's log() is base 10,
    as in the extension."""
    terms, lengths = schema_prefix + TERMS, schema_prefix + LENGTHS
    return f"""WITH query_terms AS (
        SELECT DISTINCT stem(unnest({tokenize_sql("?::VARCHAR")}), 'porter') AS term
    ),
    collection AS (SELECT count(*) AS documents, avg(terms) AS average_terms FROM {lengths}),
    matches AS (SELECT t.event_id, t.term, t.tf FROM {terms} AS t SEMI JOIN query_terms AS q ON t.term = q.term),
    frequencies AS (SELECT term, count(*) AS df FROM matches GROUP BY term)
    SELECT m.event_id,
        -- rounded: a parallel sum may differ in the last bits, which must not reorder equal scores
        round(sum(
            log((c.documents - f.df + 0.5) / (f.df + 0.5) + 1)
            * m.tf * ({K1} + 1) / (m.tf + {K1} * (1 - {B} + {B} * l.terms / c.average_terms))
        ), 12) AS score
    FROM matches AS m
    JOIN frequencies AS f ON f.term = m.term
    JOIN {lengths} AS l ON l.event_id = m.event_id
    CROSS JOIN collection AS c
    GROUP BY m.event_id
    ORDER BY score DESC, m.event_id
    LIMIT ?"""
