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

import time
from dataclasses import dataclass

import duckdb

from assistant.extensions import load_extensions
from runner.errors import LakehouseError
from runner.identifiers import quote_identifier

DOCUMENTS = "gold.event_documents"
TERMS = "gold.event_document_terms"
LENGTHS = "gold.event_document_lengths"
VOCABULARY = "gold.event_document_vocabulary"
# The columns a search reads from each index table.
INDEX_COLUMNS = {
    TERMS: "doc_id, term_id, tf",
    LENGTHS: "doc_id, event_id, content_hash, terms",
    VOCABULARY: "term_id, term",
}
# What `fts` does to a text before stemming: accents stripped, lower case, digits and punctuation
# replaced by spaces, split on white space. The same words are the runs of the other characters,
# which one regular expression finds in half the time of the two, without empty strings.
_TOKENIZE = (
    "regexp_extract_all(lower(strip_accents({text})), '[^0-9!@#$%^&*()_+={{}}\\[\\]:;<>,.?~\\\\/\\|''''\"`\\s-]+')"
)
# BM25 parameters: those of match_bm25's defaults.
K1 = 1.2
B = 0.75


def tokenize_sql(text: str) -> str:
    return _TOKENIZE.format(text=text)


_STOPWORDS: list[tuple[str, ...]] = []


