"""`runner run` end to end: real recorded responses, the local fake API, and a run killed mid-way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fakes.discovery_api import FakeDataset, FakeDiscoveryAPI
from ingest.generator import Generator
from tests.recorded import ENTITIES, entity_key, recorded_entities
from tests.runner.conftest import rows

REPO = Path(__file__).resolve().parents[2]
METADATA = ("_rescued_data", "_source_file", "_ingestion_timestamp", "ingestion_date", "_source_line")


def bronze_objects(data_dir: Path, entity: str) -> list[dict]:
    """Rebuild each landed object from its bronze row: the declared keys typed, every other key as JSON."""
    import duckdb

    with duckdb.connect(str(data_dir / "lakehouse.duckdb"), read_only=True) as connection:
        cursor = connection.execute(f"SELECT * FROM bronze.{entity}_raw")
        names = [d[0] for d in cursor.description]
        types = [str(d[1]) for d in cursor.description]
        rebuilt = []
        for row in cursor.fetchall():
            record = dict(zip(names, row, strict=True))
            obj = {
                name: json.loads(value) if kind == "JSON" else value
                for (name, value), kind in zip(record.items(), types, strict=True)
                if name not in METADATA and value is not None
            }
            obj.update(json.loads(record["_rescued_data"]) if record["_rescued_data"] else {})
            rebuilt.append(obj)
    return rebuilt


def declared_part(value: object, shape: object) -> object:
    """A landed value as a declared column holds it: the declared fields only, every leaf as text."""
    if value is None:
        return None
    if isinstance(shape, dict):
        assert isinstance(value, dict), value
        return {field: declared_part(value.get(field), sub) for field, sub in shape.items()}
    if isinstance(shape, list):
        assert isinstance(value, list), value
        return [declared_part(item, shape[0]) for item in value]
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def as_in_bronze(landed: dict, declared: dict) -> dict:
    return {key: declared_part(value, declared[key]) if key in declared else value for key, value in landed.items()}


def test_real_recorded_responses_pass_through_bronze_in_their_declared_shape(runner, fixtures_dir, data_dir):
    """Bronze keeps every top-level key of a landed object: a key the read_files schema declares in its
    declared shape (as on Databricks), every other key unchanged."""
    from runner.config import load_target
    from runner.project import compile_project
    from runner.streaming_sql import is_streaming_table, parse_streaming_table
    from streaming.declared import declared_columns

    found = recorded_entities(fixtures_dir)
    for entity in ENTITIES:
        folder = data_dir / "landing" / entity / "2026" / "11" / "25"
        folder.mkdir(parents=True)
        (folder / "recorded.json").write_text("".join(json.dumps(o) + "\n" for o in found[entity].values()))
    assert runner("run", "--skip-ingest") == 0
    specs = {
        spec.name: spec
        for obj in compile_project(load_target("local", data_dir=data_dir), "bronze")
        for statement in obj.deploy
        if is_streaming_table(statement.sql)
        for spec in [parse_streaming_table(statement.sql)]
    }
    for entity in ENTITIES:
        spec = specs[f"bronze.{entity}_raw"]
        declared = {column.name: column.shape for column in declared_columns(spec.schema, spec.name)}
        landed = {entity_key(o): as_in_bronze(o, declared) for o in found[entity].values()}
        in_bronze = {entity_key(o): o for o in bronze_objects(data_dir, entity)}
        assert len(in_bronze) == len(landed) > 0
        assert in_bronze == landed, entity


def test_run_with_an_api_key_ingests_from_the_api(runner, data_dir, monkeypatch, capsys):
    from datetime import UTC, datetime, timedelta

    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    dataset = FakeDataset.generated(300, today + timedelta(hours=1), today + timedelta(days=5), undated_share=0)
    with FakeDiscoveryAPI(dataset, api_key="key-123", rate_limit=50) as api:
        monkeypatch.setenv("TICKETMASTER_API_KEY", "key-123")
        monkeypatch.setenv("TICKETMASTER_BASE_URL", api.base_url)
        monkeypatch.setenv("LAKEHOUSE_INGEST_DAYS", "7")
        assert runner("run") == 0
    out = capsys.readouterr().out
    assert "offline sample" not in out and "key-123" not in out
    assert rows(data_dir, "SELECT count(DISTINCT id) FROM bronze.events_raw") == [(300,)]


def test_a_rejected_api_key_stops_the_run_with_a_clear_error(runner, data_dir, monkeypatch, capsys):
    dataset = FakeDataset.generated(10, *_window())
    with FakeDiscoveryAPI(dataset, api_key="right-key") as api:
        monkeypatch.setenv("TICKETMASTER_API_KEY", "wrong-key")
        monkeypatch.setenv("TICKETMASTER_BASE_URL", api.base_url)
        assert runner("run") == 4  # ingest failed (README, command reference)
    err = capsys.readouterr().err
    assert "ingest stopped" in err and "wrong-key" not in err


def _window():
    from datetime import UTC, datetime, timedelta

    today = datetime.now(UTC)
    return today, today + timedelta(days=2)


def _land_many(landing: Path, files: int, per_file: int) -> int:
    generator = Generator(11)
    from datetime import UTC, datetime

    events = list(
        generator.events(files * per_file, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC))
    )
    folder = landing / "events" / "2026" / "01" / "01"
    folder.mkdir(parents=True)
    for n in range(files):
        chunk = events[n * per_file : (n + 1) * per_file]
        (folder / f"page-{n:04d}.json").write_text("".join(json.dumps(e) + "\n" for e in chunk))
    return len({e["id"] for e in events})


@pytest.mark.parametrize("kill_after", [0.7, 1.2])
def test_a_run_killed_mid_way_and_started_again_reads_every_file_once(tmp_path, kill_after):
    data_dir = tmp_path / "data"
    distinct = _land_many(data_dir / "landing", files=150, per_file=10)
    env = {**os.environ, "LAKEHOUSE_FILES_PER_BATCH": "3"}
    env.pop("TICKETMASTER_API_KEY", None)
    command = [sys.executable, "-m", "runner", "run", "--skip-ingest", "--data-dir", str(data_dir)]
    victim = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Whenever the kill lands (start-up, mid-batch, mid-commit), the restarted run must end exact.
    time.sleep(kill_after)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert rows(
        data_dir, "SELECT count(*), count(DISTINCT id), count(DISTINCT _source_file) FROM bronze.events_raw"
    ) == [(150 * 10, distinct, 150)]
    assert rows(data_dir, "SELECT count(*) FROM bronze._ingested_files WHERE table_name = 'bronze.events_raw'") == [
        (150,)
    ]
    # the killed run's log row, if it got that far, no longer claims to be running
    assert rows(data_dir, "SELECT count(*) FROM gold.etl_log WHERE step_name = 'run' AND status = 'running'") == [(0,)]
    assert rows(data_dir, "SELECT count(*) FROM gold.etl_log WHERE step_name = 'run' AND status = 'succeeded'") == [
        (1,)
    ]
