"""Per-batch manifest: what a batch asked for, what it fetched and landed, and how it ended.

Layout under the landing root (outside the entity folders, so bronze never reads it):
``_manifests/<scope key>/<batch id>.json`` for each batch, and ``_manifests/<scope key>/latest.json``
naming the scope's most recent batch. A new ingest of a scope whose latest batch did not complete
resumes that batch: same batch id, same file names, so nothing lands twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ingest.config import UTC, Scope
from ingest.landing import MANIFEST_DIR, Landing

COMPLETE = "complete"
RUNNING = "running"
QUOTA = "quota_exhausted"
FAILED = "failed"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Manifest:
    data: dict[str, Any]

    @property
    def batch_id(self) -> str:
        return str(self.data["batch_id"])

    @property
    def batch_date(self) -> date:
        return date.fromisoformat(self.data["batch_date"])

    @property
    def status(self) -> str:
        return str(self.data["status"])

    @property
    def windows(self) -> list[dict[str, Any]]:
        return self.data["windows"]

    def files(self, entity: str) -> list[str]:
        return self.data["files"].setdefault(entity, [])

    def add_file(self, entity: str, rel: str, rows: int) -> None:
        if rel not in self.files(entity):
            self.files(entity).append(rel)
            self.data["counts"][entity] = self.data["counts"].get(entity, 0) + rows

    def section(self, name: str) -> dict[str, Any]:
        return self.data.setdefault(name, {})


class ManifestStore:
    def __init__(self, landing: Landing, scope: Scope) -> None:
        self.landing = landing
        self.scope = scope
        self.scope_key = scope.key()
        self.folder = f"{MANIFEST_DIR}/{self.scope_key}"

    def path(self, batch_id: str) -> str:
        return f"{self.folder}/{batch_id}.json"

    def _read(self, rel: str) -> dict[str, Any] | None:
        raw = self.landing.read(rel)
        return json.loads(raw) if raw else None

    def open(self, *, resume: bool, settings: dict[str, Any], now: datetime | None = None) -> tuple[Manifest, bool]:
        """The batch to work on, and whether it is a resumed one."""
        if resume:
            unfinished = self.unfinished()
            if unfinished:
                unfinished.data["resumed"] = unfinished.data.get("resumed", 0) + 1
                unfinished.data["status"] = RUNNING
                return unfinished, True
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        batch_id = self._new_batch_id(moment)
        data = {
            "batch_id": batch_id,
            "batch_date": moment.date().isoformat(),
            "scope_key": self.scope_key,
            "scope": self.scope.to_json(),
            "settings": settings,
            "status": RUNNING,
            "started_at": _now(),
            "updated_at": _now(),
            "resumed": 0,
            "windows": [],
            "files": {},
            "counts": {},
            "requests": 0,
            "warnings": [],
        }
        return Manifest(data), False

    def _new_batch_id(self, moment: datetime) -> str:
        """Named by its second; a batch begun in the same second as an earlier one takes the next free one,
        so that it never writes over that batch's manifest or files."""
        while True:
            batch_id = f"{moment:%Y%m%dT%H%M%SZ}-{self.scope_key}"
            if not self.landing.exists(self.path(batch_id)):
                return batch_id
            moment += timedelta(seconds=1)

    def unfinished(self) -> Manifest | None:
        """The scope's latest batch if it did not complete: what a resume continues."""
        latest = self._read(f"{self.folder}/latest.json")
        if latest and latest.get("status") != COMPLETE:
            data = self._read(self.path(latest["batch_id"]))
            if data and data.get("status") != COMPLETE:
                return Manifest(data)
        return None

    def save(self, manifest: Manifest, *, pointer: bool = False) -> None:
        manifest.data["updated_at"] = _now()
        body = json.dumps(manifest.data, indent=1, sort_keys=True).encode("utf-8")
        self.landing.put_replace(self.path(manifest.batch_id), body)
        if pointer:
            latest = {"batch_id": manifest.batch_id, "status": manifest.status, "updated_at": _now()}
            self.landing.put_replace(f"{self.folder}/latest.json", json.dumps(latest).encode("utf-8"))
