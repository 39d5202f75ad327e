"""Staff accounts and their roles at centres."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .roles import MUNICIPALITY_WIDE_ROLES, ROLE_CAPABILITIES, Capability, Role


class User(AbstractUser):
    """A member of staff. Participants never log in."""

    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # Set when an administrator gives the account a password: nobody but its holder should
    # know a password in use, so the next login starts with changing it.
    password_change_required = models.BooleanField(
        _("must change password at next login"), default=False)

    # Who created, changed, deactivated the account, set its password or reset its second
    # factor (access/staff.py). The password hash is never copied into the history, and a
    # login (which only stamps last_login) writes no history row.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args: object, **kwargs: object) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) <= {"last_login"}:  # type: ignore[call-overload]
            self.skip_history_when_saving = True
            try:
                super().save(*args, **kwargs)  # type: ignore[arg-type]
            finally:
                del self.skip_history_when_saving
            return
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @cached_property
    def memberships_cached(self) -> list[Membership]:
        return list(self.memberships.select_related("centre"))

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.memberships_cached}

    def centre_ids_with(self, capability: Capability) -> set[int] | None:
        """Centres where the user holds `capability`; None means every centre."""
        ids: set[int] = set()
        for m in self.memberships_cached:
            if capability not in ROLE_CAPABILITIES[Role(m.role)]:
                continue
            if m.centre_id is None:
                return None
            ids.add(m.centre_id)
        return ids

    def can(self, capability: Capability, centre_id: int | None = None) -> bool:
        """Whether the user holds `capability`, at `centre_id` when given."""
        if not self.is_active:
            return False
        scope = self.centre_ids_with(capability)
        if scope is None:
            return True
        return bool(scope) if centre_id is None else centre_id in scope


class Membership(models.Model):
    """A role held at one centre, or municipality-wide (no centre) for the roles that are."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    centre = models.ForeignKey(
        "organisation.Centre", null=True, blank=True, on_delete=models.PROTECT,
        related_name="memberships", verbose_name=_("centre"),
    )

    # Who gave whom which role when; a revoked membership stays here (history type "-").
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "centre"], name="uniq_membership"),
        ]
        verbose_name = _("role membership")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.centre or _('all centres')})"

    def clean(self) -> None:
        wide = Role(self.role) in MUNICIPALITY_WIDE_ROLES
        if wide and self.centre_id is not None:
            raise ValidationError({"centre": _("This role is municipality-wide; leave centre "
                                               "empty.")})
        if not wide and self.centre_id is None:
            raise ValidationError({"centre": _("This role is held at a centre; choose one.")})


class AccessLogQuerySet(models.QuerySet["AccessLogEntry"]):
    """Bulk writes are refused like single ones; the database refuses them too (triggers
    installed by migration 0004, see append_only.py)."""

    def update(self, **kwargs: object) -> int:
        raise PermissionError("Access-log entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Access-log entries cannot be deleted.")


class AccessLogEntry(models.Model):
    """One read of a participant's personal data. Append-only: never edited or deleted here."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # Neither link is a database constraint nor nulled on delete: that would be an UPDATE,
    # which the append-only triggers refuse. The ids stay as written; username and
    # participant_ref keep the readable reference.
    user = models.ForeignKey(User, null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+")
    # Kept as text so the log outlives the account.
    username = models.CharField(_("user"), max_length=150)
    participant = models.ForeignKey("people.Participant", null=True, on_delete=models.DO_NOTHING,
                                    db_constraint=False, related_name="+", db_index=True)
    participant_ref = models.CharField(_("participant reference"), max_length=20)
    what = models.CharField(_("what"), max_length=100)
    channel = models.CharField(_("channel"), max_length=10)  # "web", "api", "export"
    special_category_shown = models.BooleanField(default=False)
    # False for an attempt that was refused (out of scope or without the capability).
    allowed = models.BooleanField(default=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=32, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["participant", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.what}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("Access-log entries cannot be changed.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("Access-log entries cannot be deleted.")


class RetentionRun(models.Model):
    """One run of gallring (or its dry run): what was due and what was done."""

    at = models.DateTimeField(auto_now_add=True)
    username = models.CharField(max_length=150)
    dry_run = models.BooleanField()
    cutoff = models.DateField(help_text="Exits on or before this date were due.")
    participants = models.PositiveIntegerField()
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        kind = "dry run" if self.dry_run else "run"
        return f"gallring {kind} {self.at:%Y-%m-%d %H:%M}: {self.participants}"
