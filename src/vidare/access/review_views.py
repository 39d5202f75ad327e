"""The unit manager's review of the access log: filter, flags of unusual access, CSV export.

Reading the log is not itself logged in the log (it holds references, not the records);
each export writes a line to the `vidare.access` logger: who, how many rows, which filter.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from vidare.core.views import AccessMixin

from . import review
from .forms import AccessLogFilterForm
from .models import AccessLogEntry
from .roles import Capability

logger = logging.getLogger("vidare.access")

PAGE_SIZE = 50
MAX_SIGNS_SHOWN = 100


class AccessLogMixin(AccessMixin):
    capability = Capability.REVIEW_ACCESS_LOG

    def filter_form(self) -> AccessLogFilterForm:
        data = self.request.GET
        if not any(key != "page" for key in data):
            data = AccessLogFilterForm.default_data(timezone.localdate())  # type: ignore[assignment]
        return AccessLogFilterForm(data, user=self.request.user)

    def filtered(self, form: AccessLogFilterForm) -> QuerySet[AccessLogEntry]:
        return form.to_filter().apply(review.reviewable_entries(self.request.user))


class AccessLogReviewView(AccessLogMixin, TemplateView):
    template_name = "access/log_review.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        if self.form.errors:
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        self.form = form = self.filter_form()
        context.update(form=form, results=False)
        if not form.is_valid():
            return context
        qs = self.filtered(form)
        signs = review.unusual_access(qs)
        page = Paginator(qs.select_related("user").order_by("-at", "-pk"), PAGE_SIZE
                         ).get_page(self.request.GET.get("page"))
        entries = list(page.object_list)
        ids = [e.participant_id for e in entries]
        names = review.participant_names(self.request.user, ids)
        openable = review.openable_participants(self.request.user, ids)
        crowded = review.crowded_days(signs)
        rows = [{
            "entry": e,
            "staff": (e.user.get_full_name() if e.user else "") or e.username,
            "participant": names.get(e.participant_id)
            or _("no. %(ref)s") % {"ref": e.participant_ref},
            "participant_url": reverse("people:participant_detail", args=[e.participant_id])
            if e.participant_id in openable else None,
            "flags": [review.FLAG_LABELS[f] for f in review.entry_flags(e, crowded)],
        } for e in entries]
        params = QueryDict(mutable=True)
        params.update(form.data)
        params.pop("page", None)
        others = params.copy()
        for key in ("page", "person", "participant"):
            others.pop(key, None)
        context.update(
            results=True, page_obj=page, rows=rows, signs=signs[:MAX_SIGNS_SHOWN],
            signs_hidden=max(0, len(signs) - MAX_SIGNS_SHOWN),
            query_string=params.urlencode(), base_query=others.urlencode(),
            threshold=review.unusual_reads_per_day(), office_hours=review.office_hours(),
            person=form.cleaned_data.get("person"),
        )
        return context


def _csv_cell(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(review.FLAG_LABELS[v]) for v in value)
    text = str(value)
    # A cell starting like a formula would run as one in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


class AccessLogExportView(AccessLogMixin, View):
    """The filtered entries as CSV (semicolons and BOM, for Excel in a Swedish locale); a
    bad filter gets the review page with the errors."""

    headers = {
        "time": gettext_lazy("Time"), "username": gettext_lazy("User name"),
        "staff_name": gettext_lazy("Staff member"),
        "participant_ref": gettext_lazy("Participant reference"),
        "participant_name": gettext_lazy("Participant"), "what": gettext_lazy("What"),
        "channel": gettext_lazy("Channel"),
        "special_category_shown": gettext_lazy("Special category shown"),
        "allowed": gettext_lazy("Allowed"), "ip_address": gettext_lazy("IP address"),
        "request_id": gettext_lazy("Request id"), "flags": gettext_lazy("Flags"),
    }

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.filter_form()
        if not form.is_valid():
            return TemplateResponse(request, "access/log_review.html", {"form": form},
                                    status=400)
        qs = self.filtered(form)
        signs = review.unusual_access(qs)
        count = qs.count()
        logger.info("access log exported by %s: %d entries (%s)", request.user.username,
                    count, form.describe())
        return StreamingHttpResponse(
            self.lines(qs, signs), content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="atkomstlogg-'
                     f'{timezone.localdate():%Y%m%d}.csv"'})

    def lines(self, qs: QuerySet[AccessLogEntry], signs: list[review.UnusualAccess]
              ) -> Iterator[str]:
        writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
        yield "\ufeff" + writer.writerow([str(self.headers[f]) for f in review.EXPORT_FIELDS])
        for row in review.export_rows(qs, reviewer=self.request.user, signs=signs):
            yield writer.writerow([_csv_cell(row[f]) for f in review.EXPORT_FIELDS])
