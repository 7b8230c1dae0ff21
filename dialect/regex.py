"""Java regular expressions (what Databricks runs) written in RE2's syntax (what DuckDB runs).

Each construct is written out by what Java means: `.` leaves out \\r, \\u0085, \\u2028 and \\u2029 as well
as \\n; `\\s` has \\x0B; `(?i)` folds ASCII letters only; `[[:alpha:]]` is the set of the characters
`:alph`. Java constructs RE2 has no equivalent for (lookaround, backreferences, possessive and atomic
groups, Unicode properties) raise UntranslatableRegex. Two constructs are exact only on some texts,
which the caller checks at run time: `$` (Java also matches before a final line break) and `\\b`
(Java counts non-ASCII letters and digits as word characters).
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_CODE_POINT = 0x10FFFF
Ranges = tuple[tuple[int, int], ...]  # sorted, disjoint, inclusive code point ranges


class UntranslatableRegex(ValueError):
    """A Java construct the RE2 translation cannot give Java's meaning (or one Java rejects)."""


@dataclass(frozen=True)
class Translation:
    re2: str
    groups: int
    can_match_empty: bool
    # `$` or `\Z`: Java's answer differs from RE2's only on a text ending in a line terminator.
    needs_no_final_line_break: bool
    # `\b` or `\B`: Java's answer differs from RE2's only on a text with non-ASCII characters.
    needs_ascii_text: bool


# -- sets of code points ----------------------------------------------------------------------------------


def normalize(ranges: list[tuple[int, int]]) -> Ranges:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return tuple(merged)


def complement(ranges: Ranges) -> Ranges:
    out, start = [], 0
    for lo, hi in ranges:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= MAX_CODE_POINT:
        out.append((start, MAX_CODE_POINT))
    return tuple(out)


def fold_ascii_case(ranges: Ranges) -> Ranges:
    """Java's CASE_INSENSITIVE without UNICODE_CASE: an ASCII letter also stands for its other case."""
    extra = []
    for lo, hi in ranges:
        for c in range(max(lo, 0x41), min(hi, 0x7A) + 1):
            if chr(c).isalpha():
                extra.append((ord(chr(c).swapcase()),) * 2)
    return normalize([*ranges, *extra])


def _chars(text: str) -> Ranges:
    return normalize([(ord(c), ord(c)) for c in text])


def _span(lo: str, hi: str) -> tuple[int, int]:
    return ord(lo), ord(hi)


DIGIT = normalize([_span("0", "9")])
WORD = normalize([_span("a", "z"), _span("A", "Z"), _span("0", "9"), _span("_", "_")])
SPACE = _chars(" \t\n\x0b\f\r")
HORIZONTAL_SPACE = normalize([*_chars(" \t\xa0\u1680\u180e\u202f\u205f\u3000"), (0x2000, 0x200A)])
VERTICAL_SPACE = _chars("\n\x0b\f\r\x85\u2028\u2029")
LINE_TERMINATORS = "\n\r\x85\u2028\u2029"
NOT_LINE_TERMINATOR = complement(_chars(LINE_TERMINATORS))

_PUNCT = _chars("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Java's POSIX classes are ASCII only (without UNICODE_CHARACTER_CLASS).
POSIX = {
    "Lower": normalize([_span("a", "z")]),
    "Upper": normalize([_span("A", "Z")]),
    "ASCII": normalize([(0, 0x7F)]),
    "Alpha": normalize([_span("a", "z"), _span("A", "Z")]),
    "Digit": DIGIT,
    "Alnum": normalize([_span("a", "z"), _span("A", "Z"), _span("0", "9")]),
    "Punct": _PUNCT,
    "Graph": normalize([_span("a", "z"), _span("A", "Z"), _span("0", "9"), *_PUNCT]),
    "Print": normalize([_span("a", "z"), _span("A", "Z"), _span("0", "9"), *_PUNCT, (0x20, 0x20)]),
    "Blank": _chars(" \t"),
    "Cntrl": normalize([(0, 0x1F), (0x7F, 0x7F)]),
    "XDigit": normalize([_span("0", "9"), _span("a", "f"), _span("A", "F")]),
    "Space": SPACE,
}
# Under (?i) Java widens these two to both cases (on some JDKs): refused rather than guessed.
_CASE_DEPENDENT = {"Lower", "Upper"}

CLASS_ESCAPES = {
    "d": DIGIT, "D": complement(DIGIT), "w": WORD, "W": complement(WORD), "s": SPACE, "S": complement(SPACE),
    "h": HORIZONTAL_SPACE, "H": complement(HORIZONTAL_SPACE), "v": VERTICAL_SPACE, "V": complement(VERTICAL_SPACE),
}  # fmt: skip
CHAR_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "a": "\x07", "e": "\x1b"}
_REFUSED_ESCAPES = {
    "G": "the \\G anchor",
    "R": "\\R (a line break sequence)",
    "X": "\\X (a grapheme cluster)",
    "k": "a named backreference \\k<...>",
    "N": "\\N{...} (a character by name)",
    "b{": "\\b{g}",
}
_RE2_REPEAT_LIMIT = 1000


