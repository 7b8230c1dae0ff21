"""`parse_url(url, partToExtract[, key])` as Databricks answers it, with the parts of a URL as java.net.URI
reads them: Databricks hands the URL to `new java.net.URI(url)` and returns that object's raw scheme,
authority, user information, host, path, query and fragment, so its answers follow Java's RFC 2396 parser
and its extensions, not RFC 3986 or a browser: a host is only a host when the whole authority reads as
`[userinfo@]host[:port]` (otherwise the authority is a registry name and the host NULL, as for
`http://a_b.com/`), IPv6 literals are checked, `%` must start two hexadecimal digits, visible non-ASCII
characters are allowed where escapes are, and a URL Java rejects is an INVALID_URL error under ANSI mode; a
key picks a value out of the raw query with the regular expression `(&|^)<key>=([^&]*)`, the key unquoted,
so that a key is itself a Java regular expression.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from dialect.regex import UntranslatableRegex, java_to_re2


class InvalidUrl(ValueError):
    """A URL java.net.URI rejects: Databricks' INVALID_URL error (try_parse_url answers NULL)."""

    def __init__(self, url: str):
        super().__init__(
            f"[INVALID_URL] The url is invalid: {url}. "
            "Use `try_parse_url` to tolerate invalid URL and return NULL instead. SQLSTATE: 22P02"
        )


class JavaNumberFormatError(ValueError):
    """java.net.URI lets a NumberFormatException escape for an IPv4 part of an IPv6 literal beyond 2^31 - 1
    (`http://[::99999999999.1.1.1]/`): an error in Databricks even for try_parse_url."""


# -- character classes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Chars:
    """A set of ASCII characters; with `escapes`, also `%hh` and visible non-ASCII characters."""

    ascii: frozenset[str]
    escapes: bool = False

    def __or__(self, more: str | _Chars) -> _Chars:
        if isinstance(more, str):
            return _Chars(self.ascii | frozenset(more), self.escapes)
        return _Chars(self.ascii | more.ascii, self.escapes or more.escapes)


