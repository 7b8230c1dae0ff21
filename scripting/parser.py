"""Recursive-descent parser for Databricks SQL scripting: CREATE PROCEDURE, CALL and compounds.

Only the scripting layer is parsed. Expressions and leaf statements are kept as source slices
(`ast.Sql`); their ends are found by token scanning that respects parentheses and CASE ... END.
Anything this parser does not recognise is rejected with its line number, so a procedure is never
half-registered.
"""

from __future__ import annotations

from scripting import ast
from scripting.errors import ScriptSyntaxError
from scripting.lexer import EOF, NUMBER, OP, QUOTED, STRING, WORD, LexError, Token, tokenize
from scripting.types import TypeSyntaxError, parse_type

# First keywords of ordinary SQL statements that may appear in a procedure body and run on DuckDB.
LEAF_KEYWORDS = {
    "SELECT", "WITH", "VALUES", "FROM", "TABLE", "INSERT", "UPDATE", "DELETE", "MERGE", "CREATE",
    "DROP", "ALTER", "TRUNCATE", "COMMENT", "DESCRIBE", "DESC", "SHOW", "EXPLAIN", "(",
}  # fmt: skip
QUERY_KEYWORDS = {"SELECT", "WITH", "VALUES", "FROM", "TABLE", "DESCRIBE", "DESC", "SHOW", "(", "EXPLAIN"}
# Databricks maintenance and permission statements: no local meaning.
NOOP_KEYWORDS = {"OPTIMIZE", "VACUUM", "GRANT", "REVOKE", "ANALYZE", "REFRESH", "CACHE", "UNCACHE"}
_UNSUPPORTED = {
    "OPEN": "cursors (OPEN/FETCH/CLOSE) are not supported; use a FOR loop over the query",
    "FETCH": "cursors (OPEN/FETCH/CLOSE) are not supported; use a FOR loop over the query",
    "CLOSE": "cursors (OPEN/FETCH/CLOSE) are not supported; use a FOR loop over the query",
    "RETURN": "RETURN is not a Databricks procedure statement; LEAVE the outermost block instead",
    "USE": "USE inside a procedure is not supported: qualify table names instead",
    "COMMIT": "transaction control is not supported inside a procedure",
    "ROLLBACK": "transaction control is not supported inside a procedure",
    "START": "transaction control is not supported inside a procedure",
}
LOOP_KEYWORDS = ("WHILE", "REPEAT", "LOOP", "FOR")
DIAGNOSTIC_ITEMS = {"MESSAGE_TEXT", "RETURNED_SQLSTATE", "MESSAGE_ARGUMENTS", "CONDITION_IDENTIFIER", "LINE_NUMBER"}
PROCEDURE_CHARACTERISTIC_WORDS = {"LANGUAGE", "SQL", "NOT", "DETERMINISTIC", "COMMENT", "DEFAULT", "MODIFIES",
                                  "READS", "CONTAINS"}  # fmt: skip


