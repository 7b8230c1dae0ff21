"""Is the workspace ready for the lakehouse? One check per setting, in the order a user fixes them.

Configuration first, without any request (host, warehouse, catalog named), then the workspace itself:
the host answers, the identity authenticates, the warehouse exists and is serverless, the catalog,
schemas and landing volume exist (or deploy creates them), the API key's secret exists, and the
identity holds the privileges deploy needs. Each check is one line: pass, fail with the fix, or
todo (absent, and deploy creates it). `debug` prints them all; `plan --env`, `deploy` and `run`
stop at the first failure before any work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from runner.config import LAYERS, Target
from runner.errors import LakehouseError
from workspace.connection import configured_host, probe, sdk_config
from workspace.settings import WorkspaceSettings

PASS, FAIL, TODO = "pass", "fail", "todo"

# What deploy does with each securable, as Unity Catalog privilege names. Ownership or ALL PRIVILEGES
# covers them; privileges granted on the catalog are inherited by its schemas.
CATALOG_PRIVILEGES = ("USE_CATALOG",)
NEW_SCHEMA_PRIVILEGES = ("CREATE_SCHEMA",)
SCHEMA_PRIVILEGES = ("USE_SCHEMA", "SELECT", "MODIFY", "CREATE_TABLE", "CREATE_MATERIALIZED_VIEW", "CREATE_FUNCTION")
BRONZE_PRIVILEGES = ("CREATE_VOLUME", "READ_VOLUME", "WRITE_VOLUME")


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str
    fix: str = ""

    def line(self) -> str:
        text = f"  {self.status:<4}  {self.name:<10}  {self.detail}"
        return text + (f"\n{'':18}fix: {self.fix}" if self.fix else "")

    @property
    def failed(self) -> bool:
        return self.status == FAIL


def configuration_checks(target: Target) -> list[Check]:
    """What can be checked without a request, in the order a user fixes it."""
    host = configured_host(target.profile)
    checks = [
        Check("host", PASS, f"{host.host} (from {host.source})")
        if host.host
        else Check(
            "host",
            FAIL,
            "no Databricks workspace is configured",
            "set DATABRICKS_HOST=https://<workspace>.cloud.databricks.com and DATABRICKS_TOKEN, "
            "or DATABRICKS_CONFIG_PROFILE naming a profile of ~/.databrickscfg",
        )
    ]
    if target.warehouse_id or target.http_path:
        checks.append(Check("warehouse", PASS, f"{target.warehouse_id or target.http_path} (configured)"))
    else:
        checks.append(
            Check(
                "warehouse",
                FAIL,
                "no SQL warehouse is configured",
                "set DATABRICKS_WAREHOUSE_ID, or warehouse_id in [workspace] of lakehouse.toml, to the id of a "
                "serverless SQL warehouse (SQL Warehouses > your warehouse > Connection details)",
            )
        )
    checks.append(Check("catalog", PASS, f"{target.catalog} (configured)"))
    return checks


def workspace_checks(
    client_factory: Callable[[], Any], target: Target, settings: WorkspaceSettings | None = None
) -> Iterator[Check]:
    """Checks that ask the workspace, each yielded as soon as it is known; none writes anything."""
    from databricks.sdk.errors import DatabricksError, NotFound, PermissionDenied, Unauthenticated

    host = configured_host(target.profile)
    if host.host:
        try:
            probe(host)
        except LakehouseError as exc:
            yield Check("reach", FAIL, str(exc).split(". Check")[0], f"check {host.source}, the network or VPN")
            return
        yield Check("reach", PASS, f"{host.host} answers")
    try:
        client = client_factory()
        me = client.current_user.me()
    except LakehouseError as exc:
        yield Check("auth", FAIL, str(exc))
        return
    except (Unauthenticated, PermissionDenied) as exc:
        yield Check(
            "auth",
            FAIL,
            f"the workspace refused the credentials: {_first_line(exc)}",
            "renew DATABRICKS_TOKEN (or run `databricks auth login` for the profile)",
        )
        return
    user = me.user_name or (me.id or "?")
    yield Check("auth", PASS, f"{user} ({client.config.auth_type} auth)")

    warehouse_id = target.warehouse_id or (target.http_path or "").rsplit("/", 1)[-1]
    try:
        warehouse = client.warehouses.get(warehouse_id)
    except NotFound:
        yield Check(
            "warehouse",
            FAIL,
            f"warehouse {warehouse_id} does not exist or {user} may not use it",
            "set DATABRICKS_WAREHOUSE_ID (or warehouse_id in lakehouse.toml) to a serverless warehouse you can use",
        )
        return
    kind = "serverless" if warehouse.enable_serverless_compute else str(getattr(warehouse.warehouse_type, "value", ""))
    state = str(getattr(warehouse.state, "value", warehouse.state))
    if warehouse.enable_serverless_compute:
        yield Check("warehouse", PASS, f"{warehouse.name} ({warehouse_id}): serverless, {state}")
    else:
        yield Check(
            "warehouse",
            FAIL,
            f"{warehouse.name} ({warehouse_id}) is a {kind or 'classic'} warehouse",
            "use a serverless SQL warehouse: procedures need one, and streaming tables and materialized views "
            "need serverless or pro",
        )

    catalog_name = target.catalog or "main"
    try:
        catalog = client.catalogs.get(catalog_name)
    except NotFound:
        if settings is not None and settings.create_catalog:
            yield Check("catalog", TODO, f"{catalog_name} does not exist; deploy creates it (create_catalog = true)")
            catalog = None
        else:
            yield Check(
                "catalog",
                FAIL,
                f"{catalog_name} does not exist or {user} cannot see it",
                f"ask an admin for USE CATALOG on an existing catalog and set it (LAKEHOUSE_CATALOG), or set "
                f"create_catalog = true to let deploy run CREATE CATALOG {catalog_name}",
            )
            return
    else:
        yield Check("catalog", PASS, f"{catalog_name} (owner {catalog.owner})")

    missing_schemas = []
    for layer in LAYERS:
        full = target.schema(layer)
        try:
            client.schemas.get(full)
        except NotFound:
            missing_schemas.append(full)
            yield Check("schema", TODO, f"{full} does not exist yet; deploy creates it")
        else:
            yield Check("schema", PASS, full)

    volume = f"{target.schema('bronze')}.{target.volume}"
    if target.schema("bronze") in missing_schemas:
        yield Check("volume", TODO, f"{volume} does not exist yet; deploy creates it and its entity folders")
    else:
        try:
            client.volumes.read(volume)
        except NotFound:
            yield Check("volume", TODO, f"{volume} does not exist yet; deploy creates it and its entity folders")
        else:
            yield Check("volume", PASS, f"{volume} ({target.landing_root})")

    if settings is not None:
        name = f"{settings.secret_scope}/{settings.secret_key}"
        try:
            keys = {s.key for s in client.secrets.list_secrets(settings.secret_scope)}
        except NotFound:
            keys = set()
        if settings.secret_key in keys:
            yield Check("secret", PASS, f"{name} exists (its value is not read)")
        else:
            yield Check(
                "secret",
                FAIL,
                f"{name} does not exist; the ingest task reads the Ticketmaster API key from it",
                f"databricks secrets create-scope {settings.secret_scope}; "
                f"databricks secrets put-secret {settings.secret_scope} {settings.secret_key}",
            )

    if catalog is not None:
        yield from _privilege_checks(client, target, user, catalog, missing_schemas, DatabricksError)


def _privilege_checks(
    client: Any, target: Target, user: str, catalog: Any, missing_schemas: list[str], error: type[Exception]
) -> Iterator[Check]:
    """The deployer's effective privileges on the catalog and on each existing schema."""
    if catalog.owner == user:
        yield Check("privileges", PASS, f"{user} owns catalog {catalog.name}")
        return
    wanted = {catalog.name: CATALOG_PRIVILEGES + (NEW_SCHEMA_PRIVILEGES if missing_schemas else ())}
    for layer in LAYERS:
        full = target.schema(layer)
        if full not in missing_schemas:
            wanted[full] = SCHEMA_PRIVILEGES + (BRONZE_PRIVILEGES if layer == "bronze" else ())
    for securable, privileges in wanted.items():
        kind = "catalog" if securable == catalog.name else "schema"
        try:
            held = _effective(client, kind, securable, user)
        except error as exc:
            yield Check("privileges", FAIL, f"cannot read the privileges on {securable}: {_first_line(exc)}")
            continue
        lacking = [p for p in privileges if p not in held and "ALL_PRIVILEGES" not in held]
        if lacking:
            needed = ", ".join(p.replace("_", " ") for p in lacking)
            yield Check(
                "privileges",
                FAIL,
                f"{user} lacks {needed} on {kind} {securable}",
                f"GRANT {needed} ON {kind.upper()} {securable} TO `{user}` (or to a group of {user})",
            )
        else:
            yield Check("privileges", PASS, f"{kind} {securable}: {', '.join(privileges).replace('_', ' ')}")


def _effective(client: Any, kind: str, full_name: str, user: str) -> set[str]:
    answer = client.grants.get_effective(kind, full_name, principal=user)
    held: set[str] = set()
    for assignment in answer.privilege_assignments or []:
        for privilege in assignment.privileges or []:
            held.add(str(getattr(privilege.privilege, "value", privilege.privilege)))
    return held


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def ensure_ready(
    target: Target, settings: WorkspaceSettings | None = None, *, say: Callable[[str], None] | None = None
) -> None:
    """Every check in order; the first failure stops the command before any work, with its fix.

    The SDK client is made only after the configuration checks pass, so an unconfigured target says
    what to set first, not why authentication failed."""
    for check in configuration_checks(target):
        if check.failed:
            raise LakehouseError(f"{check.name}: {check.detail}; fix: {check.fix}")
    for check in workspace_checks(lambda: client_for(target), target, settings):
        if say is not None:
            say(check.line())
        if check.failed:
            raise LakehouseError(f"{check.name}: {check.detail}" + (f"; fix: {check.fix}" if check.fix else ""))


def client_for(target: Target) -> Any:
    from databricks.sdk import WorkspaceClient

    return WorkspaceClient(config=sdk_config(target))
