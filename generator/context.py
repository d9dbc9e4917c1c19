"""The names content can use: their shapes (checked at load) and values (at render)."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from pydantic import BaseModel

from generator.assess import TIERS, Assessment, research_counts
from generator.expr import ANY, LEAF
from generator.models import Contact, Experience, Letter, Profile, Program, Research

_LETTER_EXTRAS = ("slug", "active", "days_since_asked", "days_since_worked")
_ITEMS: dict[str, tuple[type[BaseModel], tuple[str, ...]]] = {
    "letters": (Letter, _LETTER_EXTRAS),
    "active_letters": (Letter, _LETTER_EXTRAS),
    "asked_letters": (Letter, _LETTER_EXTRAS),
    "reminder_letters": (Letter, _LETTER_EXTRAS),
    "research": (Research, ("slug", "counted", "scholarly")),
    "counted_research": (Research, ("slug", "counted", "scholarly")),
    "prep_cards": (Research, ("slug", "counted", "scholarly")),
    "scholarly_work": (Research, ("slug", "counted", "scholarly")),
    "starred_work": (Research, ("slug", "counted", "scholarly")),
    "experience_research": (Research, ("slug", "counted", "scholarly")),
    "contacts": (Contact, ("slug",)),
    "programs": (Program, ("slug", "visa_ok")),
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
    shape["letters"] = dict.fromkeys(("total", "us_based", "radiology", "non_radiology_clinical", "research"), LEAF)
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
