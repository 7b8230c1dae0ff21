"""The SQL project: find the files, render them for a target, and order them for execution."""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import jinja2

from runner.config import PROJECT_ROOT, Target
from runner.errors import LakehouseError
from runner.macros import add_filters, dispatch
from runner.materialized_view_sql import is_materialized_view, parse_materialized_view
from runner.quality.rules import REGISTER_RULE, ROWS_CHECKED, Rule, RuleError, build_rule
from runner.splitter import Statement, split_statements, strip_comments
from runner.streaming_sql import StreamingTableSpec, is_streaming_table, parse_streaming_table

SQL_ROOT = PROJECT_ROOT / "sql"
# Execution order of the folders; within a folder, files are ordered by their ref() dependencies.
LAYER_ORDER = ("setup", "bronze", "silver", "gold", "procedures", "quality")
# Objects of these folders live in the schema of the same name; the rest choose with ref().
SCHEMA_OF_LAYER = {"bronze": "bronze", "silver": "silver", "gold": "gold", "procedures": "gold", "quality": "gold"}

# Statements that define objects run at deploy; statements that move data run at run.
_DEPLOY_KEYWORDS = {"CREATE", "ALTER", "COMMENT", "GRANT", "REVOKE", "USE", "DROP"}
_RUN_KEYWORDS = {
    "INSERT", "MERGE", "UPDATE", "DELETE", "CALL", "REFRESH", "OPTIMIZE", "ANALYZE",
    "VACUUM", "TRUNCATE", "EXECUTE", "BEGIN", "SELECT", "WITH", "CHECKPOINT",
}  # fmt: skip


@dataclass(frozen=True)
class SqlFile:
    path: Path
    layer: str
    name: str

    @property
    def key(self) -> str:
        return f"{self.layer}.{self.name}"


@dataclass
class CompiledObject:
    """One SQL file rendered for one target."""

    file: SqlFile
    sql: str
    deploy: list[Statement] = field(default_factory=list)
    run: list[Statement] = field(default_factory=list)
    streaming_tables: list[StreamingTableSpec] = field(default_factory=list)
    materialized_views: list[str] = field(default_factory=list)
    refs: set[str] = field(default_factory=set)
    # (this object, source) for each source it reads since its last load: the run advances them at once
    watermarks: set[tuple[str, str]] = field(default_factory=set)
    header: str = ""
    rule: Rule | None = None

    @property
    def key(self) -> str:
        return self.file.key


def discover(sql_root: Path = SQL_ROOT) -> list[SqlFile]:
    files: list[SqlFile] = []
    for layer in LAYER_ORDER:
        folder = sql_root / layer
        if folder.is_dir():
            files.extend(SqlFile(path, layer, path.stem) for path in sorted(folder.glob("*.sql")))
    return files


