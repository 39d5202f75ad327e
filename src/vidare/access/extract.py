"""Registerutdrag (GDPR art. 15): everything Vidare holds about one person.

`build_extract()` collects it as a JSON-serialisable dict; `render_pdf()` lays that same
dict out as a readable PDF, so the two versions cannot differ in content.

`KINDS` and `record_ids()` name every row that belongs to a person, including rows that
now exist only in the history (a deleted contact, an earlier wording). Gallring
(access/retention.py) removes exactly what they name, so what the person is shown and what
is removed cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vidare.assessments.models import Assessment, Barrier, WorkExperience
from vidare.employers.models import Placement
from vidare.enrolments.models import Enrolment, Exit
from vidare.matching.models import Proposal, ProposalStep
from vidare.people.models import Consent, Participant, Referral, ReferralContact
from vidare.plans.models import Attendance, Intervention, Plan, PlanGoal

from .models import AccessLogEntry

# Timestamps every TimeStampedModel carries: listed last, and left out of the PDF's tables
# (the history section there says when each record was created and changed).
TIMESTAMPS = ("created_at", "updated_at", "created_by")


@dataclass(frozen=True)
class Kind:
    """One kind of record about a person. `parent` = (key of the kind it hangs from, the
    foreign key to it); the participant itself has none."""

    key: str
    title: Promise
    model: type[models.Model]
    parent: tuple[str, str] | None
    # Values shown instead of the stored one (a formatted identity number).
    display: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    # JSON lists of codes, shown as their labels.
    coded_lists: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def history_model(self) -> type[models.Model] | None:
        attribute = getattr(self.model._meta, "simple_history_manager_attribute", None)
        return getattr(self.model, attribute).model if attribute else None

    def fields(self) -> list[models.Field[Any, Any]]:
        """Every stored field but the link to the person (the whole extract is about
        them), timestamps last."""
        skip = {"id", "participant"}
        own = [f for f in [*self.model._meta.fields, *self.model._meta.many_to_many]
               if f.name not in skip]
        return ([f for f in own if f.name not in TIMESTAMPS]
                + [f for f in own if f.name in TIMESTAMPS])


KINDS: tuple[Kind, ...] = (
    Kind("participant", gettext_lazy("Personal details"), Participant, None,
         display={"identity_number": lambda p: p.formatted_identity_number}),
    Kind("consents", gettext_lazy("Consents to share information"), Consent,
         ("participant", "participant_id")),
    Kind("referrals", gettext_lazy("Referrals"), Referral, ("participant", "participant_id")),
    Kind("referral_contacts", gettext_lazy("Contacts before enrolment"), ReferralContact,
         ("referrals", "referral_id")),
    Kind("enrolments", gettext_lazy("Enrolments"), Enrolment,
         ("participant", "participant_id")),
    Kind("exits", gettext_lazy("Exits"), Exit, ("enrolments", "enrolment_id")),
    Kind("assessments", gettext_lazy("Competence mapping (every version)"), Assessment,
         ("participant", "participant_id"), coded_lists={"barriers": dict(Barrier.choices)}),
    Kind("work_experiences", gettext_lazy("Work experience"), WorkExperience,
         ("assessments", "assessment_id")),
    Kind("plans", gettext_lazy("Action plans"), Plan, ("enrolments", "enrolment_id")),
    Kind("goals", gettext_lazy("Goals of the plans"), PlanGoal, ("plans", "plan_id")),
    Kind("interventions", gettext_lazy("Interventions"), Intervention,
         ("enrolments", "enrolment_id")),
    Kind("attendance", gettext_lazy("Attendance"), Attendance,
         ("interventions", "intervention_id")),
    Kind("proposals", gettext_lazy("Proposals for vacancies"), Proposal,
         ("participant", "participant_id")),
    Kind("proposal_steps", gettext_lazy("Outcomes of the proposals"), ProposalStep,
         ("proposals", "proposal_id")),
    Kind("placements", gettext_lazy("Placements at employers"), Placement,
         ("participant", "participant_id")),
)
KIND_BY_MODEL = {kind.model: kind for kind in KINDS}


def record_ids(participant_id: int) -> dict[str, set[int]]:
    """{kind key: ids} of every row about the person, live or only in the history."""
    ids: dict[str, set[int]] = {}
    for kind in KINDS:
        if kind.parent is None:
            ids[kind.key] = {participant_id}
            continue
        parent_key, fk = kind.parent
        where = {f"{fk}__in": ids[parent_key]}
        found = set(kind.model._default_manager.filter(**where).values_list("pk", flat=True))
        if kind.history_model is not None:
            found |= set(kind.history_model._default_manager.filter(**where)
                         .values_list("id", flat=True))
        ids[kind.key] = found
    return ids


def access_log_entries(participant_id: int) -> models.QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(
        Q(participant_id=participant_id) | Q(participant_ref=str(participant_id)))


# --- values ----------------------------------------------------------------------------

def plain(value: Any) -> Any:
    """A JSON-serialisable form of a stored value."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(
            value) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Promise):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _related_text(obj: Any, name: str) -> str | None:
    try:
        related = getattr(obj, name)
    except ObjectDoesNotExist:  # a history row may point at a deleted object
        return None
    return None if related is None else str(related)


