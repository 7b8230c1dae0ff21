"""rlike, regexp_extract, regexp_replace, split and str_to_map: Java patterns run by DuckDB's RE2 functions.

The pattern must be a string literal: it is translated once (dialect/regex.py), and a construct RE2
cannot express is refused before the statement runs. Where the translation is exact only on some texts
(`$` before a final line break, `\\b` beside a non-ASCII letter) the text is checked at run time.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from dialect.common import Context, call, cast_to, duck, literal_int, literal_string, spark_type, typed
from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.lazy import volatile
from dialect.regex import Translation, UntranslatableRegex, java_to_re2
from dialect.types import is_integral

_FINAL_LINE_BREAK = r"[\n\r\x{85}\x{2028}\x{2029}]\z"
_NON_ASCII = r"[^\x{0}-\x{7F}]"
_REFUSAL = "is not supported on the local target; run it on Databricks"


def java_pattern(node: exp.Expression, construct: str) -> Translation:
    text = literal_string(node)
    if text is None:
        raise NotSupportedLocally(f"{construct} with a pattern that is not a string literal")
    try:
        return java_to_re2(text)
    except UntranslatableRegex as exc:
        raise NotSupportedLocally(f"{exc} in the regular expression {text!r} of {construct}") from exc


def guarded(result: exp.Expression, subject: exp.Expression, pattern: Translation, construct: str) -> exp.Expression:
    """The result, or a refusal at run time on a text where RE2 and Java could answer differently."""
    checks = []
    if pattern.needs_no_final_line_break:
        checks.append((_FINAL_LINE_BREAK, "with $ or \\Z on a text that ends in a line break"))
    if pattern.needs_ascii_text:
        checks.append((_NON_ASCII, "with \\b or \\B on a text that is not ASCII"))
    for regex, what in checks:
        message = f"[UNSUPPORTED] {construct} {what} {_REFUSAL}"
        result = duck(
            "CASE WHEN regexp_matches({s}, {check}) THEN error({message}) ELSE {result} END",
            s=subject, check=exp.Literal.string(regex), message=exp.Literal.string(message), result=result,
        )  # fmt: skip
    return result


def rlike(node: exp.RegexpLike, ctx: Context) -> exp.Expression:
    if node.args.get("flag") is not None or node.args.get("full_match"):
        raise NotSupportedLocally("regexp_like with flags")
    if isinstance(node.expression, exp.Null):
        return node
    pattern = java_pattern(node.expression, "rlike")
    return guarded(call("regexp_matches", node.this, exp.Literal.string(pattern.re2)), node.this, pattern, "rlike")


def split(node: exp.RegexpSplit, ctx: Context) -> exp.Expression:
    limit_node = node.args.get("limit")
    limit = -1 if limit_node is None else literal_int(limit_node)
    if limit is None:
        raise NotSupportedLocally("split with a limit that is not an integer literal")
    return split_text(node.this, node.expression, limit, "split")


def split_text(text: exp.Expression, delimiter: exp.Expression, limit: int, construct: str) -> exp.Expression:
    """Java's String.split(delimiter, limit) of the text: the pieces around each match of the pattern, at
    most `limit` of them when it is positive."""
    if literal_string(delimiter) == "":
        # Each character on its own (a code point, as Java's regex steps), with no empty string after the last.
        return _at_most(call("string_split", text, exp.Literal.string("")), None, text, limit)
    pattern = java_pattern(delimiter, construct)
    if pattern.can_match_empty:
        # Java splits around empty matches in its own way (a trailing empty string, or none).
        raise NotSupportedLocally(f"{construct} with the pattern {literal_string(delimiter)!r}, which can match "
                                  "the empty string")  # fmt: skip
    re2 = exp.Literal.string(pattern.re2)
    pieces = call("string_split_regex", text, re2)
    result = _at_most(pieces, call("regexp_extract_all", text, re2), text, limit)
    return guarded(result, text, pattern, construct)


_PAIR = "__str_to_map_pair"


def str_to_map(node: exp.StrToMap, ctx: Context) -> exp.Expression:
    """str_to_map(text, pair_delimiter, key_value_delimiter): the text split at each match of the first
    pattern (Java's split, empty pieces kept), each piece at the first match of the second into key and
    value (NULL without one); a repeated key fails. Both delimiters are string literals here."""
    text, pairs_at, key_at = node.this, node.args["pair_delim"], node.args["key_value_delim"]
    kind = None if isinstance(text, exp.Null) else spark_type(text, ctx)
    if kind not in ("VARCHAR", None):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"str_to_map of a {kind}")
    if any(isinstance(value, exp.Null) for value in (text, pairs_at, key_at)):
        return typed(cast_to(exp.Null(), "MAP(VARCHAR, VARCHAR)"), "MAP")
    pair = exp.column(_PAIR)
    key_value = split_text(pair, key_at, 2, "str_to_map")
    entry = duck("{{'key': {kv}[1], 'value': {kv}[2]}}", kv=key_value)
    entries = call("list_transform", split_text(text, pairs_at, -1, "str_to_map"),
                   exp.Lambda(this=entry, expressions=[exp.to_identifier(_PAIR)]))  # fmt: skip
    template = """CASE WHEN len(list_distinct(list_transform({e}, x -> x.key))) < len({e}) THEN
        error('[DUPLICATED_MAP_KEY] Duplicate map key was found, please check the input data.')
        ELSE map_from_entries({e}) END"""
    return typed(duck(template, e=entries), "MAP")


def _at_most(pieces: exp.Expression, separators: exp.Expression | None, text: exp.Expression,
             limit: int) -> exp.Expression:  # fmt: skip
    """split's `limit` pieces at most (every piece when it is 0 or less): the first limit - 1, then the rest
    of the text from where they and the separators after them (one character each when None) end."""
    if limit <= 0:
        return pieces
    if volatile(text):
        raise NotSupportedLocally("split with a limit of a value that changes at each evaluation")
    taken = exp.Literal.number(limit - 1)
    consumed = "coalesce(list_sum(list_transform(list_slice({pieces}, 1, {taken}), x -> length(x))), 0)"
    if separators is not None:
        consumed += " + coalesce(list_sum(list_transform(list_slice({separators}, 1, {taken}), x -> length(x))), 0)"
    template = (
        "CASE WHEN {pieces} IS NULL OR len({pieces}) <= {limit} THEN {pieces} "
        "ELSE list_concat(list_slice({pieces}, 1, {taken}), "
        f"[substring({{text}}, CAST(1 + {consumed} AS BIGINT))]) END"
    )
    parts = {"pieces": pieces, "text": text, "taken": taken, "limit": exp.Literal.number(limit)}
    return duck(template, **parts, **({"separators": separators} if separators is not None else {}))


def _group_index(node: exp.Expression, construct: str) -> int:
    """The group a regexp_extract-like call takes: 1 unless told, an integer literal."""
    group = node.args.get("group")
    index = 1 if group is None else literal_int(group)
    if index is None or node.args.get("parameters") is not None:
        raise NotSupportedLocally(f"{construct} with a group index that is not an integer literal")
    return index


def _extract_group(
    node: exp.Expression,
    pattern: Translation,
    index: int,
    construct: str,
    extract: Callable[[exp.Expression], exp.Expression],
    nothing: str,
) -> exp.Expression:
    """`extract(group)` for a group the pattern has; for any other index Databricks fails where the pattern
    matches (INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX) and gives `nothing` where it does not."""
    if 0 <= index <= pattern.groups:
        if index > 9:
            raise NotSupportedLocally(f"{construct} of a group after the ninth")
        return extract(exp.Literal.number(index))
    message = (f"[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] The value of parameter(s) `idx` in `{construct}` is "
               f"invalid: expects group index between 0 and {pattern.groups}, but got {index}.")  # fmt: skip
    template = "CASE WHEN {s} IS NULL THEN NULL WHEN regexp_matches({s}, {p}) THEN error({message}) ELSE {nothing} END"
    return duck(template, s=node.this, p=exp.Literal.string(pattern.re2), message=exp.Literal.string(message),
                nothing=duck(nothing))  # fmt: skip


def regexp_extract(node: exp.RegexpExtract, ctx: Context) -> exp.Expression:
    index = _group_index(node, "regexp_extract")
    pattern = java_pattern(node.expression, "regexp_extract")
    re2 = exp.Literal.string(pattern.re2)
    result = _extract_group(node, pattern, index, "regexp_extract",
                            lambda group: call("regexp_extract", node.this, re2, group), "''")  # fmt: skip
    return guarded(result, node.this, pattern, "regexp_extract")


def _no_empty_matches(node: exp.Expression, pattern: Translation, construct: str) -> None:
    if pattern.can_match_empty:
        # Java steps past an empty match in its own way; RE2's global search may count it differently.
        raise NotSupportedLocally(f"{construct} with the pattern {literal_string(node)!r}, which can match the "
                                  "empty string")  # fmt: skip


def regexp_count(node: exp.RegexpCount, ctx: Context) -> exp.Expression:
    pattern = java_pattern(node.expression, "regexp_count")
    _no_empty_matches(node.expression, pattern, "regexp_count")
    result = duck("CAST(len(regexp_extract_all({s}, {p})) AS INTEGER)", s=node.this, p=exp.Literal.string(pattern.re2))
    return typed(guarded(result, node.this, pattern, "regexp_count"), "INTEGER")


def regexp_substr(node: exp.RegexpSubstr, ctx: Context) -> exp.Expression:
    """The first match, NULL where there is none or where it is empty."""
    pattern = java_pattern(node.expression, "regexp_substr")
    result = duck("nullif(regexp_extract({s}, {p}), '')", s=node.this, p=exp.Literal.string(pattern.re2))
    return typed(guarded(result, node.this, pattern, "regexp_substr"), "VARCHAR")


def regexp_instr(node: exp.RegexpInstr, ctx: Context) -> exp.Expression:
    """The position (in characters, from 1) where the first match starts, 0 where none does: one more than the
    length of the shortest text before a match (a lazy prefix, so the leftmost match), as an INT. Databricks
    reads a group index and answers the whole match's position whatever it is (NULL for a NULL index)."""
    group = node.args.get("position")  # sqlglot's name for Databricks' third argument, the group index
    others = ("occurrence", "option", "parameters", "group")
    if any(node.args.get(k) is not None for k in others):
        raise NotSupportedLocally("regexp_instr with more than three arguments")
    if group is not None and not isinstance(group, exp.Null) and not is_integral(spark_type(group, ctx)):
        raise NotSupportedLocally("regexp_instr with a group index that is not an integer", "CAST it to INT")
    pattern = java_pattern(node.expression, "regexp_instr")
    before = exp.Literal.string(f"^((?s:.*?))(?:{pattern.re2})")
    result = duck(
        "CAST(CASE WHEN NOT regexp_matches({s}, {p}) THEN 0 "
        "ELSE length(regexp_extract({s}, {b}, 1)) + 1 END AS INTEGER)",
        s=node.this, p=exp.Literal.string(pattern.re2), b=before,
    )  # fmt: skip
    if group is not None:
        result = duck("CASE WHEN {g} IS NULL THEN NULL ELSE {r} END", g=group, r=result)
    return typed(guarded(result, node.this, pattern, "regexp_instr"), "INTEGER")


def regexp_extract_all(node: exp.RegexpExtractAll, ctx: Context) -> exp.Expression:
    """Every match's group (the first group unless told), in order; an empty array where none matches."""
    index = _group_index(node, "regexp_extract_all")
    pattern = java_pattern(node.expression, "regexp_extract_all")
    _no_empty_matches(node.expression, pattern, "regexp_extract_all")
    re2 = exp.Literal.string(pattern.re2)

    def extract(group: exp.Expression) -> exp.Expression:
        # A group that took no part in a match is an empty string on Databricks, NULL in DuckDB.
        return duck("list_transform(regexp_extract_all({s}, {p}, {g}), x -> coalesce(x, ''))",
                    s=node.this, p=re2, g=group)  # fmt: skip

    result = _extract_group(node, pattern, index, "regexp_extract_all", extract, "list_filter([''], x -> false)")
    return typed(guarded(result, node.this, pattern, "regexp_extract_all"), "LIST")


class InvalidReplacement(ValueError):
    """A replacement Java rejects when the pattern matches (Databricks: INVALID_REGEXP_REPLACE)."""


def re2_rewrite(replacement: str, groups: int) -> str:
    """Java's replacement text (`$n`, `\\x` for a literal x) as an RE2 rewrite (`\\n`, `\\\\`)."""
    out, i = [], 0
    while i < len(replacement):
        char = replacement[i]
        i += 1
        if char == "\\":
            if i == len(replacement):
                raise InvalidReplacement("character to be escaped is missing")
            out.append(_rewrite_literal(replacement[i]))
            i += 1
        elif char == "$":
            ref, i = _group_reference(replacement, i, groups)
            out.append(f"\\{ref}")
        else:
            out.append(_rewrite_literal(char))
    return "".join(out)


def _group_reference(replacement: str, i: int, groups: int) -> tuple[int, int]:
    """The group `$` at i - 1 refers to, read as Java reads it: more digits while such a group exists."""
    if i == len(replacement):
        raise InvalidReplacement("Illegal group reference: group index is missing")
    if replacement[i] == "{":
        raise UntranslatableRegex("a named group reference ${...}")
    if replacement[i] not in "0123456789":
        raise InvalidReplacement("Illegal group reference")
    ref, i = int(replacement[i]), i + 1
    if ref > groups:
        raise InvalidReplacement(f"No group {ref}")
    while i < len(replacement) and replacement[i] in "0123456789" and ref * 10 + int(replacement[i]) <= groups:
        ref, i = ref * 10 + int(replacement[i]), i + 1
    if ref > 9:
        raise UntranslatableRegex("a reference to a group after the ninth")
    return ref, i


def _rewrite_literal(char: str) -> str:
    return "\\\\" if char == "\\" else char


def regexp_replace(node: exp.RegexpReplace, ctx: Context) -> exp.Expression:
    text = literal_string(node.args.get("replacement"))
    if text is None:
        raise NotSupportedLocally("regexp_replace with a replacement that is not a string literal")
    if node.args.get("position") is not None:
        raise NotSupportedLocally("regexp_replace(str, regex, rep, position)")
    if isinstance(node.expression, exp.Null):
        return call("regexp_replace", node.this, node.expression, exp.Literal.string(text), exp.Literal.string("g"))
    pattern = java_pattern(node.expression, "regexp_replace")
    re2 = exp.Literal.string(pattern.re2)
    if pattern.can_match_empty and text:
        # Java also replaces an empty match right after a match ('aaa', 'a*' -> 'xx'); RE2 skips it.
        raise NotSupportedLocally("regexp_replace with a pattern that can match the empty string and a replacement")
    try:
        rewrite = re2_rewrite(text, pattern.groups)
    except InvalidReplacement as exc:
        # Databricks fails at the first match; a text the pattern does not match comes back as it is.
        message = f"[INVALID_REGEXP_REPLACE] Could not perform regexp_replace: {exc}"
        result = duck(
            "CASE WHEN {s} IS NULL THEN NULL WHEN regexp_matches({s}, {p}) THEN error({message}) ELSE {s} END",
            s=node.this, p=re2, message=exp.Literal.string(message),
        )  # fmt: skip
    except UntranslatableRegex as exc:
        raise NotSupportedLocally(f"{exc} in the replacement {text!r} of regexp_replace") from exc
    else:
        result = call("regexp_replace", node.this, re2, exp.Literal.string(rewrite), exp.Literal.string("g"))
    return guarded(result, node.this, pattern, "regexp_replace")
