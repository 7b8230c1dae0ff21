"""Everything the databricks target sends, gathered once: a deploy of the prod environment (with a
run_as principal) against the fake workspace, the run SQL with and without --full-refresh, the job's
task files as uploaded, the grants, and the job, Genie and Vector Search request bodies."""

from __future__ import annotations

import base64
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from databricks.sdk import WorkspaceClient

sys.path.insert(0, str(Path(__file__).parent.parent / "workspace"))

from fake_databricks import FakeDatabricks, Request  # noqa: E402
from fake_warehouse import FakeWarehouse  # noqa: E402

from runner.config import REPO_ROOT, Target, load_target  # noqa: E402
from runner.engines.databricks_engine import DatabricksEngine  # noqa: E402
from runner.project import CompiledObject, compile_project  # noqa: E402
from runner.splitter import strip_comments  # noqa: E402
from runner.steps import run_steps  # noqa: E402
from workspace.deploy import deploy_workspace  # noqa: E402
from workspace.grants import grant_statements  # noqa: E402
from workspace.settings import WorkspaceSettings, load_settings  # noqa: E402

RUN_AS = "6f0c2a8e-0000-4000-8000-00000000a11c"


@dataclass
class Sent:
    target: Target
    settings: WorkspaceSettings
    objects: list[CompiledObject]
    deploy_sql: list[str]
    run_sql: list[str]
    task_files: dict[str, str]
    grants: list[str]
    job: dict
    genie: dict
    vector_endpoint: dict
    vector_index: dict
    requests: list[Request] = field(default_factory=list)

    @property
    def all_sql(self) -> list[str]:
        return self.deploy_sql + self.run_sql

    def created(self, pattern: str) -> dict[str, str]:
        """Name -> statement of every deploy statement creating an object: pattern is the CREATE words."""
        found = {}
        for sql in self.deploy_sql:
            text = strip_comments(sql).strip()
            match = re.match(rf"{pattern}\s+([\w.]+)", text, re.IGNORECASE)
            if match:
                found[match.group(1)] = text
        return found


@pytest.fixture(scope="session")
def sent(tmp_path_factory) -> Sent:
    settings_file = tmp_path_factory.mktemp("conformance") / "lakehouse.toml"
    text = (REPO_ROOT / "lakehouse.toml").read_text()
    settings_file.write_text(re.sub(r'^run_as = ""', f'run_as = "{RUN_AS}"', text, count=1, flags=re.M))
    with pytest.MonkeyPatch.context() as patch, FakeDatabricks() as fake:
        patch.setenv("LAKEHOUSE_SETTINGS", str(settings_file))
        patch.setenv("DATABRICKS_WAREHOUSE_ID", "wh0123456789")
        patch.delenv("LAKEHOUSE_CATALOG", raising=False)
        fake.state.secrets["ticketmaster"] = {"ticketmaster_api_key"}
        client = WorkspaceClient(host=fake.host, token="dapi-test-token")
        settings = load_settings("prod")
        target = settings.apply_to(load_target("databricks"))
        objects = compile_project(target)
        warehouse = FakeWarehouse(fake.state)
        engine = DatabricksEngine(target, connect=warehouse.connect, sdk_config=client.config)
        deploy_workspace(client, settings, target, objects, engine, lambda _: None)
        run_sql = [s.sql for full in (False, True) for s in run_steps(target, objects, full_refresh=full) if s.sql]
        files = {p: base64.b64decode(c).decode() for p, c in fake.state.files.items() if p.endswith(".sql")}
        [job] = [r.body for r in fake.calls("POST", "/api/2.2/jobs/create")]
        [space] = [r.body for r in fake.calls("POST", "/api/2.0/genie/spaces")]
        [endpoint] = [r.body for r in fake.calls("POST", "/api/2.0/vector-search/endpoints")]
        [index] = [r.body for r in fake.calls("POST", "/api/2.0/vector-search/indexes")]
        return Sent(
            target=target,
            settings=settings,
            objects=objects,
            deploy_sql=list(warehouse.statements),
            run_sql=run_sql,
            task_files=files,
            grants=grant_statements(settings, objects),
            job=job,
            genie={**space, "serialized_space": json.loads(space["serialized_space"])},
            vector_endpoint=endpoint,
            vector_index=index,
            requests=list(fake.state.requests),
        )