def _m2m_values(obj: Any, f: models.ManyToManyField[Any, Any]) -> list[str]:
    if hasattr(obj, "history_id"):  # a history row: its own table of the related ids
        target = f.m2m_reverse_field_name()
        return sorted(filter(None, (_related_text(row, target)
                                    for row in getattr(obj, f.name).all())))
    return sorted(str(x) for x in getattr(obj, f.name).all())


def field_value(kind: Kind, obj: Any, f: models.Field[Any, Any]) -> Any:
    if f.name in kind.display:
        return plain(kind.display[f.name](obj))
    if f.many_to_many:
        return _m2m_values(obj, f)  # type: ignore[arg-type]
    if f.is_relation:
        return _related_text(obj, f.name)
    return coded_value(kind, f, getattr(obj, f.attname))


def coded_value(kind: Kind, f: models.Field[Any, Any], value: Any) -> Any:
    """A stored value with its codes replaced by their labels."""
    if f.name in kind.coded_lists and isinstance(value, list):
        return [str(kind.coded_lists[f.name].get(v, v)) for v in value]
    if f.choices and value not in (None, ""):
        return str(dict(f.flatchoices).get(value, value))
    return plain(value)


def record(kind: Kind, obj: Any) -> dict[str, Any]:
    return {f.name: field_value(kind, obj, f) for f in kind.fields()}


# --- history ---------------------------------------------------------------------------

HISTORY_TYPES = {"+": gettext_lazy("created"), "~": gettext_lazy("changed"),
                 "-": gettext_lazy("deleted")}


class _Lookup:
    """str() of related rows by (model, pk), fetched once each."""

    def __init__(self) -> None:
        self.cache: dict[tuple[type[models.Model], Any], str | None] = {}

    def text(self, model: type[models.Model], pk: Any) -> str | None:
        if pk is None:
            return None
        if (model, pk) not in self.cache:
            obj = model._default_manager.filter(pk=pk).first()
            self.cache[model, pk] = None if obj is None else str(obj)
        return self.cache[model, pk]


def _change_value(kind: Kind, f: models.Field[Any, Any], value: Any, lookup: _Lookup) -> Any:
    if f.many_to_many:  # rows of the through table: [{"participant": 1, "language": 7}]
        target = f.m2m_reverse_field_name()  # type: ignore[attr-defined]
        return sorted(filter(None, (lookup.text(f.related_model, row.get(target))
                                    for row in value or [])))
    if f.is_relation:
        return lookup.text(f.related_model, value)
    return coded_value(kind, f, value)


