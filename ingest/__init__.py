"""Ticketmaster Discovery API ingest: lands raw API objects as NDJSON per the landing contract.

``ingest`` pulls a scope from the API (or anything at ``TICKETMASTER_BASE_URL``); ``land_sample`` lands
generated data for offline use.
"""

from __future__ import annotations

from ingest.client import ApiError, ApiKeyRejected, IngestError, QuotaExhausted
from ingest.config import IngestSettings, MissingApiKey, Scope
from ingest.pipeline import IngestReport, ingest
from ingest.sample import SampleReport, land_sample

__all__ = [
    "ApiError",
    "ApiKeyRejected",
    "IngestError",
    "IngestReport",
    "IngestSettings",
    "MissingApiKey",
    "QuotaExhausted",
    "SampleReport",
    "Scope",
    "ingest",
    "land_sample",
]
