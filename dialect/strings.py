"""String functions whose DuckDB namesakes differ from Databricks at the edges.

Non-ASCII case mapping, negative lengths and positions, empty delimiters and pads, Levenshtein
distance over characters, and `format_number`. Regular expressions are in regexfunctions.py.
"""

from __future__ import annotations

import re

from sqlglot import exp

from dialect.common import Context, arguments, call, cast_to, duck, known_type, literal_string, spark_type, typed
from dialect.errors import NotSupportedLocally, RejectedByDatabricks
from dialect.types import is_decimal, is_integral, is_numeric

# A text longer than this is refused rather than built: DuckDB holds it in memory whole, outside its
# memory limit (space(hash(x)) asked for two billion characters).
_LONGEST_TEXT = 100_000_000
_TOO_LONG = (
    f"error('[UNSUPPORTED] a text of more than {_LONGEST_TEXT} characters (repeat, space, lpad, rpad) is not "
    "supported on the local target (it would be held in memory whole); run it on Databricks')"
)

MACROS = {
    # overlay(s PLACING r FROM p [FOR l]): Spark's substrings around the replacement; a negative l is r's length.
    # p - 1 and p + l do not wrap past the INT range (overlay('abcdef' PLACING 'XY' FROM 2 FOR 2147483647) is 'aXY').
    "spark_overlay(s, r, p, l)": """CASE WHEN s IS NULL OR r IS NULL OR p IS NULL OR l IS NULL THEN NULL
        ELSE spark_substring(s, 1, CAST(p AS BIGINT) - 1) || r
          || spark_substring_from(s, CAST(p AS BIGINT) + CASE WHEN l >= 0 THEN l ELSE length(r) END) END""",
    "spark_repeat(s, n)": f"""CASE WHEN s IS NULL THEN NULL WHEN n IS NULL THEN NULL
        WHEN CAST(length(s) AS DOUBLE) * n > {_LONGEST_TEXT} THEN {_TOO_LONG} ELSE repeat(s, n) END""",
    # Texts joined by a separator that may differ from row to row (DuckDB's array_to_string wants a constant).
    "spark_join_texts(parts, sep)": """CASE WHEN len(parts) = 0 THEN ''
        ELSE list_reduce(parts, (head, tail) -> head || sep || tail) END""",
    # concat of texts evaluating every part, as Databricks does, where DuckDB would fold `NULL || p` to NULL
    # without evaluating p: NULL if any part is NULL, else the parts joined.
    "spark_concat_all(parts)": "CASE WHEN list_count(parts) = len(parts) THEN array_to_string(parts, '') END",
    # ASCII text keeps DuckDB's fast path; anything else follows Java's case mapping ('ß' -> 'SS').
    "spark_upper(s)": r"CASE WHEN NOT regexp_matches(s, '[^\x01-\x7F]') THEN upper(s) ELSE spark_java_upper(s) END",
    "spark_lower(s)": r"CASE WHEN NOT regexp_matches(s, '[^\x01-\x7F]') THEN lower(s) ELSE spark_java_lower(s) END",
    # Java reverses code points; DuckDB's reverse keeps grapheme clusters (flags, accents, CR LF) together.
    "spark_reverse(s)": (
        r"CASE WHEN NOT regexp_matches(s, '[^\t\n\x20-\x7E]') THEN reverse(s) ELSE spark_java_reverse(s) END"
    ),
    # The text before the n-th delimiter from the left, or after the n-th from the right (searched from the
    # right: the reversed text split by the reversed delimiter).
    "spark_substring_index(s, d, n)": """CASE WHEN s IS NULL THEN NULL WHEN d IS NULL THEN NULL WHEN n IS NULL THEN NULL
        WHEN n = 0 OR d = '' THEN ''
        WHEN n > 0 THEN spark_join_texts(string_split(s, d)[1:CAST(n AS BIGINT)], d)
        ELSE spark_reverse(spark_join_texts(
            string_split(spark_reverse(s), spark_reverse(d))[1:-CAST(n AS BIGINT)], spark_reverse(d))) END""",
    # The position of s among the comma-separated items of l; 0 when absent or when s holds a comma.
    "spark_find_in_set(s, l)": """CASE WHEN s IS NULL THEN NULL WHEN l IS NULL THEN NULL WHEN contains(s, ',') THEN 0
        ELSE CAST(coalesce(list_position(string_split(l, ','), s), 0) AS INTEGER) END""",
    "spark_left(s, n)": (
        "CASE WHEN s IS NULL THEN NULL WHEN n IS NULL THEN NULL WHEN n <= 0 THEN '' ELSE left(s, CAST(n AS BIGINT)) END"
    ),
    "spark_right(s, n)": (
        "CASE WHEN s IS NULL THEN NULL WHEN n IS NULL THEN NULL WHEN n <= 0 THEN '' "
        "ELSE right(s, CAST(n AS BIGINT)) END"
    ),
    # An empty pad leaves the string as it is, cut to the length.
    "spark_lpad(s, n, p)": f"""CASE WHEN s IS NULL THEN NULL WHEN n IS NULL THEN NULL WHEN p IS NULL THEN NULL
        WHEN n <= 0 THEN '' WHEN n > {_LONGEST_TEXT} THEN {_TOO_LONG}
        WHEN p = '' THEN left(s, CAST(n AS INTEGER)) ELSE lpad(s, CAST(n AS INTEGER), p) END""",
    "spark_rpad(s, n, p)": f"""CASE WHEN s IS NULL THEN NULL WHEN n IS NULL THEN NULL WHEN p IS NULL THEN NULL
        WHEN n <= 0 THEN '' WHEN n > {_LONGEST_TEXT} THEN {_TOO_LONG}
        WHEN p = '' THEN left(s, CAST(n AS INTEGER)) ELSE rpad(s, CAST(n AS INTEGER), p) END""",
    # locate(substr, str, pos): 0 for a NULL or non-positive position, 1 for an empty substring.
    "spark_locate(sub, s, pos)": """CASE WHEN pos IS NULL THEN 0 WHEN sub IS NULL THEN NULL WHEN s IS NULL THEN NULL
        WHEN pos < 1 THEN 0 WHEN sub = '' THEN 1
        WHEN instr(substring(s, CAST(pos AS BIGINT)), sub) = 0 THEN 0
        ELSE instr(substring(s, CAST(pos AS BIGINT)), sub) + CAST(pos AS BIGINT) - 1 END""",
    "spark_chr(n)": "CASE WHEN n IS NULL THEN NULL WHEN n < 0 THEN '' ELSE chr(CAST(n % 256 AS INTEGER)) END",
    # split_part: an empty delimiter does not split; part 0 is an error.
    "spark_split_part(s, d, n)": """CASE WHEN s IS NULL THEN NULL WHEN d IS NULL THEN NULL WHEN n IS NULL THEN NULL
        WHEN n = 0 THEN error('[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 '
                              || '(the first element has index 1).')
        WHEN d = '' THEN CASE WHEN n IN (1, -1) THEN s ELSE '' END
        ELSE split_part(s, d, CAST(n AS BIGINT)) END""",
}


