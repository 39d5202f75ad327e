"""The engine's reasons and exclusions in plain words a caseworker can repeat to the person:
"Har arbetat 3 år som städare", "Har B-körkort", "Önskar arbete inom hälso- och sjukvård".

English msgids, Swedish through the translation catalogue. A reason about adaptations is
shown only to users who may see special-category data, and then only as "the employer can
offer the adaptation needed", never naming the need. Points per reason are not shown, so a
hidden reason cannot be worked out from the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from vidare.engines.matching import Exclusion, Explanation, Reason

# Reasons that name (or count) special-category data.
SPECIAL_REASONS = frozenset({"adaptation"})
# Reasons that make a person relevant for the occupation.
RELEVANCE_REASONS = frozenset({"experience", "related_experience", "desired", "desired_related",
                               "interest_field", "skill_required", "skill_merit"})

EXCLUSION_LABELS: dict[str, Any] = {
    "driving_licence": gettext_lazy("Driving licence missing"),
    "swedish_level": gettext_lazy("Swedish below the level required"),
    "extent": gettext_lazy("Work capacity below the extent, which the employer cannot adapt"),
    "start": gettext_lazy("Not available by the start date"),
    "commute": gettext_lazy("Workplace outside the person's travel range"),
    "occupation": gettext_lazy("No experience, wish, interest or skill related to the job"),
    "no_occupation": gettext_lazy("The vacancy has no occupation: not enough information "
                                  "to match"),
}


def exclusion_label(code: str) -> str:
    return str(EXCLUSION_LABELS.get(code, code))


def _years(value: Any) -> tuple[str, int]:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value), 2
    text = number_format(round(number, 1), decimal_pos=0 if number == int(number) else 1)
    return text, int(number) if number == int(number) else 2


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


@dataclass(frozen=True)
class Line:
    code: str
    text: str


class Explainer:
    """Renders reasons and exclusions; occupation names are loaded once per instance."""

    def __init__(self, show_special: bool) -> None:
        self.show_special = show_special

    @cached_property
    def occupations(self) -> dict[str, str]:
        from vidare.codelists.models import Occupation

        return {code: (sv or en) for code, sv, en in Occupation.objects.filter(level=4)
                .values_list("code", "name_sv", "name_en")}

    def occupation(self, code: Any) -> str:
        return _lower_first(self.occupations.get(str(code), str(code)))

    # -- reasons --

    def reason(self, code: str, params: Mapping[str, Any]) -> str | None:
        """One reason in words, or None if this user may not see it or it goes without
        saying (available in time, within travel range, can work full extent)."""
        p = params
        if code in SPECIAL_REASONS:
            if not self.show_special:
                return None
            return _("The employer can offer the adaptation needed")
        if code in ("experience", "related_experience"):
            years, count = _years(p.get("years", 0))
            values = {"years": years, "occupation": self.occupation(p.get("ssyk", ""))}
            if code == "experience":
                return ngettext("Has worked %(years)s year as %(occupation)s",
                                "Has worked %(years)s years as %(occupation)s", count) % values
            values["related"] = self.occupation(p.get("related_to", ""))
            return ngettext(
                "Has worked %(years)s year as %(occupation)s, close to %(related)s",
                "Has worked %(years)s years as %(occupation)s, close to %(related)s",
                count) % values
        if code == "desired":
            return _("Wants to work as %(occupation)s") % {
                "occupation": self.occupation(p.get("ssyk", ""))}
        if code == "desired_related":
            return _("Wants to work as %(occupation)s, close to this job") % {
                "occupation": self.occupation(p.get("ssyk", ""))}
        if code == "interest_field":
            return _("Wants to work in %(field)s") % {
                "field": _lower_first(str(p.get("field", "")))}
        if code == "skill_required":
            return _("Has the required skill: %(skill)s") % {"skill": p.get("skill", "")}
        if code == "skill_merit":
            return _("Has a meritorious skill: %(skill)s") % {"skill": p.get("skill", "")}
        if code == "driving_licence":
            licences = p.get("licences", "")
            if isinstance(licences, list | tuple | set | frozenset):
                licences = ", ".join(sorted(licences))
            return _("Has a %(licences)s driving licence") % {"licences": licences}
        if code == "swedish_level":
            return _("Meets the Swedish level required")
        if code == "extent":
            if _int(p.get("capacity")) < _int(p.get("extent")):
                return _("The employer can lower the extent to what the person can work")
            return None  # met as a matter of course: not worth a line
        if code == "start":
            return None
        if code == "commute":
            basis = p.get("basis")
            if basis == "unknown_place":
                return _("Travel range not checked: the place of work is not known")
            if basis == "unknown_home":
                return _("Travel range not checked: where the person lives is not known")
            return None
        return code

    def reasons(self, reasons: Iterable[Reason | Mapping[str, Any]], *,
                open_to_all: bool = False) -> list[Line]:
        """The reasons in words; for a job open to all that the person has no particular
        relevance for, a line that says why they are on the list at all."""
        lines = []
        relevant = False
        for r in reasons:
            code, params = _unpack(r)
            relevant = relevant or code in RELEVANCE_REASONS
            text = self.reason(code, params)
            if text:
                lines.append(Line(code, text))
        if open_to_all and not relevant:
            lines.insert(0, Line("open_to_all", _("The job is open to all: no experience "
                                                  "needed")))
        return lines

    # -- exclusions --

    def exclusion(self, code: str, params: Mapping[str, Any]) -> str:
        if code == "driving_licence":
            missing = params.get("missing") or params.get("licences") or ""
            if isinstance(missing, list | tuple | set | frozenset):
                missing = ", ".join(sorted(missing))
            if missing:
                return _("Lacks a %(licences)s driving licence") % {"licences": missing}
        return exclusion_label(code)

    def exclusions(self, exclusions: Iterable[Exclusion | Mapping[str, Any]]) -> list[Line]:
        return [Line(code, self.exclusion(code, params))
                for code, params in (_unpack(e) for e in exclusions)]

    def summary(self, explanation: Explanation | Mapping[str, Any], *,
                open_to_all: bool = False) -> list[Line]:
        """Reasons of an eligible match, exclusions of one that is not."""
        data = snapshot(explanation) if isinstance(explanation, Explanation) else explanation
        if data.get("eligible", True):
            return self.reasons(data.get("reasons", ()), open_to_all=open_to_all)
        return self.exclusions(data.get("exclusions", ()))


def _unpack(item: Reason | Exclusion | Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    if isinstance(item, Mapping):
        return str(item.get("code", "")), item.get("params") or {}
    return item.code, item.params


def snapshot(explanation: Explanation) -> dict[str, Any]:
    """The explanation as JSON for a proposal: codes and parameters, with no parameters of a
    special-category reason (the adaptation reason is kept as a bare code)."""

    def params(code: str, values: Mapping[str, Any]) -> dict[str, Any]:
        if code in SPECIAL_REASONS:
            return {}
        return {k: (sorted(v) if isinstance(v, set | frozenset | list | tuple) else v)
                for k, v in values.items()}

    return {
        "score": int(explanation.score),
        "eligible": bool(explanation.eligible),
        "reasons": [{"code": r.code, "points": int(r.points), "params": params(r.code, r.params)}
                    for r in explanation.reasons],
        "exclusions": [{"code": e.code, "params": params(e.code, e.params)}
                       for e in explanation.exclusions],
    }


def display_score(score: int, explanation: Explanation | Mapping[str, Any],
                  show_special: bool) -> int:
    """The score as a user may see it: without VIEW_SPECIAL_CATEGORY, less the points for
    adaptations (relevance points are multiples of ten, so the remainder would tell)."""
    if show_special:
        return int(score)
    if isinstance(explanation, Explanation):
        hidden = sum(r.points for r in explanation.reasons if r.code in SPECIAL_REASONS)
    else:
        hidden = sum(int(r.get("points", 0)) for r in explanation.get("reasons", ())
                     if r.get("code") in SPECIAL_REASONS)
    return int(score) - hidden
