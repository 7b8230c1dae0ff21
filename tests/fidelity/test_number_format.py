"""`to_number`, `try_to_number` and `to_char` of a DECIMAL (dialect/numberformat.py) compared with Spark's answers."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from dialect.numberformat import NumberFormatError, check_format, result_type, to_char, to_number, try_to_number

D = Decimal

TO_CHAR = [
    (D(454), "999", "454"),
    (D("454.5"), "999", "###"),  # no rounding: too many digits write the format with #
    (D(12345), "9,999", "# ###"),
    (D("1.555"), "9.99", "#.##"),
    (D(5), ".999", ".###"),
    (D("-0.5"), "S9.", "-# "),
    (D("-12345"), "$9,999.99PR", "<$# ###.##>"),
    (D("1.5"), "9.99", "1.50"),
    (D("1.50000"), "9.9", "1.5"),  # the value's trailing zeros do not count
    (D(45), "0999", "0045"),
    (D(-45), "999", " 45"),  # no sign element: no sign
    (D(0), "9", " "),
    (D(0), "00", "00"),
    (D("0.5"), "99.9", " 0.5"),  # the place before the point is a zero
    (D("0.05"), ".99", ".05"),
    (D(5), "0,999", "0,  5"),  # each group pads by its first digit
    (D(5), "9,099", "  005"),
    (D(123), "0,9,9,9", "0,1,2,3"),
    (D(-5), "S999", "  -5"),  # the sign right before the first digit
    (D(5), "S999", "  +5"),
    (D(-5), "999MI", "  5-"),
    (D(12), "99MI", "12 "),
    (D(-12), "99PR", "<12>"),
    (D(12), "99PR", "12  "),
    (D(-5), "999PR", "  <5>"),
    (D(-1), "$99PR", "<$ 1>"),
    (D(-5), "$999", "$  5"),
    (D(-5), "S$999", "-$  5"),
    (D(5), "999.", "  5 "),  # a point with no digits after it is a space
    (D(-5), "999.S", "  5- "),
    (D("-0.5"), "S99.9", "  -.5"),
    (D("-0.5"), "99.9S", " 0.5-"),
    (D(0), "99S", "+  "),
    (D(0), "S9.9", " +.0"),
    (D(-5), "S99PR", " <-5>"),
    (D(-5), "S99MI", " -5-"),
    (D("-1234.5"), "s9g999d99", "-1,234.50"),
    (D(5), "\u017f9", "+5"),  # the long s is an S once upper-cased
    (D(1), "9" * 39, " " * 38 + "1"),  # beyond 38 digits: only to_number's type refuses it
]

TO_NUMBER = [
    ("454", "999", "454"),
    ("454.00", "000.00", "454.00"),
    ("12,454", "99,999", "12454"),
    ("$78.12", "$99.99", "78.12"),
    ("12,454.8-", "99,999.9S", "-12454.8"),
    ("<12>", "99PR", "-12"),
    ("1", "999.999", "1.000"),
    ("1234", "999", None),
    ("0001", "999", None),
    ("", "9", None),
    ("45", "099", None),  # a group that starts with 0 needs all its digits
    ("045", "099", "45"),
    ("1,2", "9,999", "12"),  # groups are no longer than the format's, read from the right
    ("12,34", "9,999", None),
    ("1,23", "99G999", "123"),
    ("123,45", "99G999", None),
    ("1,,234", "9,999", None),
    (",123", "9,999", "123"),
    ("1,234", "9999", None),
    ("1 2", "99", "12"),  # spaces anywhere among the digits
    (" $5", "$9", None),
    ("$ 5", "$9", "5"),
    ("5", "$9", None),
    ("\u20035", "9", "5"),  # Java's whitespace: an em space is one, a no-break space is not
    ("\xa05", "9", None),
    ("\u0663\u0664", "99", "34"),  # any decimal digit of the BMP
    ("\U0001d7d3", "9", None),
    ("+5", "MI9", None),
    ("-5", "MI9", "-5"),
    ("5-", "S9", None),
    ("-5-", "S9MI", "5"),  # each minus sign negates
    ("<-5>", "S9PR", "5"),
    ("-<5>", "S9PR", None),
    ("<5", "9PR", None),
    ("5>", "9PR", None),
    ("0.5", ".9", None),
    (".5", ".9", "0.5"),
    ("0", ".9", "0.0"),
    ("1.5", "9.00", "1.50"),
    ("5.", "9.0", "5.0"),
    (".0", "0.0", None),
    ("-0", "S9", "0"),
    ("5", "s9", "5"),
]

REJECTED = [
    ("", "EMPTY", "The format is invalid: ''. The number format string cannot be empty."),
    ("x", "WRONG_NUM_DIGIT", "The format is invalid: 'X'. The format string requires at least one number digit."),
    ("S.$", "WRONG_NUM_DIGIT", "The format string requires at least one number digit."),
    ("9.9.9", "WRONG_NUM_TOKEN", "At most one . or D is allowed in the number format."),
    ("9.D", "WRONG_NUM_TOKEN", "At most one . or D is allowed in the number format."),
    ("$9.9$", "WRONG_NUM_TOKEN", "At most one $ is allowed in the number format."),
    ("S9S", "WRONG_NUM_TOKEN", "At most one S is allowed in the number format."),
    ("\xdf9", "WRONG_NUM_TOKEN", "The format is invalid: 'SS9'. At most one S is allowed"),
    ("MI9MI", "WRONG_NUM_TOKEN", "At most one MI is allowed in the number format."),
    ("9PRPR", "WRONG_NUM_TOKEN", "At most one PR is allowed in the number format."),
    ("9,", "CONT_THOUSANDS_SEPS", "Thousands separators (, or G) must have digits in between them"),
    ("G9", "CONT_THOUSANDS_SEPS", "Thousands separators (, or G) must have digits in between them"),
    ("9,,9", "CONT_THOUSANDS_SEPS", "Thousands separators (, or G) must have digits in between them"),
    ("g", "CONT_THOUSANDS_SEPS", "Thousands separators (, or G) must have digits in between them"),
    ("9.9,9", "THOUSANDS_SEPS_MUST_BEFORE_DEC", "may not appear after the decimal point in the number format."),
    ("9$", "CUR_MUST_BEFORE_DIGIT", "Currency characters must appear before digits in the number format."),
    ("9.9.9$", "CUR_MUST_BEFORE_DIGIT", "Currency characters must appear before digits"),
    (".$9", "CUR_MUST_BEFORE_DEC", "Currency characters must appear before any decimal point in the number format."),
    ("9S9", "UNEXPECTED_TOKEN", "Found the unexpected digit sequence in the format string; the structure of"),
    ("$S9", "UNEXPECTED_TOKEN", "Found the unexpected digit sequence in the format string;"),
    ("9x", "UNEXPECTED_TOKEN", "Found the unexpected character 'X'' in the format string;"),
    ("9 9", "UNEXPECTED_TOKEN", "Found the unexpected character ' '' in the format string;"),
    ("9MIS", "UNEXPECTED_TOKEN", "Found the unexpected S in the format string;"),
    ("9SPR", "UNEXPECTED_TOKEN", "Found the unexpected PR in the format string;"),
    ("9PR.9", "UNEXPECTED_TOKEN", "Found the unexpected . or D in the format string;"),
]

RESULT_TYPES = [
    ("999", (3, 0)),
    ("000.00", (5, 2)),
    ("$99,999.9S", (6, 1)),
    (".9", (1, 1)),
    ("9.", (1, 0)),
    ("S9,9,9.99PR", (5, 2)),
    ("9" * 38, (38, 0)),
]


def _sql_text(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _local(function, *arguments) -> tuple[str, object]:
    try:
        return "ok", function(*arguments)
    except NumberFormatError as error:
        return "error", str(error)


def _spark_error(error: Exception) -> str:
    """Spark's message up to its SQLSTATE, without the position and plan that follow it."""
    text = str(error)
    return text[: text.index("SQLSTATE: ") + len("SQLSTATE: 00000")]


