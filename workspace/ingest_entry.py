"""Entry point of the job's ingest task, uploaded to the workspace and run on serverless compute.

The Ticketmaster API key is read here, at run time, from the secret scope, and handed to ingest
through this process's environment only: it is never in a file, a job parameter or a log
(Databricks also redacts secret values in task output). Runs on Databricks, not locally.
"""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Land new Ticketmaster data in the landing volume.")
    parser.add_argument("--landing", required=True, help="/Volumes/<catalog>/<schema>/<volume>")
    parser.add_argument("--secret-scope", required=True)
    parser.add_argument("--secret-key", required=True)
    parser.add_argument("--src", required=True, help="workspace folder holding the uploaded ingest package")
    args = parser.parse_args(argv)
    from databricks.sdk.runtime import dbutils  # available on Databricks compute only

    os.environ["TICKETMASTER_API_KEY"] = dbutils.secrets.get(scope=args.secret_scope, key=args.secret_key)
    sys.path.insert(0, args.src)
    from ingest.__main__ import main as ingest_main

    return ingest_main(["--landing", args.landing, "--progress", "off"])


if __name__ == "__main__":
    sys.exit(main())
