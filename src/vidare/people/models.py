"""Participants and the referrals that bring them to a centre."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from vidare.core.identity import IdentityKind
from vidare.core.models import TimeStampedModel


class Gender(models.TextChoices):
    WOMAN = "kvinna", _("Woman")
    MAN = "man", _("Man")
    OTHER = "annat", _("Other / not stated")


class BirthRegion(models.TextChoices):
    """SCB's grouping of country of birth, as used in labour-market statistics."""

    SWEDEN = "sverige", _("Sweden")
    NORDIC = "norden", _("Nordic countries except Sweden")
    EU = "eu", _("EU/EFTA except the Nordic countries")
    EUROPE_OTHER = "europa_ovrigt", _("Europe outside EU/EFTA")
    AFRICA = "afrika", _("Africa")
    ASIA = "asien", _("Asia")
    NORTH_AMERICA = "nordamerika", _("North America")
    SOUTH_AMERICA = "sydamerika", _("South America")
    OCEANIA = "oceanien", _("Oceania")
    UNKNOWN = "okand", _("Unknown")

    @classmethod
    def outside_europe(cls) -> frozenset[str]:
        return frozenset({cls.AFRICA, cls.ASIA, cls.NORTH_AMERICA, cls.SOUTH_AMERICA,
                          cls.OCEANIA})


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def visible_to(self, user: settings.AUTH_USER_MODEL, *,
                   listing: bool = False) -> ParticipantQuerySet:
        from vidare.people.scoping import visible_participants

        return visible_participants(user, self, listing=listing)