def upper(node: exp.Upper, ctx: Context) -> exp.Expression:
    return call("spark_upper", node.this)


def lower(node: exp.Lower, ctx: Context) -> exp.Expression:
    return call("spark_lower", node.this)


def initcap(node: exp.Initcap, ctx: Context) -> exp.Expression:
    return call("spark_initcap", node.this)


def reverse(node: exp.Reverse, ctx: Context) -> exp.Expression:
    if spark_type(node.this, ctx) == "LIST":
        return typed(call("list_reverse", node.this), "LIST")
    return call("spark_reverse", node.this)


def soundex(node: exp.Soundex, ctx: Context) -> exp.Expression:
    # Databricks casts no argument of soundex to STRING: soundex(42) is a type mismatch.
    kind = spark_type(node.this, ctx)
    if kind is not None and kind != "VARCHAR":
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"soundex of a {kind}")
    return call("spark_soundex", node.this)


def left(node: exp.Left, ctx: Context) -> exp.Expression:
    return call("spark_left", node.this, node.expression)


def right(node: exp.Right, ctx: Context) -> exp.Expression:
    return call("spark_right", node.this, node.expression)


def pad(node: exp.Pad, ctx: Context) -> exp.Expression:
    fill = node.args.get("fill_pattern") or exp.Literal.string(" ")
    return call("spark_lpad" if node.args.get("is_left") else "spark_rpad", node.this, node.expression, fill)


