"""`parse_url` as Databricks answers it (java.net.URI's parser), compared with Spark's answers."""

from __future__ import annotations

import random

import pytest

from dialect.javaurl import InvalidUrl, parse_url

PARTS = ("HOST", "PATH", "QUERY", "REF", "PROTOCOL", "FILE", "AUTHORITY", "USERINFO", "host", "NOPE")
# Keys are Java regular expressions pasted into `(&|^)<key>=([^&]*)`; all of these compile.
KEYS = ("a", "b", "key", "", "A", "é", "x y", "k%20", "a.b", "a\\.b", "a|b", "(a)", "[ab]", "b?", ".*", "\\w+")

TRICKY = [
    "http://u:p@h.com:8080/p/a?x=1&y=2#frag",
    "http://a_b.com/",  # not a hostname: a registry authority, HOST is NULL
    "http://a_b.com:80/x?a=1",
    "mailto:a@b.com",  # opaque: no path, query or host
    "mailto:a@b.com?subject=x#f",
    "a:b:c",
    "/a/b?x=1",
    "//h.com/x",
    "?a=1",
    "#f",
    "",
    "http://a.com",  # empty path
    "http://h.com?x",
    "http:/",
    "http:///x",
    "file:///etc/hosts",
    "http://[::1]:80/",
    "http://[fe80::1%eth0]:80/p",
    "http://[::1.2.3.4]/",
    "http://[1:2:3:4:5:6:7:8]/",
    "http://[1:2:3:4:5:6:7::8]/",
    "http://[::1.2.3]/",
    "http://[::1]x/",
    "http://[::1%]/",
    "http://a:b/",  # non-numeric port: registry authority
    "http://h.com:/x",  # empty port
    "http://h.com:2147483647/",
    "http://h.com:2147483648/",
    "http://1.2.3.4:99999999999/",
    "http://1.2.3.4/",
    "http://1.2.3.256/",
    "http://999.1.1.1/",
    "http://0001.2.3.4/",
    "http://99999999999.1.1.1/",
    "http://1.2.3/",
    "http://1.com/",
    "http://a.1/",
    "http://a./",
    "http://.a/",
    "http://x-.com/",
    "http://-x.com/",
    "http://@h.com/",
    "http://a@b@c/",
    "http://u@:80/",
    "http://a%41/",
    "http://h.com/a%20b",
    "http://h.com/%zz",
    "http://h.com/%2",
    "http://h.com/a b",
    "http://h.com/a#b#c",
    "http://h.com/?q#f?g",
    "http://h.com/é?ü=ß#ñ",
    "http://é.com/",
    "http://h.com/\U0001f600",
    "http://h.com/\u00a0",
    "http://h.com/\u2028",
    "http://h.com/\x85",
    "http://h.com/a;p=1//../b/./c",
    "http://h.com/?a=1&a=2&b=&=3&&c",
    "http://h.com/?ba=1&a=2&abc=3&a.c=4",
    "http://h.com/?a==1&b=x=y",
    "http://h.com/?%61=1&a%20=2",
    "http:",
    "http://",
    "1a:b",
    "ht_tp://h.com/",
    "a+b-c.d://h.com/",
    "HTTP://H.COM/",
    "http://[::1]:80:90/",
    "http://]a/",
    "http://a%/",
]


def _ipv4(rng: random.Random, huge: bool) -> str:
    numbers = [0, 1, 9, 99, 255, 256, 999, 1000, rng.randint(0, 300)] + ([99999999999] if huge else [])
    parts = [str(rng.choice(numbers)) for _ in range(rng.choice([4, 4, 4, 3, 5]))]
    if rng.random() < 0.1:
        parts[0] = "0" * rng.randint(1, 5) + parts[0]
    return ".".join(parts)


def _ipv6(rng: random.Random) -> str:
    def group() -> str:
        return "".join(rng.choice("0123456789abcdefABCDEF") for _ in range(rng.choice([1, 2, 4, 4, 4, 4, 5])))

    groups = [group() for _ in range(rng.choice([8, 8, 6, 7, 9, 3]))]
    cut = rng.randint(0, len(groups))
    body = rng.choice(
        [
            ":".join(groups),
            ":".join(groups[:cut]) + "::" + ":".join(groups[cut : rng.randint(cut, len(groups))]),
            ":".join(groups[:6]) + ":" + _ipv4(rng, huge=False),
            "::" + rng.choice(["", "1", "ffff:", "ffff:" + _ipv4(rng, huge=False)]),
            rng.choice(["::", ":::", "::1::", "1::", "1:2:3:4:5:6:7::"]),
        ]
    )
    if rng.random() < 0.3:
        body += "%" + rng.choice(["eth0", "", "1", "a_b.c", "e%20", "é", "-"])
    return "[" + body + ("]" if rng.random() < 0.95 else "")