class Participant(TimeStampedModel):
    """A person the unit works with. Identity number is stored normalised (12 digits)."""

    identity_kind = models.CharField(
        _("kind of identity number"), max_length=20,
        choices=[(k.value, k.value) for k in IdentityKind],
    )
    identity_number = models.CharField(_("identity number"), max_length=20, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices,
                              default=Gender.OTHER)
    protected_identity = models.BooleanField(
        _("protected identity"), default=False,
        help_text=_("Skyddade personuppgifter: address and contact details are hidden."),
    )
    address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    adults_in_household = models.PositiveSmallIntegerField(_("adults in household"), default=1)
    children_in_household = models.PositiveSmallIntegerField(_("children in household"),
                                                             default=0)
    languages = models.ManyToManyField("codelists.Language", blank=True,
                                       verbose_name=_("languages spoken"))
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    birth_region = models.CharField(_("region of birth"), max_length=20,
                                    choices=BirthRegion.choices, default=BirthRegion.UNKNOWN)
    # Skyddade personuppgifter: only these named staff see contact details and find the
    # person in lists and searches.
    protected_identity_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="protected_participants",
        verbose_name=_("staff who may see the protected identity"),
    )
    # GDPR art. 18: processing restricted while a dispute about the data is settled.
    restricted = models.BooleanField(_("processing restricted"), default=False)
    restricted_reason = models.CharField(_("reason for restriction"), max_length=300,
                                         blank=True)
    # Set by gallring: the row then holds no identifiers, only what statistics need.
    deidentified_on = models.DateField(_("de-identified on"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[languages])

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def formatted_identity_number(self) -> str:
        n = self.identity_number
        if self.identity_kind == IdentityKind.RESERVNUMMER:
            return n
        return f"{n[:8]}-{n[8:]}"


class ReferralSource(models.TextChoices):
    SOCIAL_SERVICES = "socialtjanst", _("Social services (social assistance)")
    EMPLOYMENT_SERVICE = "arbetsformedlingen", _("Arbetsförmedlingen")
    HEALTH_CARE = "vard", _("Health care")
    SELF = "egen", _("Self-referral")
    OUTREACH = "uppsokande", _("Outreach")
    OTHER = "annan", _("Other")


class ReferralStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ENROLLED = "enrolled", _("Enrolled")
    CLOSED = "closed", _("Closed without enrolment")


class ReferralCloseReason(models.TextChoices):
    NOT_REACHED = "ej_nadd", _("Could not be reached")
    DECLINED = "tackat_nej", _("Declined")
    NOT_SUITABLE = "ej_aktuell", _("Not suitable for the programme")
    OTHER_PROGRAMME = "annan_insats", _("Started another intervention")
    FOUND_WORK = "arbete", _("Found work before start")
    MOVED = "flyttat", _("Moved away")
    OTHER = "ovrigt", _("Other")


class Referral(TimeStampedModel):
    """A remiss: the start of every journey, even a self-referral."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="referrals", verbose_name=_("participant"))
    source = models.CharField(_("referred by"), max_length=30, choices=ReferralSource.choices)
    centre = models.ForeignKey("organisation.Centre", on_delete=models.PROTECT,
                               related_name="referrals", verbose_name=_("centre"))
    programme = models.ForeignKey("organisation.Programme", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="referrals",
                                  verbose_name=_("proposed programme"))
    referred_on = models.DateField(_("referral date"))
    referrer_name = models.CharField(_("referrer"), max_length=200, blank=True)
    referrer_organisation = models.CharField(_("referring organisation"), max_length=200,
                                             blank=True)
    referrer_contact = models.CharField(_("referrer's phone or e-mail"), max_length=200,
                                        blank=True)
    referrer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="referrals_made", verbose_name=_("referring officer (in Vidare)"),
    )
    outreach_area = models.CharField(_("outreach area"), max_length=100, blank=True,
                                     help_text=_("Required for outreach, e.g. Norrby."))
    reason = models.TextField(_("reason for referral"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices,
                              default=ReferralStatus.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=30, blank=True,
                                    choices=ReferralCloseReason.choices)
    close_note = models.TextField(_("note on closing"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["centre", "status"])]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.referred_on:%Y-%m-%d}"


class ContactKind(models.TextChoices):
    ATTEMPT = "attempt", _("Contact attempt")
    MEETING = "meeting", _("Meeting")


class ContactChannel(models.TextChoices):
    PHONE = "telefon", _("Phone")
    SMS = "sms", _("Text message")
    LETTER = "brev", _("Letter")
    EMAIL = "epost", _("E-mail")
    VISIT = "besok", _("Visit")
    DIGITAL = "digitalt", _("Video meeting")


class ContactOutcome(models.TextChoices):
    REACHED = "nadd", _("Reached")
    NOT_REACHED = "ej_nadd", _("Not reached")
    MESSAGE_LEFT = "meddelande", _("Message left")
    ATTENDED = "genomfort", _("Meeting held")
    NO_SHOW = "uteblev", _("Did not attend")


class ReferralContact(TimeStampedModel):
    """A contact attempt or meeting between referral and enrolment."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    occurred_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=ContactChannel.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ContactOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("staff member"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("contact")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"


class ConsentParty(models.TextChoices):
    SOCIAL_SERVICES = "socialtjanst", _("Social services")
    EMPLOYMENT_SERVICE = "arbetsformedlingen", _("Arbetsförmedlingen")
    SOCIAL_INSURANCE = "forsakringskassan", _("Försäkringskassan")
    HEALTH_CARE = "vard", _("Health care")


class ConsentScope(models.TextChoices):
    ATTENDANCE_AND_STATUS = "narvaro_status", _("Attendance and status reports")
    REFERRAL_OUT = "remiss_ut", _("Referral to the party")
    INFORMATION_EXCHANGE = "informationsutbyte", _("Exchange of information in the case")


class Consent(TimeStampedModel):
    """Samtycke: the participant's consent to share with one party for one purpose."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE,
                                    related_name="consents", verbose_name=_("participant"))
    party = models.CharField(_("party"), max_length=30, choices=ConsentParty.choices)
    scope = models.CharField(_("scope"), max_length=30, choices=ConsentScope.choices)
    given_on = models.DateField(_("given on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("recorded by"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("given_on")),
                name="consent_expiry_not_before_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()}: {self.get_scope_display()}"

    def is_valid_on(self, day: date) -> bool:
        return (self.given_on <= day
                and (self.expires_on is None or day <= self.expires_on)
                and (self.withdrawn_on is None or day < self.withdrawn_on))
