"""Forms of the access app: the filter of the access-log review."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vidare.core.forms import DateInput, VidareForm

from .review import LogFilter, matching_participants, reviewable_staff

DEFAULT_PERIOD_DAYS = 30
CHANNELS = [("", _("All channels")), ("web", _("Web")), ("api", _("API")),
            ("export", _("Export"))]
RESULTS = [("", _("Allowed and refused")), ("allowed", _("Allowed only")),
           ("refused", _("Refused only"))]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class AccessLogFilterForm(VidareForm):
    """GET filter of the review page and its CSV export. Query names are short (`from`,
    `to`) so links to a staff member's day stay readable."""

    staff = StaffChoiceField(label=_("Staff member"), queryset=None, required=False,
                             empty_label=_("All staff"))
    participant = forms.CharField(label=_("Participant"), required=False, max_length=100,
                                  help_text=_("Name or identity number."))
    person = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    channel = forms.ChoiceField(label=_("Channel"), choices=CHANNELS, required=False)
    result = forms.ChoiceField(label=_("Result"), choices=RESULTS, required=False)

    def add_prefix(self, field_name: str) -> str:
        return {"date_from": "from", "date_to": "to"}.get(field_name, field_name)

    def setup_fields(self) -> None:
        self.fields["staff"].queryset = reviewable_staff(self.user)

    @classmethod
    def default_data(cls, today: date) -> dict[str, str]:
        """The last DEFAULT_PERIOD_DAYS days, for a page opened without a filter."""
        return {"from": (today - timedelta(days=DEFAULT_PERIOD_DAYS - 1)).isoformat(),
                "to": today.isoformat()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", forms.ValidationError(
                _("The end of the period cannot be before its start."), code="before_start"))
        return data

    def describe(self) -> str:
        """The filter for an operations log line: no participant's name or number in it."""
        data = self.cleaned_data
        staff = data.get("staff")
        person = bool(data.get("person") or data.get("participant", "").strip())
        return (f"staff={staff.username if staff else '*'} from={data.get('date_from') or '*'} "
                f"to={data.get('date_to') or '*'} channel={data.get('channel') or '*'} "
                f"result={data.get('result') or '*'} participant={'yes' if person else '*'}")

    def to_filter(self) -> LogFilter:
        data = self.cleaned_data
        staff = data.get("staff")
        participant_ids: Any = None
        if data.get("person"):
            participant_ids = [data["person"]]
        elif data.get("participant", "").strip():
            participant_ids = matching_participants(self.user, data["participant"])
        result = data.get("result")
        return LogFilter(
            staff_id=staff.pk if staff else None,
            participant_ids=participant_ids,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            channel=data.get("channel") or "",
            allowed={"allowed": True, "refused": False}.get(result or ""),
        )
