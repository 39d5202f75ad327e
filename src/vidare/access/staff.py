"""Staff accounts and their roles: the system administrator's actions.

The only code that creates or changes a member of staff or a role membership. The web pages
(staff_views.py) and the `vidare staff` command call these; every one needs MANAGE_USERS
(held only by the system administrator, municipality-wide).

`actor=None` is the command line (the operator on the server, who can do anything there
anyway: it is how the first administrator is made). Its history rows have no user and the
change reason "command line (<operating-system account>)"; the web always passes the
logged-in user.

Rules, each raised as ValidationError({field: [.. code=rule]}):

* username: required, Django's username characters (letters, digits and @ . + - _), at most
  150 characters, unique regardless of case (`duplicate`);
* first and last name required; e-mail valid when given;
* password: Django's password validators (AUTH_PASSWORD_VALIDATORS);
* a municipality-wide role (MUNICIPALITY_WIDE_ROLES) has no centre, every other role an
  active centre; the same role at the same centre is not given twice;
* an administrator cannot deactivate their own account or revoke their own last
  system-administrator role: the municipality must not lock itself out.

History (django-simple-history): every change of an account or a membership, a revoked
membership included ("-"), with who did it. Setting a password and resetting the second
factor write a history row of the account with that reason; the password hash is never kept.
"""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils.translation import gettext as _

from vidare.core.actions import errors, save_validated, stamp

from .models import Membership, User
from .roles import MUNICIPALITY_WIDE_ROLES, Capability, Role

if TYPE_CHECKING:
    from vidare.organisation.models import Centre

STAFF_FIELDS = ("username", "first_name", "last_name", "email", "title", "phone")
COMMAND_LINE = "command line"


def may_manage(actor: User | None) -> bool:
    return actor is None or actor.can(Capability.MANAGE_USERS)


def _require(actor: User | None) -> None:
    """PermissionDenied unless `actor` may manage staff (None: the command line).

    Called first in every (atomic) action. It locks the system administrators' memberships,
    so staff changes run one at a time, then re-reads the actor: two administrators who
    deactivate, or revoke the role of, each other at the same moment cannot both succeed and
    leave the municipality without one.
    """
    if actor is None:
        return
    if not may_manage(actor):
        raise PermissionDenied(f"{actor} lacks {Capability.MANAGE_USERS}")
    list(Membership.objects.select_for_update().filter(role=Role.SYSTEMADMINISTRATOR)
         .order_by("pk").values_list("pk", flat=True))
    fresh = User.objects.filter(pk=actor.pk).first()
    if fresh is None or not fresh.can(Capability.MANAGE_USERS):
        raise PermissionDenied(f"{actor} no longer holds {Capability.MANAGE_USERS}")


def _attribute(instance: models.Model, actor: User | None, reason: str = "") -> None:
    """The history row names `actor`, or says it came from the command line."""
    stamp(instance, actor)
    if actor is None:
        try:
            who = getpass.getuser()
        except (KeyError, OSError):  # no account name in a container
            who = "?"
        reason = f"{COMMAND_LINE} ({who})" + (f": {reason}" if reason else "")
    if reason:
        instance._change_reason = reason[:100]  # type: ignore[attr-defined]


# --- accounts ----------------------------------------------------------------------------------


def _clean_account(user: User, data: dict[str, Any]) -> None:
    """Set the account fields in `data` on `user`, checked; raises every field's error."""
    unknown = set(data) - set(STAFF_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(user, name, (value or "").strip() if isinstance(value, str) or value is None
                else value)
    found: dict[str, ValidationError] = {}
    if not user.username:
        found["username"] = ValidationError(_("Give a username."), code="required")
    else:
        try:
            UnicodeUsernameValidator()(user.username)
        except ValidationError:
            found["username"] = ValidationError(
                _("A username may contain only letters, digits and @ . + - _ (no spaces)."),
                code="invalid_characters")
        else:
            if len(user.username) > 150:
                found["username"] = ValidationError(
                    _("A username has at most 150 characters."), code="max_length")
            else:
                taken = (User.objects.filter(username__iexact=user.username)
                         .exclude(pk=user.pk).first())
                if taken is not None:
                    found["username"] = ValidationError(
                        _("The username %(username)s is already taken (by %(name)s); "
                          "usernames are unique regardless of upper and lower case.")
                        % {"username": user.username, "name": taken}, code="duplicate")
    for name, message in (("first_name", _("Give the first name.")),
                          ("last_name", _("Give the last name."))):
        if not getattr(user, name):
            found[name] = ValidationError(message, code="required")
    if user.email:
        try:
            validate_email(user.email)
        except ValidationError:
            found["email"] = ValidationError(
                _("%(email)s is not a valid e-mail address.") % {"email": user.email},
                code="invalid")
    if found:
        raise ValidationError({k: [v] for k, v in found.items()})


def _check_password(password: str, user: User, field: str = "password") -> None:
    if not password:
        raise errors(**{field: (_("Give a password."), "required")})
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.error_list}) from None


@transaction.atomic
def create_staff(*, actor: User | None, username: str, first_name: str, last_name: str,
                 email: str = "", title: str = "", phone: str = "",
                 password: str | None = None) -> User:
    """A new, active member of staff with no role yet. Without `password` the account has
    none that works: the administrator sets a temporary one, or the member logs in through
    the municipality's identity provider."""
    _require(actor)
    user = User(is_active=True)
    _clean_account(user, {"username": username, "first_name": first_name,
                          "last_name": last_name, "email": email, "title": title,
                          "phone": phone})
    if password:
        _check_password(password, user)
        user.set_password(password)
        # On the command line the operator may be the holder (the first administrator).
        user.password_change_required = actor is not None
    else:
        user.set_unusable_password()
    _attribute(user, actor)
    return save_validated(user, actor, exclude=["password"])  # type: ignore[return-value]


