"""How a landed file DuckDB cannot take whole is judged: as one document, or line by line."""

from __future__ import annotations

import json

import pytest

from streaming.lines import line_problem, split_lines, whole_file_problem

NOT_NDJSON = "not newline-delimited JSON: one object per line is expected"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (json.dumps([{"id": "1"}, {"id": "2"}]).encode(), "the file is a JSON array (2 element(s) over 1 line(s))"),
        (
            json.dumps([{"id": "1"}], indent=2).encode() + b"\n",
            "the file is a JSON array (1 element(s) over 5 line(s))",
        ),
        (b'{\n  "id": "1"\n}\n{\n  "id": "2"\n}\n', "the file is pretty-printed JSON (2 value(s) over 6 lines)"),
        (
            b'[\n  {"id": "1"},\n  {"id": "2"',
            "the file looks like a JSON array (its first line is '[') that does not parse",
        ),
        (b'{\n  "id": "1",\n', "the file looks like pretty-printed JSON (its first line is '{') that does not parse"),
        (b"\x00\x01binary", "the file is not text (it holds NUL bytes)"),
    ],
    ids=["one-line-array", "pretty-array", "pretty-objects", "cut-short-array", "cut-short-object", "binary"],
)
def test_a_file_that_is_one_document_gets_one_reason(data, reason):
    reason += f", {NOT_NDJSON}"
    assert whole_file_problem(data) == reason
    split = split_lines(data)
    assert (split.whole_file_reason, split.lines, split.bad_lines) == (reason, [], [])


@pytest.mark.parametrize(
    "data",
    [
        b'{"id": "1"}\n{"id": "2", \n{"id": "3"}\n',  # one broken line among good ones
        b'{"id": "1"}\n[1, 2]\n',  # an array on one line of an NDJSON file
        b'{"id": "1"}\n\n{"id": "2"}',  # a blank line, no final newline
        b'{"id": "1"}\n{"name": "\xff"}\n',  # not UTF-8 on one line
    ],
)
def test_newline_delimited_json_with_bad_lines_is_judged_line_by_line(data):
    assert whole_file_problem(data) is None


def test_each_line_is_decoded_alone_and_numbered_from_one():
    split = split_lines(b'{"id": "1"}\r\n\n{"name": "caf\xe9"}\n  \n{"id": "5"}')
    assert split.lines == [(1, '{"id": "1"}\r'), (5, '{"id": "5"}')]
    assert split.bad_lines == [
        (
            3,
            '{"name": "caf\\xe9"}',
            "not valid UTF-8: byte 0xe9 at byte 14 of the line (land text encoded as UTF-8)",
        )
    ]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": "3", "name": ', "malformed JSON: Expecting value at column 21"),
        ("[1, 2]", "expected a JSON object, found an array"),
        ('"text"', "expected a JSON object, found a string"),
        ("null", "expected a JSON object, found null"),
        ('{"price": NaN}', "malformed JSON: NaN is not JSON"),
    ],
)
def test_a_rejected_line_is_explained(line, reason):
    assert line_problem(line) == reason
