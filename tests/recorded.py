"""Entity objects found in the real recorded API responses of ../shared/fixtures (tests only)."""

from __future__ import annotations

import json
from pathlib import Path

ENTITIES = ("events", "venues", "attractions", "classifications")


def responses(path: Path) -> list[object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, list):  # nock / VCR recordings: exchanges with the body under "response"
        return [exchange["response"] for exchange in data]
    return [data]


def entity_key(obj: dict) -> str:
    return obj.get("id") or obj.get("segment", {}).get("id")


def recorded_entities(fixtures: Path) -> dict[str, dict[str, dict]]:
    """Every distinct entity object of every recorded response, by entity and id (first seen wins)."""
    found: dict[str, dict[str, dict]] = {entity: {} for entity in ENTITIES}
    for path in sorted(fixtures.glob("*.json")):
        for body in responses(path):
            assert isinstance(body, dict), path
            embedded = body.get("_embedded") or {}
            for entity in found:
                for obj in embedded.get(entity, []) if isinstance(embedded, dict) else []:
                    found[entity].setdefault(entity_key(obj), obj)
            kind = body.get("type")
            if kind in ("event", "venue", "attraction") and "id" in body and "_links" in body:
                found[kind + "s"].setdefault(body["id"], body)
    return found
