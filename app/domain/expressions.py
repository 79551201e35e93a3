"""A small, safe expression language for `visible_if` conditions. No eval: a tokenizer and a
recursive-descent parser over a closed grammar.

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := operand (("=="|"!="|"<"|"<="|">"|">="|"in"|"contains") operand)?
    operand := NAME | STRING | NUMBER | "true" | "false" | "[" [operand ("," operand)*] "]" | "(" expr ")"

A NAME is a question id; it evaluates to that question's answer value, or None when the question is
unanswered, unknown or not applicable. Comparisons with None are false (except `!=`), so a condition
over an unanswered question hides what depends on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

_TOKEN = re.compile(
    r"\s*(?:(?P<number>-?\d+(?:\.\d+)?)|(?P<string>'[^']*'|\"[^\"]*\")|(?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*))"
)
_TRAILING_SPACE = re.compile(r"\s*\Z")
_KEYWORDS = {"and", "or", "not", "in", "contains", "true", "false"}
# One limit for every reader (questionnaire files, assessment files, the CLI, the GUI thread): brackets,
# `not`s and lists nested deeper than this are refused with the same message, long before Python's own
# recursion limit (which differs between threads and would make one refuse what another accepts).
MAX_NESTING_DEPTH = 100
NESTED_TOO_DEEPLY = f"condition is nested too deeply (more than {MAX_NESTING_DEPTH} levels)"
# The longest condition in the bundled questionnaire is under 200 characters.
MAX_EXPRESSION_CHARS = 10_000
_EXCERPT_CHARS = 60  # error messages quote this much of a condition, never all of a hostile one
_COMPARATORS = {"==", "!=", "<", "<=", ">", ">=", "in", "contains"}


class ExpressionError(ValueError):
    """The condition text is not in the language; the message says where."""


@dataclass(frozen=True)
class Expression:
    """A parsed condition: `names` lists the question ids it reads; `evaluate` takes their values."""

    text: str
    names: frozenset[str]
    _fn: Callable[[Mapping[str, Any]], Any]

    def evaluate(self, values: Mapping[str, Any]) -> bool:
        return bool(self._fn(values))


def _excerpt(text: str) -> str:
    return repr(text if len(text) <= _EXCERPT_CHARS else text[:_EXCERPT_CHARS] + "…")


def _tokenize(text: str) -> list[tuple[str, str]]:
    """Linear in the text: no slice of the rest of it per token (that made 1 MB take 15 s)."""
    tokens, pos = [], 0
    while pos < len(text):
        if _TRAILING_SPACE.match(text, pos):
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExpressionError(f"unexpected character at position {pos}: {text[pos:pos + 10]!r}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "name" and value in _KEYWORDS:
            kind = "kw"
        tokens.append((kind, value))
        pos = match.end()
    return tokens


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "!=":
        return left != right
    if left is None or right is None:
        return False
    try:
        if op == "==":
            return left == right
        if op == "in":
            return left in right if isinstance(right, (list, tuple)) else False
        if op == "contains":
            return right in left if isinstance(left, (list, tuple, str)) else False
        if op == "<":
            return left < right
        if op == "<=":
            return left <= right
        if op == ">":
            return left > right
        if op == ">=":
            return left >= right
    except TypeError:
        return False
    raise ExpressionError(f"unknown operator {op}")  # pragma: no cover - grammar forbids it


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0
        self.depth = 0
        self.names: set[str] = set()

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING_DEPTH:
            raise ExpressionError(NESTED_TOO_DEEPLY)

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError(f"condition ends too early: {_excerpt(self.text)}")
        if value is not None and token[1] != value:
            raise ExpressionError(f"expected {value!r} but found {token[1][:_EXCERPT_CHARS]!r} in {_excerpt(self.text)}")
        self.pos += 1
        return token

    def parse(self) -> Callable[[Mapping[str, Any]], Any]:
        fn = self.parse_or()
        if self.peek() is not None:
            raise ExpressionError(f"unexpected {self.peek()[1][:_EXCERPT_CHARS]!r} in {_excerpt(self.text)}")
        return fn

    def parse_or(self):
        parts = [self.parse_and()]
        while self.peek() == ("kw", "or"):
            self.take()
            parts.append(self.parse_and())
        return parts[0] if len(parts) == 1 else (lambda v: any(p(v) for p in parts))

    def parse_and(self):
        parts = [self.parse_not()]
        while self.peek() == ("kw", "and"):
            self.take()
            parts.append(self.parse_not())
        return parts[0] if len(parts) == 1 else (lambda v: all(p(v) for p in parts))

    def parse_not(self):
        if self.peek() == ("kw", "not"):
            self.take()
            self.deeper()
            inner = self.parse_not()
            self.depth -= 1
            return lambda v: not inner(v)
        return self.parse_compare()

    def parse_compare(self):
        left = self.parse_operand()
        token = self.peek()
        if token is not None and token[1] in _COMPARATORS:
            op = self.take()[1]
            right = self.parse_operand()
            return lambda v: _compare(op, left(v), right(v))
        return left

    def parse_operand(self):
        kind, value = self.take()
        if kind == "number":
            number = float(value) if "." in value else int(value)
            return lambda v: number
        if kind == "string":
            text = value[1:-1]
            return lambda v: text
        if kind == "kw" and value in ("true", "false"):
            flag = value == "true"
            return lambda v: flag
        if kind == "name":
            self.names.add(value)
            return lambda v: v.get(value)
        if value == "(":
            self.deeper()
            inner = self.parse_or()
            self.take(")")
            self.depth -= 1
            return inner
        if value == "[":
            self.deeper()
            items = []
            if self.peek() != ("op", "]"):
                items.append(self.parse_operand())
                while self.peek() == ("op", ","):
                    self.take()
                    items.append(self.parse_operand())
            self.take("]")
            self.depth -= 1
            return lambda v: [item(v) for item in items]
        raise ExpressionError(f"unexpected {value[:_EXCERPT_CHARS]!r} in {_excerpt(self.text)}")


def parse_expression(text: str) -> Expression:
    if len(text) > MAX_EXPRESSION_CHARS:
        raise ExpressionError(f"condition is too long ({len(text):,} characters; at most {MAX_EXPRESSION_CHARS:,})")
    parser = _Parser(text)
    fn = parser.parse()
    return Expression(text=text, names=frozenset(parser.names), _fn=fn)