def _same_decimal(local: Decimal | None, spark_text: str | None) -> bool:
    if local is None or spark_text is None:
        return local is None and spark_text is None
    remote = Decimal(spark_text)
    return local == remote and local.as_tuple().exponent == remote.as_tuple().exponent


# -- the examples, without Spark --------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "fmt", "expected"), TO_CHAR)
def test_to_char_examples(value, fmt, expected):
    assert to_char(value, fmt) == expected


@pytest.mark.parametrize(("text", "fmt", "expected"), TO_NUMBER)
def test_try_to_number_examples(text, fmt, expected):
    assert _same_decimal(try_to_number(text, fmt), expected)


@pytest.mark.parametrize(("fmt", "expected"), RESULT_TYPES)
def test_result_types(fmt, expected):
    assert result_type(fmt) == expected


@pytest.mark.parametrize(("fmt", "sub_class", "message"), REJECTED)
def test_rejected_formats(fmt, sub_class, message):
    for call in (lambda: check_format(fmt), lambda: to_char(D(1), fmt), lambda: try_to_number("1", fmt)):
        with pytest.raises(NumberFormatError) as raised:
            call()
        assert raised.value.error_class == f"INVALID_FORMAT.{sub_class}"
        assert message in str(raised.value) and str(raised.value).endswith("SQLSTATE: 42601")


