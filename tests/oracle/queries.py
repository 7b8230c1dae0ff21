"""Every read query the pipeline and the tools send, rendered once per target, in matching pairs.

A pair is the same SQL file (or procedure statement) rendered for databricks, to run on Spark, and for
local, to run on DuckDB. The reads: each quality rule, each materialized view and view definition,
the USING source of each silver and gold MERGE, the query of each INSERT, the rows each DELETE ...
WHERE removes, the Genie examples, and inside the procedures the same for their statements plus the
subqueries of SET, the FOR query and the result set.

Queries inside procedures run inside a compound statement that declares the procedure's variables
with the same values on both sides, so each engine resolves them as it does in the procedure (a
column first, then a variable). Left out: a SET whose value draws a fresh uuid(), random by design.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from runner.config import Target
from runner.materialized_view_sql import parse_materialized_view
from runner.project import CompiledObject, compile_project
from scripting import ast
from scripting.parser import Parser
from tests.oracle.sql_text import delete_as_query, first_word, insert_query, merge_source, tokens

GENIE_LAYER = "genie"


@dataclass(frozen=True)
class Query:
    name: str
    databricks: str
    local: str
    # Columns whose values differ by design (a per-engine hash used only to order ties), left out.
    ignored: frozenset[str] = field(default_factory=frozenset)
    # Whether result column names are part of the contract (not for INSERT sources or scalars).
    named: bool = True


# Variables of the procedures bound for the comparison: (type, value) as SQL, values from the data in
# braces. The gold refresh runs as a full refresh (every silver event counts as changed). The event
# summary runs once over the months of all events and once over its busiest month.
RUN_AT = "TIMESTAMP '2030-01-01 00:00:00'"
_SUMMARY = {
    "start_month": ("DATE", "NULL"),
    "end_month": ("DATE", "NULL"),
    "call_started_at": ("TIMESTAMP", RUN_AT),
    "this_run_id": ("STRING", "'oracle-run'"),
    "month_start": ("DATE", "{first_month}"),
    "next_month": ("DATE", "{after_last_month}"),
    "last_month": ("DATE", "{last_month}"),
    "months_written": ("INT", "0"),
    "call_error": ("STRING", "NULL"),
}
PROCEDURE_VARIABLES: dict[str, list[tuple[str, dict[str, tuple[str, str]]]]] = {
    "sp_refresh_gold_layer": [
        (
            "full refresh",
            {
                "full_refresh": ("BOOLEAN", "TRUE"),
                "run_at": ("TIMESTAMP", RUN_AT),
                "changed_since": ("TIMESTAMP", "TIMESTAMP '1900-01-01 00:00:00'"),
                "loaded_until": ("TIMESTAMP", RUN_AT),
            },
        )
    ],
    "sp_generate_event_summary": [
        ("all months", _SUMMARY),
        (
            "busiest month",
            {
                **_SUMMARY,
                "month_start": ("DATE", "{busiest_month}"),
                "next_month": ("DATE", "{after_busiest_month}"),
                "last_month": ("DATE", "{busiest_month}"),
            },
        ),
    ],
    "sp_data_quality_checks": [
        (
            "latest run",
            {
                "requested_run_id": ("STRING", "NULL"),
                "fail_on_critical": ("BOOLEAN", "FALSE"),
                "rule_names": ("ARRAY<STRING>", "split('fact_grain,price_sanity,no_such_rule', ',')"),
                "call_started_at": ("TIMESTAMP", RUN_AT),
                "this_run_id": ("STRING", "{latest_run_id}"),
                "failing_rows": ("BIGINT", "NULL"),
                "checked_rows": ("BIGINT", "NULL"),
                "failing_keys": ("STRING", "NULL"),
                "count_sql": ("STRING", "NULL"),
                "checked_sql_text": ("STRING", "NULL"),
                "sample_sql": ("STRING", "NULL"),
                "rule_error": ("STRING", "NULL"),
                "call_error": ("STRING", "NULL"),
                "rules_run": ("INT", "0"),
                "critical_failed": ("BIGINT", "NULL"),
            },
        )
    ],
}
# The values in braces above, read from the lakehouse both engines share.
BOUND_VALUES_SQL = """
SELECT
    CAST(date_trunc('month', min(start_local_date)) AS DATE) AS first_month,
    CAST(date_trunc('month', max(start_local_date)) AS DATE) AS last_month,
    CAST(date_trunc('month', max(start_local_date)) + INTERVAL 1 MONTH AS DATE) AS after_last_month,
    (SELECT max_by(run_id, checked_at) FROM gold.data_quality_results) AS latest_run_id,
    (
        SELECT CAST(date_trunc('month', start_local_date) AS DATE) FROM gold.fact_events
        WHERE start_local_date IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
    ) AS busiest_month
