"""Conditions of content files (`when:`): a tiny, safe subset of Python expressions.

Checked when content loads: a syntax error, a construct outside the subset or an
unknown name or attribute path is an error naming the content file. Evaluation
walks the syntax tree; nothing is ever passed to eval().
"""

from __future__ import annotations

import ast
import operator
from typing import Any

# A shape says which attribute paths exist: a dict of names, or LEAF (no attributes),
# or ANY (a mapping whose keys vary, e.g. a.tier_gap).
LEAF: dict[str, Any] = {}
ANY = {"*": None}
_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_CONSTANTS = {"true": True, "false": False, "none": None}


class ExpressionError(ValueError):
    """What is wrong with an expression, without where (the caller adds the file)."""


class Condition:
    """A parsed, checked condition, ready to evaluate against a context."""

    def __init__(self, source: str, shapes: dict[str, Any]) -> None:
        self.source = source.strip() or "true"
        try:
            self._tree = ast.parse(self.source, mode="eval").body
        except SyntaxError as exc:
            raise ExpressionError(f"the condition {source!r} is not a valid expression ({exc.msg})") from None
        _check(self._tree, shapes, self.source)

    def __call__(self, context: dict[str, Any]) -> bool:
        return bool(_eval(self._tree, context))

    def __repr__(self) -> str:
        return f"Condition({self.source!r})"


def _check(node: ast.AST, shapes: dict[str, Any], source: str) -> None:
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, shapes, source)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand, shapes, source)
    elif isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
        for part in (node.left, *node.comparators):
            _check(part, shapes, source)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            _check(element, shapes, source)
    elif isinstance(node, ast.Constant) and isinstance(node.value, (str, int, float, bool, type(None))):
        pass
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "len"
        and len(node.args) == 1
        and not node.keywords
    ):
        _check(node.args[0], shapes, source)
    elif isinstance(node, (ast.Name, ast.Attribute)):
        _check_path(_path(node, source), shapes, source)
    else:
        raise ExpressionError(f"the condition {source!r} uses {ast.unparse(node)!r}, which conditions do not allow")


def _path(node: ast.AST, source: str) -> list[str]:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.insert(0, node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        raise ExpressionError(f"the condition {source!r} uses {ast.unparse(node)!r}, which conditions do not allow")
    return [node.id, *parts]


def _check_path(path: list[str], shapes: dict[str, Any], source: str) -> None:
    if len(path) == 1 and path[0] in (*_CONSTANTS, "True", "False", "None"):
        return
    shape: Any = shapes
    for depth, name in enumerate(path):
        if shape is ANY or (isinstance(shape, dict) and "*" in shape):
            return
        if not isinstance(shape, dict) or name not in shape:
            known = ", ".join(sorted(shape)) if isinstance(shape, dict) and shape else "none"
            where = ".".join(path[:depth]) or "a condition"
            raise ExpressionError(
                f"unknown name {'.'.join(path[: depth + 1])!r} in {source!r}; names allowed in {where}: {known}"
            )
        shape = shape[name]


def _eval(node: ast.AST, context: dict[str, Any]) -> Any:
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And):
            return all(_eval(v, context) for v in node.values)
        return any(_eval(v, context) for v in node.values)
    if isinstance(node, ast.UnaryOp):
        return not _eval(node.operand, context)
    if isinstance(node, ast.Compare):
        left = _eval(node.left, context)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _eval(right_node, context)
            compare: Any = _COMPARE[type(op)]
            if not compare(left, right):
                return False
            left = right
        return True
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_eval(e, context) for e in node.elts]
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Call):
        return len(_eval(node.args[0], context))
    if isinstance(node, ast.Name):
        if node.id in _CONSTANTS:
            return _CONSTANTS[node.id]
        return context[node.id]
    assert isinstance(node, ast.Attribute)
    return attribute(_eval(node.value, context), node.attr)


def attribute(value: Any, name: str) -> Any:
    """`x.name` for mappings and objects alike; missing on a none value stays none."""
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get(name)
    return getattr(value, name)