def _word(rng: random.Random, alphabet: str = "abcxyzAB019", longest: int = 6) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


# Characters a URI takes as they are, only in some places, or never.
_NASTY = list(" %é中\U0001f600\u00a0\u2028\x7f\x85\t\"<>\\^`{}|[]#?@:;=&+$,!~*'()-_./") + ["%2", "%zz", "%41", "%e9"]


def _sprinkle(rng: random.Random, text: str, chance: float) -> str:
    return "".join((rng.choice(_NASTY) if rng.random() < chance else "") + char for char in text + " ")[:-1]


def _authority(rng: random.Random) -> str:
    text = ""
    if rng.random() < 0.3:
        text += _sprinkle(rng, _word(rng, "abu:;&=+$,"), 0.05) + "@" + ("x@" if rng.random() < 0.1 else "")
    kind = rng.randint(0, 9)
    if kind == 0:
        text += _ipv4(rng, huge=True)
    elif kind == 1:
        text += _ipv6(rng)
    elif kind == 2:
        text += _word(rng, "0123456789", 4)
    elif kind > 3:
        labels = [_word(rng, "abcxyz0129-_") if rng.random() < 0.3 else _word(rng, "abcxyz") for _ in range(3)]
        text += _sprinkle(rng, ".".join(labels[: rng.randint(1, 3)]), 0.02) + ("." if rng.random() < 0.1 else "")
    if rng.random() < 0.35:
        ports = ["", "80", "0", "65536", "2147483648", "99999999999", "ab", "8a", "-1", "80:90", "%38"]
        text += ":" + rng.choice(ports)
    return text


def _url(rng: random.Random) -> str:
    shape = rng.randint(0, 9)
    schemes = ["http"] * 20 + ["https"] * 5 + ["ftp", "file", "mailto", "a+b-c.d", "H2", "1h", "+a", "h_p", "é", ""]
    url = rng.choice(schemes) + ":" if shape != 9 and rng.random() < 0.85 else ""
    if shape <= 6:
        url += "//" + _authority(rng)
    elif shape == 7:
        url += "//"
    if shape == 8:
        url += rng.choice(["a@b.com", "x:y", "?x#y", "", _sprinkle(rng, _word(rng), 0.3)])
    else:
        segments = ["", ".", "..", "a", "b", "c", "b;p=1", "index.html", "c%20d", "é", "x y", _word(rng), _word(rng)]
        url += "/" * (rng.random() < 0.8) + "/".join(rng.choice(segments) for _ in range(rng.randint(0, 4)))
    if rng.random() < 0.6:
        names = ["a", "b", "a", "key", "a.b", "ab", "ba", "", "é", "k%20", "b", "x y", _sprinkle(rng, "ab", 0.1)]
        values = ["1", "", "v", "=", "a=b", "x%26y", "é", "q?r", "/p", _sprinkle(rng, _word(rng), 0.1)]
        pairs = [rng.choice(names) + "=" * (rng.random() < 0.9) + rng.choice(values) for _ in range(rng.randint(0, 5))]
        url += "?" + rng.choice(["&", "&", "&&", ";"]).join(pairs)
    if rng.random() < 0.3:
        url += "#" + rng.choice(["", "frag", "a#b", "x?y", "é", "%", _sprinkle(rng, _word(rng), 0.2)])
    return _sprinkle(rng, url, 0.03) if rng.random() < 0.05 else url


def _local(url: str, part: str, key: str | None = None) -> str | None:
    """parse_url, with an invalid URL as try_parse_url answers it (NULL)."""
    try:
        return parse_url(url, part, key)
    except InvalidUrl:
        return None