def history_entries(ids: dict[str, set[int]]) -> list[dict[str, Any]]:
    """Every recorded change of every row about the person, oldest first: who, when, what.
    A change lists each field's value before and after; a deletion the last values."""
    lookup = _Lookup()
    entries = []
    for kind in KINDS:
        history = kind.history_model
        if history is None or not ids[kind.key]:
            continue
        labels = {f.name: f for f in kind.fields()}
        rows = (history._default_manager.filter(id__in=ids[kind.key])
                .select_related("history_user").order_by("id", "history_date", "history_id"))
        previous: dict[int, Any] = {}
        for row in rows:
            changes = []
            if row.history_type == "~" and row.id in previous:
                delta = row.diff_against(previous[row.id])
                changes = [{"field": str(labels[c.field].verbose_name),
                            "from": _change_value(kind, labels[c.field], c.old, lookup),
                            "to": _change_value(kind, labels[c.field], c.new, lookup)}
                           for c in delta.changes if c.field in labels]
            elif row.history_type == "-":
                changes = [{"field": str(f.verbose_name), "from": field_value(kind, row, f),
                            "to": None} for f in labels.values()
                           if f.name not in TIMESTAMPS]
            previous[row.id] = row
            entries.append({
                "at": plain(row.history_date),
                "by": str(row.history_user) if row.history_user else "",
                "record": capfirst(f"{kind.model._meta.verbose_name}: {row.instance}"
                                   if kind.model is not Participant
                                   else str(kind.model._meta.verbose_name)),
                "change": str(HISTORY_TYPES.get(row.history_type, row.history_type)),
                "reason": row.history_change_reason or "",
                "changes": changes,
            })
    entries.sort(key=lambda e: e["at"])
    return entries


# --- the extract -----------------------------------------------------------------------

DEFAULT_PURPOSES = (
    gettext_lazy("To plan and follow up your participation in the municipality's "
                 "labour-market programmes: competence mapping, action plan, interventions, "
                 "attendance and what happened when you left."),
    gettext_lazy("To report attendance and status to the social services, and to share "
                 "information with other authorities, only when you have consented."),
    gettext_lazy("To produce statistics on the results of the programmes; statistics never "
                 "show who you are."),
)
DEFAULT_LEGAL_BASIS = (
    gettext_lazy("Task carried out in the public interest and exercise of official "
                 "authority (GDPR article 6.1 e), under the laws that give the municipality "
                 "its labour-market and social-services tasks."),
    gettext_lazy("Sensitive personal data (such as health): GDPR article 9.2 g and h, with "
                 "support in Swedish law."),
    gettext_lazy("Sharing with other parties: your consent (GDPR article 6.1 a), which you "
                 "can withdraw at any time."),
)
DEFAULT_RECIPIENTS = (
    gettext_lazy("Staff at the centres where you are or were enrolled."),
    gettext_lazy("The social services, Arbetsförmedlingen, Försäkringskassan or health care, "
                 "only as far as you have consented."),
)


def _setting_list(name: str, default: Iterable[Any]) -> list[str]:
    value = getattr(settings, name, None)
    if not value:
        value = default
    return [str(v) for v in ([value] if isinstance(value, str) else value)]