def test_a_text_that_does_not_match_is_an_error_of_to_number_only():
    with pytest.raises(ValueError) as raised:
        to_number("12", "9.9")
    assert str(raised.value) == (
        '[INVALID_FORMAT.MISMATCH_INPUT] The format is invalid: 9.9. The input "STRING" 12 does not match the '
        "format. SQLSTATE: 42601"
    )
    assert try_to_number("12", "9.9") is None


def test_digits_without_a_point_overflow_a_format_without_digits_before_its_point():
    for call in (to_number, try_to_number):
        with pytest.raises(NumberFormatError, match=r"^\[NUMERIC_VALUE_OUT_OF_RANGE\.WITH_SUGGESTION\]  0 cannot"):
            call("5", ".99")


def test_more_than_38_digits_is_an_error_of_to_number_only():
    with pytest.raises(NumberFormatError, match=r"Decimal precision 39 exceeds max precision 38\. SQLSTATE: 22003"):
        try_to_number("1", "9" * 39)
    check_format("9" * 39)


# -- the examples and generated cases, with Spark ---------------------------------------------------------


def test_examples_answer_as_spark(spark):
    calls = [f"to_char(CAST({value} AS DECIMAL(38,10)), {_sql_text(fmt)})" for value, fmt, _ in TO_CHAR]
    assert list(spark.sql("SELECT " + ", ".join(calls)).first()) == [expected for _, _, expected in TO_CHAR]
    calls = [f"CAST(try_to_number({_sql_text(text)}, {_sql_text(fmt)}) AS STRING)" for text, fmt, _ in TO_NUMBER]
    answers = spark.sql("SELECT " + ", ".join(calls)).first()
    assert all(
        _same_decimal(D(want) if want else None, got) for (_, _, want), got in zip(TO_NUMBER, answers, strict=True)
    )
    calls = [f"typeof(try_to_number('1', {_sql_text(fmt)}))" for fmt, _ in RESULT_TYPES]
    assert list(spark.sql("SELECT " + ", ".join(calls)).first()) == [
        f"decimal{t}".replace(" ", "") for _, t in RESULT_TYPES
    ]


@pytest.mark.parametrize(("fmt", "sub_class", "message"), REJECTED)
def test_rejected_formats_as_spark(spark, fmt, sub_class, message):
    for call in (f"to_char(1, {_sql_text(fmt)})", f"try_to_number('1', {_sql_text(fmt)})"):
        with pytest.raises(Exception) as raised:
            spark.sql(f"SELECT {call}").collect()
        assert _spark_error(raised.value) == str(_local(check_format, fmt)[1])


