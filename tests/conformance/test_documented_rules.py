"""One test per documented Databricks rule, over everything the databricks target sends (conftest.Sent).

Each test's docstring names the documentation page it encodes (paths under
https://docs.databricks.com/aws/en/); docs/databricks.md says what each rule changed here.
"""

from __future__ import annotations

import dataclasses
import re

from runner.config import LAYERS
from runner.splitter import split_statements, strip_comments
from runner.streaming_sql import StreamingTableSpec
from scripting import ast
from scripting.lexer import STRING, tokenize
from scripting.parser import parse_procedure
from tests.sqlfluff_exemptions import exemption_for

# ---------------------------------------------------------------- helpers


def _nodes(node: object):
    """Every scripting AST node under node, depth first."""
    if isinstance(node, ast.Node):
        yield node
        for item in dataclasses.fields(node):
            yield from _nodes(getattr(node, item.name))
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _nodes(item)


def _procedures(sent) -> dict[str, ast.ProcedureDef]:
    return {name: parse_procedure(sql) for name, sql in sent.created("CREATE OR REPLACE PROCEDURE").items()}


def _ddl_paths(ddl: str, prefix: str = "") -> set[str]:
    """The dotted paths of a read_files schema (a DDL column list), lists stepped into as `[]`."""
    paths: set[str] = set()
    depth, start, fields = 0, 0, []
    for index, char in enumerate(ddl + ","):
        depth += {"<": 1, ">": -1}.get(char, 0)
        if char == "," and depth == 0:
            fields.append(ddl[start:index].strip())
            start = index + 1
    for item in fields:
        match = re.fullmatch(r"`(\w+)`:? (.*)", item, re.S)
        assert match, f"not a DDL field: {item}"
        name, kind = match.groups()
        path = f"{prefix}.{name}" if prefix else name
        while kind.startswith("ARRAY<"):
            kind, path = kind[len("ARRAY<") : -1], path + "[]"
        paths |= _ddl_paths(kind[len("STRUCT<") : -1], path) if kind.startswith("STRUCT<") else {path}
    return paths


def _streaming_specs(sent) -> dict[str, StreamingTableSpec]:
    return {spec.name: spec for obj in sent.objects for spec in obj.streaming_tables}


def _materialized_views(sent) -> list[str]:
    return [name for obj in sent.objects for name in obj.materialized_views]


# ---------------------------------------------------------------- streaming tables and materialized views


def test_refresh_names_the_kind_of_the_object_it_refreshes(sent):
    """sql/language-manual/sql-ref-syntax-ddl-refresh-full: REFRESH { MATERIALIZED VIEW | [ STREAMING ] TABLE }
    name [ FULL | { SYNC | ASYNC } ]; the server checks the kind (NON_MATERIALIZED_VIEW, NON_STREAMING_TABLE)."""
    streaming = set(sent.created("CREATE OR REFRESH STREAMING TABLE"))
    views = set(sent.created("CREATE OR REPLACE MATERIALIZED VIEW"))
    texts = sent.run_sql + list(sent.task_files.values())
    refreshes = [s.sql for text in texts for s in split_statements(text) if s.first_keyword == "REFRESH"]
    assert len(refreshes) >= 2 * (len(streaming) + len(views))
    for sql in refreshes:
        text = " ".join(strip_comments(sql).split())
        match = re.fullmatch(r"REFRESH (MATERIALIZED VIEW|STREAMING TABLE) ([\w.]+)( FULL)?", text)
        assert match, f"not a documented REFRESH form: {text}"
        kind, name = match.group(1), match.group(2)
        assert name in (views if kind == "MATERIALIZED VIEW" else streaming), f"{text}: {name} is not a {kind}"
        assert exemption_for(text), text


