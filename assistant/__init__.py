"""Ask the lakehouse: hybrid search over event documents, and questions answered from gold.

Locally: a BM25 keyword index that runs keep, offline embedding models, and either an
OpenAI-compatible chat endpoint or the Genie space's certified questions. On Databricks: the same
commands through vector_search() and ai_query() on the SQL warehouse.
"""