def replace(node: exp.Replace, ctx: Context) -> exp.Expression:
    replacement = node.args.get("replacement") or exp.Literal.string("")
    # An empty search string replaces nothing, in both engines.
    return call("replace", node.this, node.expression, replacement)


def str_position(node: exp.StrPosition, ctx: Context) -> exp.Expression:
    position = node.args.get("position")
    if position is None:
        return call("instr", node.this, node.args["substr"])
    return call("spark_locate", node.args["substr"], node.this, position)


def chr_(node: exp.Chr, ctx: Context) -> exp.Expression:
    if len(node.expressions) != 1:
        raise NotSupportedLocally("chr with several arguments")
    return call("spark_chr", node.expressions[0])


def space(node: exp.Space, ctx: Context) -> exp.Expression:
    return typed(call("spark_repeat", exp.Literal.string(" "), node.this), "VARCHAR")


def split_part(node: exp.SplitPart, ctx: Context) -> exp.Expression:
    return call("spark_split_part", node.this, node.args["delimiter"], node.args["part_index"])


def levenshtein(node: exp.Levenshtein, ctx: Context) -> exp.Expression:
    threshold = node.args.get("ins_cost")
    if any(node.args.get(k) is not None for k in ("del_cost", "sub_cost", "max_dist")):
        raise NotSupportedLocally("levenshtein with costs")
    return call("spark_levenshtein", node.this, node.expression, threshold or cast_to(exp.Null(), "INTEGER"))


def concat_ws(node: exp.ConcatWs, ctx: Context, to_string) -> exp.Expression:
    """concat_ws(sep, ...): arrays of strings contribute their non-NULL elements; NULLs are skipped."""
    separator, *parts = node.expressions
    out: list[exp.Expression] = []
    for part in parts:
        kind = spark_type(part, ctx)
        if kind == "LIST":
            kept = duck("list_filter({a}, x -> x IS NOT NULL)", a=part)
            out.append(duck("CASE WHEN len({k}) = 0 THEN NULL ELSE array_to_string({k}, {sep}) END", k=kept,
                            sep=separator))  # fmt: skip
        elif kind == "VARCHAR" or isinstance(part, exp.Null):
            out.append(part)
        elif kind is None:
            raise NotSupportedLocally("concat_ws of a value whose type the local target cannot tell",
                                      "CAST it to STRING")  # fmt: skip
        elif kind in ("MAP", "STRUCT"):
            raise NotSupportedLocally(f"concat_ws of a {kind}")
        else:
            out.append(to_string(part, kind))
    if not out:
        return exp.Literal.string("")
    return call("concat_ws", separator, *out)