FROM gold.fact_events
"""


def bound_values(connection) -> dict[str, str]:
    """The literals substituted for the values in braces, from the local lakehouse."""
    cursor = connection.execute(BOUND_VALUES_SQL)
    row = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
    busiest = row["busiest_month"]
    after = busiest.replace(year=busiest.year + busiest.month // 12, month=busiest.month % 12 + 1)
    return {
        "first_month": f"DATE '{row['first_month']}'",
        "last_month": f"DATE '{row['last_month']}'",
        "after_last_month": f"DATE '{row['after_last_month']}'",
        "busiest_month": f"DATE '{busiest}'",
        "after_busiest_month": f"DATE '{after}'",
        "latest_run_id": f"'{row['latest_run_id']}'",
    }


def within_variables(query: str, variables: dict[str, tuple[str, str]], values: dict[str, str]) -> str:
    declarations = "".join(
        f"    DECLARE {name} {sql_type} DEFAULT {value.format(**values)};\n"
        for name, (sql_type, value) in variables.items()
    )
    return f"BEGIN\n{declarations}    {query};\nEND"


def compiled_objects(target: Target) -> dict[str, CompiledObject]:
    """The compiled project of `target`, by object key."""
    return {obj.key: obj for obj in compile_project(target)}


def _pairs(databricks: list[str], local: list[str], what: str) -> list[tuple[str, str]]:
    if len(databricks) != len(local):
        raise AssertionError(f"{what}: {len(databricks)} queries for databricks, {len(local)} locally")
    return list(zip(databricks, local, strict=True))


def _merge_sources(obj: CompiledObject) -> list[str]:
    return [merge_source(s.sql) for s in obj.run if first_word(s.sql) == "MERGE"]


def _delete_queries(obj: CompiledObject) -> list[str]:
    found = [delete_as_query(s.sql) for s in obj.run if first_word(s.sql) == "DELETE"]
    return [q for q in found if q is not None]


def _insert_queries(obj: CompiledObject) -> list[str]:
    found = [insert_query(s.sql) for s in obj.run if first_word(s.sql) == "INSERT"]
    return [q for q in found if q is not None]


def _materialized_view_query(obj: CompiledObject) -> str:
    return parse_materialized_view(obj.deploy[0].sql).query


def _is_view(obj: CompiledObject) -> bool:
    return bool(obj.deploy) and [t.upper for t in tokens(obj.deploy[0].sql)[:4]] == ["CREATE", "OR", "REPLACE", "VIEW"]


def _view_query(obj: CompiledObject) -> str:
    toks = tokens(obj.deploy[0].sql)
    as_token = next(t for t in toks if t.is_word("AS"))
    return obj.deploy[0].sql[as_token.end :].strip()


def procedure_queries(obj: CompiledObject) -> list[tuple[str, str]]:
    """(what, query) for every query of a procedure body, in source order."""
    create = next(s.sql for s in obj.deploy if first_word(s.sql) == "CREATE")
    definition = Parser(create).parse_create_procedure()
    found: list[tuple[str, str]] = []

    def walk(nodes: list[ast.Node]) -> None:
        for node in nodes:
            if isinstance(node, ast.SqlStmt):
                keyword = node.keyword
                if keyword == "MERGE":
                    found.append(("merge source", merge_source(node.sql.text)))
                elif keyword == "INSERT":
                    query = insert_query(node.sql.text)
                    if query is not None:
                        found.append(("insert query", query))
                elif keyword == "DELETE":
                    query = delete_as_query(node.sql.text)
                    if query is not None:
                        found.append(("rows deleted", query))
                elif node.is_query:
                    found.append(("result set", node.sql.text))
            elif isinstance(node, ast.SetStmt) and any(t.is_word("SELECT") for t in tokens(node.value.text)):
                found.append((f"SET {node.targets[0]}", f"SELECT {node.value.text} AS value"))
            elif isinstance(node, ast.ForStmt):
                found.append(("FOR query", node.query.text))
            for child in _children(node):
                walk(child)

    walk([definition.body])
    return found


def _children(node: ast.Node) -> list[list[ast.Node]]:
    if isinstance(node, ast.Compound):
        return [node.body]
    if isinstance(node, ast.IfStmt):
        return [body for _, body in node.branches] + ([node.else_body] if node.else_body else [])
    if isinstance(node, ast.WhileStmt | ast.RepeatStmt | ast.LoopStmt | ast.ForStmt):
        return [node.body]
    if isinstance(node, ast.CaseStmt):
        return [body for _, body in node.whens] + ([node.else_body] if node.else_body else [])
    return []


def project_queries(databricks: Target, local: Target, values: dict[str, str]) -> list[Query]:
    """The read queries of the SQL project: rules, views, MERGE and INSERT sources, procedure queries."""
    remote, here = compiled_objects(databricks), compiled_objects(local)
    queries: list[Query] = []
    for key, obj in remote.items():
        mine = here[key]
        layer = obj.file.layer
        if obj.rule is not None:
            # Its count of checked rows is compared inside the statement that runs every rule at once
            # (test_every_rule_at_once_counts_what_each_rule_counts_alone).
            queries.append(Query(f"rule {obj.file.name}", obj.rule.sql, mine.rule.sql))
        elif obj.file.name.startswith("mv_"):
            queries.append(
                Query(
                    f"materialized view {obj.file.name}",
                    _materialized_view_query(obj),
                    _materialized_view_query(mine),
                )
            )
        elif _is_view(obj):
            queries.append(Query(f"view {obj.file.name}", _view_query(obj), _view_query(mine)))
        if layer in ("silver", "gold") and not obj.file.name.startswith("mv_"):
            pairs = _pairs(_merge_sources(obj), _merge_sources(mine), key)
            for number, (theirs, ours) in enumerate(pairs, start=1):
                ignored = frozenset({"record_hash"})
                queries.append(Query(f"{key} MERGE {number} source", theirs, ours, ignored))
            for number, (theirs, ours) in enumerate(_pairs(_insert_queries(obj), _insert_queries(mine), key), 1):
                queries.append(Query(f"{key} INSERT {number} query", theirs, ours, named=False))
            for number, (theirs, ours) in enumerate(_pairs(_delete_queries(obj), _delete_queries(mine), key), 1):
                queries.append(Query(f"{key} DELETE {number}: rows deleted", theirs, ours))
        if layer == "procedures":
            name = obj.file.name
            pairs = _pairs(procedure_queries(obj), procedure_queries(mine), key)
            for label, variables in PROCEDURE_VARIABLES[name]:
                for number, ((what, theirs), (_, ours)) in enumerate(pairs, start=1):
                    if "uuid()" in theirs:
                        continue  # a fresh random id on each engine, by design
                    queries.append(
                        Query(
                            f"{name} ({label}) {number}: {what}",
                            within_variables(theirs, variables, values),
                            within_variables(ours, variables, values),
                            named=what in ("result set", "FOR query", "merge source", "rows deleted"),
                        )
                    )
    return queries


def genie_queries(databricks: Target, local: Target) -> list[Query]:
    from workspace.genie import load_space

    theirs, ours = load_space(databricks).examples, load_space(local).examples
    return [Query(f"genie: {a.question}", a.sql, b.sql) for a, b in zip(theirs, ours, strict=True)]
