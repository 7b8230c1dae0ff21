"""Find the parts of a rendered statement the oracle checks on their own: a MERGE's source query, the
query of an INSERT, the body of a procedure. Tokens come from the project's own Databricks SQL lexer,
so parentheses, `;` or keywords inside strings and comments are never mistaken for structure."""

from __future__ import annotations

from scripting.lexer import EOF, Token, tokenize


def tokens(sql: str) -> list[Token]:
    return [t for t in tokenize(sql) if t.kind != EOF]


def closing_paren(toks: list[Token], opening: int) -> int:
    """The index of the token that closes the parenthesis at toks[opening]."""
    depth = 0
    for index in range(opening, len(toks)):
        if toks[index].is_op("(", "[", "{"):
            depth += 1
        elif toks[index].is_op(")", "]", "}"):
            depth -= 1
            if depth == 0:
                return index
    raise ValueError("unbalanced parentheses")


def _at_depth_zero(toks: list[Token]):
    depth = 0
    for index, tok in enumerate(toks):
        if tok.is_op("(", "[", "{"):
            depth += 1
        elif tok.is_op(")", "]", "}"):
            depth -= 1
        elif depth == 0:
            yield index, tok


def merge_source(sql: str) -> str:
    """The query inside `MERGE INTO target USING (query) AS src ...`."""
    toks = tokens(sql)
    if not toks or not toks[0].is_word("MERGE"):
        raise ValueError("not a MERGE statement")
    for index, tok in _at_depth_zero(toks):
        if tok.is_word("USING") and index + 1 < len(toks) and toks[index + 1].is_op("("):
            end = closing_paren(toks, index + 1)
            return sql[toks[index + 1].end : toks[end].start].strip()
    raise ValueError("MERGE without a parenthesised USING (query)")


def insert_query(sql: str) -> str | None:
    """The query of `INSERT INTO target [(columns)] query`; None for INSERT ... VALUES."""
    toks = tokens(sql)
    if len(toks) < 3 or not toks[0].is_word("INSERT"):
        raise ValueError("not an INSERT statement")
    index = 1
    while index < len(toks) and not toks[index].is_op("(") and not toks[index].is_word("SELECT", "WITH", "VALUES"):
        index += 1
    if index < len(toks) and toks[index].is_op("("):
        index = closing_paren(toks, index) + 1
    if index >= len(toks) or toks[index].is_word("VALUES"):
        return None
    return sql[toks[index].start :].strip()


def first_word(sql: str) -> str:
    toks = tokens(sql)
    return toks[0].text.upper() if toks else ""


def delete_as_query(sql: str) -> str | None:
    """`DELETE FROM t WHERE condition` as the query of the rows it deletes; None without a WHERE."""
    toks = tokens(sql)
    if not toks or not toks[0].is_word("DELETE"):
        raise ValueError("not a DELETE statement")
    if not any(tok.is_word("WHERE") for _, tok in _at_depth_zero(toks)):
        return None
    return "SELECT *" + sql[toks[0].end :]