def test_run_time_errors_as_spark(spark):
    for text, fmt, call in (("12", "9.9", "to_number"), ("1x", "s9", "to_number"), ("5", ".99", "try_to_number")):
        with pytest.raises(Exception) as raised:
            spark.sql(f"SELECT {call}({_sql_text(text)}, {_sql_text(fmt)})").collect()
        assert _spark_error(raised.value) == _local(to_number, text, fmt)[1]
    with pytest.raises(Exception) as raised:
        spark.sql(f"SELECT try_to_number(NULL, '{'9' * 39}')").collect()
    assert _spark_error(raised.value) == _local(result_type, "9" * 39)[1]


# Random formats: mostly well formed, some with a piece added, dropped or moved.
_PIECES = ["9", "0", ",", "G", ".", "D", "$", "S", "MI", "PR", "s", "mi", "pr", "d", "g", "X", " ", "M", "-"]


def _run(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("9999990") if rng.random() < 0.7 else rng.choice("90") for _ in range(length))


def _well_formed(rng: random.Random) -> str:
    lead = rng.choice(["", "", "", "S", "MI", "s"])
    trail = rng.choice(["", "", "", "S", "MI", "PR", "s", "mi", "pr"])
    integer = rng.choice([",", "G", "g"]).join(_run(rng, rng.randint(1, 5)) for _ in range(rng.choice([1, 1, 2, 3])))
    fraction = rng.choice([".", "D", "d"]) + _run(rng, rng.randint(0, 5)) if rng.random() < 0.6 else ""
    return (
        lead + "$" * (rng.random() < 0.3) + (integer if rng.random() < 0.85 or not fraction else "") + fraction + trail
    )


def _generated_format(rng: random.Random) -> str:
    pieces = [*_well_formed(rng)] if rng.random() < 0.8 else [rng.choice(_PIECES) for _ in range(rng.randint(1, 6))]
    for _ in range(rng.choice([0, 0, 1, 2])):
        at = rng.randrange(len(pieces) + 1)
        if rng.random() < 0.5:
            pieces.insert(at, rng.choice(_PIECES))
        elif pieces:
            pieces.insert(rng.randrange(len(pieces)), pieces.pop(min(at, len(pieces) - 1)))
    return "".join(pieces)


def _value(rng: random.Random, fmt: str) -> Decimal:
    """A value that mostly fits the format, sometimes with a digit too many before or after the point."""
    integer, _, fraction = fmt.upper().replace("D", ".").partition(".")
    places = sum(char in "09" for char in integer) + (rng.random() < 0.15)
    decimals = sum(char in "09" for char in fraction) + (rng.random() < 0.15)
    digits = "".join(rng.choice("0123456789") for _ in range(min(rng.randint(0, places), 28)))
    after = "".join(rng.choice("0123456789") for _ in range(min(rng.randint(0, decimals), 10)))
    return Decimal(("-" if rng.random() < 0.4 else "") + (digits or "0") + "." + (after or "0"))


_TEXT_NOISE = [*"0123456789,.$+-<> ", "\u0663", "\u3000", "\xa0", "x"]


def _text(rng: random.Random, fmt: str) -> str:
    """What to_char writes, trimmed or not, with a few characters added or dropped; or random characters."""
    if rng.random() < 0.25:
        return "".join(rng.choice(_TEXT_NOISE[:18]) for _ in range(rng.randint(0, 8)))
    chars = list(to_char(_value(rng, fmt), fmt).strip() if rng.random() < 0.5 else to_char(_value(rng, fmt), fmt))
    for _ in range(rng.choice([0, 0, 1, 2])):
        at = rng.randrange(len(chars) + 1)
        if rng.random() < 0.5 or not chars:
            chars.insert(at, rng.choice(_TEXT_NOISE))
        else:
            del chars[min(at, len(chars) - 1)]
    return "".join(chars)


def _numbered(formats: list[str], each: int) -> list[tuple[int, int, str]]:
    """(row, format's number, format) for `each` rows per format."""
    return [
        (row, number % len(formats), formats[number % len(formats)])
        for row, number in enumerate(number for _ in range(each) for number in range(len(formats)))
    ]