@transaction.atomic
def update_staff(*, actor: User | None, user: User, **data: Any) -> User:
    """Change the account's username, names, e-mail, title or phone."""
    _require(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    _clean_account(user, data)
    _attribute(user, actor)
    return save_validated(user, actor, exclude=["password"])  # type: ignore[return-value]


@transaction.atomic
def set_active(*, actor: User | None, user: User, active: bool) -> User:
    """Activate or deactivate an account. A deactivated account cannot log in, its open
    sessions stop at the next page, and it holds no capability; its roles are kept."""
    _require(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not active and actor is not None and user.pk == actor.pk:
        raise errors(is_active=(_("You cannot deactivate your own account; ask another "
                                  "system administrator."), "own_account"))
    if user.is_active == active:
        return user
    user.is_active = active
    _attribute(user, actor, "activated" if active else "deactivated")
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def set_password(*, actor: User | None, user: User, password: str) -> User:
    """Set a (temporary) password, checked by the password validators. The member's open
    sessions end (Django ties a session to the password)."""
    _require(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_password(password, user)
    user.set_password(password)
    user.password_change_required = True
    _attribute(user, actor, "password set by administrator")
    user.save(update_fields=["password", "password_change_required"])
    return user


@transaction.atomic
def reset_second_factor(*, actor: User | None, user: User) -> int:
    """Remove the member's authenticator app and backup codes (a lost phone), as
    `vidare otp reset` does; their next login sets up a new app. Returns the number of
    devices removed; the account's history records who did it."""
    from .auth import otp

    _require(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    removed = otp.reset_second_factor(user)
    _attribute(user, actor, "second factor reset")
    # Nothing on the account changes; the save only writes the history row.
    user.save(update_fields=["is_active"])
    return removed


# --- roles -------------------------------------------------------------------------------------


def _role(value: Any) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise errors(role=(_("%(role)r is not a role. Roles: %(roles)s.")
                           % {"role": value, "roles": ", ".join(Role.values)},
                           "invalid_choice")) from None


@transaction.atomic
def grant_role(*, actor: User | None, user: User, role: Role | str,
               centre: Centre | None = None) -> Membership:
    """Give `user` `role`, at `centre` or (a municipality-wide role) with none."""
    _require(actor)
    role = _role(role)
    user = User.objects.select_for_update().get(pk=user.pk)
    if actor is not None and user.pk == actor.pk:
        # Four eyes: an administrator who could give themself a caseworker role could read
        # any participant's record alone. Another administrator (or the server's command
        # line) does it, and the history names them.
        raise errors(role=(_("You cannot give yourself a role; ask another system "
                             "administrator."), "own_role"))
    wide = role in MUNICIPALITY_WIDE_ROLES
    if wide and centre is not None:
        raise errors(centre=(_("%(role)s is municipality-wide: leave the centre empty.")
                             % {"role": role.label}, "municipality_wide"))
    if not wide and centre is None:
        raise errors(centre=(_("%(role)s is held at a centre: choose one.")
                             % {"role": role.label}, "centre_required"))
    if centre is not None and not centre.active:
        raise errors(centre=(_("%(centre)s is not active; roles are given only at active "
                               "centres.") % {"centre": centre}, "inactive_centre"))
    if Membership.objects.filter(user=user, role=role, centre=centre).exists():
        raise errors(role=(_("%(user)s already has the role %(role)s %(where)s.")
                           % {"user": user, "role": role.label,
                              "where": (_("at %(centre)s") % {"centre": centre}) if centre
                              else _("for the whole municipality")}, "duplicate"))
    membership = Membership(user=user, role=role, centre=centre)
    _attribute(membership, actor)
    save_validated(membership, actor)
    return membership


@transaction.atomic
def revoke_role(*, actor: User | None, membership: Membership) -> None:
    """Take a role back. The membership stays in the history, with who revoked it."""
    _require(actor)
    membership = Membership.objects.select_for_update(of=("self",)).select_related(
        "user", "centre").get(pk=membership.pk)
    if (actor is not None and membership.user_id == actor.pk
            and membership.role == Role.SYSTEMADMINISTRATOR
            and not Membership.objects.filter(user=actor, role=Role.SYSTEMADMINISTRATOR)
            .exclude(pk=membership.pk).exists()):
        raise errors(role=(_("You cannot revoke your own system-administrator role: the "
                             "municipality would lose its administrator. Ask another system "
                             "administrator."), "own_last_admin_role"))
    _attribute(membership, actor)
    membership.delete()


def find_membership(user: User, role: Role | str, centre: Centre | None) -> Membership:
    """The membership `user` holds as `role` at `centre` (None: municipality-wide)."""
    role = _role(role)
    found = Membership.objects.filter(user=user, role=role, centre=centre).first()
    if found is None:
        raise errors(role=(_("%(user)s has no role %(role)s %(where)s.")
                           % {"user": user.username, "role": role.value,
                              "where": (_("at %(centre)s") % {"centre": centre.code}) if centre
                              else _("for the whole municipality")}, "does_not_exist"))
    return found