def test_streaming_tables_are_created_with_create_or_refresh(sent):
    """sql/language-manual/sql-ref-syntax-ddl-create-streaming-table: a streaming table is created or updated
    with CREATE OR REFRESH STREAMING TABLE; CREATE OR REPLACE is not its grammar."""
    specs = _streaming_specs(sent)
    assert set(sent.created("CREATE OR REFRESH STREAMING TABLE")) == set(specs)
    assert not [s for s in sent.deploy_sql if re.match(r"\s*CREATE OR REPLACE STREAMING TABLE", s, re.I)]


def test_streaming_tables_declare_a_schema_covering_every_field_silver_reads(sent):
    """ingestion/cloud-object-storage/auto-loader/schema and sql/language-manual/functions/read_files: creation
    runs the first refresh, inference over an empty folder fails (CF_EMPTY_DIR_FOR_SCHEMA_INFERENCE), and a
    field no file carried yet is no column. With a schema nothing is inferred; schemaEvolutionMode defaults to
    none when a schema is given, and addNewColumns is refused with one."""
    specs = _streaming_specs(sent)
    statements = sent.created("CREATE OR REFRESH STREAMING TABLE")
    for name in specs:
        sql = statements[name]
        assert re.search(r"read_files\([^)]*\bschema => '", sql, re.S), f"{name} infers its schema"
        assert "addNewColumns" not in sql and "inferColumnTypes" not in sql, name
        assert "rescuedDataColumn => '_rescued_data'" in sql, name
    reads = _bronze_reads()
    tables = {name.rsplit(".", 1)[1] for name in specs}
    assert {table for table, _ in reads} == tables, "every bronze table is read by silver"
    # Below the top level the local bronze columns are typed by the same schema (streaming/declared.py), so
    # a silver read of a field it does not declare fails to bind in every local run of silver.
    ddl = {name.rsplit(".", 1)[1]: spec.schema for name, spec in specs.items()}
    for table, keys in reads:
        missing = keys - {path.split(".")[0].removesuffix("[]") for path in _ddl_paths(ddl[table])}
        assert not missing, f"silver reads {sorted(missing)} of {table}, which its schema does not declare"


_LOCAL_READ = re.compile(
    r"\(SELECT ((?:r\.\"\w+\", )+)r\._source_file, r\._ingestion_timestamp, r\._source_line FROM bronze\.(\w+) AS r\)"
)


def _bronze_reads() -> list[tuple[str, set[str]]]:
    """The top-level keys each silver statement reads of a bronze table (bronze_columns, local form)."""
    from runner.config import load_target
    from runner.project import compile_project

    reads = []
    for obj in compile_project(load_target("local", data_dir="data"), "silver"):
        for statement in obj.deploy + obj.run:
            for columns, table in _LOCAL_READ.findall(statement.sql):
                reads.append((table, set(re.findall(r'r\."(\w+)"', columns))))
    return reads


def test_the_declared_schema_is_the_ddl_sent():
    """sql/language-manual/functions/read_files (option schema: a DDL string): the schema text is the
    declared shape, field for field, so the coverage above is coverage of what the warehouse receives."""
    from runner.config import load_target
    from runner.project import Renderer

    schema_ddl = Renderer(load_target("databricks")).macros("databricks")["read_files_schema"]
    ddl = schema_ddl({"id": "STRING", "dates": {"start": {"localDate": "STRING"}}, "priceRanges": [{"min": "STRING"}]})
    assert ddl == (
        "`id` STRING, `dates` STRUCT<`start`: STRUCT<`localDate`: STRING>>, `priceRanges` ARRAY<STRUCT<`min`: STRING>>"
    )


