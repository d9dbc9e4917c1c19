"""The names content can use: their shapes (checked at load) and values (at render)."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from pydantic import BaseModel

from generator.assess import TIERS, Assessment, research_counts
from generator.expr import ANY, LEAF
from generator.letters import GROUP_KEYS
from generator.models import Contact, Experience, Letter, Profile, Program, Research

_LETTER_EXTRAS = ("slug", "active", "usability", "reason", "salutation", "days_since_asked", "days_since_worked")
_RESEARCH_EXTRAS = ("slug", "counted", "pending", "placeholder", "scholarly")
_ITEMS: dict[str, tuple[type[BaseModel], tuple[str, ...]]] = {
    "letters": (Letter, _LETTER_EXTRAS),
    "active_letters": (Letter, _LETTER_EXTRAS),
    "usable_letters": (Letter, _LETTER_EXTRAS),
    "asked_letters": (Letter, _LETTER_EXTRAS),
    "to_ask_letters": (Letter, _LETTER_EXTRAS),
    "reminder_letters": (Letter, _LETTER_EXTRAS),
    "research": (Research, _RESEARCH_EXTRAS),
    "counted_research": (Research, _RESEARCH_EXTRAS),
    "prep_cards": (Research, _RESEARCH_EXTRAS),
    "scholarly_work": (Research, _RESEARCH_EXTRAS),
    "starred_work": (Research, _RESEARCH_EXTRAS),
    "experience_research": (Research, _RESEARCH_EXTRAS),
    "contacts": (Contact, ("slug",)),
    "programs": (Program, ("slug", "visa_ok", "takes", "letter_set")),
    "experience": (Experience, ("slug", "end_date")),
    "upcoming_rotations": (Experience, ("slug", "end_date")),
}
LIST_NAMES = tuple(_ITEMS)


def model_shape(model: type[BaseModel]) -> dict[str, Any]:
    shape: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        sub = _single_model(field.annotation)
        shape[name] = model_shape(sub) if sub else LEAF
    return shape


def _single_model(annotation: Any) -> type[BaseModel] | None:
    """The model of `X` or `X | None`; lists stay leaves (conditions use len() on them)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if getattr(annotation, "__origin__", None) is list:
        return None
    for arg in getattr(annotation, "__args__", ()):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def assessment_shape() -> dict[str, Any]:
    shape: dict[str, Any] = {f.name: LEAF for f in dataclasses.fields(Assessment) if f.name not in ("lists",)}
    shape["research_counts"] = dict.fromkeys(research_counts([]), LEAF)
    group = dict.fromkeys((*GROUP_KEYS, "writers"), LEAF)
    shape["letters"] = {
        **dict.fromkeys(("total", "us_based", "radiology", "non_radiology_clinical", "research", "not_usable"), LEAF),
        "usable": group,
        "potential": group,
    }
    shape["ecfmg"] = dict.fromkeys(("known", "certified", "requirements_done", "steps", "missing", "impossible"), LEAF)
    shape["research_focus"] = LEAF
    shape["tier_gap"] = ANY
    shape["program_list"] = ANY
    shape["tiers"] = LEAF
    assert all(set(t) <= {"name", *shape["research_counts"]} for t in TIERS)
    return shape


@functools.cache
def shapes(for_each: str | None) -> dict[str, Any]:
    """Every name a condition may use, with `item` when the content repeats over a list (made once; read only)."""
    names: dict[str, Any] = {"p": model_shape(Profile), "a": assessment_shape(), "codes": LEAF, "public": LEAF}
    if for_each is not None:
        model, extras = _ITEMS[for_each]
        names["item"] = {**model_shape(model), **dict.fromkeys(extras, LEAF)}
    return names


def values(profile: Profile, assessment: Assessment, codes: set[str], public: bool) -> dict[str, Any]:
    """The runtime values behind the names of `shapes`."""
    return {"p": profile, "a": assessment, "codes": codes, "public": public}
