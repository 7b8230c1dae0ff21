"""Ticketmaster Discovery API ingest: lands raw API objects as NDJSON per the landing contract.

``ingest`` pulls a scope from the API (or anything at ``TICKETMASTER_BASE_URL``); ``land_sample`` lands
generated data for offline use.
"""

from __future__ import annotations

from ingest.client import ApiError, ApiKeyRejected, QuotaExhausted
from ingest.config import IngestSettings, MissingApiKey, Scope
from ingest.errors import IngestError, LandingError
from ingest.pipeline import IngestReport, ingest
from ingest.sample import SampleReport, land_sample

__all__ = [
    "ApiError",
    "ApiKeyRejected",
    "IngestError",
    "IngestReport",
    "IngestSettings",
    "LandingError",
    "MissingApiKey",
    "QuotaExhausted",
    "SampleReport",
    "Scope",
    "ingest",
    "land_sample",
]