def test_materialized_view_column_comments_are_in_the_column_list(sent):
    """sql/language-manual/sql-ref-syntax-ddl-create-materialized-view: column_list ( column_name column_type
    [COMMENT column_comment] ); CREATE OR REPLACE and each refresh re-run the definition, so a COMMENT ON COLUMN
    made afterwards is not part of it."""
    views = sent.created("CREATE OR REPLACE MATERIALIZED VIEW")
    assert set(views) == set(_materialized_views(sent)) and len(views) == 3
    for name, sql in views.items():
        head = sql.split("\nAS ", 1)[0]
        columns = re.findall(r"^\s+(\w+) (\w+) COMMENT '", head, re.M)
        assert len(columns) >= 3, f"{name} has no typed, commented column list"
    assert not [s for s in sent.deploy_sql if re.match(r"COMMENT ON COLUMN (" + "|".join(views) + r")\.", s)]


def test_materialized_view_sources_enable_row_tracking(sent):
    """optimizations/incremental-refresh (incremental refresh for materialized views): a Delta source needs
    row tracking, delta.enableRowTracking = true; without it every refresh recomputes the view."""
    tables = sent.created("CREATE TABLE IF NOT EXISTS")
    for name, sql in sent.created("CREATE OR REPLACE MATERIALIZED VIEW").items():
        sources = set(re.findall(r"\bmain\.gold\.\w+\b", sql.split("\nAS ", 1)[1]))
        assert sources, name
        for source in sources:
            assert "'delta.enableRowTracking' = 'true'" in tables[source], f"{name} reads {source} without row tracking"


# ---------------------------------------------------------------- privileges


def test_the_job_identity_may_refresh_what_the_job_refreshes(sent):
    """sql/language-manual/sql-ref-syntax-ddl-refresh-full and data-governance/unity-catalog/manage-privileges:
    refreshing needs the REFRESH privilege or ownership ("Owners have this privilege implicitly"); MODIFY is not
    enough. The job runs as run_as, a member of the pipeline group, so the group holds REFRESH on each."""
    assert sent.job["run_as"] == {"service_principal_name": sent.settings.run_as}
    pipeline = set(sent.settings.principals("write_bronze")) | set(sent.settings.principals("write_gold"))
    refreshed = set()
    for content in sent.task_files.values():
        for statement in split_statements(content):
            match = re.fullmatch(r"REFRESH (MATERIALIZED VIEW|STREAMING TABLE) ([\w.]+)", statement.sql)
            if match:
                refreshed.add((match.group(1), match.group(2)))
    assert len(refreshed) == 7
    for kind, name in refreshed:
        securable = "MATERIALIZED VIEW" if kind == "MATERIALIZED VIEW" else "TABLE"
        for principal in pipeline:
            assert f"GRANT REFRESH ON {securable} {name} TO `{principal}`" in sent.grants, (name, principal)
    assert all(grant in sent.deploy_sql for grant in sent.grants), "every grant is sent after the objects exist"


# ---------------------------------------------------------------- procedures and SQL scripting


def test_signal_message_text_is_a_string_literal(sent):
    """sql/language-manual/control-flow/signal-stmt: SIGNAL ... SET MESSAGE_TEXT = a STRING literal; a computed
    message goes through SIGNAL USER_RAISED_EXCEPTION SET MESSAGE_ARGUMENTS = a MAP<STRING, STRING>."""
    signals = 0
    for name, procedure in _procedures(sent).items():
        for node in _nodes(procedure.body):
            if not isinstance(node, ast.SignalStmt) or node.message is None:
                continue
            signals += 1
            if node.item == "MESSAGE_TEXT":
                tokens = tokenize(node.message.text)[:-1]
                assert len(tokens) == 1 and tokens[0].kind == STRING, f"{name}: {node.message.text}"
            else:
                assert node.sqlstate is None and node.condition_name == "USER_RAISED_EXCEPTION", name
    assert signals >= 2