class Parser:
    def __init__(self, sql: str):
        self.sql = sql
        try:
            self.tokens = tokenize(sql)
        except LexError as exc:
            raise ScriptSyntaxError(str(exc), exc.line) from exc
        self.i = 0

    # -- token helpers ---------------------------------------------------------------------------
    def peek(self, k: int = 0) -> Token:
        return self.tokens[min(self.i + k, len(self.tokens) - 1)]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind != EOF:
            self.i += 1
        return tok

    def error(self, message: str, tok: Token | None = None) -> ScriptSyntaxError:
        tok = tok or self.peek()
        return ScriptSyntaxError(message, tok.line)

    def expect_word(self, *words: str) -> Token:
        tok = self.peek()
        if not tok.is_word(*words):
            found = tok.text or "end of statement"
            raise self.error(f"expected {' or '.join(words)}, found {found!r}")
        return self.advance()

    def expect_op(self, op: str) -> Token:
        tok = self.peek()
        if not tok.is_op(op):
            raise self.error(f"expected {op!r}, found {tok.text or 'end of statement'!r}")
        return self.advance()

    def accept_word(self, *words: str) -> Token | None:
        return self.advance() if self.peek().is_word(*words) else None

    def accept_op(self, op: str) -> Token | None:
        return self.advance() if self.peek().is_op(op) else None

    def identifier(self, what: str = "identifier") -> str:
        tok = self.peek()
        if tok.kind not in (WORD, QUOTED):
            raise self.error(f"expected {what}, found {tok.text or 'end of statement'!r}")
        return self.advance().name

    def qualified_name(self, what: str = "name") -> list[str]:
        parts = [self.identifier(what)]
        while self.peek().is_op(".") and self.peek(1).kind in (WORD, QUOTED):
            self.advance()
            parts.append(self.identifier(what))
        return parts

    def var_name(self) -> ast.VarName:
        parts = self.qualified_name("variable name")
        if len(parts) > 2:
            raise self.error(
                f"{'.'.join(parts)} is not a local variable; SET of configurations and of three-part "
                "names is not supported in procedures"
            )
        return ast.VarName(parts[0], parts[1]) if len(parts) == 2 else ast.VarName(None, parts[0])

    def string_literal(self, what: str) -> str:
        tok = self.peek()
        if tok.kind != STRING:
            raise self.error(f"expected {what} as a string literal, found {tok.text!r}")
        self.advance()
        return _unquote(tok.text)

    def sql_slice(self, first: Token, last: Token) -> ast.Sql:
        return ast.Sql(self.sql[first.start : last.end], first.line)

    def scan(
        self, stop_words: tuple[str, ...] = (), stop_ops: tuple[str, ...] = (";",), what: str = "expression"
    ) -> ast.Sql:
        """Consume tokens up to a stop word or operator outside parentheses and CASE ... END."""
        first = self.peek()
        depth = case_depth = 0
        last: Token | None = None
        while True:
            tok = self.peek()
            if tok.kind == EOF:
                break
            if depth == 0 and case_depth == 0:
                if tok.kind == OP and tok.text in stop_ops:
                    break
                if tok.kind == WORD and tok.text.upper() in stop_words:
                    break
            if tok.kind == OP and tok.text in "([{":
                depth += 1
            elif tok.kind == OP and tok.text in ")]}":
                if depth == 0:
                    break
                depth -= 1
            elif tok.is_word("CASE"):
                case_depth += 1
            elif tok.is_word("END") and case_depth:
                case_depth -= 1
            elif tok.kind == OP and tok.text == ";":
                raise self.error(f"unexpected ';' inside {what}", tok)
            last = self.advance()
        if last is None:
            raise self.error(f"expected {what}, found {first.text or 'end of statement'!r}", first)
        return self.sql_slice(first, last)

    # -- top-level statements ----------------------------------------------------------------------
    def parse_create_procedure(self) -> ast.ProcedureDef:
        self.expect_word("CREATE")
        or_replace = bool(self.accept_word("OR"))
        if or_replace:
            self.expect_word("REPLACE")
        self.expect_word("PROCEDURE")
        if_not_exists = False
        if self.peek().is_word("IF") and self.peek(1).is_word("NOT"):
            self.advance(), self.advance()
            self.expect_word("EXISTS")
            if_not_exists = True
        if or_replace and if_not_exists:
            raise self.error("OR REPLACE and IF NOT EXISTS cannot be combined (INVALID_SQL_SYNTAX)")
        name = self.qualified_name("procedure name")
        if len(name) > 3:
            raise self.error(f"procedure name {'.'.join(name)} has too many parts")
        self.expect_op("(")
        params: list[ast.Parameter] = []
        if not self.accept_op(")"):
            while True:
                params.append(self.parse_parameter())
                if self.accept_op(")"):
                    break
                self.expect_op(",")
        comment: str | None = None
        characteristics: list[str] = []
        while not self.peek().is_word("AS"):
            tok = self.peek()
            if tok.is_word("LANGUAGE"):
                self.advance()
                lang = self.expect_word("SQL", "PYTHON")
                if lang.upper != "SQL":
                    raise self.error("only LANGUAGE SQL procedures are supported", lang)
                characteristics.append("LANGUAGE SQL")
            elif tok.is_word("SQL"):
                self.advance()
                self.expect_word("SECURITY")
                mode = self.expect_word("INVOKER", "DEFINER").upper
                characteristics.append(f"SQL SECURITY {mode}")
            elif tok.is_word("NOT"):
                self.advance()
                self.expect_word("DETERMINISTIC")
                characteristics.append("NOT DETERMINISTIC")
            elif tok.is_word("DETERMINISTIC"):
                self.advance()
                characteristics.append("DETERMINISTIC")
            elif tok.is_word("COMMENT"):
                self.advance()
                comment = self.string_literal("COMMENT")
            elif tok.is_word("DEFAULT"):
                self.advance()
                self.expect_word("COLLATION")
                characteristics.append(f"DEFAULT COLLATION {self.identifier('collation name')}")
            elif tok.is_word("MODIFIES", "READS"):
                self.advance()
                self.expect_word("SQL")
                self.expect_word("DATA")
                characteristics.append(f"{tok.upper} SQL DATA")
            elif tok.is_word("CONTAINS"):
                self.advance()
                self.expect_word("SQL")
                characteristics.append("CONTAINS SQL")
            else:
                raise self.error(f"expected a procedure characteristic or AS, found {tok.text or 'end'!r}")
        self.expect_word("AS")
        label = self.parse_label()
        if not self.peek().is_word("BEGIN"):
            raise self.error("the body of a procedure must be a BEGIN ... END compound statement")
        body_start = self.peek(-2).start if label else self.peek().start
        body = self.parse_compound(label)
        body_text = self.sql[body_start : self.tokens[self.i - 1].end]
        self.accept_op(";")
        if self.peek().kind != EOF:
            raise self.error(f"unexpected {self.peek().text!r} after the END of the procedure body")
        return ast.ProcedureDef(name, params, body, comment, or_replace, if_not_exists, characteristics, body_text)

    def parse_parameter(self) -> ast.Parameter:
        mode = "IN"
        # A parameter may itself be called `in`/`out`: a mode word followed by `,`/`)`/a type is a name.
        if self.peek().is_word("IN", "OUT", "INOUT") and self.peek(1).kind in (WORD, QUOTED):
            mode = self.advance().upper
        name_tok = self.peek()
        name = self.identifier("parameter name")
        type_sql, type_text = self.parse_type()
        default: ast.Sql | None = None
        if self.accept_word("DEFAULT"):
            default = self.scan(stop_words=("COMMENT",), stop_ops=(",",), what="parameter default")
        if self.accept_word("COMMENT"):
            self.string_literal("parameter COMMENT")
        if default is not None and mode == "OUT":
            raise self.error(f"OUT parameter {name} cannot have a DEFAULT", name_tok)
        return ast.Parameter(mode, name, type_sql, type_text, default)

    def parse_type(self) -> tuple[str, str]:
        try:
            return parse_type(self.peek, self.advance)
        except TypeSyntaxError as exc:
            raise ScriptSyntaxError(str(exc), exc.line) from exc

    def parse_drop_procedure(self) -> tuple[list[str], bool]:
        self.expect_word("DROP")
        self.expect_word("PROCEDURE")
        if_exists = False
        if self.accept_word("IF"):
            self.expect_word("EXISTS")
            if_exists = True
        name = self.qualified_name("procedure name")
        self.accept_op(";")
        if self.peek().kind != EOF:
            raise self.error(f"unexpected {self.peek().text!r} after DROP PROCEDURE")
        return name, if_exists

    def parse_script(self) -> ast.Compound:
        """An anonymous compound statement run directly (`BEGIN ... END`)."""
        label = self.parse_label()
        if not self.peek().is_word("BEGIN"):
            raise self.error("expected BEGIN")
        body = self.parse_compound(label)
        self.accept_op(";")
        if self.peek().kind != EOF:
            raise self.error(f"unexpected {self.peek().text!r} after END")
        return body

    def parse_single(self) -> ast.Node:
        """One scripting statement on its own (CALL, EXECUTE IMMEDIATE), as sent by the runner."""
        node = self.parse_statement()
        self.accept_op(";")
        if self.peek().kind != EOF:
            raise self.error(f"unexpected {self.peek().text!r} after the statement")
        return node

    # -- compound statements -----------------------------------------------------------------------
    def parse_label(self) -> str | None:
        tok = self.peek()
        if tok.kind in (WORD, QUOTED) and self.peek(1).is_op(":") and self.peek(2).is_word("BEGIN", *LOOP_KEYWORDS):
            self.advance(), self.advance()
            return tok.name
        return None

    def parse_end_label(self, label: str | None, what: str) -> None:
        tok = self.peek()
        if tok.kind in (WORD, QUOTED) and not tok.is_op(";"):
            end_label = self.advance().name
            if label is None:
                raise self.error(f"END label {end_label} given but the {what} has no label", tok)
            if end_label != label:
                raise self.error(f"END label {end_label} does not match the label {label} of the {what}", tok)

    def parse_compound(self, label: str | None) -> ast.Compound:
        begin = self.expect_word("BEGIN")
        if self.peek().is_word("ATOMIC"):
            raise self.error("BEGIN ATOMIC is not supported by the local interpreter")
        if self.peek().is_word("NOT") and self.peek(1).is_word("ATOMIC"):
            self.advance(), self.advance()
        declarations: list[ast.VarDecl | ast.ConditionDecl] = []
        handlers: list[ast.HandlerDecl] = []
        body: list[ast.Node] = []
        while not self.peek().is_word("END"):
            tok = self.peek()
            if tok.kind == EOF:
                raise self.error(f"BEGIN on line {begin.line} has no matching END")
            if tok.is_word("DECLARE"):
                decl = self.parse_declare()
                if isinstance(decl, ast.HandlerDecl):
                    if body:
                        raise self.error("DECLARE HANDLER must come before the statements of its block", tok)
                    handlers.append(decl)
                else:
                    if body or handlers:
                        raise self.error(
                            "DECLARE of variables and conditions must come first in a BEGIN ... END block "
                            "(before handlers and statements)",
                            tok,
                        )
                    declarations.append(decl)
            else:
                body.append(self.parse_statement())
            self.expect_op(";")
        self.expect_word("END")
        self.parse_end_label(label, "compound statement")
        return ast.Compound(begin.line, label, declarations, handlers, body)

    def parse_declare(self) -> ast.VarDecl | ast.ConditionDecl | ast.HandlerDecl:
        start = self.expect_word("DECLARE")
        if self.peek().is_word("OR"):
            raise self.error("DECLARE OR REPLACE declares a session variable; not allowed inside a block")
        if self.peek().is_word("EXIT", "CONTINUE") and self.peek(1).is_word("HANDLER"):
            return self.parse_handler(start)
        if self.peek(1).is_word("CONDITION"):
            name = self.identifier("condition name")
            self.advance()
            sqlstate = "45000"
            if self.accept_word("FOR"):
                self.expect_word("SQLSTATE")
                self.accept_word("VALUE")
                state_tok = self.peek()
                sqlstate = self.string_literal("SQLSTATE").upper()
                _check_sqlstate(sqlstate, state_tok, declared=True)
            return ast.ConditionDecl(start.line, name, sqlstate)
        if self.peek(1).is_word("CURSOR") or self.peek(2).is_word("CURSOR"):
            raise self.error("cursors (DECLARE ... CURSOR) are not supported; use a FOR loop over the query")
        if (
            self.peek().is_word("VARIABLE", "VAR")
            and self.peek(1).kind in (WORD, QUOTED)
            and not (self.peek(1).is_word("DEFAULT") or self.peek(1).is_op(","))
        ):
            self.advance()
        names = [self.identifier("variable name")]
        while self.accept_op(","):
            names.append(self.identifier("variable name"))
        type_sql = type_text = None
        if not (self.peek().is_word("DEFAULT") or self.peek().is_op("=")):
            type_sql, type_text = self.parse_type()
        default = None
        if self.accept_word("DEFAULT") or self.accept_op("="):
            default = self.scan(what="DEFAULT expression")
        if type_sql is None and default is None:
            raise self.error("DECLARE needs a data type or a DEFAULT expression", start)
        return ast.VarDecl(start.line, names, type_sql, type_text, default)

    def parse_handler(self, start: Token) -> ast.HandlerDecl:
        kind = self.advance().upper
        self.expect_word("HANDLER")
        self.expect_word("FOR")
        sqlstates: list[str] = []
        names: list[str] = []
        sqlexception = not_found = False
        while True:
            tok = self.peek()
            if tok.is_word("SQLSTATE"):
                self.advance()
                self.accept_word("VALUE")
                state_tok = self.peek()
                state = self.string_literal("SQLSTATE").upper()
                _check_sqlstate(state, state_tok, declared=False)
                sqlstates.append(state)
            elif tok.is_word("SQLEXCEPTION"):
                self.advance()
                sqlexception = True
            elif tok.is_word("NOT") and self.peek(1).is_word("FOUND"):
                self.advance(), self.advance()
                not_found = True
            elif tok.is_word("SQLWARNING"):
                raise self.error("SQLWARNING handlers are not supported (Databricks has no warnings)")
            elif tok.kind in (WORD, QUOTED):
                names.append(".".join(self.qualified_name("condition name")).upper())
            else:
                raise self.error(f"expected a condition, SQLSTATE, SQLEXCEPTION or NOT FOUND, found {tok.text!r}")
            if not self.accept_op(","):
                break
        if (sqlexception or not_found) and (sqlstates or names):
            raise self.error("SQLEXCEPTION / NOT FOUND cannot be mixed with SQLSTATEs or condition names", start)
        action = self.parse_statement()
        return ast.HandlerDecl(start.line, kind, sqlstates, names, sqlexception, not_found, action)

    # -- statements --------------------------------------------------------------------------------
    def parse_body(self, *terminators: str) -> list[ast.Node]:
        statements: list[ast.Node] = []
        while not self.peek().is_word(*terminators):
            if self.peek().kind == EOF:
                raise self.error(f"expected {' or '.join(terminators)} before the end of the statement")
            if self.peek().is_word("DECLARE"):
                raise self.error("DECLARE is only allowed at the beginning of a BEGIN ... END block")
            statements.append(self.parse_statement())
            self.expect_op(";")
        return statements

    def parse_statement(self) -> ast.Node:
        label = self.parse_label()
        tok = self.peek()
        word = tok.upper if tok.kind == WORD else tok.text
        if label is not None:
            if word == "BEGIN":
                return self.parse_compound(label)
            return getattr(self, f"parse_{word.lower()}")(label)
        if word == "BEGIN":
            if self.peek(1).is_word("TRANSACTION", "WORK"):
                raise self.error(_UNSUPPORTED["COMMIT"])
            return self.parse_compound(None)
        if word in LOOP_KEYWORDS:
            return getattr(self, f"parse_{word.lower()}")(None)
        handler = {
            "SET": self.parse_set,
            "IF": self.parse_if,
            "CASE": self.parse_case,
            "LEAVE": self.parse_leave,
            "ITERATE": self.parse_iterate,
            "SIGNAL": self.parse_signal,
            "RESIGNAL": self.parse_resignal,
            "GET": self.parse_get_diagnostics,
            "EXECUTE": self.parse_execute_immediate,
            "CALL": self.parse_call,
        }.get(word)
        if handler is not None:
            return handler()
        if word in _UNSUPPORTED:
            raise self.error(f"{word}: {_UNSUPPORTED[word]}")
        if word == "CREATE" and self._create_procedure_ahead():
            raise self.error("CREATE PROCEDURE inside a procedure is not supported")
        if word in LEAF_KEYWORDS or word in NOOP_KEYWORDS:
            sql = self.scan(what="SQL statement")
            return ast.SqlStmt(tok.line, sql, word, word in QUERY_KEYWORDS)
        raise self.error(f"{tok.text!r} does not start a statement the local interpreter supports")

    def _create_procedure_ahead(self) -> bool:
        for k in range(1, 5):
            if self.peek(k).is_word("PROCEDURE"):
                return True
            if not self.peek(k).is_word("OR", "REPLACE", "TEMPORARY", "TEMP"):
                return False
        return False

    def parse_set(self) -> ast.Node:
        start = self.expect_word("SET")
        self.accept_word("VAR", "VARIABLE")
        if self.peek().is_op("("):
            self.advance()
            targets = [self.var_name()]
            while self.accept_op(","):
                targets.append(self.var_name())
            self.expect_op(")")
            self.expect_op("=")
            value = self.scan(what="query")
            return ast.SetStmt(start.line, targets, value, is_row=True)
        assignments: list[ast.SetStmt] = []
        while True:
            tok = self.peek()
            if tok.kind not in (WORD, QUOTED):
                raise self.error(f"expected a variable name after SET, found {tok.text!r}")
            target = self.var_name()
            if not self.peek().is_op("="):
                raise self.error(
                    f"SET {target} is not a variable assignment; SET of configurations is not supported in procedures"
                )
            self.advance()
            value = self.scan(stop_ops=(";", ","), what="SET expression")
            assignments.append(ast.SetStmt(tok.line, [target], value))
            if not self.accept_op(","):
                break
        if len(assignments) == 1:
            return assignments[0]
        # SET VAR a = 1, b = 2 assigns in order; a block without its own scope keeps that meaning.
        return _Sequence(start.line, assignments)

    def parse_if(self) -> ast.IfStmt:
        start = self.expect_word("IF")
        branches = []
        cond = self.scan(stop_words=("THEN",), what="IF condition")
        self.expect_word("THEN")
        branches.append((cond, self.parse_body("ELSEIF", "ELSE", "END")))
        else_body = None
        while True:
            if self.accept_word("ELSEIF"):
                cond = self.scan(stop_words=("THEN",), what="ELSEIF condition")
                self.expect_word("THEN")
                branches.append((cond, self.parse_body("ELSEIF", "ELSE", "END")))
            elif self.accept_word("ELSE"):
                else_body = self.parse_body("END")
            else:
                break
        self.expect_word("END")
        self.expect_word("IF")
        return ast.IfStmt(start.line, branches, else_body)

    def parse_case(self) -> ast.CaseStmt:
        start = self.expect_word("CASE")
        operand = None
        if not self.peek().is_word("WHEN"):
            operand = self.scan(stop_words=("WHEN",), what="CASE operand")
        whens = []
        while self.accept_word("WHEN"):
            value = self.scan(stop_words=("THEN",), what="WHEN expression")
            self.expect_word("THEN")
            whens.append((value, self.parse_body("WHEN", "ELSE", "END")))
        if not whens:
            raise self.error("CASE needs at least one WHEN")
        else_body = self.parse_body("END") if self.accept_word("ELSE") else None
        self.expect_word("END")
        self.expect_word("CASE")
        return ast.CaseStmt(start.line, operand, whens, else_body)

    def parse_while(self, label: str | None) -> ast.WhileStmt:
        start = self.expect_word("WHILE")
        cond = self.scan(stop_words=("DO",), what="WHILE condition")
        self.expect_word("DO")
        body = self.parse_body("END")
        self.expect_word("END")
        self.expect_word("WHILE")
        self.parse_end_label(label, "WHILE loop")
        return ast.WhileStmt(start.line, label, cond, body)

    def parse_repeat(self, label: str | None) -> ast.RepeatStmt:
        start = self.expect_word("REPEAT")
        body = self.parse_body("UNTIL")
        self.expect_word("UNTIL")
        cond = self.scan(stop_words=("END",), what="UNTIL condition")
        self.expect_word("END")
        self.expect_word("REPEAT")
        self.parse_end_label(label, "REPEAT loop")
        return ast.RepeatStmt(start.line, label, body, cond)

    def parse_loop(self, label: str | None) -> ast.LoopStmt:
        start = self.expect_word("LOOP")
        body = self.parse_body("END")
        self.expect_word("END")
        self.expect_word("LOOP")
        self.parse_end_label(label, "LOOP")
        return ast.LoopStmt(start.line, label, body)

    def parse_for(self, label: str | None) -> ast.ForStmt:
        start = self.expect_word("FOR")
        row_name = None
        if self.peek(1).is_word("AS") and self.peek().kind in (WORD, QUOTED):
            row_name = self.identifier("row name")
            self.advance()
        query = self.scan(stop_words=("DO",), what="FOR query")
        self.expect_word("DO")
        body = self.parse_body("END")
        self.expect_word("END")
        self.expect_word("FOR")
        self.parse_end_label(label, "FOR loop")
        return ast.ForStmt(start.line, label, row_name, query, body)

    def parse_leave(self) -> ast.LeaveStmt:
        start = self.expect_word("LEAVE")
        return ast.LeaveStmt(start.line, self.identifier("label"))

    def parse_iterate(self) -> ast.IterateStmt:
        start = self.expect_word("ITERATE")
        return ast.IterateStmt(start.line, self.identifier("label"))

    def parse_signal(self) -> ast.SignalStmt:
        start = self.expect_word("SIGNAL")
        name = sqlstate = None
        if self.accept_word("SQLSTATE"):
            self.accept_word("VALUE")
            state_tok = self.peek()
            sqlstate = self.string_literal("SQLSTATE").upper()
            _check_sqlstate(sqlstate, state_tok, declared=True)
        else:
            name = ".".join(self.qualified_name("condition name")).upper()
        message, item = None, "MESSAGE_TEXT"
        if self.accept_word("SET"):
            item = self.expect_word("MESSAGE_TEXT", "MESSAGE_ARGUMENTS").upper
            self.expect_op("=")
            message = self.scan(what=item)
        return ast.SignalStmt(start.line, name, sqlstate, message, item)

    def parse_resignal(self) -> ast.ResignalStmt:
        start = self.expect_word("RESIGNAL")
        return ast.ResignalStmt(start.line)

    def parse_get_diagnostics(self) -> ast.GetDiagnosticsStmt:
        start = self.expect_word("GET")
        self.expect_word("DIAGNOSTICS")
        self.expect_word("CONDITION")
        num = self.advance()
        if num.kind != NUMBER or num.text != "1":
            raise self.error("only GET DIAGNOSTICS CONDITION 1 is supported", num)
        assignments = []
        while True:
            target = self.var_name()
            self.expect_op("=")
            item = self.peek()
            if item.upper not in DIAGNOSTIC_ITEMS:
                raise self.error(f"unknown diagnostics item {item.text!r} (expected one of {sorted(DIAGNOSTIC_ITEMS)})")
            self.advance()
            assignments.append((target, item.upper))
            if not self.accept_op(","):
                break
        return ast.GetDiagnosticsStmt(start.line, assignments)

    def parse_execute_immediate(self) -> ast.ExecuteImmediateStmt:
        start = self.expect_word("EXECUTE")
        self.expect_word("IMMEDIATE")
        sql_string = self.scan(stop_words=("INTO", "USING"), what="EXECUTE IMMEDIATE string")
        into: list[ast.VarName] = []
        using: list[tuple[ast.Sql, str | None]] = []
        if self.accept_word("INTO"):
            paren = bool(self.accept_op("("))
            into.append(self.var_name())
            while self.accept_op(","):
                into.append(self.var_name())
            if paren:
                self.expect_op(")")
        if self.accept_word("USING"):
            paren = self.peek().is_op("(") and self._using_is_parenthesised()
            if paren:
                self.advance()
            while True:
                using.append(self.parse_using_arg())
                if not self.accept_op(","):
                    break
            if paren:
                self.expect_op(")")
        return ast.ExecuteImmediateStmt(start.line, sql_string, into, using)

    def _using_is_parenthesised(self) -> bool:
        # USING (a, b) wraps the whole list; USING (1 + 2) * 3 is one parenthesised expression.
        depth, k = 0, 0
        while True:
            tok = self.peek(k)
            if tok.kind == EOF:
                return False
            if tok.is_op("("):
                depth += 1
            elif tok.is_op(")"):
                depth -= 1
                if depth == 0:
                    return self.peek(k + 1).is_op(";") or self.peek(k + 1).kind == EOF
            k += 1

    def parse_using_arg(self) -> tuple[ast.Sql, str | None]:
        first = self.peek()
        start_index = self.i
        self.scan(stop_ops=(";", ","), what="USING argument")
        end_index = self.i
        toks = self.tokens[start_index:end_index]
        alias = None
        if len(toks) >= 2 and toks[-2].is_word("AS") and toks[-1].kind in (WORD, QUOTED):
            alias, toks = toks[-1].name, toks[:-2]
        elif (
            len(toks) >= 2
            and toks[-1].kind in (WORD, QUOTED)
            and toks[-2].kind in (NUMBER, STRING, WORD, QUOTED)
            and not toks[-1].is_word("END", "NULL", "TRUE", "FALSE")
            and not toks[-2].is_op(".")
        ):
            alias, toks = toks[-1].name, toks[:-1]
        if not toks:
            raise self.error("expected an expression in USING", first)
        return self.sql_slice(toks[0], toks[-1]), alias

    def parse_call(self) -> ast.CallStmt:
        start = self.expect_word("CALL")
        name = self.qualified_name("procedure name")
        args: list[tuple[str | None, ast.Sql]] = []
        if self.accept_op("(") and not self.accept_op(")"):
            while True:
                param = None
                if self.peek().kind in (WORD, QUOTED) and self.peek(1).is_op("=>"):
                    param = self.identifier()
                    self.advance()
                args.append((param, self.scan(stop_ops=(",",), what="argument")))
                if self.accept_op(")"):
                    break
                self.expect_op(",")
        return ast.CallStmt(start.line, name, args)


class _Sequence(ast.Node):
    """Several assignments written as one SET statement; executed in order, no new scope."""

    def __init__(self, line: int, statements: list[ast.SetStmt]):
        super().__init__(line)
        self.statements = statements

    def describe(self) -> str:
        return "SET " + ", ".join(str(s.targets[0]) for s in self.statements)


Sequence = _Sequence


def _unquote(text: str) -> str:
    quote = text[0]
    body = text[1:-1]
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(nxt, nxt))
            i += 2
        elif ch == quote and i + 1 < len(body) and body[i + 1] == quote:
            out.append(quote)
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _check_sqlstate(state: str, tok: Token, *, declared: bool) -> None:
    if len(state) != 5 or not all(c.isdigit() or "A" <= c <= "Z" for c in state):
        raise ScriptSyntaxError(f"SQLSTATE {state!r} must be 5 characters A-Z or 0-9", tok.line)
    if declared and state[:2] in ("00", "01", "XX"):
        raise ScriptSyntaxError(f"SQLSTATE {state!r} must not start with 00, 01 or XX", tok.line)


def parse_procedure(sql: str) -> ast.ProcedureDef:
    return Parser(sql).parse_create_procedure()
