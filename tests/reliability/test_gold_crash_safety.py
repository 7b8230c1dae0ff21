"""A run killed (SIGKILL) before any statement leaves gold exactly as a clean run does, after the next run.

Two scenarios: the first run of a fresh lakehouse, and an incremental run that changes events,
renames venues and attractions (new SCD2 versions), drops an attraction from some bills and adds
new events. For each, a clean run lists the statements (tests/reliability/crashing_run.py counts
them) and gives the reference gold. Then, for each chosen crash point, the data directory as a run
killed just before that statement leaves it gets a normal `run`; every gold table must then hold what
the clean run wrote. The crash states of every point are copied from one run, at each point, as it is
on disk then (what a SIGKILL there leaves; tests/reliability/crashing_run.py says why), and points
that leave the very same files share one recovering run; a few points are also tried with a real
`run` process killed (SIGKILL) just before the statement.

Crash points: every statement of the gold refresh (sp_refresh_gold_layer) in both scenarios;
every other distinct gold statement (materialized views, the monthly summary, the quality checks,
the search documents) in the incremental run; a sample of deploy, bronze and silver statements.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reliability.gold_content import gold_content

REPO = Path(__file__).resolve().parents[2]
EVENTS = 120
SAMPLED_OUTSIDE_GOLD = 4
# Points per scenario also tried with a real SIGKILL: one in the gold refresh, one outside gold.
REALLY_KILLED = 2


@dataclass(frozen=True)
class Statement:
    number: int
    label: str

    @property
    def in_gold_refresh(self) -> bool:
        return "sp_refresh_gold_layer:" in self.label

    @property
    def only_reads(self) -> bool:
        """A procedure's result query, or the CALL itself: nothing is written between it and the next."""
        return ": SELECT " in self.label or ": CALL " in self.label

    @property
    def is_gold(self) -> bool:
        return self.label.startswith("  ") or self.label.split(":")[0].split()[-1].startswith(("gold.", "quality"))


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TICKETMASTER_API_KEY", "LAKEHOUSE_DATA_DIR")}
    env["PYTHONPATH"] = str(REPO)
    return env


def harness(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "tests.reliability.crashing_run", *args]
    return subprocess.run(command, cwd=REPO, env=_environment(), capture_output=True, text=True, timeout=3600)


def clean_run(data_dir: Path, trace: Path) -> list[Statement]:
    """A run that is not killed; the statements it sent, numbered."""
    done = harness("0", str(trace), "run", "--skip-ingest", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    listed = []
    for line in trace.read_text(encoding="utf-8").splitlines():
        number, label = line.split("\t", 1)
        listed.append(Statement(int(number), label))
    return listed


def incremental_landing(landing: Path) -> None:
    """A second batch: changed events, renamed venues and attractions, shorter bills, new events."""

    def read(entity: str) -> list[dict]:
        files = sorted((landing / entity).rglob("*.json"))
        return [json.loads(line) for f in files for line in f.read_text().splitlines()]

    def write(entity: str, records: list[dict]) -> None:
        folder = landing / entity / "2025" / "01" / "16"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"second-{entity}.json").write_text("".join(json.dumps(r) + "\n" for r in records))

    events, venues, attractions = read("events"), read("venues"), read("attractions")
    venues_renamed = [{**v, "name": v["name"] + " (renamed)"} for v in venues[:4]]
    attractions_renamed = [{**a, "name": a["name"] + " (renamed)"} for a in attractions[:6]]
    changed = []
    for index, event in enumerate(events[:40]):
        event = json.loads(json.dumps(event))
        event["dates"]["status"] = {"code": "cancelled" if index % 2 else "rescheduled"}
        listed = event.get("_embedded", {}).get("attractions") or []
        if index % 3 == 0 and len(listed) > 1:
            event["_embedded"]["attractions"] = listed[:-1]  # the last act left the bill
        changed.append(event)
    new = []
    for index, event in enumerate(events[40:55]):
        event = json.loads(json.dumps(event))
        event["id"] = f"crash-test-new-{index}"
        new.append(event)
    write("venues", venues_renamed)
    write("attractions", attractions_renamed)
    write("events", changed + new)


