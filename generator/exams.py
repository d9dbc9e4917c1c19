"""The ECFMG chain: every applicant of this handbook is an IMG, whatever the citizenship."""

from __future__ import annotations

from typing import Any

from generator.models import Profile

LABELS = {
    "usmle_step1": "USMLE Step 1",
    "usmle_step2_ck": "USMLE Step 2 CK",
    "oet_medicine": "OET Medicine (the communication requirement)",
    "certification": "ECFMG certification",
    "usmle_step3": "USMLE Step 3 (needed for an H-1B)",
}
REQUIREMENTS = ("usmle_step1", "usmle_step2_ck", "oet_medicine")


def chain(profile: Profile) -> dict[str, Any]:
    """Step 1 -> Step 2 CK -> OET/Pathway -> certification (-> Step 3 for H-1B).

    Each step is `done`, `missing`, or `unknown` when `exams` is omitted. A Step 2 CK score
    counts as done (the profile records scores, not pass or fail). `requirements_done` says the
    exam and communication requirements are met (or the certificate is already held);
    `impossible` lists combinations that cannot be true together.
    """
    steps = list(LABELS)
    if profile.applicant.visa_path != "h1b":
        steps.remove("usmle_step3")
    exams = profile.exams
    if exams is None:
        status = dict.fromkeys(steps, "unknown")
    else:
        done = {
            "usmle_step1": exams.usmle_step1 == "pass",
            "usmle_step2_ck": exams.usmle_step2_ck is not None,
            "oet_medicine": exams.oet_medicine == "pass",
            "certification": exams.ecfmg_certified,
            "usmle_step3": exams.usmle_step3 == "pass",
        }
        status = {step: "done" if done[step] else "missing" for step in steps}
    missing = [LABELS[s] for s in REQUIREMENTS if status[s] == "missing"]
    return {
        "known": exams is not None,
        "certified": None if exams is None else exams.ecfmg_certified,
        "requirements_done": exams is not None and (exams.ecfmg_certified or not missing),
        "steps": [{"step": s, "label": LABELS[s], "status": status[s]} for s in steps],
        "missing": missing,
        "impossible": _impossible(profile),
    }


def _impossible(profile: Profile) -> list[str]:
    """Step 3 needs Step 1, Step 2 CK and the ECFMG certificate first; the certificate needs the exams."""
    exams = profile.exams
    if exams is None:
        return []
    found = []
    if exams.usmle_step3 == "pass" and exams.usmle_step2_ck is None:
        found.append("Step 3 passed while Step 2 CK is not taken")
    if exams.usmle_step3 == "pass" and not exams.ecfmg_certified:
        found.append("Step 3 passed while you are not ECFMG certified")
    if exams.ecfmg_certified and (exams.usmle_step1 != "pass" or exams.usmle_step2_ck is None):
        found.append("ECFMG certified while Step 1 or Step 2 CK is not passed")
    return found
