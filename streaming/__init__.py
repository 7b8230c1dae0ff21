"""Databricks streaming tables over read_files, as the local target runs them: landed files read once each."""
