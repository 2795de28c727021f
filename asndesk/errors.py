"""Typed errors. User-facing ones carry a message id and parameters that the UI translates.

`str(err)` renders in the current locale (see `asndesk.i18n`); parameters never hold secrets.
"""

from __future__ import annotations

from typing import Any

from asndesk.i18n import N_, gettext


class AsnDeskError(Exception):
    """Root of every error asndesk raises on purpose."""


class UserFacingError(AsnDeskError):
    """An error the person can act on: `message_id` is a gettext msgid, `params` fill it."""

    message_id: str = N_("Something went wrong.")

    def __init__(self, message_id: str | None = None, **params: Any) -> None:
        if message_id is not None:
            self.message_id = message_id
        self.params = params
        super().__init__(self.message_id)

    def message(self) -> str:
        """The message translated into the current locale, with parameters filled in."""
        return gettext(self.message_id).format(**self.params)

    def __str__(self) -> str:
        return self.message()


class ValidationError(UserFacingError):
    """Invalid input: names the field (stable, language-neutral) and a reason code."""

    def __init__(self, field: str, code: str, message_id: str, **params: Any) -> None:
        self.field = field
        self.code = code
        super().__init__(message_id, **params)

    def __repr__(self) -> str:
        return f"ValidationError(field={self.field!r}, code={self.code!r})"


class ProfileError(UserFacingError):
    """Base for errors about opening, unlocking and managing profiles."""


class ProfileNotFound(ProfileError):
    message_id = N_("No profile exists for NIP {nip}.")


class ProfileExists(ProfileError):
    message_id = N_("A profile for NIP {nip} already exists on this computer.")


class WrongPassword(ProfileError):
    message_id = N_("The password is wrong.")


class WrongRecoveryKey(ProfileError):
    message_id = N_("The recovery key is wrong.")


class UnlockDelayed(ProfileError):
    """Too many wrong passwords: the next attempt must wait `seconds`."""

    message_id = N_("Too many wrong attempts. Try again in {seconds} seconds.")


class ProfileLocked(ProfileError):
    message_id = N_("The profile is locked. Unlock it first.")


class ProfileCorrupt(ProfileError):
    message_id = N_("The profile data is damaged and cannot be read safely.")


class WeakPassword(ValidationError):
    def __init__(self, min_length: int) -> None:
        super().__init__(
            "password",
            "too_short",
            N_("The password must be at least {min_length} characters long."),
            min_length=min_length,
        )


class NotFound(UserFacingError):
    """`kind` is itself a msgid (e.g. N_("period")), translated when the message is shown."""

    message_id = N_("Not found: {kind} with id {id}.")

    def message(self) -> str:
        params = dict(self.params, kind=gettext(str(self.params.get("kind", ""))))
        return gettext(self.message_id).format(**params)


class InvalidState(UserFacingError):
    """A workflow action that the entity's current state does not allow."""

    message_id = N_("This cannot be done while the SKP is {status}.")


class PeriodClosed(InvalidState):
    """HR closed the period: nothing more is written into it until HR reopens it."""

    message_id = N_("The period {id} is closed.")