def test_procedure_bodies_hold_only_the_statements_scripting_lists(sent):
    """sql/language-manual/sql-ref-scripting: a compound statement body holds flow control, DDL (ALTER, CREATE,
    DROP), DCL (GRANT, REVOKE), DML (INSERT, UPDATE, DELETE, MERGE), queries, SET, EXECUTE IMMEDIATE and nested
    compounds. OPTIMIZE, ANALYZE, VACUUM and REFRESH are not listed: they run as statements of their own."""
    allowed = {"ALTER", "CREATE", "DROP", "COMMENT", "GRANT", "REVOKE", "INSERT", "UPDATE", "DELETE", "MERGE"}
    allowed |= {"SELECT", "WITH", "VALUES", "FROM", "TABLE"}
    procedures = _procedures(sent)
    assert len(procedures) == 3
    for name, procedure in procedures.items():
        for node in _nodes(procedure.body):
            if isinstance(node, ast.SqlStmt):
                assert node.keyword in allowed, f"{name}: {node.keyword} is not a statement a procedure body may hold"


def test_compound_statements_declare_first_and_have_no_top_level_label(sent):
    """sql/language-manual/control-flow/compound-stmt: declarations (variables, conditions), then handlers,
    then statements; "label must not be specified for a top level compound statement"; plain SET inside."""
    for name, procedure in _procedures(sent).items():
        assert procedure.body.label is None, name
        for node in _nodes(procedure.body):
            if isinstance(node, ast.SqlStmt):
                assert not re.match(r"SET\s+VAR(IABLE)?\b", node.sql.text, re.I), name
    for name, sql in sent.created("CREATE OR REPLACE PROCEDURE").items():
        body = sql.split(" AS BEGIN", 1)[1] if " AS BEGIN" in sql else sql.split("\nAS BEGIN", 1)[1]
        order = [m.group(1) for m in re.finditer(r"^\s{4}(DECLARE (?:EXIT|CONTINUE) HANDLER|DECLARE|\w+)", body, re.M)]
        kinds = ["handler" if w.endswith("HANDLER") else "declare" if w == "DECLARE" else "stmt" for w in order]
        assert kinds == sorted(kinds, key=["declare", "handler", "stmt"].index), f"{name}: {order}"


def test_execute_immediate_takes_a_literal_or_a_variable(sent):
    """sql/language-manual/sql-ref-syntax-aux-execute-immediate: before Runtime 17.3 the statement text is a
    STRING literal or a variable, not an expression."""
    for name, procedure in _procedures(sent).items():
        for node in _nodes(procedure.body):
            if isinstance(node, ast.ExecuteImmediateStmt):
                tokens = tokenize(node.sql_string.text)[:-1]
                assert len(tokens) == 1 and tokens[0].kind in (STRING, "word"), f"{name}: {node.sql_string.text}"


# ---------------------------------------------------------------- keys and constraints


def test_only_identity_keys_rely(sent):
    """sql/language-manual/sql-ref-syntax-ddl-create-table-constraint: RELY lets the optimizer rewrite queries
    assuming the key is unique ("relying on a constraint that is not satisfied can lead to incorrect query
    results"), which can drop a GROUP BY key HAVING count(*) > 1 check. Only identity keys are RELY."""
    keys = 0
    for name, sql in sent.created("CREATE TABLE IF NOT EXISTS").items():
        for columns, mode in re.findall(r"PRIMARY KEY \(([^)]+)\) (RELY|NORELY)", sql):
            keys += 1
            identity = all(
                re.search(rf"^\s+{c.strip()} BIGINT GENERATED ALWAYS AS IDENTITY", sql, re.M)
                for c in columns.split(",")
            )
            assert (mode == "RELY") == identity, f"{name}: PRIMARY KEY ({columns}) {mode}"
        assert "PRIMARY KEY" not in re.sub(r"PRIMARY KEY \([^)]+\) (RELY|NORELY)", "", sql), f"{name}: no RELY/NORELY"
    assert keys >= 15


