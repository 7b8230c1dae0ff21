"""The parse gate: every statement the databricks target sends is parsed by Spark's own SQL parser.

Spark 4 is the open-source core of the Databricks Runtime, so its parser knows most of what we send.
The statement kinds it does not know are Databricks-only; each is listed here with the reference
page that documents its grammar. A listed statement must match that grammar, and its inner parts
(a query, a name, an expression, a procedure's parameters and body) are parsed by Spark on their own.
Inside a procedure body the same holds for the scripting statements Spark lacks (SIGNAL, RESIGNAL,
GET DIAGNOSTICS). A statement that Spark cannot parse and that is not listed fails the gate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from runner.splitter import strip_comments
from scripting.lexer import STRING
from tests.oracle.sql_text import closing_paren, tokens

DOCS = "https://docs.databricks.com/aws/en/sql/language-manual"

# Spark's parser entry points, by what they parse.
PLAN, QUERY, EXPRESSION, NAME, PARAMETERS = "statement", "query", "expression", "name", "parameters"
_ENTRY_POINTS = {
    PLAN: "parsePlan",
    QUERY: "parseQuery",
    EXPRESSION: "parseExpression",
    NAME: "parseMultipartIdentifier",
    PARAMETERS: "parseRoutineParam",
}


class GateError(AssertionError):
    pass


@dataclass
class Verdict:
    """How a statement passed: parsed whole by Spark, or a documented kind with its parts parsed."""

    kind: str  # "spark" or the documented kind
    parts: int = 0  # inner parts Spark parsed (documented kinds)


@dataclass
class SparkParser:
    session: Any
    parsed: int = 0
    _parser: Any = field(default=None, repr=False)

    def parse(self, what: str, text: str) -> None:
        if self._parser is None:
            self._parser = self.session._jsparkSession.sessionState().sqlParser()
        try:
            getattr(self._parser, _ENTRY_POINTS[what])(text)
        except Exception as exc:
            message = str(exc).strip().split("\n")
            raise GateError(f"Spark cannot parse this {what}: {message[0]} {' '.join(message[1:3])}\n{text}") from None
        self.parsed += 1


Parts = list[tuple[str, str]]  # (what, text) for Spark


@dataclass(frozen=True)
class DocumentedKind:
    name: str
    pattern: re.Pattern[str]
    page: str  # the reference page that documents the grammar
    parts: Callable[[re.Match[str]], Parts]


def _kind(name: str, pattern: str, page: str, parts: Callable[[re.Match[str]], Parts]) -> DocumentedKind:
    return DocumentedKind(name, re.compile(pattern, re.I | re.S), page, parts)


_NAME = r"(?P<name>[\w`.]+)"
_COMMENT = r"(?:\s+COMMENT\s+(?P<comment>'(?:[^'\\]|\\.)*'))?"

# The privileges of Unity Catalog's privilege model (privileges reference page).
PRIVILEGES = {
    "ALL PRIVILEGES", "APPLY TAG", "BROWSE", "CREATE CATALOG", "CREATE CONNECTION", "CREATE EXTERNAL LOCATION",
    "CREATE EXTERNAL TABLE", "CREATE EXTERNAL VOLUME", "CREATE FOREIGN CATALOG", "CREATE FUNCTION",
    "CREATE MANAGED STORAGE", "CREATE MATERIALIZED VIEW", "CREATE MODEL", "CREATE SCHEMA", "CREATE SHARE",
    "CREATE STORAGE CREDENTIAL", "CREATE TABLE", "CREATE VOLUME", "EXECUTE", "MANAGE", "MODIFY", "READ FILES",
    "READ VOLUME", "REFRESH", "SELECT", "USE CATALOG", "USE CONNECTION", "USE SCHEMA", "WRITE FILES", "WRITE VOLUME",
}  # fmt: skip


def _privileges(match: re.Match[str]) -> Parts:
    unknown = [p for p in (" ".join(p.split()).upper() for p in match["privileges"].split(",")) if p not in PRIVILEGES]
    if unknown:
        raise GateError(f"GRANT of privileges Unity Catalog does not document: {', '.join(unknown)}")
    return [(NAME, match["name"])] if match["name"] else []


def _with_comment(match: re.Match[str], *parts: tuple[str, str]) -> Parts:
    return [*parts, *([(EXPRESSION, match["comment"])] if match["comment"] else [])]


def _zorder(match: re.Match[str]) -> Parts:
    found = [(NAME, match["name"])]
    if match["where"]:
        found.append((EXPRESSION, match["where"]))
    if match["zorder"]:
        found += [(EXPRESSION, column.strip()) for column in match["zorder"].split(",")]
    return found


DOCUMENTED_KINDS = (
    _kind(
        "CREATE OR REFRESH STREAMING TABLE",
        r"^CREATE\s+OR\s+REFRESH\s+STREAMING\s+TABLE\s+(?P<rest>.+)$",
        f"{DOCS}/sql-ref-syntax-ddl-create-streaming-table",
        # Spark knows CREATE STREAMING TABLE (declarative pipelines), not OR REFRESH: the clauses and the
        # query are parsed by Spark as that statement.
        lambda m: [(PLAN, f"CREATE STREAMING TABLE {m['rest']}")],
    ),
    _kind(
        "CREATE [OR REPLACE] MATERIALIZED VIEW",
        r"^CREATE\s+OR\s+REPLACE\s+MATERIALIZED\s+VIEW\s+(?P<rest>.+)$",
        f"{DOCS}/sql-ref-syntax-ddl-create-materialized-view",
        lambda m: [(PLAN, f"CREATE MATERIALIZED VIEW {m['rest']}")],
    ),
    _kind(
        "REFRESH { MATERIALIZED VIEW | [STREAMING] TABLE } name [FULL | SYNC | ASYNC]",
        rf"^REFRESH\s+(?:MATERIALIZED\s+VIEW|(?:STREAMING\s+)?TABLE)\s+{_NAME}(?:\s+(?:FULL|SYNC|ASYNC))?$",
        f"{DOCS}/sql-ref-syntax-ddl-refresh-full",
        lambda m: [(NAME, m["name"])],
    ),
    _kind(
        "CREATE VOLUME",
        rf"^CREATE\s+VOLUME\s+(?:IF\s+NOT\s+EXISTS\s+)?{_NAME}{_COMMENT}$",
        f"{DOCS}/sql-ref-syntax-ddl-create-volume",
        lambda m: _with_comment(m, (NAME, m["name"])),
    ),
    _kind(
        "CREATE CATALOG",
        rf"^CREATE\s+CATALOG\s+(?:IF\s+NOT\s+EXISTS\s+)?{_NAME}{_COMMENT}$",
        f"{DOCS}/sql-ref-syntax-ddl-create-catalog",
        lambda m: _with_comment(m, (NAME, m["name"])),
    ),
    _kind(
        "USE CATALOG",
        rf"^USE\s+CATALOG\s+{_NAME}$",
        f"{DOCS}/sql-ref-syntax-ddl-use-catalog",
        lambda m: [(NAME, m["name"])],
    ),
    _kind(
        "GRANT privileges ON securable TO principal",
        r"^GRANT\s+(?P<privileges>[A-Z ,]+?)\s+ON\s+(?:CATALOG|SCHEMA|TABLE|VIEW|MATERIALIZED\s+VIEW|VOLUME|FUNCTION"
        r"|PROCEDURE|METASTORE)(?:\s+" + _NAME + r")?\s+TO\s+`[^`]+`$",
        f"{DOCS}/security-grant (privileges: unity-catalog/manage-privileges/privileges)",
        _privileges,
    ),
    _kind(
        "OPTIMIZE name [WHERE predicate] [ZORDER BY (columns)]",
        rf"^OPTIMIZE\s+{_NAME}(?:\s+WHERE\s+(?P<where>.+?))?(?:\s+ZORDER\s+BY\s*\((?P<zorder>[^)]*)\))?$",
        f"{DOCS}/delta-optimize",
        _zorder,
    ),
)

PROCEDURE_PAGE = f"{DOCS}/sql-ref-syntax-ddl-create-procedure"
_PROCEDURE = re.compile(r"^CREATE\s+(?:OR\s+REPLACE\s+)?PROCEDURE\s+(?:IF\s+NOT\s+EXISTS\s+)?" + _NAME + r"\s*\(", re.I)
_CHARACTERISTIC = re.compile(
    r"\s*(?:LANGUAGE\s+SQL|SQL\s+SECURITY\s+(?:INVOKER|DEFINER)|NOT\s+DETERMINISTIC|MODIFIES\s+SQL\s+DATA"
    r"|DEFAULT\s+COLLATION\s+\w+|COMMENT\s+'(?:[^'\\]|\\.)*')",
    re.I | re.S,
)
_MODE = re.compile(r"(^|,)\s*(?:IN|OUT|INOUT)\s+(?=[\w`]+\s+\w)", re.I)

# Scripting statements Spark 4 lacks, allowed in a compound statement body by these pages.
SIGNAL_PAGE = f"{DOCS}/control-flow/signal-stmt"
RESIGNAL_PAGE = f"{DOCS}/control-flow/resignal-stmt"
GET_DIAGNOSTICS_PAGE = f"{DOCS}/control-flow/get-diagnostics-stmt"
_SIGNAL = re.compile(
    r"^SIGNAL\s+(?:SQLSTATE(?:\s+VALUE)?\s+'[A-Za-z0-9]{5}'(?:\s+SET\s+MESSAGE_TEXT\s*=\s*(?P<text>.+))?"
    r"|(?P<condition>[\w`]+)(?:\s+SET\s+(?:MESSAGE_ARGUMENTS\s*=\s*(?P<arguments>.+)|MESSAGE_TEXT\s*=\s*(?P<text2>.+)))?)$",
    re.I | re.S,
)
_GET_DIAGNOSTICS = re.compile(
    r"^GET\s+DIAGNOSTICS\s+CONDITION\s+\d+\s+(?P<items>[\w`]+\s*=\s*[A-Z_]+(?:\s*,\s*[\w`]+\s*=\s*[A-Z_]+)*)$",
    re.I | re.S,
)
DIAGNOSTICS_ITEMS = {"CONDITION_IDENTIFIER", "MESSAGE_TEXT", "RETURNED_SQLSTATE", "MESSAGE_ARGUMENTS", "LINE_NUMBER"}


def documented_kinds() -> list[tuple[str, str]]:
    """(kind, reference page) of everything the gate admits beside what Spark parses whole."""
    return [(k.name, k.page) for k in DOCUMENTED_KINDS] + [
        ("CREATE [OR REPLACE] PROCEDURE ... AS BEGIN ... END", PROCEDURE_PAGE),
        ("SIGNAL (in a procedure body)", SIGNAL_PAGE),
        ("RESIGNAL (in a procedure body)", RESIGNAL_PAGE),
        ("GET DIAGNOSTICS (in a procedure body)", GET_DIAGNOSTICS_PAGE),
    ]


def check(spark: SparkParser, sql: str) -> Verdict:
    """Pass a statement through the gate, or raise GateError saying why it does not pass."""
    text = strip_comments(sql).strip()
    before = spark.parsed
    if _PROCEDURE.match(text):
        _check_procedure(spark, text)
        return Verdict("CREATE PROCEDURE", spark.parsed - before)
    for kind in DOCUMENTED_KINDS:
        match = kind.pattern.match(text)
        if match:
            for what, part in kind.parts(match):
                spark.parse(what, part)
            return Verdict(kind.name, spark.parsed - before)
    spark.parse(PLAN, text)
    return Verdict("spark")


def _check_procedure(spark: SparkParser, text: str) -> None:
    toks = tokens(text)
    opening = next(i for i, t in enumerate(toks) if t.is_op("("))
    closing = closing_paren(toks, opening)
    parameters = text[toks[opening].end : toks[closing].start].strip()
    spark.parse(NAME, _PROCEDURE.match(text)["name"])
    if parameters:
        # Spark's routine parameters are those of functions: no IN/OUT/INOUT mode.
        spark.parse(PARAMETERS, _MODE.sub(r"\1 ", parameters))
    rest = text[toks[closing].end :]
    position = 0
    while True:
        characteristic = _CHARACTERISTIC.match(rest, position)
        if not characteristic:
            break
        position = characteristic.end()
    body = re.match(r"\s*AS\s+(?P<body>BEGIN\b.*\bEND)\s*$", rest[position:], re.I | re.S)
    if body is None:
        raise GateError(
            f"CREATE PROCEDURE does not follow the documented grammar ({PROCEDURE_PAGE}): "
            f"expected characteristics, then AS BEGIN ... END, at: {rest[position : position + 80]!r}"
        )
    spark.parse(PLAN, scripting_body_for_spark(spark, body["body"]))


def scripting_body_for_spark(spark: SparkParser, body: str) -> str:
    """The body with each SIGNAL, RESIGNAL and GET DIAGNOSTICS checked against its page and replaced
    by a statement Spark parses (their expressions kept), so Spark parses everything else."""
    toks = tokens(body)
    pieces: list[str] = []
    copied = 0
    index = 0
    while index < len(toks):
        tok = toks[index]
        qualified = index > 0 and toks[index - 1].is_op(".")
        is_get = tok.is_word("GET") and index + 1 < len(toks) and toks[index + 1].is_word("DIAGNOSTICS")
        if qualified or not (tok.is_word("SIGNAL", "RESIGNAL") or is_get):
            index += 1
            continue
        end = index
        while end < len(toks) and not toks[end].is_op(";"):
            end += 1
        statement = body[tok.start : toks[end - 1].end]
        pieces += [body[copied : tok.start], _stand_in(spark, statement, toks[index:end])]
        copied = toks[end - 1].end
        index = end
    pieces.append(body[copied:])
    return "".join(pieces)


def _stand_in(spark: SparkParser, statement: str, toks: list) -> str:
    first = toks[0].text.upper()
    if first == "RESIGNAL":
        if len(toks) != 1:
            raise GateError(f"RESIGNAL takes no arguments ({RESIGNAL_PAGE}): {statement}")
        return "SELECT 1"
    if first == "GET":
        match = _GET_DIAGNOSTICS.match(statement)
        if not match:
            raise GateError(f"GET DIAGNOSTICS does not follow {GET_DIAGNOSTICS_PAGE}: {statement}")
        for item in match["items"].split(","):
            variable, name = (part.strip() for part in item.split("="))
            if name.upper() not in DIAGNOSTICS_ITEMS:
                raise GateError(f"GET DIAGNOSTICS item {name} is not documented ({GET_DIAGNOSTICS_PAGE})")
            spark.parse(NAME, variable)
        return "SELECT 1"
    match = _SIGNAL.match(statement)
    if not match:
        raise GateError(f"SIGNAL does not follow the documented grammar ({SIGNAL_PAGE}): {statement}")
    message = match["text"] or match["text2"]
    if message is not None and not all(t.kind == STRING for t in tokens(message)):
        raise GateError(f"SIGNAL ... SET MESSAGE_TEXT takes a STRING literal ({SIGNAL_PAGE}): {statement}")
    if match["arguments"]:
        spark.parse(EXPRESSION, match["arguments"])
    return f"SELECT {message or match['arguments'] or 1}"


# ---------------------------------------------------------------- what the databricks target sends


@dataclass(frozen=True)
class Source:
    """A file the databricks target writes or sends (a compiled object, a job task file, grants, a
    certified Genie example), and its statements, split as the runner and the job split them."""

    name: str
    statements: tuple[str, ...]


# `compile` variants: the project as deployed and run, with --full-refresh, and per workspace environment.
COMPILE_VARIANTS = (("compile", ()), ("compile --full-refresh", ("--full-refresh",)))
ENVIRONMENTS = ("dev", "prod")


def _compile(out: Any, *options: str) -> dict[str, str]:
    import contextlib
    import io

    from lakehouse.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["compile", "--target", "databricks", "--out", str(out), *options])
    if code != 0:
        raise RuntimeError(f"compile {' '.join(options)} exited with {code}")
    root = out / "databricks"
    return {path.relative_to(root).as_posix(): path.read_text() for path in sorted(root.rglob("*.sql"))}


def _words(sql: str) -> str:
    return " ".join(strip_comments(sql).split())


def sources(workdir: Any) -> list[Source]:
    """Every statement the databricks target sends: what `compile` writes for the project (as run, as
    a full refresh, and for each workspace environment with its job task files and grants), the deploy
    and run steps of the whole project, the catalog statement deploy sends when it creates the
    catalog, and the certified Genie examples."""
    import dataclasses

    from runner.config import load_target
    from runner.project import compile_project
    from runner.splitter import split_statements
    from runner.steps import deploy_steps, run_steps
    from tests.oracle.lakehouse import environment
    from workspace.genie import load_space
    from workspace.grants import catalog_statements
    from workspace.settings import load_settings

    found: list[Source] = []
    seen: set[str] = set()
    with environment(DATABRICKS_WAREHOUSE_ID="oracle", LAKEHOUSE_SETTINGS=None, LAKEHOUSE_CATALOG=None):
        variants = [*COMPILE_VARIANTS, *((f"compile --env {env}", ("--env", env)) for env in ENVIRONMENTS)]
        for number, (label, options) in enumerate(variants):
            for path, text in _compile(workdir / str(number), *options).items():
                if text in seen:
                    continue
                seen.add(text)
                found.append(Source(f"{label}: {path}", tuple(s.sql for s in split_statements(text))))
        # Statements deploy and run send for the whole project that no single compiled file holds (the
        # deactivation of rules whose files are gone).
        target = load_target("databricks")
        objects = compile_project(target)
        compiled = {_words(sql) for source in found for sql in source.statements}
        for label, steps in (
            ("deploy", deploy_steps(target, objects)),
            ("run", run_steps(target, objects)),
            ("run --full-refresh", run_steps(target, objects, full_refresh=True)),
        ):
            rest = tuple(dict.fromkeys(s.sql for s in steps if s.sql and _words(s.sql) not in compiled))
            if rest:
                found.append(Source(f"{label} steps not in a compiled file", rest))
        for env in ENVIRONMENTS:
            settings = dataclasses.replace(load_settings(env), create_catalog=True)
            target = settings.apply_to(load_target("databricks"))
            found.append(Source(f"deploy --env {env}: create catalog", tuple(catalog_statements(settings))))
            for example in load_space(target).examples:
                found.append(Source(f"genie --env {env}: {example.source.name}", (example.sql,)))
    return found
