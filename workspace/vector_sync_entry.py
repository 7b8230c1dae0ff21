"""Entry point of the job's last task, uploaded to the workspace and run on serverless compute.

The assistant's index over gold.event_documents is a TRIGGERED Delta Sync index (deploy creates it,
see assistant/databricks.py): it reads the table's changes only when asked. The daily job
asks here, once gold and the quality checks are done, so search sees the day's events. The task's
compute authenticates WorkspaceClient() as the job's identity, so the job passes the index name only.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sync the assistant's Vector Search index with gold.")
    parser.add_argument("--index", required=True, help="<catalog>.<schema>.<index>")
    args = parser.parse_args(argv)
    from databricks.sdk import WorkspaceClient
    from databricks.sdk.errors import NotFound

    try:
        # Starts the sync and returns; only rows changed since the last sync are embedded again.
        WorkspaceClient().vector_search_indexes.sync_index(index_name=args.index)
    except NotFound as exc:
        print(
            f"Vector Search index {args.index} does not exist ({exc}). The workspace deploy creates it: "
            "python -m runner deploy --target databricks --env <env>",
            file=sys.stderr,
        )
        return 1
    print(f"Vector Search index {args.index}: sync started")
    return 0


if __name__ == "__main__":
    sys.exit(main())