def test_check_constraints_are_added_with_alter_table(sent):
    """sql/language-manual/sql-ref-syntax-ddl-alter-table-add-constraint (tables/constraints): CHECK constraints
    are added with ALTER TABLE ... ADD CONSTRAINT, which verifies every existing row; CREATE TABLE holds none."""
    for name, sql in sent.created("CREATE TABLE IF NOT EXISTS").items():
        assert " CHECK (" not in sql, name
    added = [s for s in sent.deploy_sql if re.match(r"ALTER TABLE [\w.]+ ADD CONSTRAINT \w+ CHECK \(", s)]
    dropped = [s for s in sent.deploy_sql if re.match(r"ALTER TABLE [\w.]+ DROP CONSTRAINT IF EXISTS \w+", s)]
    assert added and len(added) == len(dropped)


# ---------------------------------------------------------------- jobs and workspace files


def test_no_semicolon_in_the_comments_of_task_files(sent):
    """jobs/sql (SQL task, file source): "the file can contain multiple SQL statements separated by
    semicolons"; whether comments are skipped when splitting is not documented, so no comment holds one, and a
    plain split on semicolons gives the statements the runner would send."""
    assert len(sent.task_files) == 5
    for path, content in sent.task_files.items():
        comments = [line for line in content.splitlines() if line.lstrip().startswith("--")]
        assert all(";" not in line for line in comments), path
        naive = [p.strip() for p in content.split(";") if strip_comments(p).strip()]
        assert naive == [s.sql for s in split_statements(content)], path
        assert not re.search(r"/\*", content), path


def test_sql_tasks_run_workspace_files_on_the_warehouse(sent):
    """jobs/sql and the Jobs API 2.2 (create): sql_task.file with source WORKSPACE and a Pro or serverless
    warehouse_id; a serverless Python task names an environment_key of environments[].spec."""
    tasks = sent.job["tasks"]
    environments = {e["environment_key"] for e in sent.job["environments"]}
    for task in tasks:
        if "sql_task" in task:
            assert task["sql_task"]["warehouse_id"] == sent.settings.warehouse_id
            assert task["sql_task"]["file"]["source"] == "WORKSPACE"
            assert task["sql_task"]["file"]["path"] in sent.task_files
        else:
            assert task["environment_key"] in environments and task["spark_python_task"]["source"] == "WORKSPACE"
    for previous, task in zip(tasks, tasks[1:], strict=False):
        assert task["depends_on"] == [{"task_key": previous["task_key"]}]


def test_the_schedule_is_quartz_with_a_time_zone_and_run_as_is_an_application_id(sent):
    """jobs/scheduled (Jobs API 2.2 CronSchedule): quartz_cron_expression with timezone_id;
    run_as.service_principal_name is the service principal's application id."""
    schedule = sent.job["schedule"]
    assert len(schedule["quartz_cron_expression"].split()) in (6, 7) and schedule["timezone_id"]
    assert re.fullmatch(r"[0-9a-f-]{36}", sent.job["run_as"]["service_principal_name"])


def test_workspace_files_are_exported_raw(sent):
    """Workspace API 2.0 export: SOURCE is the notebook format; plain workspace files export with RAW or AUTO."""
    exports = [r for r in sent.requests if r.path == "/api/2.0/workspace/export"]
    assert exports and {r.query.get("format") for r in exports} <= {"RAW", "AUTO"}


# ---------------------------------------------------------------- Genie and Vector Search


def test_the_genie_space_follows_the_documented_serialized_space(sent):
    """Genie API 2.0, Get Genie Space (serialized_space): version 2; ids of 32 hex digits; every id collection
    sorted by id; tables sorted by identifier; one text_instructions entry whose content is a list of lines;
    questions and SQL as lists of strings."""
    space = sent.genie["serialized_space"]
    assert space["version"] == 2 and sent.genie["warehouse_id"] == sent.settings.warehouse_id
    collections = [space["config"]["sample_questions"], *space["instructions"].values()]
    for items in collections:
        ids = [item["id"] for item in items]
        assert ids == sorted(ids) and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    [general] = space["instructions"]["text_instructions"]
    assert len(general["content"]) > 1 and all(line.endswith("\n") for line in general["content"][:-1])
    tables = [t["identifier"] for t in space["data_sources"]["tables"]]
    assert tables == sorted(tables) and all(t.startswith(f"{sent.target.catalog}.") for t in tables)
    for example in space["instructions"]["example_question_sqls"]:
        assert isinstance(example["question"], list) and isinstance(example["sql"], list)
        assert "".join(example["sql"]).lstrip().upper().startswith(("SELECT", "WITH"))


