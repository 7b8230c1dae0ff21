"""Ask the lakehouse: hybrid search over event documents, and questions answered from gold.

Locally: an offline embedding model, DuckDB's vss (HNSW) and fts (BM25) extensions, and either an
OpenAI-compatible chat endpoint or the Genie space's certified questions. On Databricks: the same
commands through vector_search() and ai_query() on the SQL warehouse.
"""