_DIGIT = _Chars(frozenset("0123456789"))
_ALPHA = _Chars(frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
_ALPHANUM = _ALPHA | _DIGIT
_HEX = _DIGIT | "abcdefABCDEF"
_UNRESERVED = _ALPHANUM | "-_.!~*'()"
_ESCAPED = _Chars(frozenset(), escapes=True)
# RFC 2396's reserved characters, with '[' and ']' as RFC 2732 adds them.
_URIC = _UNRESERVED | _ESCAPED | ";/?:@&=+$,[]"
_PATH = _UNRESERVED | _ESCAPED | ":@&=+$," | ";/"
_USER_INFO = _UNRESERVED | _ESCAPED | ";:&=+$,"
_REG_NAME = _UNRESERVED | _ESCAPED | "$,;:@&=+"
_SERVER = _USER_INFO | _ALPHANUM | "-" | ".:@[]"
_SERVER_PERCENT = _SERVER | "%"  # a '%' here is taken as is (an IPv6 scope), not as an escape
_SCHEME = _ALPHANUM | "+-."
_SCOPE_ID = _ALPHANUM | "_."
_HOST_LABEL = _ALPHANUM | "-"
_IPV4_CHARS = _DIGIT | "."

# Character.isSpaceChar: the Unicode space, line and paragraph separators.
_SPACE_CHARS = frozenset("\u0020\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                         "\u2028\u2029\u202f\u205f\u3000")  # fmt: skip
_INT_MAX = 2**31 - 1


def _is_iso_control(char: str) -> bool:
    return ord(char) <= 0x1F or 0x7F <= ord(char) <= 0x9F


class _Malformed(Exception):
    """java.net.URISyntaxException: the text is not a URI (or this part of it is not what was tried)."""


@dataclass
class Uri:
    """The components of a parsed URI, raw (escapes kept); None where the URI has no such component."""

    scheme: str | None = None
    authority: str | None = None
    user_info: str | None = None
    host: str | None = None
    path: str | None = None
    query: str | None = None
    fragment: str | None = None


class _Parser:
    """One URI string read by java.net.URI's grammar. A method reads the text from position p (inclusive)
    up to n or end (exclusive), never past it, and answers the position where it stopped."""

    def __init__(self, text: str):
        self.text = text
        self.uri = Uri()
        self.ipv6_bytes = 0

    # -- scanning

    def at(self, p: int, end: int, expected: str) -> bool:
        return p + len(expected) <= end and self.text.startswith(expected, p)

    def skip(self, p: int, end: int, char: str) -> int:
        """Past `char` when it is at p, else p."""
        return p + 1 if self.at(p, end, char) else p

    def scan_to(self, p: int, end: int, stops: str) -> int:
        """The position of the first of `stops` from p, or end."""
        while p < end and self.text[p] not in stops:
            p += 1
        return p

    def scan_to_unless(self, p: int, end: int, errors: str, stops: str) -> int:
        """As scan_to, but -1 when one of `errors` comes first."""
        while p < end:
            char = self.text[p]
            if char in errors:
                return -1
            if char in stops:
                break
            p += 1
        return p

    def scan(self, p: int, end: int, chars: _Chars) -> int:
        """Past the characters of `chars` from p. Where escapes are allowed, `%` must be followed by two
        hexadecimal digits before `end` (else the URI is malformed) and a non-ASCII character counts when
        it is neither a space nor a control character."""
        text = self.text
        while p < end:
            char = text[p]
            if char in chars.ascii:
                p += 1
            elif not chars.escapes:
                break
            elif char == "%":
                if p + 3 <= end and text[p + 1] in _HEX.ascii and text[p + 2] in _HEX.ascii:
                    p += 3
                else:
                    raise _Malformed("Malformed escape pair")
            elif ord(char) > 128 and char not in _SPACE_CHARS and not _is_iso_control(char):
                p += 1
            else:
                break
        return p

    def check(self, p: int, end: int, chars: _Chars, what: str) -> None:
        if self.scan(p, end, chars) < end:
            raise _Malformed(f"Illegal character in {what}")

    # -- the grammar

    def parse(self) -> Uri:
        """[scheme:]scheme-specific-part[#fragment]"""
        text, n = self.text, len(self.text)
        p = self.scan_to_unless(0, n, "/?#", ":")
        if p >= 0 and self.at(p, n, ":"):
            if p == 0:
                raise _Malformed("Expected scheme name")
            self.check(0, 1, _ALPHA, "scheme name")
            self.check(1, p, _SCHEME, "scheme name")
            self.uri.scheme = text[:p]
            p += 1
            if self.at(p, n, "/"):
                p = self.hierarchical(p, n)
            else:  # opaque: mailto:a@b.com has neither path nor query
                q = self.scan_to(p, n, "#")
                if q <= p:
                    raise _Malformed("Expected scheme-specific part")
                self.check(p, q, _URIC, "opaque part")
                p = q
        else:
            p = self.hierarchical(0, n)
        if self.at(p, n, "#"):
            self.check(p + 1, n, _URIC, "fragment")
            self.uri.fragment = text[p + 1 :]
            p = n
        if p < n:
            raise _Malformed("end of URI")
        return self.uri

    def hierarchical(self, p: int, n: int) -> int:
        """[//authority]path[?query]; the authority may be empty before a path, query or fragment
        (file:///x) and the path may be empty (#f)."""
        if self.at(p, n, "//"):
            p += 2
            q = self.scan_to(p, n, "/?#")
            if q > p:
                p = self.authority(p, q)
            elif q >= n:
                raise _Malformed("Expected authority")
        q = self.scan_to(p, n, "?#")
        self.check(p, q, _PATH, "path")
        self.uri.path = self.text[p:q]
        p = q
        if self.at(p, n, "?"):
            p += 1
            q = self.scan_to(p, n, "#")
            self.check(p, q, _URIC, "query")
            self.uri.query = self.text[p:q]
            p = q
        return p

    def authority(self, p: int, n: int) -> int:
        """server | reg_name: the whole authority must read as a server for a host; otherwise, when its
        characters allow it, it is a registry name with no user info or host."""
        # Java allows a bare '%' (an IPv6 scope) unless the authority starts with ']'.
        server_chars = _SERVER_PERCENT if self.scan_to(p, n, "]") > p else _SERVER
        is_server_text = self.scan(p, n, server_chars) == n
        is_reg_name = self.scan(p, n, _REG_NAME) == n
        if is_server_text:
            try:
                self.server(p, n)
                self.uri.authority = self.text[p:n]
                return n
            except _Malformed:
                self.uri.user_info = self.uri.host = None
                if not is_reg_name:
                    raise
        if not is_reg_name:
            raise _Malformed("Illegal character in authority")
        self.uri.authority = self.text[p:n]
        return n

    def server(self, p: int, n: int) -> None:
        """[userinfo@]host[:port], all of [p, n)."""
        text = self.text
        q = self.scan_to_unless(p, n, "/?#", "@")
        if q >= p and self.at(q, n, "@"):
            self.check(p, q, _USER_INFO, "user info")
            self.uri.user_info = text[p:q]
            p = q + 1
        if self.at(p, n, "["):
            p += 1
            q = self.scan_to_unless(p, n, "/?#", "]")
            if not (q > p and self.at(q, n, "]")):
                raise _Malformed("Expected closing bracket for IPv6 address")
            scope = self.scan_to(p, q, "%")
            if scope > p:
                self.ipv6_reference(p, scope)
                if scope + 1 == q:
                    raise _Malformed("scope id expected")
                self.check(scope + 1, q, _SCOPE_ID, "scope id")
            else:
                self.ipv6_reference(p, q)
            self.uri.host = text[p - 1 : q + 1]
            p = q + 1
        else:
            q = self.ipv4_host(p, n)
            p = q if q > p else self.hostname(p, n)
        if self.at(p, n, ":"):
            p += 1
            q = self.scan_to(p, n, "/")
            if q > p:
                self.check(p, q, _DIGIT, "port number")
                if int(text[p:q]) > _INT_MAX:
                    raise _Malformed("Malformed port number")
                p = q
        if p < n:
            raise _Malformed("Expected port number")

    # -- hosts

    def ipv4_host(self, p: int, n: int) -> int:
        """An IPv4 address at p, followed by nothing or ':': the position after it (the host is set), or
        -1."""
        try:
            q = self.ipv4(p, n, whole=False)
        except (_Malformed, JavaNumberFormatError):
            return -1
        if p < q < n and self.text[q] != ":":
            return -1
        if q > p:
            self.uri.host = self.text[p:q]
        return q

    def ipv4(self, p: int, n: int, whole: bool) -> int:
        """Four dotted bytes at p. -1 when no digit or dot is at p (with `whole`, when [p, n) is not all
        digits and dots); a run of digits and dots that is not exactly such an address is malformed."""
        end = self.scan(p, n, _IPV4_CHARS)
        if end <= p or (whole and end != n):
            return -1
        for index in range(4):
            if index:
                q = self.skip(p, end, ".")
                if q <= p:
                    raise _Malformed("Malformed IPv4 address")
                p = q
            q = self.byte(p, end)
            if q <= p:
                raise _Malformed("Malformed IPv4 address")
            p = q
        if p < end:
            raise _Malformed("Malformed IPv4 address")
        return p

    def byte(self, p: int, end: int) -> int:
        """Past decimal digits at p whose value is at most 255, else p."""
        q = self.scan(p, end, _DIGIT)
        if q <= p:
            return q
        value = int(self.text[p:q])
        if value > _INT_MAX:  # Integer.parseInt overflows before the comparison
            raise JavaNumberFormatError(f'For input string: "{self.text[p:q]}" (beyond Integer.MAX_VALUE)')
        return q if value <= 255 else p

    def hostname(self, p: int, n: int) -> int:
        """Dot-separated labels of letters, digits and inner '-'; the last label (after a dot) starts with a
        letter, and only ':' may follow."""
        text, start, last_label = self.text, p, -1
        while True:
            q = self.scan(p, n, _ALPHANUM)
            if q <= p:
                break
            last_label, p = p, q
            q = self.scan(p, n, _HOST_LABEL)
            if q > p:
                if text[q - 1] == "-":
                    raise _Malformed("Illegal character in hostname")
                p = q
            q = self.skip(p, n, ".")
            if q <= p:
                break
            p = q
            if p >= n:
                break
        if p < n and not self.at(p, n, ":"):
            raise _Malformed("Illegal character in hostname")
        if last_label < 0:
            raise _Malformed("Expected hostname")
        if last_label > start and text[last_label] not in _ALPHA.ascii:
            raise _Malformed("Illegal character in hostname")
        self.uri.host = text[start:p]
        return p

    def ipv6_reference(self, p: int, n: int) -> None:
        """The address of an IPv6 literal, all of [p, n): groups of 1-4 hex digits, at most one '::', and
        an IPv4 address in place of the last two groups; 16 bytes, fewer with '::'."""
        compressed = False
        q = self.hex_groups(p, n)
        if q > p:
            p = q
            if self.at(p, n, "::"):
                compressed = True
                p = self.after_double_colon(p + 2, n)
            elif self.at(p, n, ":"):
                p = self.embedded_ipv4(p + 1, n)
        elif self.at(p, n, "::"):
            compressed = True
            p = self.after_double_colon(p + 2, n)
        if p < n:
            raise _Malformed("Malformed IPv6 address")
        if self.ipv6_bytes > 16:
            raise _Malformed("IPv6 address too long")
        if not compressed and self.ipv6_bytes < 16:
            raise _Malformed("IPv6 address too short")
        if compressed and self.ipv6_bytes == 16:
            raise _Malformed("Malformed IPv6 address")

    def after_double_colon(self, p: int, n: int) -> int:
        if p == n:
            return p
        q = self.hex_groups(p, n)
        if q > p:
            p = q
            if self.at(p, n, ":"):
                p = self.embedded_ipv4(p + 1, n)
            return p
        return self.embedded_ipv4(p, n)

    def embedded_ipv4(self, p: int, n: int) -> int:
        q = self.ipv4(p, n, whole=True)
        if q <= p:
            raise _Malformed("Expected IPv4 address")
        self.ipv6_bytes += 4
        return q

    def hex_groups(self, p: int, n: int) -> int:
        """Groups of hex digits joined by single colons, stopping before '::' or before a group that is the
        start of an IPv4 address; -1 when none."""
        q = self.scan(p, n, _HEX)
        if q <= p or self.at(q, n, "."):
            return -1
        if q > p + 4:
            raise _Malformed("IPv6 hexadecimal digit sequence too long")
        self.ipv6_bytes += 2
        p = q
        while p < n and self.at(p, n, ":") and not self.at(p + 1, n, ":"):
            q = self.scan(p + 1, n, _HEX)
            if q <= p + 1:
                raise _Malformed("Expected digits for an IPv6 address")
            if self.at(q, n, "."):
                break
            if q > p + 5:
                raise _Malformed("IPv6 hexadecimal digit sequence too long")
            self.ipv6_bytes += 2
            p = q
        return p


def parse_uri(url: str) -> Uri | None:
    """The components `new java.net.URI(url)` reads, or None where it throws URISyntaxException (the
    NumberFormatException Java lets escape is raised as JavaNumberFormatError)."""
    try:
        return _Parser(url).parse()
    except _Malformed:
        return None


# -- parse_url --------------------------------------------------------------------------------------------


def _file(uri: Uri) -> str | None:
    if uri.query is None:
        return uri.path
    return f"{uri.path}?{uri.query}"


_PARTS: dict[str, Callable[[Uri], str | None]] = {
    "HOST": lambda uri: uri.host,
    "PATH": lambda uri: uri.path,
    "QUERY": lambda uri: uri.query,
    "REF": lambda uri: uri.fragment,
    "PROTOCOL": lambda uri: uri.scheme,
    "FILE": _file,
    "AUTHORITY": lambda uri: uri.authority,
    "USERINFO": lambda uri: uri.user_info,
}

# Outside a character class only these are special in a Java regular expression.
_REGEX_SYNTAX = frozenset("\\^$.|?*+()[]{}")


@dataclass(frozen=True)
class _KeyPattern:
    regex: re.Pattern[str]
    # `\b`: Java (17) counts non-ASCII letters and digits as word characters, the translation does not.
    ascii_text_only: bool


@functools.lru_cache(maxsize=256)
def _key_pattern(key: str) -> _KeyPattern:
    if not _REGEX_SYNTAX.intersection(key):
        return _KeyPattern(re.compile("(&|^)" + re.escape(key) + "=([^&]*)"), False)
    # Spark pastes the key into the pattern's text: a key can close the first group or quote the rest.
    translation = java_to_re2("(&|^)" + key + "=([^&]*)")
    python = re.sub(r"\\x\{([0-9A-F]+)\}", lambda m: f"\\U{int(m.group(1), 16):08X}", translation.re2)
    python = python.replace(r"\z", r"\Z")
    return _KeyPattern(re.compile(python, re.ASCII), translation.needs_ascii_text)


def _query_value(query: str, key: str) -> str | None:
    pattern = _key_pattern(key)
    if pattern.ascii_text_only and not query.isascii():
        raise UntranslatableRegex(f"the key {key!r} (\\b on a query with non-ASCII characters)")
    match = pattern.regex.search(query)
    if match is None:
        return None
    if pattern.regex.groups < 2:
        raise ValueError(f"No group 2 in the pattern of the key {key!r}")
    return match.group(2)


def parse_url(url: str, part: str, key: str | None = None) -> str | None:
    """Databricks' `parse_url(url, part[, key])` with ANSI mode on (NULL arguments are the caller's: any
    NULL argument, a NULL key included, answers NULL without reading the others).

    `part` is one of HOST, PATH, QUERY, REF, PROTOCOL, FILE, AUTHORITY, USERINFO (case-sensitive; any other
    answers NULL once the URL has parsed). Raises InvalidUrl where java.net.URI rejects the URL; with a key
    the URL is read only for QUERY (a key with another part answers NULL, whatever the URL), and the key is
    a Java regular expression matched as `(&|^)<key>=([^&]*)` against the raw query, answering the second
    group of the first match (a key Java cannot compile raises ValueError once there is a query)."""
    if key is not None and part != "QUERY":
        return None
    uri = _parse_or_raise(url)
    if key is None:
        extract = _PARTS.get(part)
        return extract(uri) if extract is not None else None
    if uri.query is None:
        return None
    return _query_value(uri.query, key)


def _parse_or_raise(url: str) -> Uri:
    uri = parse_uri(url)
    if uri is None:
        raise InvalidUrl(url)
    return uri