def format_number(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    if len(node.expressions) != 2:
        raise NotSupportedLocally("format_number(...) without two arguments")
    value, digits = node.expressions
    digits_kind = spark_type(digits, ctx)
    if not is_integral(digits_kind) and not isinstance(digits, exp.Null):
        raise NotSupportedLocally("format_number with a pattern", "pass the number of decimal places")
    kind = spark_type(value, ctx)
    if kind in ("DOUBLE", "FLOAT"):
        return call("spark_format_number_double", cast_to(value, "DOUBLE"), cast_to(digits, "INTEGER"))
    if is_integral(kind) or is_decimal(kind):
        return call("spark_format_number_exact", cast_to(value, "VARCHAR"), cast_to(digits, "INTEGER"))
    if is_numeric(kind) or kind is None:
        raise NotSupportedLocally("format_number of a value whose type the local target cannot tell",
                                  "CAST it to DECIMAL or DOUBLE")  # fmt: skip
    raise NotSupportedLocally(f"format_number of a {kind}")


def repeat(node: exp.Repeat, ctx: Context) -> exp.Expression:
    return typed(call("spark_repeat", node.this, node.args["times"]), "VARCHAR")


def substring_index(node: exp.SubstringIndex, ctx: Context) -> exp.Expression:
    # The text and delimiter are read as STRING and the count as INT by dialect/implicit.py.
    text, delimiter, count = node.this, node.args.get("delimiter"), node.args.get("count")
    if delimiter is None or count is None:
        raise RejectedByDatabricks("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", "substring_index without three arguments")
    return typed(call("spark_substring_index", text, delimiter, count), "VARCHAR")


def find_in_set(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    if len(node.expressions) != 2:
        raise RejectedByDatabricks("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", "find_in_set without two arguments")
    return typed(call("spark_find_in_set", *node.expressions), "INTEGER")


# mask's replacements in order, with what each is when left out (NULL keeps the character).
_MASK_REPLACEMENTS = (("upperChar", "X"), ("lowerChar", "x"), ("digitChar", "n"), ("otherChar", None))


def mask(node: exp.Anonymous, ctx: Context) -> exp.Expression:
    """mask(s[, upper[, lower[, digit[, other]]]]) of a STRING (javafunctions.mask); each replacement a
    text of one character or NULL, which Databricks wants constant."""
    text, *given = arguments(node, 1, 5)
    kind = None if isinstance(text, exp.Null) else known_type(text, ctx, "mask")
    if kind not in (None, "VARCHAR"):
        raise RejectedByDatabricks("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", f"mask of a {kind}")
    replacements: list[exp.Expression] = []
    for index, (name, default) in enumerate(_MASK_REPLACEMENTS):
        value = given[index] if index < len(given) else None
        if value is None:
            replacements.append(exp.Literal.string(default) if default else exp.Null())
        elif isinstance(value, exp.Null) or (isinstance(value, exp.Cast) and isinstance(value.this, exp.Null)):
            replacements.append(exp.Null())
        elif literal_string(value) is not None:
            if len(value.this) != 1:
                raise RejectedByDatabricks("DATATYPE_MISMATCH.INPUT_SIZE_NOT_ONE", f"Length of {name} should be 1")
            replacements.append(value)
        elif value.find(exp.Column):
            raise RejectedByDatabricks("DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", f"mask's {name} must be constant")
        else:
            raise NotSupportedLocally(f"mask with a {name} that is not a literal", "write it as a literal")
    return typed(call("spark_mask", text, *replacements), "VARCHAR")


# One specifier of java.util.Formatter: %[flags][width][.precision]conversion (no argument index).
_SPECIFIER = re.compile(r"%(?P<flags>[-#+ 0,(<]*)(?P<width>\d+)?(?:\.(?P<precision>\d+))?(?P<conversion>[a-zA-Z%])")
_TEXT_KINDS = ("VARCHAR", "BOOLEAN", "DOUBLE", "FLOAT")
# The argument types javaformat writes (DATE and TIMESTAMP, which Spark hands over as day and microsecond
# counts, are refused).
_JAVA_FORMATTED = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "DOUBLE", "FLOAT", "BOOLEAN", "VARCHAR")


def format_string(node: exp.Expression, ctx: Context, to_string) -> exp.Expression:
    """format_string / printf(format, args...) as Java's Formatter writes it, for the specifiers
    read alike: %s and %S (width, `-`, precision), %d of an integer (width, `-`, `0`), %% and %n. A NULL
    argument is written `null`; an argument too few fails. Other specifiers are refused."""
    pattern, *arguments = node.expressions if isinstance(node, exp.Anonymous) else [node.this, *node.expressions]
    if isinstance(pattern, exp.Null):
        return typed(cast_to(exp.Null(), "VARCHAR"), "VARCHAR")
    if not (isinstance(pattern, exp.Literal) and pattern.is_string):
        raise NotSupportedLocally("format_string with a format that is not a string literal")
    text: str = pattern.this
    pieces: list[exp.Expression] = []
    position, used = 0, 0
    for match in _SPECIFIER.finditer(text):
        if match.start() > position:
            pieces.append(exp.Literal.string(text[position : match.start()]))
        position = match.end()
        conversion, flags = match["conversion"], match["flags"]
        width = int(match["width"]) if match["width"] else 0
        if conversion in "%n":
            if flags or match["width"] or match["precision"]:
                raise NotSupportedLocally(f"the format specifier {match[0]!r}")
            pieces.append(exp.Literal.string("%" if conversion == "%" else "\n"))
            continue
        if used >= len(arguments):
            return typed(duck(f"error('[FORMAT] Format specifier ''{match[0]}'' has no argument')"), "VARCHAR")
        argument = arguments[used]
        used += 1
        pieces.append(_formatted(argument, conversion, flags, width, match["precision"], match[0], ctx, to_string))
    if "%" in text[position:]:
        raise NotSupportedLocally(f"the format {text!r}", "use %s, %d, %% and %n")
    if position < len(text):
        pieces.append(exp.Literal.string(text[position:]))
    return typed(call("concat", *pieces) if pieces else exp.Literal.string(""), "VARCHAR")


def _formatted(value, conversion, flags, width, precision, written, ctx: Context, to_string) -> exp.Expression:
    kind = None if isinstance(value, exp.Null) else spark_type(value, ctx)
    written_as_text = kind in _TEXT_KINDS and kind != "FLOAT"  # a FLOAT's text is Java's (javaformat)
    if conversion in "sS" and set(flags) <= {"-"} and (written_as_text or is_integral(kind) or is_decimal(kind)):
        shown = value if kind == "VARCHAR" else to_string(value, kind)
        if precision is not None:
            shown = call("left", shown, exp.Literal.number(int(precision)))
        shown = call("spark_upper", shown) if conversion == "S" else shown  # Java's: ß is SS
    elif conversion == "d" and precision is None and set(flags) <= {"-", "0"} and is_integral(kind):
        if "-" in flags and "0" in flags:
            raise RejectedByDatabricks("ILLEGAL_FORMAT", f"the format specifier {written!r} (- and 0 together)")
        shown = cast_to(value, "VARCHAR")
        if "0" in flags and width:
            template = """CASE WHEN length(CAST({v} AS VARCHAR)) >= {w} THEN CAST({v} AS VARCHAR)
                WHEN {v} < 0 THEN '-' || lpad(CAST(-({v}) AS VARCHAR), {w} - 1, '0')
                ELSE lpad(CAST({v} AS VARCHAR), {w}, '0') END"""
            shown = duck(template, v=cast_to(value, "HUGEINT"), w=exp.Literal.number(width))
    elif isinstance(value, exp.Null) and conversion in "sSd" and not set(flags) - {"-"}:
        shown = exp.Null()
    elif isinstance(value, exp.Null) or kind in _JAVA_FORMATTED or is_decimal(kind):
        # Any other specifier as java.util.Formatter writes it (javafunctions.format_value_text): %x of an
        # integer as wide as its Java type, %.2f of a double rounded half up on Double.toString's digits.
        text = cast_to(exp.Null(), "VARCHAR") if isinstance(value, exp.Null) else cast_to(value, "VARCHAR")
        specifier, written_kind = exp.Literal.string(written), exp.Literal.string(kind or "VARCHAR")
        return typed(call("spark_format_value", specifier, written_kind, text), "VARCHAR")
    else:
        raise NotSupportedLocally(f"the format specifier {written!r} of a {kind or 'value of unknown type'}",
                                  "CAST it to a number or a STRING")  # fmt: skip
    shown = call("coalesce", shown, exp.Literal.string("NULL" if conversion == "S" else "null"))
    if width:
        side = "rpad" if "-" in flags else "lpad"
        shown = duck(f"CASE WHEN length({{t}}) >= {{w}} THEN {{t}} ELSE {side}({{t}}, {{w}}, ' ') END",
                     t=shown, w=exp.Literal.number(width))  # fmt: skip
    return shown