def about(participant: Participant, actor: Any, today: dt.date,
          referral_sources: list[str]) -> dict[str, Any]:
    years = settings.VIDARE_RETENTION_YEARS
    sources = [_("What you have told us, and what staff have recorded in their work with "
                 "you.")]
    sources += [_("Referral from: %(source)s") % {"source": s} for s in referral_sources]
    return {
        "title": _("Register extract"),
        "legal_ground": _("Register extract under Article 15 of the General Data Protection "
                          "Regulation (GDPR)"),
        "controller": settings.VIDARE_MUNICIPALITY_NAME,
        "data_protection_officer": str(getattr(settings, "VIDARE_DPO_CONTACT", "") or ""),
        "created_on": today.isoformat(),
        "created_by": str(actor) if actor is not None else "",
        "person": participant.full_name,
        "identity_number": participant.formatted_identity_number,
        "purposes": _setting_list("VIDARE_PROCESSING_PURPOSES", DEFAULT_PURPOSES),
        "legal_basis": _setting_list("VIDARE_LEGAL_BASIS", DEFAULT_LEGAL_BASIS),
        "recipients": _setting_list("VIDARE_RECIPIENTS", DEFAULT_RECIPIENTS),
        "sources": sources,
        "retention": _("Your personal data is removed (gallring) %(years)s years after you "
                       "last left a programme. Only de-identified information for statistics "
                       "is kept; it does not show who you are.") % {"years": years},
        "automated_decisions": _("Vidare makes no automated decisions about you. Staff "
                                 "decide, and can explain the grounds."),
        "rights": _("You have the right to have incorrect data corrected, to have processing "
                    "restricted while a dispute is settled, to object to processing, and to "
                    "have data erased when it is no longer needed. Contact the unit or the "
                    "data protection officer. You may complain to the Swedish Authority for "
                    "Privacy Protection (IMY)."),
    }


def build_extract(participant: Participant, *, actor: Any = None,
                  today: dt.date | None = None) -> dict[str, Any]:
    """Everything about `participant`, JSON-serialisable. Special-category data included:
    the extract is for the person themselves."""
    today = today or timezone.localdate()
    ids = record_ids(participant.pk)
    data: dict[str, Any] = {}
    labels: dict[str, Any] = {}
    for kind in KINDS:
        rows = kind.model._default_manager.filter(pk__in=ids[kind.key])
        data[kind.key] = [record(kind, obj) for obj in rows]
        labels[kind.key] = {"title": str(kind.title),
                            "fields": {f.name: str(f.verbose_name) for f in kind.fields()}}
    data["participant"] = data["participant"][0]
    data["history"] = history_entries(ids)
    labels["history"] = {"title": _("History of changes"), "fields": {
        "at": _("time"), "by": _("changed by"), "record": _("record"), "change": _("change"),
        "reason": _("reason"), "changes": _("values before and after")}}
    data["access_log"] = [{
        "at": plain(e.at),
        "staff": (e.user.get_full_name() if e.user else "") or e.username,
        "username": e.username,
        "what": e.what,
        "channel": e.channel,
        "allowed": e.allowed,
    } for e in access_log_entries(participant.pk).select_related("user").order_by("at", "pk")]
    labels["access_log"] = {"title": _("Access log: who has read your record"), "fields": {
        "at": _("time"), "staff": _("staff member"), "username": _("user name"),
        "what": _("what was read"), "channel": _("channel"), "allowed": _("allowed")}}
    sources = sorted({r["source"] for r in data["referrals"] if r.get("source")})
    return {"about": about(participant, actor, today, sources), **data, "labels": labels}


# --- PDF -------------------------------------------------------------------------------

SECTION_ORDER = (*(k.key for k in KINDS), "history", "access_log")
# Kinds with few fields read best as one table, a record per row; the rest as one small
# label/value table per record.
MAX_TABLE_COLUMNS = 8
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
     "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
)


def pdf_fonts() -> tuple[str, str]:
    """(regular, bold) font names. A Unicode TrueType font when one is found
    (settings.VIDARE_PDF_FONTS = (regular path, bold path), else DejaVu Sans where the
    system has it), so names like Şahin or Nguyễn print as written; otherwise the
    built-in Helvetica, which covers Swedish and Western European letters."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    configured = getattr(settings, "VIDARE_PDF_FONTS", None)
    for regular, bold in ([tuple(configured)] if configured else []) + list(FONT_CANDIDATES):
        if Path(regular).is_file() and Path(bold).is_file():
            if "VidareSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("VidareSans", regular))
                pdfmetrics.registerFont(TTFont("VidareSans-Bold", bold))
                pdfmetrics.registerFontFamily("VidareSans", normal="VidareSans",
                                              bold="VidareSans-Bold", italic="VidareSans",
                                              boldItalic="VidareSans-Bold")
            return "VidareSans", "VidareSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _text(value: Any) -> str:
    """Display text of a JSON value, escaped for reportlab's paragraph markup."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return escape(", ".join(str(v) for v in value))
    return escape(str(value)).replace("\n", "<br/>")