def stopwords(connection: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The extension's English stop-word list, read from an index built on an empty table in a scratch
    in-memory database of `connection`'s DuckDB (fts loaded there already; a database of its own would
    load it again); once per process."""
    if not _STOPWORDS:
        with connection.cursor() as scratch:  # its own transaction and current database
            home = _text(scratch, "SELECT current_database()")
            scratch.execute("ATTACH ':memory:' AS keyword_scratch")
            try:
                scratch.execute("USE keyword_scratch")
                scratch.execute("CREATE TABLE empty (id VARCHAR, text VARCHAR)")
                scratch.execute("PRAGMA create_fts_index('empty', 'id', 'text', stopwords = 'english')")
                rows = scratch.execute("SELECT sw FROM fts_main_empty.stopwords ORDER BY sw").fetchall()
            finally:
                scratch.execute(f"USE {quote_identifier(home)}")
                scratch.execute("DETACH keyword_scratch")
        _STOPWORDS.append(tuple(row[0] for row in rows))
    return _STOPWORDS[0]


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


def earlier_layout(connection: duckdb.DuckDBPyConnection) -> bool:
    """Whether the index tables are those of an earlier layout, keyed by event id and word text.

    Outside a transaction: a failed statement would abort it."""
    try:
        connection.execute(f"SELECT doc_id FROM {TERMS} LIMIT 0")
    except duckdb.CatalogException:
        return False  # no index yet
    except duckdb.BinderException:
        return True
    return False


def ensure_keyword_tables(connection: duckdb.DuckDBPyConnection, drop_earlier: bool = False) -> None:
    """Create the index tables; with ``drop_earlier``, those of an earlier layout are dropped first,
    so the refresh that follows indexes every document again."""
    if drop_earlier:
        for table in (TERMS, LENGTHS):
            connection.execute(f"DROP TABLE IF EXISTS {table}")
    connection.execute(
        f"""CREATE TABLE IF NOT EXISTS {LENGTHS} (
            doc_id BIGINT NOT NULL, event_id VARCHAR NOT NULL, content_hash VARCHAR NOT NULL, terms INTEGER NOT NULL
        )"""
    )
    connection.execute(
        f"COMMENT ON TABLE {LENGTHS} IS 'BM25 keyword index of gold.event_documents: one row per indexed event "
        "document, with its key in the index (doc_id), its number of indexed words and the content_hash they were "
        "taken from (another current hash means index again).'"
    )
    connection.execute(f"CREATE TABLE IF NOT EXISTS {VOCABULARY} (term_id INTEGER NOT NULL, term VARCHAR NOT NULL)")
    connection.execute(
        f"COMMENT ON TABLE {VOCABULARY} IS 'BM25 keyword index of gold.event_documents: every stemmed word "
        "indexed so far and its key in the index (term_id).'"
    )
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS {TERMS} (doc_id BIGINT NOT NULL, term_id INTEGER NOT NULL, tf INTEGER NOT NULL)"
    )
    connection.execute(
        f"COMMENT ON TABLE {TERMS} IS 'BM25 keyword index of gold.event_documents: how often each stemmed word "
        f"(term_id of {VOCABULARY}) occurs in each event document (doc_id of {LENGTHS}); kept by runs and the "
        "search commands.'"
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
    drop_earlier = earlier_layout(connection)
    connection.execute("BEGIN TRANSACTION")
    try:
        ensure_keyword_tables(connection, drop_earlier)
        # New or changed documents (content_hash set), and indexed ones whose entries go (indexed): from
        # event ids and hashes alone, so that a run that changed nothing reads no more.
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
            connection.execute(
                f"""CREATE OR REPLACE TEMP TABLE keyword_dropped AS
                SELECT l.doc_id FROM {LENGTHS} AS l
                SEMI JOIN keyword_changes AS c ON c.event_id = l.event_id AND c.indexed"""
            )
            for table in (TERMS, LENGTHS):
                connection.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM keyword_dropped)")
            connection.execute("DROP TABLE keyword_dropped")
        if stale:
            _index(connection)
        connection.execute("DROP TABLE keyword_changes")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    total = _count(connection, f"SELECT count(*) FROM {LENGTHS}")
    return KeywordRefresh(stale, gone, total, time.perf_counter() - started)


# Documents whose words are counted at once, so that their counts stay in memory.
BATCH = 100_000


def _index(connection: duckdb.DuckDBPyConnection) -> None:
    """Write the index entries of the new or changed documents of keyword_changes.

    Documents and stemmed words are keyed by integers in the index: counting and writing (document,
    word) pairs by two integers is several times faster than by event id and word text. Each distinct
    word is stemmed once, not every time it occurs: a corpus has far fewer distinct words than words."""
    load_extensions(connection, "fts")  # for stem()
    connection.execute(
        f"""CREATE OR REPLACE TEMP TABLE keyword_stale AS
        SELECT (SELECT coalesce(max(doc_id), 0) FROM {LENGTHS}) + row_number() OVER () AS doc_id,
            d.event_id, d.content_hash, d.document
        FROM {DOCUMENTS} AS d
        SEMI JOIN keyword_changes AS c ON c.event_id = d.event_id AND c.content_hash = d.content_hash"""
    )
    # An anti-join: a 571-word list tested per word is 50x slower. The list goes in as one string:
    # a list parameter of that length takes seconds to bind.
    connection.execute(
        "CREATE OR REPLACE TEMP TABLE keyword_stopwords AS SELECT unnest(string_split(?, ' ')) AS word",
        [" ".join(stopwords(connection))],
    )
    # Words already given the key of their stem, in this refresh.
    connection.execute("CREATE OR REPLACE TEMP TABLE keyword_word_ids (word VARCHAR, term_id INTEGER)")
    first, last = _row(connection, "SELECT min(doc_id), max(doc_id) FROM keyword_stale")
    for low in range(first, last + 1, BATCH):
        # Each document is split into words once.
        connection.execute(
            f"""CREATE OR REPLACE TEMP TABLE keyword_tokens AS
            SELECT doc_id, unnest({tokenize_sql("document")}) AS word
            FROM keyword_stale WHERE doc_id >= ? AND doc_id < ?""",
            [low, low + BATCH],
        )
        _add_words(connection)
        # Stop words have no key, so the join drops them.
        connection.execute(
            """CREATE OR REPLACE TEMP TABLE keyword_counts AS
            SELECT w.doc_id, i.term_id, count(*)::INTEGER AS tf
            FROM keyword_tokens AS w JOIN keyword_word_ids AS i ON i.word = w.word
            GROUP BY ALL"""
        )
        connection.execute(f"INSERT INTO {TERMS} SELECT doc_id, term_id, tf FROM keyword_counts")
        connection.execute(
            f"""INSERT INTO {LENGTHS}
            SELECT s.doc_id, s.event_id, s.content_hash, coalesce(c.terms, 0)::INTEGER
            FROM (SELECT doc_id, event_id, content_hash FROM keyword_stale WHERE doc_id >= ? AND doc_id < ?) AS s
            LEFT JOIN (SELECT doc_id, sum(tf) AS terms FROM keyword_counts GROUP BY doc_id) AS c
                ON c.doc_id = s.doc_id""",
            [low, low + BATCH],
        )
    for table in ("keyword_counts", "keyword_tokens", "keyword_word_ids", "keyword_stopwords", "keyword_stale"):
        connection.execute(f"DROP TABLE {table}")


def _add_words(connection: duckdb.DuckDBPyConnection) -> None:
    """Give the words of keyword_tokens met for the first time the key of their stem; stems new to
    the index join the vocabulary. Each distinct word is stemmed once, not every time it occurs."""
    connection.execute(
        """CREATE OR REPLACE TEMP TABLE keyword_new_words AS
        SELECT word, stem(word, 'porter') AS term
        FROM (SELECT DISTINCT word FROM keyword_tokens) AS w
        ANTI JOIN keyword_word_ids AS i ON i.word = w.word
        ANTI JOIN keyword_stopwords AS s ON s.word = w.word
        WHERE len(w.word) > 0"""
    )
    connection.execute(
        f"""INSERT INTO {VOCABULARY}
        SELECT (SELECT coalesce(max(term_id), 0) FROM {VOCABULARY}) + row_number() OVER (ORDER BY term), term
        FROM (SELECT DISTINCT term FROM keyword_new_words) AS w
        ANTI JOIN {VOCABULARY} AS v ON v.term = w.term"""
    )
    connection.execute(
        f"""INSERT INTO keyword_word_ids
        SELECT w.word, v.term_id FROM keyword_new_words AS w JOIN {VOCABULARY} AS v ON v.term = w.term"""
    )
    connection.execute("DROP TABLE keyword_new_words")


def _row(connection: duckdb.DuckDBPyConnection, sql: str) -> tuple[int, int]:
    row = connection.execute(sql).fetchone()
    assert row is not None  # an aggregate without GROUP BY returns one row
    return int(row[0]), int(row[1])


def _text(connection: duckdb.DuckDBPyConnection, sql: str) -> str:
    row = connection.execute(sql).fetchone()
    assert row is not None
    return str(row[0])


def _count(connection: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = connection.execute(sql).fetchone()
    assert row is not None  # an aggregate without GROUP BY returns one row
    return int(row[0])


def bm25_sql(schema_prefix: str = "") -> str:
    """Top events by BM25 for a query (parameters: the query text, the limit), over the index tables.

    As match_bm25: the query's distinct stemmed words; per word, its idf over all indexed documents
    times the saturated, length-normalised count in the document; summed. DuckDB's log() is base 10,
    as in the extension."""
    terms, lengths, vocabulary = (schema_prefix + table for table in (TERMS, LENGTHS, VOCABULARY))
    return f"""WITH query_terms AS (
        SELECT v.term_id FROM {vocabulary} AS v
        SEMI JOIN (SELECT stem(unnest({tokenize_sql("?::VARCHAR")}), 'porter') AS term) AS q ON q.term = v.term
    ),
    collection AS (SELECT count(*) AS documents, avg(terms) AS average_terms FROM {lengths}),
    matches AS (
        SELECT t.doc_id, t.term_id, t.tf FROM {terms} AS t SEMI JOIN query_terms AS q ON t.term_id = q.term_id
    ),
    frequencies AS (SELECT term_id, count(*) AS df FROM matches GROUP BY term_id)
    SELECT l.event_id,
        -- rounded: a parallel sum may differ in the last bits, which must not reorder equal scores
        round(sum(
            log((c.documents - f.df + 0.5) / (f.df + 0.5) + 1)
            * m.tf * ({K1} + 1) / (m.tf + {K1} * (1 - {B} + {B} * l.terms / c.average_terms))
        ), 12) AS score
    FROM matches AS m
    JOIN frequencies AS f ON f.term_id = m.term_id
    JOIN {lengths} AS l ON l.doc_id = m.doc_id
    CROSS JOIN collection AS c
    GROUP BY l.event_id
    ORDER BY score DESC, l.event_id
    LIMIT ?"""