def _case(column: str, calls: dict[int, str]) -> str:
    return f"CASE {column} " + " ".join(f"WHEN {key} THEN {call}" for key, call in calls.items()) + " END"


@pytest.fixture(scope="module")
def generated_formats(spark) -> list[str]:
    """Random formats whose analysis in Spark matches check_format and result_type; those Spark accepts."""
    rng = random.Random(20261206)
    formats = list(dict.fromkeys(_generated_format(rng) for _ in range(400)))
    accepted = [fmt for fmt in formats if _local(result_type, fmt)[0] == "ok"]
    types = spark.sql("SELECT " + ", ".join(f"typeof(try_to_number('1', {_sql_text(f)}))" for f in accepted)).first()
    differing = [
        (fmt, want, got)
        for fmt, want, got in zip(accepted, types, map(result_type, accepted), strict=True)
        if want != "decimal({},{})".format(*got)
    ]
    for fmt in formats:
        if fmt not in accepted:
            try:
                spark.sql(f"SELECT try_to_number('1', {_sql_text(fmt)})").collect()
                differing.append((fmt, "accepted", _local(result_type, fmt)[1]))
            except Exception as error:
                if _spark_error(error) != _local(result_type, fmt)[1]:
                    differing.append((fmt, _spark_error(error), _local(result_type, fmt)[1]))
    assert not differing, f"{len(differing)} differences, e.g. {differing[:5]}"
    assert len(accepted) > 170 and len(formats) - len(accepted) > 150, (len(formats), len(accepted))
    return accepted


def test_generated_to_char_answers_as_spark(spark, generated_formats):
    rng = random.Random(7)
    rows = [(i, _value(rng, fmt), number) for i, number, fmt in _numbered(generated_formats, 8)]
    frame = spark.createDataFrame(rows, "i int, v decimal(38,10), f int")
    calls = {number: f"to_char(v, {_sql_text(fmt)})" for number, fmt in enumerate(generated_formats)}
    answers = dict(frame.selectExpr("i", _case("f", calls)).collect())
    differing = [
        (generated_formats[number], value, answers[i], to_char(value, generated_formats[number]))
        for i, value, number in rows
        if answers[i] != to_char(value, generated_formats[number])
    ]
    assert not differing, f"{len(differing)} differences, e.g. {differing[:5]}"
    assert len(rows) > 1300 and sum(answer.count("#") > 0 for answer in answers.values()) > 100


def test_generated_to_number_answers_as_spark(spark, generated_formats):
    rng = random.Random(11)
    formats = generated_formats
    rows = [(i, _text(rng, fmt), number) for i, number, fmt in _numbered(formats, 8)]
    local = {i: _local(try_to_number, text, formats[number]) for i, text, number in rows}
    # Texts try_to_number raises for fail the whole query in Spark: they are asked one by one.
    batch = [row for row in rows if local[row[0]][0] == "ok"]
    frame = spark.createDataFrame(batch, "i int, t string, f int")
    calls = {number: f"CAST(try_to_number(t, {_sql_text(fmt)}) AS STRING)" for number, fmt in enumerate(formats)}
    answers = dict(frame.selectExpr("i", _case("f", calls)).collect())
    differing = [
        (text, formats[number], answers[i], local[i])
        for i, text, number in batch
        if not _same_decimal(local[i][1], answers[i])
    ]
    for i, text, number in (row for row in rows if local[row[0]][0] != "ok"):
        with pytest.raises(Exception) as raised:
            spark.sql(f"SELECT try_to_number({_sql_text(text)}, {_sql_text(formats[number])})").collect()
        if _spark_error(raised.value) != local[i][1]:
            differing.append((text, formats[number], _spark_error(raised.value), local[i]))
    assert not differing, f"{len(differing)} differences, e.g. {differing[:5]}"
    matched = sum(answer is not None for answer in answers.values())
    assert len(rows) > 1300 and 400 < matched < len(batch) - 400, (len(rows), matched)