def choose(listed: list[Statement], *, every_gold_statement: bool) -> list[Statement]:
    """Every gold refresh statement; other gold statements once per distinct text; a sample of the rest."""
    run_phase = [s for s in listed if not s.label.startswith("deploy ")]
    chosen: dict[int, Statement] = {s.number: s for s in run_phase if s.in_gold_refresh}
    if every_gold_statement:
        seen: set[str] = set()
        for s in run_phase:
            if s.is_gold and not s.only_reads and s.label not in seen:
                seen.add(s.label)
                chosen.setdefault(s.number, s)
    else:
        deploy = [s for s in listed if s.label.startswith("deploy ")]
        for s in (deploy[0], deploy[len(deploy) // 2]):
            chosen[s.number] = s
    outside = [s for s in run_phase if not s.is_gold]
    step = max(len(outside) // SAMPLED_OUTSIDE_GOLD, 1)
    for s in outside[::step][:SAMPLED_OUTSIDE_GOLD]:
        chosen[s.number] = s
    return [chosen[n] for n in sorted(chosen)]


def really_killed(chosen: list[Statement]) -> list[Statement]:
    """The points also tried with a real SIGKILL: the middle one of the gold refresh, the first outside gold."""
    refresh = [s for s in chosen if s.in_gold_refresh]
    outside = [s for s in chosen if not s.is_gold]
    return ([refresh[len(refresh) // 2]] + outside[:1])[:REALLY_KILLED]


def crash_and_recover(start: Path, work: Path, chosen: list[Statement], killed: list[Statement]) -> list[dict]:
    """Each crash point, then a normal run, in batches that share the machine's cores: the snapshots of
    every point and the real kills of `killed`. One outcome per trial, with the point and how it crashed."""
    workers = max(1, min(4, os.cpu_count() or 1))
    # Neighbouring points often leave the same files (a statement that wrote nothing between them),
    # which a job recovers once: each job takes a run of neighbours.
    size = -(-len(chosen) // workers)
    jobs = [("batch", killed)] + [("snapshots", chosen[i : i + size]) for i in range(0, len(chosen), size)]

    def one(index: int) -> subprocess.CompletedProcess:
        mode, points = jobs[index]
        folder = work / f"{mode}-{index}"
        folder.mkdir()
        return harness(mode, str(start), str(folder), *(str(s.number) for s in points))

    with ThreadPoolExecutor(workers) as pool:
        for done in pool.map(one, range(len(jobs))):
            assert done.returncode == 0, done.stderr
    outcomes = []
    for index, (mode, points) in enumerate(jobs):
        for s in points:
            outcome = pickle.loads((work / f"{mode}-{index}" / f"{s.number}.pickle").read_bytes())
            outcomes.append({**outcome, "statement": s, "how": "SIGKILL" if mode == "batch" else "snapshot"})
    return outcomes


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[Statement], dict]]:
    from ingest import land_sample

    root = tmp_path_factory.mktemp("crash")
    first_start = root / "first-start"
    land_sample(first_start / "landing", events=EVENTS)
    first_clean = root / "first-clean"
    shutil.copytree(first_start, first_clean)
    first = clean_run(first_clean, root / "first.trace")
    incremental_start = root / "incremental-start"
    shutil.copytree(first_clean, incremental_start)
    incremental_landing(incremental_start / "landing")
    incremental_clean = root / "incremental-clean"
    shutil.copytree(incremental_start, incremental_clean)
    incremental = clean_run(incremental_clean, root / "incremental.trace")
    return {
        "first": (first_start, first, gold_content(first_clean)),
        "incremental": (incremental_start, incremental, gold_content(incremental_clean)),
    }


@pytest.mark.parametrize("scenario", ["first", "incremental"])
def test_a_killed_run_leaves_gold_as_a_clean_run_after_the_next_run(scenarios, scenario, tmp_path, capsys):
    start, listed, reference = scenarios[scenario]
    assert reference["bridge_event_attraction"] and reference["fact_events"]
    chosen = choose(listed, every_gold_statement=scenario == "incremental")
    assert sum(s.in_gold_refresh for s in chosen) >= 15  # every statement of the gold refresh
    killed = really_killed(chosen)
    assert len(killed) == REALLY_KILLED
    started = time.monotonic()
    outcomes = crash_and_recover(start, tmp_path, chosen, killed)
    elapsed = time.monotonic() - started
    assert sorted((o["how"], o["statement"].number) for o in outcomes) == sorted(
        [("snapshot", s.number) for s in chosen] + [("SIGKILL", s.number) for s in killed]
    )
    failures = []
    for outcome in outcomes:
        s = outcome["statement"]
        differences = [t for t in reference if outcome["gold"] is None or outcome["gold"].get(t) != reference[t]]
        if not (outcome["crashed"] and outcome["recovered"] and not differences):
            failures.append(
                f"#{s.number} {s.label.strip()} ({outcome['how']}): crashed={outcome['crashed']} "
                f"recovered={outcome['recovered']} tables that differ: {differences}"
            )
    with capsys.disabled():
        print(
            f"\n{scenario} run: {len(chosen)} of {len(listed)} statements tried as crash points "
            f"({sum(s.in_gold_refresh for s in chosen)} in the gold refresh, {len(killed)} also with a real SIGKILL) "
            f"in {elapsed:.0f} s: {sum(o['crashed'] for o in outcomes)} crashed "
            f"({sum('same_files_as' not in o for o in outcomes)} distinct crash states), "
            f"{sum(o['recovered'] for o in outcomes)} recovered, "
            f"{len(outcomes) - len(failures)} with gold identical to the clean run"
        )
    assert not failures, "\n".join(failures)
