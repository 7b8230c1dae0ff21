"""Ticketmaster Discovery API ingest: lands raw API objects as NDJSON per the landing contract."""

from __future__ import annotations

from ingest.sample import SampleReport, land_sample

__all__ = ["SampleReport", "land_sample"]
