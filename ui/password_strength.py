"""A password-strength estimate for the "new password" fields (Qt-free, tested without widgets).

Acceptance is the core's policy and nothing else: `estimate(p).acceptable` is exactly "the
core's `check_password_policy(p)` does not raise", so the meter can never say "Good" for a
password the core refuses, nor refuse one it accepts. Above the policy the score is advice
only (longer is better; passphrases of plain words are welcome, NIST SP 800-63B), shown as
words and as a 0–4 bar.
"""

from __future__ import annotations

from dataclasses import dataclass

from asndesk.errors import WeakPassword
from asndesk.i18n import N_, _, ngettext
from asndesk.store.profiles import MIN_PASSWORD_LENGTH, check_password_policy

MAX_SCORE = 4
LABELS = {
    0: N_("No password yet"),
    1: N_("Too short"),
    2: N_("Acceptable"),
    3: N_("Good"),
    4: N_("Strong"),
}


@dataclass(frozen=True)
class Strength:
    score: int          # 0 … MAX_SCORE
    acceptable: bool    # the core's policy accepts it
    missing: int        # characters still needed for the minimum length (0 when long enough)

    @property
    def label(self) -> str:
        """The score in words, in the current language."""
        return _(LABELS[self.score])

    def describe(self) -> str:
        """One sentence for the visible hint and the screen reader."""
        if self.score == 0:
            return _("Password strength: no password yet. Use at least {n} characters; "
                     "a few plain words work well.").format(n=MIN_PASSWORD_LENGTH)
        if not self.acceptable and not self.missing:
            return _("Password strength: not allowed by the password rules.")
        if not self.acceptable:
            return ngettext("Password strength: too short. Type {n} more character.",
                            "Password strength: too short. Type {n} more characters.",
                            self.missing).format(n=self.missing)
        return _("Password strength: {label}.").format(label=self.label)


def _policy_accepts(password: str) -> bool:
    try:
        check_password_policy(password)
    except WeakPassword:
        return False
    return True


def _monotonous(password: str) -> bool:
    """One repeated character, or only digits: long, but easy to guess."""
    return len(set(password)) <= 2 or password.isdigit()


def estimate(password: str) -> Strength:
    """Score `password`; acceptance is decided by the core's policy."""
    if not password:
        return Strength(0, False, MIN_PASSWORD_LENGTH)
    if not _policy_accepts(password):
        return Strength(1, False, max(0, MIN_PASSWORD_LENGTH - len(password)))
    length = len(password)
    words = len(password.split())
    kinds = sum((any(c.islower() for c in password), any(c.isupper() for c in password),
                 any(c.isdigit() for c in password),
                 any(not c.isalnum() and not c.isspace() for c in password)))
    score = 2
    if length >= 12 or (length >= 10 and kinds >= 3):
        score = 3
    if length >= 16 or (words >= 3 and length >= 14) or (length >= 13 and kinds >= 4):
        score = 4
    if _monotonous(password):
        score = 2
    return Strength(score, True, 0)