def test_the_vector_search_index_syncs_from_a_change_data_feed(sent):
    """generative-ai/create-query-vector-search: a Delta Sync index (pipeline_type TRIGGERED) with embedding
    source columns reads a source table that has the change data feed enabled, before the index exists."""
    spec = sent.vector_index["delta_sync_index_spec"]
    assert spec["pipeline_type"] == "TRIGGERED" and spec["embedding_source_columns"]
    source = spec["source_table"]
    assert any(
        re.match(rf"ALTER TABLE {re.escape(source)} SET TBLPROPERTIES \(delta.enableChangeDataFeed = true\)", s)
        for s in sent.deploy_sql
    )
    assert sent.vector_index["endpoint_name"] == sent.vector_endpoint["name"]


def test_vector_search_queries_name_every_argument():
    """sql/language-manual/functions/vector_search: vector_search(index => ..., query_text => ...,
    num_results => an integer literal), every argument named."""
    from assistant.databricks import vector_search_sql

    sql = vector_search_sql("main.gold.event_documents_index", 5)
    call = re.search(r"vector_search\((.*)\)", sql).group(1)
    assert all("=>" in argument for argument in call.split(", "))
    assert re.search(r"num_results => \d+\b", call)


def test_a_drop_removes_only_a_table_the_project_no_longer_creates(sent):
    """sql/language-manual/sql-ref-syntax-ddl-drop-table: DROP TABLE [IF EXISTS] table_name; without IF
    EXISTS a missing table fails (TABLE_OR_VIEW_NOT_FOUND), and a materialized view or streaming table is
    not a table to it (WRONG_COMMAND_FOR_OBJECT_TYPE). Deploy drops only what an earlier version created."""
    drops = [" ".join(strip_comments(sql).split()) for sql in sent.all_sql if re.match(r"(\s|--[^\n]*\n)*DROP\b", sql)]
    assert drops, "deploy drops the work table of earlier versions"
    created = set()
    for pattern in (
        "CREATE TABLE IF NOT EXISTS",
        "CREATE OR REFRESH STREAMING TABLE",
        "CREATE OR REPLACE MATERIALIZED VIEW",
        "CREATE OR REPLACE VIEW",
    ):
        created |= set(sent.created(pattern))
    for text in drops:
        match = re.fullmatch(r"DROP TABLE IF EXISTS ([\w.]+)", text)
        assert match, f"not the documented form: {text}"
        assert match.group(1) not in created, f"{text} drops a table this deploy creates"


# ---------------------------------------------------------------- the rules cover everything sent


def test_every_statement_sent_is_a_known_kind(sent):
    """sql/language-manual (statement reference): each statement sent is one statement of a kind whose
    rules are checked above or by the sqlfluff parse of tests/runner/test_databricks_sql.py."""
    kinds = {"CREATE", "ALTER", "COMMENT", "GRANT", "MERGE", "INSERT", "DELETE", "CALL", "REFRESH", "OPTIMIZE"}
    kinds |= {"ANALYZE", "USE", "SELECT", "WITH", "UPDATE", "DROP"}
    for sql in sent.all_sql:
        assert len(split_statements(sql)) == 1, sql[:200]
        assert split_statements(sql)[0].first_keyword in kinds, sql[:200]
    assert {layer for layer in LAYERS} <= {s.split(".")[1] for s in sent.created("CREATE SCHEMA IF NOT EXISTS")}
