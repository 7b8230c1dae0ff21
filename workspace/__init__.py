"""The workspace side of the Databricks target: job, files, grants, secret check and Genie space."""
