"""Tokens of Databricks SQL, just enough to find the structure of a SQL script.

Leaf statements are not parsed here: the parser only needs to know where keywords, identifiers,
strings, comments and parentheses are, so that a `;` or an `END` inside a string or a comment is
never mistaken for structure. Offsets index the original text so that leaf SQL can be sliced out
verbatim and errors can point at lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

WORD = "word"  # keyword or unquoted identifier
QUOTED = "quoted"  # `back-ticked` identifier
STRING = "string"  # '...' or "..." (Databricks treats double quotes as strings)
NUMBER = "number"
OP = "op"
EOF = "eof"

_TWO_CHAR_OPS = ("=>", "<=", ">=", "<>", "!=", "::", "||", "->", "==", "<=>")


class LexError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int
    line: int

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == WORD else ""

    @property
    def name(self) -> str:
        """The identifier this token spells, case-folded as Databricks compares names."""
        if self.kind == QUOTED:
            return self.text[1:-1].replace("``", "`").lower()
        return self.text.lower()

    def is_word(self, *words: str) -> bool:
        return self.kind == WORD and self.text.upper() in words

    def is_op(self, *ops: str) -> bool:
        return self.kind == OP and self.text in ops


def _is_ident_start(ch: str) -> bool:
    return ch.isalpha() or ch == "_"


def _is_ident_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_$"


def tokenize(sql: str, *, backslash_escapes: bool = True) -> list[Token]:
    """Split `sql` into tokens, dropping whitespace and comments; the last token is EOF.

    `backslash_escapes`: a backslash escapes the next character of a string, as in Databricks SQL; the
    DuckDB SQL a statement is translated to has no such escapes (`'\\'` is one backslash)."""
    return list(_tokens(sql, backslash_escapes))


# A run reads the same texts several times (a procedure when it is created and when it is called, each
# EXECUTE IMMEDIATE text twice, each quality rule's in every run of a process): each is read once.
@lru_cache(maxsize=256)
def _tokens(sql: str, backslash_escapes: bool = True) -> tuple[Token, ...]:
    tokens: list[Token] = []
    i, n, line = 0, len(sql), 1
    while i < n:
        ch = sql[i]
        if ch == "\n":
            line += 1
            i += 1
            continue
        if ch.isspace():
            i += 1
            continue
        if sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end
            continue
        if sql.startswith("/*", i):
            # Databricks nests bracketed comments.
            depth, j = 1, i + 2
            while j < n and depth:
                if sql.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif sql.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            if depth:
                raise LexError("unterminated /* comment", line)
            line += sql.count("\n", i, j)
            i = j
            continue
        start, start_line = i, line
        if ch in ("'", '"'):
            j = i + 1
            while True:
                if j >= n:
                    raise LexError(f"unterminated string starting with {sql[i : i + 20]!r}", start_line)
                c = sql[j]
                if c == "\\" and backslash_escapes:
                    j += 2
                elif c == ch:
                    if j + 1 < n and sql[j + 1] == ch:  # doubled quote inside the literal
                        j += 2
                    else:
                        j += 1
                        break
                else:
                    j += 1
            line += sql.count("\n", i, j)
            tokens.append(Token(STRING, sql[i:j], start, j, start_line))
            i = j
            continue
        if ch == "`":
            j = i + 1
            while True:
                end = sql.find("`", j)
                if end < 0:
                    raise LexError("unterminated `quoted identifier`", start_line)
                if sql.startswith("``", end):
                    j = end + 2
                    continue
                j = end + 1
                break
            line += sql.count("\n", i, j)
            tokens.append(Token(QUOTED, sql[i:j], start, j, start_line))
            i = j
            continue
        if _is_ident_start(ch):
            j = i + 1
            while j < n and _is_ident_char(sql[j]):
                j += 1
            tokens.append(Token(WORD, sql[i:j], start, j, start_line))
            i = j
            continue
        if ch.isdigit() or (ch == "." and i + 1 < n and sql[i + 1].isdigit()):
            j = i + 1
            while j < n and (sql[j].isalnum() or sql[j] == "." or (sql[j] in "+-" and sql[j - 1] in "eE")):
                j += 1
            tokens.append(Token(NUMBER, sql[i:j], start, j, start_line))
            i = j
            continue
        three = sql[i : i + 3]
        two = sql[i : i + 2]
        if three in _TWO_CHAR_OPS:
            op = three
        elif two in _TWO_CHAR_OPS:
            op = two
        else:
            op = ch
        tokens.append(Token(OP, op, start, i + len(op), start_line))
        i += len(op)
    tokens.append(Token(EOF, "", n, n, line))
    return tuple(tokens)