def re2_set(ranges: Ranges) -> str:
    """A character class RE2 reads as exactly these code points (no surrogates occur in UTF-8 text)."""
    kept = [(lo, hi) for lo, hi in _without_surrogates(ranges)]
    if not kept:
        return r"[^\x{0}-\x{10FFFF}]"
    return "[" + "".join(_re2_char(lo) if lo == hi else f"{_re2_char(lo)}-{_re2_char(hi)}" for lo, hi in kept) + "]"


def _without_surrogates(ranges: Ranges) -> list[tuple[int, int]]:
    out = []
    for lo, hi in ranges:
        if hi < 0xD800 or lo > 0xDFFF:
            out.append((lo, hi))
            continue
        if lo < 0xD800:
            out.append((lo, 0xD7FF))
        if hi > 0xDFFF:
            out.append((0xE000, hi))
    return out


def _re2_char(code: int) -> str:
    char = chr(code)
    if char.isascii() and char.isalnum():
        return char
    return f"\\x{{{code:X}}}"


def _without_quoting(pattern: str) -> str:
    """\\Q...\\E written as escaped characters, as Java does before it parses (a quantifier after \\E
    then applies to the last quoted character)."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("\\Q", i):
            end = pattern.find("\\E", i + 2)
            end = len(pattern) if end < 0 else end
            out.extend(c if c.isascii() and c.isalnum() else f"\\x{{{ord(c):X}}}" for c in pattern[i + 2 : end])
            i = end + 2
        else:
            step = 2 if pattern[i] == "\\" else 1
            out.append(pattern[i : i + step])
            i += step
    return "".join(out)


# -- the parser ---------------------------------------------------------------------------------------------


@dataclass
class _Piece:
    re2: str
    can_match_empty: bool
    zero_width: bool = False


@dataclass
class _Flags:
    case_insensitive: bool = False
    dotall: bool = False


class _Parser:
    def __init__(self, pattern: str):
        self.text = _without_quoting(pattern)
        self.pos = 0
        self.groups = 0
        self.group_names: set[str] = set()
        self.needs_no_final_line_break = False
        self.needs_ascii_text = False

    # reading
    def peek(self, n: int = 0) -> str:
        i = self.pos + n
        return self.text[i] if i < len(self.text) else ""

    def take(self) -> str:
        char = self.peek()
        if not char:
            raise UntranslatableRegex("a pattern that ends too early")
        self.pos += 1
        return char

    def at(self, prefix: str) -> bool:
        return self.text.startswith(prefix, self.pos)

    # structure
    def alternation(self, flags: _Flags) -> _Piece:
        branches = [self.sequence(flags)]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.sequence(flags))
        if len(branches) == 1:
            return branches[0]
        return _Piece("|".join(b.re2 for b in branches), any(b.can_match_empty for b in branches))

    def sequence(self, flags: _Flags) -> _Piece:
        parts: list[_Piece] = []
        while self.peek() and self.peek() not in "|)":
            atom = self.atom(flags)
            if atom is None:
                continue
            parts.append(self.quantified(atom))
        return _Piece("".join(p.re2 for p in parts), all(p.can_match_empty for p in parts))

    def quantified(self, atom: _Piece) -> _Piece:
        char = self.peek()
        if char in ("*", "+", "?"):
            self.pos += 1
            low, text = (0 if char != "+" else 1), char
        elif char == "{":
            low, text = self.repetition()
        else:
            return atom
        if atom.zero_width:
            raise UntranslatableRegex("a quantifier on an anchor")
        if self.peek() == "+":
            raise UntranslatableRegex("a possessive quantifier")
        if self.peek() == "?":
            self.pos += 1
            text += "?"
        if self.peek() and self.peek() in "*+?{":
            raise UntranslatableRegex(f"the quantifier {self.peek()!r} after a quantifier")
        return _Piece(f"(?:{atom.re2}){text}", atom.can_match_empty or low == 0)

    def repetition(self) -> tuple[int, str]:
        end = self.text.find("}", self.pos)
        body = self.text[self.pos + 1 : end] if end > 0 else ""
        low_text, comma, high_text = body.partition(",")
        if not low_text.isdigit() or (high_text and not high_text.isdigit()):
            raise UntranslatableRegex("a '{' that is not a repetition {n,m}")
        low = int(low_text)
        high = int(high_text) if high_text else low if not comma else None
        if max(low, high or 0) > _RE2_REPEAT_LIMIT or (high is not None and high < low):
            raise UntranslatableRegex(f"the repetition {{{body}}}")
        self.pos = end + 1
        return low, "{" + body + "}"

    def atom(self, flags: _Flags) -> _Piece | None:
        char = self.take()
        if char == "(":
            return self.group(flags)
        if char == "[":
            return _Piece(re2_set(self.char_class(flags)), False)
        if char == ".":
            if flags.dotall:
                return _Piece("(?s:.)", False)
            return _Piece(re2_set(NOT_LINE_TERMINATOR), False)
        if char == "^":
            return _Piece(r"\A", True, zero_width=True)
        if char == "$":
            self.needs_no_final_line_break = True
            return _Piece(r"\z", True, zero_width=True)
        if char == "\\":
            return self.escape(flags)
        if char in "*+?{":
            raise UntranslatableRegex(f"a dangling {char!r}")
        return self.literal(ord(char), flags)

    def literal(self, code: int, flags: _Flags) -> _Piece:
        single: Ranges = ((code, code),)
        if flags.case_insensitive:
            single = fold_ascii_case(single)
        if len(single) == 1 and single[0][0] == single[0][1]:
            return _Piece(_re2_char(code), False)
        return _Piece(re2_set(single), False)

    def group(self, flags: _Flags) -> _Piece | None:
        capturing = True
        inner = _Flags(flags.case_insensitive, flags.dotall)
        if self.peek() == "?":
            self.pos += 1
            kind = self.peek()
            if self.at("<") and self.peek(1).isascii() and self.peek(1).isalpha():
                end = self.text.find(">", self.pos)
                name = self.text[self.pos + 1 : end] if end > 0 else ""
                if not (name.isascii() and name.isalnum()) or name in self.group_names:
                    raise UntranslatableRegex("a malformed or repeated group name")
                self.group_names.add(name)
                self.pos = end + 1
            elif kind == ":":
                self.pos += 1
                capturing = False
            elif self.at("<=") or self.at("<!"):
                raise UntranslatableRegex("a lookbehind (?<=...) or (?<!...)")
            elif kind in ("=", "!"):
                raise UntranslatableRegex("a lookahead (?=...) or (?!...)")
            elif kind == ">":
                raise UntranslatableRegex("an atomic group (?>...)")
            else:
                ends_here = self.inline_flags(inner)
                if ends_here:  # (?i): the flags hold for the rest of the enclosing group
                    flags.case_insensitive, flags.dotall = inner.case_insensitive, inner.dotall
                    return None
                capturing = False
        if capturing:
            self.groups += 1
        body = self.alternation(inner)
        if self.peek() != ")":
            raise UntranslatableRegex("an unclosed group")
        self.pos += 1
        return _Piece(("(" if capturing else "(?:") + body.re2 + ")", body.can_match_empty)

    def inline_flags(self, flags: _Flags) -> bool:
        """Reads `i-s)` or `is:`; True when the flags end the group (`(?i)`), False before a body."""
        on = True
        while True:
            char = self.take()
            if char == "-":
                on = False
            elif char == "i":
                flags.case_insensitive = on
            elif char == "s":
                flags.dotall = on
            elif char in ")":
                return True
            elif char == ":":
                return False
            else:
                raise UntranslatableRegex(f"the flag (?{char})")

    def escape(self, flags: _Flags) -> _Piece | None:
        char = self.take()
        if char in "bB":
            if self.peek() == "{":
                raise UntranslatableRegex(_REFUSED_ESCAPES["b{"])
            self.needs_ascii_text = True
            return _Piece("\\" + char, True, zero_width=True)
        if char == "A":
            return _Piece(r"\A", True, zero_width=True)
        if char == "z":
            return _Piece(r"\z", True, zero_width=True)
        if char == "Z":
            self.needs_no_final_line_break = True
            return _Piece(r"\z", True, zero_width=True)
        if char in CLASS_ESCAPES or char in "pP":
            return _Piece(re2_set(self.class_escape(char, flags)), False)
        if char in _REFUSED_ESCAPES:
            raise UntranslatableRegex(_REFUSED_ESCAPES[char])
        if char.isdigit() and char != "0":
            raise UntranslatableRegex(f"the backreference \\{char}")
        return self.literal(self.char_escape(char), flags)

    def class_escape(self, char: str, flags: _Flags) -> Ranges:
        if char in CLASS_ESCAPES:
            return CLASS_ESCAPES[char]
        if self.peek() == "{":
            end = self.text.find("}", self.pos)
            name = self.text[self.pos + 1 : end] if end > 0 else ""
            self.pos = end + 1 if end > 0 else len(self.text)
        else:
            name = self.take()
        if name not in POSIX:
            raise UntranslatableRegex(f"the character property \\{char}{{{name}}}")
        if flags.case_insensitive and name in _CASE_DEPENDENT:
            raise UntranslatableRegex(f"\\{char}{{{name}}} with (?i)")
        return POSIX[name] if char == "p" else complement(POSIX[name])

    def char_escape(self, char: str) -> int:
        """The code point an escape such as \\t, \\x41, \\u0041, \\0101, \\cA or \\. stands for."""
        if char in CHAR_ESCAPES:
            return ord(CHAR_ESCAPES[char])
        if char == "0":
            return self.octal()
        if char == "x":
            if self.peek() == "{":
                end = self.text.find("}", self.pos)
                return self.hex_digits(self.text[self.pos + 1 : end] if end > 0 else "", end + 1)
            return self.hex_digits(self.text[self.pos : self.pos + 2], self.pos + 2, exact=2)
        if char == "u":
            code = self.hex_digits(self.text[self.pos : self.pos + 4], self.pos + 4, exact=4)
            if 0xD800 <= code <= 0xDFFF:
                raise UntranslatableRegex("a surrogate \\u escape")
            return code
        if char == "c":
            return ord(self.take()) ^ 64
        if char.isascii() and not char.isalnum():
            return ord(char)
        raise UntranslatableRegex(f"the escape \\{char}")

    def hex_digits(self, digits: str, end: int, exact: int = 0) -> int:
        if not digits or (exact and len(digits) != exact) or any(c not in "0123456789abcdefABCDEF" for c in digits):
            raise UntranslatableRegex("a malformed hexadecimal escape")
        code = int(digits, 16)
        if code > MAX_CODE_POINT:
            raise UntranslatableRegex("a hexadecimal escape beyond U+10FFFF")
        self.pos = end
        return code

    def octal(self) -> int:
        # Java reads \0n, \0nn, or \0mnn with m at most 3.
        digits = ""
        while len(digits) < 3 and self.peek() and self.peek() in "01234567":
            if len(digits) == 2 and digits[0] > "3":
                break
            digits += self.take()
        if not digits:
            raise UntranslatableRegex("a malformed octal escape")
        return int(digits, 8)

    # character classes
    def char_class(self, flags: _Flags) -> Ranges:
        """After `[`: the class up to its `]`; nested classes are unions, as in Java."""
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        items: list[tuple[int, int]] = []
        first = True
        while True:
            char = self.take()
            if char == "]" and not first:
                break
            if char == "[":
                items.extend(self.char_class(flags))
            elif char == "&" and self.peek() == "&":
                raise UntranslatableRegex("a class intersection &&")
            elif char == "\\" and (self.peek() in CLASS_ESCAPES or self.peek() in ("p", "P")):
                items.extend(self.class_escape(self.take(), flags))
            else:
                items.extend(self.class_range(self.class_char(char), flags, first))
            first = False
        ranges = normalize(items)
        return complement(ranges) if negated else ranges

    def class_char(self, char: str) -> int:
        if char != "\\":
            return ord(char)
        escaped = self.take()
        if escaped.isdigit() and escaped != "0" or escaped in _REFUSED_ESCAPES or escaped in "bBAzZ":
            raise UntranslatableRegex(f"\\{escaped} inside a character class")
        return self.char_escape(escaped)

    def class_range(self, low: int, flags: _Flags, first: bool) -> Ranges:
        if chr(low) == "-" and not first and self.peek() != "]":
            raise UntranslatableRegex("a '-' inside a character class that does not make a range")
        if self.peek() == "-" and self.peek(1) not in ("]", ""):
            self.pos += 1
            end = self.take()
            if end in "[&" or (end == "\\" and (self.peek() in CLASS_ESCAPES or self.peek() in "pP")):
                raise UntranslatableRegex("a character range that does not end in a character")
            high = self.class_char(end)
            if high < low:
                raise UntranslatableRegex("a character range out of order")
            span: Ranges = ((low, high),)
        else:
            span = ((low, low),)
        return fold_ascii_case(span) if flags.case_insensitive else span


def java_to_re2(pattern: str) -> Translation:
    """The RE2 pattern that matches what the Java pattern matches (see the module's note on `$` and `\\b`)."""
    parser = _Parser(pattern)
    piece = parser.alternation(_Flags())
    if parser.pos != len(parser.text):
        raise UntranslatableRegex("an unmatched ')'")
    return Translation(
        re2=piece.re2,
        groups=parser.groups,
        can_match_empty=piece.can_match_empty,
        needs_no_final_line_break=parser.needs_no_final_line_break,
        needs_ascii_text=parser.needs_ascii_text,
    )
