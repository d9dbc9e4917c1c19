"""Conditions in words: why a page or part was selected, as the applicant would say it.

A content file may say it itself (`because:` in its front matter); otherwise the
condition is read atom by atom. An atom this module does not know makes the whole
reason None: the about page then says only that a rule over the profile chose it.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable

PHASES = {
    "early": "applications open in more than two years",
    "mid": "applications open in one to two years",
    "late": "applications open within a year",
    "in_season": "your application season is under way",
}
VISAS = {
    "none": "you are already authorized to work in the US",
    "j1": "your visa path is the J-1",
    "h1b": "your visa path is the H-1B",
    "undecided": "you have not chosen a visa path yet",
}
SEASON = {
    "interviews": "you are in the months of interviews",
    "after_rank_deadline": "your rank list is final",
    "match_week": "it is Match Week",
}
UNTIL_RANKED = "a.season_phase not in ['after_rank_deadline', 'match_week']"  # holds until the rank list is final
ITEM = {
    "item.status == 'uploaded'": "the letter is uploaded",
    "item.status == 'asked'": "you have asked for the letter",
    "item.status == 'agreed'": "the writer agreed",
    "item.status == 'not_asked'": "you have not asked yet",
}
LISTS = {
    "letters": "letter writers",
    "programs": "programs",
    "contacts": "research contacts",
    "research": "research",
    "experience": "clinical experience",
}
FLAGS = {
    "a.non_us": "you are a foreign national",
    "a.has_us_experience": "you have US clinical experience",
    "a.has_non_radiology_background": "you trained in another field before radiology",
    "public": "this is the public version",
    "true": "",
    "True": "",
}


def explain(source: str, triggers: dict[str, str], holds: Callable[[str], bool] | None = None) -> str | None:
    """'a.non_us and p.applicant.visa == "j1"' -> 'you are a foreign national and your visa path is the J-1'.

    `triggers` words each finding code as a clause ("the handbook found ..."); `holds` (when given)
    says which alternatives of an `or` are true for this applicant, and only those are worded.
    """
    try:
        return _words(_parsed(source.strip() or "true"), triggers, holds)
    except (SyntaxError, KeyError, ValueError):
        return None


@functools.lru_cache(maxsize=4096)
def _parsed(source: str) -> ast.expr:
    """A condition's tree, parsed once per process (the content's conditions recur in every handbook; never changed)."""
    return ast.parse(source, mode="eval").body


# A part of a parsed condition as text, made once (the cache holds the node, so no other node takes its identity).
_unparse = functools.lru_cache(maxsize=16384)(ast.unparse)


def _words(node: ast.AST, triggers: dict[str, str], holds: Callable[[str], bool] | None) -> str:
    if isinstance(node, ast.BoolOp):
        joiner = " and " if isinstance(node.op, ast.And) else " or "
        values = node.values
        if isinstance(node.op, ast.Or) and holds is not None:
            values = [v for v in values if holds(_unparse(v))] or values
        words = [_words(v, triggers, holds) for v in values]
        if isinstance(node.op, ast.Or) and "" in words:
            return ""  # one side always holds
        parts = [part for part in words if part]
        if any("foreign national" in part for part in parts if part != FLAGS["a.non_us"]):
            parts = [part for part in parts if part != FLAGS["a.non_us"]]  # said already
        return joiner.join(parts)
    text = _unparse(node)
    if text in FLAGS:
        return FLAGS[text]
    if text == UNTIL_RANKED:
        return ""  # every handbook has it until the rank list is final
    if text in ITEM:
        return ITEM[text]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return _negate(_unparse(node.operand))
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        return _compare(_unparse(node.left), node.ops[0], node.comparators[0], triggers, holds)
    raise ValueError(text)


def _negate(text: str) -> str:
    negations = {
        "a.has_us_experience": "you have no US clinical experience listed yet",
        "a.non_us": "you are a US citizen or permanent resident",
        "public": "this is your private version",
    }
    return negations[text]


def finding_clause(title: str | None, trigger: str) -> str:
    """A finding as the reason for a part: its own title, or (when that names a subject) its trigger."""
    if title and "{" not in title:
        return f"the handbook found: {title[:1].lower() + title[1:] if title[1:2].islower() else title}"
    trigger = trigger.rstrip(".")
    first = trigger.split()[0] if trigger else ""
    return "of this rule: " + (trigger if len(first) > 1 and first.isupper() else trigger[:1].lower() + trigger[1:])


def _compare(left: str, op: ast.cmpop, right: ast.AST, triggers: dict[str, str], holds: Callable[[str], bool] | None) -> str:
    if isinstance(op, ast.In) and _unparse(right) == "codes":
        return triggers[ast.literal_eval(left)]
    value = ast.literal_eval(right)
    if left == "a.season_phase" and isinstance(op, ast.Eq):
        return SEASON[value]
    if left == "a.season_phase" and isinstance(op, ast.NotEq):
        return {"match_week": "it is not Match Week yet"}[value]
    if left == "a.phase" and isinstance(op, ast.Eq):
        return PHASES[value]
    if left == "a.phase" and isinstance(op, ast.NotEq) and value == "in_season":
        return "your application season has not started yet"
    if left == "a.phase" and isinstance(op, ast.In):
        true = [v for v in value if holds is not None and holds(f"a.phase == {v!r}")]
        return " or ".join(PHASES[v] for v in true or value)
    if left in ("p.applicant.visa", "p.applicant.visa_path") and isinstance(op, ast.Eq):
        return VISAS[value]
    if left in ("p.applicant.visa", "p.applicant.visa_path") and isinstance(op, ast.NotEq) and value == "none":
        return "you need a visa"
    if left.startswith("len(p.") and left.endswith(")"):
        name = LISTS[left[6:-1]]
        if (isinstance(op, ast.Gt) and value == 0) or (isinstance(op, ast.GtE) and value == 1):
            return f"you listed {name}"
        if isinstance(op, ast.Eq) and value == 0:
            return f"you have not listed any {name} yet"
    raise ValueError(left)