def _header(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("--"):
            return stripped.lstrip("-").strip()
        if stripped:
            break
    return ""


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs (Jinja's per-user folder under the temporary directory;
    a changed file is compiled again): parsing the project's templates was most of a compile. A cache
    that cannot be read or written only costs that time again."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        # By the template's name alone: a copy of the project in another folder (a test's, a second
        # checkout) shares the entry instead of adding one for good; a changed source is told by its
        # checksum and compiled again.
        return super().get_cache_key(name)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _template_cache() -> jinja2.BytecodeCache | None:
    try:
        return _TemplateCache()
    except (OSError, RuntimeError):  # no private temporary folder to be had
        return None


_ENVIRONMENTS: dict[Path, jinja2.Environment] = {}
_MACROS: dict[tuple, dict[str, object]] = {}


class Renderer:
    """Renders files with the globals every SQL file may use."""

    def __init__(self, target: Target, sql_root: Path = SQL_ROOT):
        self.target = target
        self.sql_root = sql_root
        if sql_root not in _ENVIRONMENTS:  # one per folder and process: a run makes a dozen renderers
            _ENVIRONMENTS[sql_root] = jinja2.Environment(
                loader=jinja2.FileSystemLoader(str(sql_root)),
                undefined=jinja2.StrictUndefined,
                keep_trailing_newline=True,
                autoescape=False,
                bytecode_cache=_template_cache(),
            )
            add_filters(_ENVIRONMENTS[sql_root])
        self.environment = _ENVIRONMENTS[sql_root]
        self._macros: dict[str, dict[str, object]] = {}

    def macros(self, engine: str) -> dict[str, object]:
        """The engine macros of sql/macros/ for one engine: loaded again only when a macro file changed."""
        if engine not in self._macros:
            stamps = ((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in self.sql_root.glob("macros/*"))
            key = (self.sql_root, engine, *sorted(stamps))
            try:
                self._macros[engine] = _MACROS.get(key) or _MACROS.setdefault(key, dispatch(self.environment, engine))
            except (jinja2.TemplateError, ValueError) as exc:
                raise LakehouseError(f"{self.sql_root / 'macros'}: {exc}") from exc
        return self._macros[engine]

    def qualified(self, ref: str) -> str:
        layer, _, name = ref.partition(".")
        if not name or layer not in self.target.schemas:
            raise LakehouseError(f"ref({ref!r}) must name '<bronze|silver|gold>.<object>'.")
        return self.target.qualify(layer, name)

    def render_text(self, text: str, origin: str, *, macros_engine: str | None = None) -> list[Statement]:
        """Render SQL from outside the project tree (`runner exec FILE`), with the same globals.

        `macros_engine`: whose macro implementations to use; a user's file is Databricks SQL, translated
        for the local target after rendering, so its macros render their Databricks form."""
        context = self._context(set(), this=origin, watermarks=set())
        if macros_engine is not None:
            context.update(self.macros(macros_engine))
        try:
            rendered = self.environment.from_string(text).render(**context)
            return split_statements(rendered)
        except (jinja2.TemplateError, ValueError) as exc:
            raise LakehouseError(f"{origin}: {exc}") from exc

    def render_statement(self, relative: str, **variables: object) -> str:
        """One statement the runner itself sends (a file of sql/runner/), rendered with the project's
        globals and `variables`, without its comments; values go as bound parameters, not variables."""
        context = {**self._context(set(), this=relative, watermarks=set()), **variables}
        try:
            text = self.environment.get_template(relative).render(**context)
            statements = split_statements(text)
        except (jinja2.TemplateError, ValueError) as exc:
            raise LakehouseError(f"{self.sql_root / relative}: {exc}") from exc
        if len(statements) != 1:
            raise LakehouseError(f"{self.sql_root / relative}: holds {len(statements)} statements, not one")
        return strip_comments(statements[0].sql).strip()

    def _context(self, refs: set[str], this: str, watermarks: set[tuple[str, str]]) -> dict:
        def ref(name: str) -> str:
            refs.add(name)
            return self.qualified(name)

        def watermarked(name: str) -> str:
            # `this` reads `name` since its last load: the run advances the pair after its last load
            source = ref(name)
            watermarks.add((this, source))
            return source

        def landing_path(entity: str) -> str:
            # Reading a landing folder depends on the landing volume existing.
            refs.add("bronze.landing")
            return f"{self.target.landing_root}/{entity}"

        return {
            "target": {"name": self.target.name, "engine": self.target.engine},
            "this": this,
            "ref": ref,
            "watermarked": watermarked,
            "schema": self.target.schema,
            "landing_path": landing_path,
            # The configured volume's qualified name (Databricks); locally the landing zone is a folder.
            "landing_volume_name": f"{self.target.schema('bronze')}.{self.target.volume or 'landing'}",
            **self.macros(self.target.engine),
        }

    def render(self, sql_file: SqlFile) -> CompiledObject:
        refs: set[str] = set()
        watermarks: set[tuple[str, str]] = set()
        schema_name = SCHEMA_OF_LAYER.get(sql_file.layer)
        this = self.target.qualify(schema_name, sql_file.name) if schema_name else sql_file.name
        context = self._context(refs, this, watermarks)
        relative = sql_file.path.relative_to(self.sql_root).as_posix()
        try:
            text = self.environment.get_template(relative).render(**context)
        except jinja2.TemplateError as exc:
            raise LakehouseError(f"{sql_file.path}: cannot render: {exc}") from exc
        try:
            statements = split_statements(text)
        except ValueError as exc:
            raise LakehouseError(f"{sql_file.path}: {exc}") from exc
        compiled = CompiledObject(
            sql_file,
            text,
            refs=refs,
            watermarks=watermarks,
            header=_header(text),
        )
        if sql_file.layer == "quality":
            # A rule's query is never run as a statement: deploy registers it, sp_data_quality_checks runs it.
            try:
                compiled.rule = build_rule(sql_file.name, text, statements)
            except RuleError as exc:
                raise LakehouseError(f"{sql_file.path}: {exc} (see docs/quality.md)") from exc
            checked_sql = self.render_statement(ROWS_CHECKED, checked_tables=compiled.rule.checks)
            compiled.rule = dataclasses.replace(compiled.rule, checked_sql=checked_sql)
            register = self.render_statement(REGISTER_RULE)
            compiled.deploy.append(Statement(register, 1, tuple(compiled.rule.registration_values)))
            return compiled
        for statement in statements:
            keyword = statement.first_keyword
            try:
                if is_materialized_view(statement.sql):
                    # Refreshed by every run, as streaming tables are (runner.steps).
                    compiled.materialized_views.append(parse_materialized_view(statement.sql).name)
                if is_streaming_table(statement.sql):
                    compiled.streaming_tables.append(parse_streaming_table(statement.sql))
            except LakehouseError as exc:
                raise LakehouseError(f"{sql_file.path}, line {statement.line}: {exc}") from exc
            if keyword in _DEPLOY_KEYWORDS:
                compiled.deploy.append(statement)
            elif keyword in _RUN_KEYWORDS:
                compiled.run.append(statement)
            else:
                raise LakehouseError(
                    f"{sql_file.path}, line {statement.line}: cannot tell whether a {keyword} statement "
                    "defines an object (deploy) or moves data (run)."
                )
        return compiled


def compile_project(
    target: Target,
    select: str | list[str] | None = None,
    sql_root: Path = SQL_ROOT,
    exclude: str | list[str] | None = None,
    *,
    keep_setup: bool = True,
) -> list[CompiledObject]:
    """Render every file and return them in execution order, filtered by --select and --exclude."""
    from runner.selectors import select_objects

    renderer = Renderer(target, sql_root)
    compiled = [renderer.render(f) for f in discover(sql_root)]
    return select_objects(_order(compiled), select, exclude, keep_setup=keep_setup)


def _order(compiled: list[CompiledObject]) -> list[CompiledObject]:
    by_key = {c.key: c for c in compiled}
    result: list[CompiledObject] = []
    for layer in LAYER_ORDER:
        members = {c.key: c for c in compiled if c.file.layer == layer}
        graph = TopologicalSorter({key: {r for r in c.refs if r in members and r != key} for key, c in members.items()})
        try:
            graph.prepare()
        except CycleError as exc:
            raise LakehouseError(f"ref() dependencies form a cycle: {' -> '.join(exc.args[1])}") from exc
        while graph.is_active():
            ready = sorted(graph.get_ready())
            result.extend(by_key[key] for key in ready)
            graph.done(*ready)
    return result
