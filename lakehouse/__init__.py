"""The `lakehouse` command: the CLI facade over runner, ingest, scripting, assistant and workspace."""