def _unmarked(markup: str) -> str:
    """The text of paragraph markup, line breaks kept, for measuring."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup.replace("<br/>", "\n")))


def _changes_text(changes: list[dict[str, Any]]) -> str:
    return "<br/>".join(
        f"<b>{escape(capfirst(c['field']))}</b>: {_text(c['from'])} → {_text(c['to'])}"
        for c in changes)


def render_pdf(extract: dict[str, Any]) -> bytes:
    """The extract as an A4 PDF: a cover page that says what it is, then one section per
    kind of record, with page numbers."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import (
        CondPageBreak,
        KeepTogether,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    regular, bold = pdf_fonts()

    def records_of(key: str) -> list[dict[str, Any]]:
        return [extract[key]] if key == "participant" else extract[key]
    info = extract["about"]
    labels = extract["labels"]
    base = ParagraphStyle("base", fontName=regular, fontSize=9.5, leading=12.5,
                          alignment=TA_LEFT)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=10)
    small_bold = ParagraphStyle("small_bold", parent=small, fontName=bold)
    h1 = ParagraphStyle("h1", parent=base, fontName=bold, fontSize=20, leading=25,
                        spaceAfter=4 * mm)
    h2 = ParagraphStyle("h2", parent=base, fontName=bold, fontSize=13.5, leading=17,
                        spaceBefore=5 * mm, spaceAfter=2.5 * mm)
    h3 = ParagraphStyle("h3", parent=base, fontName=bold, fontSize=10, leading=13,
                        spaceBefore=2.5 * mm, spaceAfter=1 * mm)
    lead = ParagraphStyle("lead", parent=base, fontSize=12, leading=16, spaceAfter=4 * mm)
    grid = TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ])
    header_row = TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e9ee"))])
    label_column = TableStyle([("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f1f4f6"))])

    page_width, page_height = A4
    margin = 18 * mm
    width = page_width - 2 * margin

    def p(text: str, style: ParagraphStyle = small) -> Paragraph:
        return Paragraph(text, style)

    def key_value_table(rows: list[tuple[str, str]], label_width: float) -> Table:
        table = Table([[p(escape(capfirst(k)), small_bold), p(v)] for k, v in rows],
                      colWidths=[label_width, width - label_width])
        table.setStyle(grid)
        table.setStyle(label_column)
        return table

    def column_widths(heads: list[str], rows: list[list[str]]) -> list[float]:
        """Room by content: no column narrower than its longest word (dates and codes stay
        whole), the rest of the width shared by how much more each column's text wants."""
        pad = 7.0
        least, wanted = [], []
        for i, head in enumerate(heads):
            cells = [(head, bold)] + [(_unmarked(r[i]), regular) for r in rows]
            words = max(stringWidth(w, font, 8) for text, font in cells
                        for w in [*text.split(), ""])
            lines = max(stringWidth(line, font, 8) for text, font in cells
                        for line in text.splitlines() or [""])
            least.append(min(words + pad, width / 3))
            wanted.append(max(least[-1], min(lines + pad, width * 0.6)))
        if sum(wanted) <= width:
            return [w * width / sum(wanted) for w in wanted]
        if sum(least) >= width:
            return [w * width / sum(least) for w in least]
        spare, extra = width - sum(least), [w - m for w, m in zip(wanted, least, strict=True)]
        return [m + spare * e / sum(extra) for m, e in zip(least, extra, strict=True)]

    def row_table(heads: list[str], rows: list[list[str]]) -> Table:
        heads = [capfirst(h) for h in heads]
        table = Table([[p(escape(h), small_bold) for h in heads]]
                      + [[p(c) for c in r] for r in rows],
                      colWidths=column_widths(heads, rows), repeatRows=1)
        table.setStyle(grid)
        table.setStyle(header_row)
        return table

    story: list[Any] = [
        p(escape(info["title"]), h1),
        p(escape(info["legal_ground"]), lead),
        key_value_table([
            (_("Controller"), _text(info["controller"])),
            (_("Data protection officer"), _text(info["data_protection_officer"])),
            (_("Date of the extract"), _text(info["created_on"])),
            (_("Prepared by"), _text(info["created_by"])),
            (_("The extract concerns"), _text(info["person"])),
            (_("Identity number"), _text(info["identity_number"])),
        ], 50 * mm),
    ]
    for heading, key in ((_("Why we process your data"), "purposes"),
                         (_("Legal basis"), "legal_basis"),
                         (_("Who may receive the data"), "recipients"),
                         (_("Where the data comes from"), "sources")):
        story.append(p(escape(heading), h3))
        story += [p(f"• {escape(item)}", base) for item in info[key]]
    for heading, key in ((_("How long we keep the data"), "retention"),
                         (_("Automated decisions"), "automated_decisions"),
                         (_("Your rights"), "rights")):
        story += [p(escape(heading), h3), p(escape(info[key]), base)]
    story.append(p(escape(_("Contents")), h3))
    contents = [p(escape(f"{labels[key]['title']} ({len(records_of(key))})"), base)
                for key in SECTION_ORDER]
    rows = -(-len(contents) // 3)
    story.append(Table(list(itertools.zip_longest(*(contents[i:i + rows] for i in
                                                    range(0, len(contents), rows)))),
                       colWidths=[width / 3] * 3, hAlign="LEFT",
                       style=[("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)]))
    story.append(PageBreak())

    for key in SECTION_ORDER:
        title = labels[key]["title"]
        fields = labels[key]["fields"]
        records = records_of(key)
        section: list[Any] = []
        columns = [name for name in fields if name not in TIMESTAMPS[:2]]
        if not records:
            section.append(p(escape(_("Nothing recorded.")), base))
        elif key == "history":
            history_columns = ("at", "by", "record", "change", "changes")
            section.append(row_table(
                [fields[c] for c in history_columns],
                [[_text(r["at"]), _text(r["by"]), _text(r["record"]),
                  _text(r["change"] + (f" ({r['reason']})" if r["reason"] else "")),
                  _changes_text(r["changes"])] for r in records]))
        elif key != "participant" and len(columns) <= MAX_TABLE_COLUMNS:
            section.append(row_table([fields[c] for c in columns],
                                      [[_text(r[c]) for c in columns] for r in records]))
        else:
            for i, r in enumerate(records, start=1):
                block = [key_value_table([(fields[c], _text(r[c])) for c in columns],
                                         55 * mm)]
                if len(records) > 1:
                    block.insert(0, p(escape(f"{title} {i}/{len(records)}"), h3))
                section += [KeepTogether(block), Spacer(1, 2 * mm)]
        # The heading goes with the first block, never alone at the foot of a page.
        story += [CondPageBreak(40 * mm), KeepTogether([p(escape(title), h2), section[0]]),
                  *section[1:]]

    page_label = _("Page %(page)s of %(pages)s")
    running_head = f"{info['title']} – {info['controller']} – {info['created_on']}"

    class NumberedCanvas(Canvas):
        """Draws 'page n of m' once every page is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(regular, 8)
                self.setFillColor(colors.HexColor("#4a5560"))
                self.drawString(margin, page_height - 11 * mm, running_head)
                self.drawRightString(page_width - margin, 10 * mm,
                                     page_label % {"page": self._pageNumber, "pages": total})
                super().showPage()
            super().save()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=margin, rightMargin=margin,
                            topMargin=margin, bottomMargin=margin,
                            title=str(info["title"]), author=str(info["controller"]),
                            subject=str(info["legal_ground"]))
    doc.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()