def _sql_text(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _differences(spark, urls: list[str]) -> list[tuple[str, str, object, object]]:
    calls = [f"try_parse_url(u, '{part}')" for part in PARTS]
    calls += [f"try_parse_url(u, 'QUERY', {_sql_text(key)})" for key in KEYS]
    calls += [f"try_parse_url(u, 'HOST', {_sql_text(key)})" for key in KEYS[:2]]
    frame = spark.createDataFrame(list(enumerate(urls)), "i int, u string")
    expected = {row[0]: tuple(row[1:]) for row in frame.selectExpr("i", *calls).collect()}
    assert len(expected) == len(urls)
    differing = []
    for i, url in enumerate(urls):
        local = [_local(url, part) for part in PARTS]
        local += [_local(url, "QUERY", key) for key in KEYS] + [_local(url, "HOST", key) for key in KEYS[:2]]
        answers = zip(calls, expected[i], local, strict=True)
        differing += [(url, call, want, got) for call, want, got in answers if want != got]
    return differing


def test_generated_urls_answer_as_databricks(spark):
    rng = random.Random(20261206)
    urls = [_url(rng) for _ in range(3000)]
    differing = _differences(spark, urls)
    assert not differing, f"{len(differing)} differences, e.g. {differing[:5]}"
    # The generator reaches every outcome often: hosts, registry authorities (no host) and invalid URLs.
    hosts = sum(_local(url, "HOST") is not None for url in urls)
    registries = sum(_local(url, "AUTHORITY") is not None and _local(url, "HOST") is None for url in urls)
    invalid = sum(_local(url, "PATH") is None and _local(url, "PROTOCOL") is None for url in urls)
    assert hosts > 300 and registries > 500 and invalid > 1200, (hosts, registries, invalid)


def test_tricky_urls_answer_as_databricks(spark):
    differing = _differences(spark, TRICKY)
    assert not differing, f"{len(differing)} differences, e.g. {differing[:5]}"


@pytest.mark.parametrize(
    ("url", "part", "key", "expected"),
    [
        ("http://u:p@h.com:8080/p?x=1#f", "HOST", None, "h.com"),
        ("http://u:p@h.com:8080/p?x=1#f", "FILE", None, "/p?x=1"),
        ("http://a_b.com/", "HOST", None, None),
        ("http://a_b.com/", "AUTHORITY", None, "a_b.com"),
        ("mailto:a@b.com", "PATH", None, None),
        ("http://h.com/?ba=1&a=2", "QUERY", "a", "2"),
        ("http://h.com/?abc=1&a.c=2", "QUERY", "a.c", "1"),  # the key is a regular expression
        ("http://h.com/?a=1", "HOST", "a", None),  # a key only goes with QUERY
        ("http://h.com/a b", "HOST", "a", None),  # ... and then the URL is not read
        ("http://h.com/?a=1", "host", None, None),  # part names are case-sensitive
        ("http://h.com/", "QUERY", "(", None),  # no query: the key is never compiled
    ],
)
def test_examples(url, part, key, expected):
    assert parse_url(url, part, key) == expected


@pytest.mark.parametrize(
    ("url", "part", "key"),
    [("http://h.com/a b", "HOST", None), ("http://h.com/a#b#c", "QUERY", "x"), ("http:", "NOPE", None)],
)
def test_an_invalid_url_raises_value_error(url, part, key):
    with pytest.raises(ValueError, match=r"^\[INVALID_URL\] The url is invalid: ") as raised:
        parse_url(url, part, key)
    assert isinstance(raised.value, InvalidUrl)
    assert f"The url is invalid: {url}. Use `try_parse_url`" in str(raised.value)


@pytest.mark.parametrize(
    ("url", "part", "key"),
    [
        ("http://h.com/a b", "HOST", None),
        ("http://h.com/%zz?a=1", "QUERY", "a"),
        ("http://[::99999999999.1.1.1]/", "HOST", None),  # Java's NumberFormatException escapes the parser
        ("http://h.com/?a=1", "QUERY", "("),  # a key Java cannot compile
    ],
)
def test_errors_are_databricks_errors(spark, url, part, key):
    frame = spark.createDataFrame([(url, part, key)], "u string, p string, k string")
    with pytest.raises(Exception) as spark_error:
        frame.selectExpr("parse_url(u, p)" if key is None else "parse_url(u, p, k)").collect()
    with pytest.raises(ValueError) as local_error:
        parse_url(url, part, key)
    if isinstance(local_error.value, InvalidUrl):
        assert str(local_error.value) in str(spark_error.value)
