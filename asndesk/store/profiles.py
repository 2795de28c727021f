"""Profile folders on this computer: create, list, unlock, change password, crypto-shred.

Each person has `<home>/profiles/<NIP>/` with `keys.json` (KDF parameters and the two
wraps of the data key), `unlock-state.json` (wrong-password throttle) and the SQLCipher
file `store.db`. The data key is only ever on disk wrapped.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from asndesk import paths
from asndesk.errors import (
    ProfileCorrupt,
    ProfileExists,
    ProfileNotFound,
    UnlockDelayed,
    ValidationError,
    WeakPassword,
    WrongPassword,
    WrongRecoveryKey,
)
from asndesk.i18n import N_
from asndesk.store import keys

KEYFILE = "keys.json"
THROTTLE_FILE = "unlock-state.json"
DB_FILE = "store.db"
FORMAT = 1
MIN_PASSWORD_LENGTH = 8
FREE_FAILURES = 5  # failures before the growing delay starts (security.md S-07)
MAX_DELAY_S = 300


@lru_cache(maxsize=1)
def calibrated_policy() -> keys.KdfParams:
    """Argon2id parameters for new wraps on this machine (calibrated once per process).

    `ASNDESK_KDF=floor` skips calibration and uses the policy floor (64 MiB, t=3) — for
    test suites and very slow PCs; it can never go below the floor.
    """
    if os.environ.get("ASNDESK_KDF") == "floor":
        return keys.KdfParams.floor()
    return keys.calibrate()


@dataclass(frozen=True)
class ProfileInfo:
    """What may be shown before unlock: the NIP and display name, never data."""

    nip: str
    nama: str
    folder: Path
    created_at: str

    @property
    def db_path(self) -> Path:
        return self.folder / DB_FILE


@dataclass
class UnlockedKey:
    """The profile's data key after a successful unlock; `wipe()` zeroes it (best effort)."""

    info: ProfileInfo
    dek: bytearray

    def wipe(self) -> None:
        for i in range(len(self.dek)):
            self.dek[i] = 0


def _check_nip_folder_name(nip: str) -> str:
    digits = "".join(nip.split())
    if len(digits) != 18 or not digits.isdigit():
        raise ValidationError("nip", "bad_format", N_("The NIP must have 18 digits."))
    return digits


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class ProfileManager:
    """All profiles under one data home. `kdf_policy` gives parameters for new wraps."""

    def __init__(
        self,
        home: Path | None = None,
        *,
        kdf_policy: Callable[[], keys.KdfParams] = calibrated_policy,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.root = (home or paths.data_home()) / "profiles"
        self._kdf_policy = kdf_policy
        self._clock = clock

    # -- listing -------------------------------------------------------------------------
    def list(self) -> list[ProfileInfo]:
        """Profiles on this computer, sorted by name (unreadable folders are skipped)."""
        if not self.root.is_dir():
            return []
        found = []
        for folder in sorted(self.root.iterdir()):
            try:
                found.append(self._info(folder))
            except (ProfileCorrupt, ProfileNotFound):
                continue
        return sorted(found, key=lambda p: (p.nama.casefold(), p.nip))

    def get(self, nip: str) -> ProfileInfo:
        return self._info(self.root / _check_nip_folder_name(nip))

    def _info(self, folder: Path) -> ProfileInfo:
        data = self._read_keyfile(folder)
        return ProfileInfo(data["nip"], data["nama"], folder, data["created_at"])

    def _read_keyfile(self, folder: Path) -> dict[str, Any]:
        path = folder / KEYFILE
        if not path.is_file():
            raise ProfileNotFound(nip=folder.name)
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                raise ProfileCorrupt()
            return data
        except (ValueError, UnicodeDecodeError):
            raise ProfileCorrupt() from None

    # -- create --------------------------------------------------------------------------
    def create(self, nip: str, nama: str, password: str) -> tuple[UnlockedKey, str]:
        """Make a profile folder with a fresh data key; returns it unlocked + the recovery key.

        The recovery key is returned once and never stored in the clear.
        """
        nip = _check_nip_folder_name(nip)
        nama = nama.strip()
        if not nama:
            raise ValidationError("nama", "missing", N_("The name must not be empty."))
        check_password_policy(password)
        folder = self.root / nip
        if (folder / KEYFILE).exists():
            raise ProfileExists(nip=nip)
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)
        dek = keys.new_data_key()
        recovery_key = keys.new_recovery_key()
        raw_recovery = keys.parse_recovery_key(recovery_key)
        assert raw_recovery is not None
        rec_salt = keys.new_salt()
        data: dict[str, Any] = {
            "format": FORMAT,
            "nip": nip,
            "nama": nama,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "wrap_recovery": {
                "salt": keys.b64encode(rec_salt),
                **keys.wrap(keys.recovery_wrap_key(raw_recovery, rec_salt), dek, _aad(nip, "rec")),
            },
        }
        data.update(self._password_wrap(nip, password, dek))
        _write_json_atomic(folder / KEYFILE, data)
        info = ProfileInfo(nip, nama, folder, data["created_at"])
        return UnlockedKey(info, bytearray(dek)), recovery_key

    def _password_wrap(self, nip: str, password: str, dek: bytes) -> dict[str, Any]:
        params = self._kdf_policy()
        if not params.meets_policy():
            raise ValueError("KDF policy below the security floor")
        salt = keys.new_salt()
        kek = keys.derive_password_key(password, salt, params)
        return {
            "kdf": {"alg": "argon2id", "salt": keys.b64encode(salt), **params.to_json()},
            "wrap_password": keys.wrap(kek, dek, _aad(nip, "pw")),
        }

    # -- unlock --------------------------------------------------------------------------
    def unlock(self, nip: str, password: str) -> UnlockedKey:
        """Unwrap the data key with the password; upgrades weak KDF parameters on success.

        Wrong password raises `WrongPassword`; after five failures each further attempt
        must wait 1, 2, 4 … 300 s (`UnlockDelayed`). Failures never wipe anything.
        """
        info = self.get(nip)
        self._check_throttle(info.folder)
        data = self._read_keyfile(info.folder)
        kdf = data["kdf"]
        params = keys.KdfParams.from_json(kdf)
        kek = keys.derive_password_key(password, keys.b64decode(kdf["salt"]), params)
        dek = keys.unwrap(kek, data["wrap_password"], _aad(info.nip, "pw"))
        if dek is None:
            self._record_failure(info.folder)
            raise WrongPassword()
        self._reset_throttle(info.folder)
        if not params.meets_policy():
            data.update(self._password_wrap(info.nip, password, dek))
            _write_json_atomic(info.folder / KEYFILE, data)
        return UnlockedKey(info, bytearray(dek))

    def unlock_with_recovery(self, nip: str, recovery_key: str, new_password: str) -> UnlockedKey:
        """Forgotten password: the recovery key unwraps the data key and sets a new password."""
        info = self.get(nip)
        self._check_throttle(info.folder)
        check_password_policy(new_password)
        data = self._read_keyfile(info.folder)
        raw = keys.parse_recovery_key(recovery_key)
        dek = None
        if raw is not None:
            slot = data["wrap_recovery"]
            kek = keys.recovery_wrap_key(raw, keys.b64decode(slot["salt"]))
            dek = keys.unwrap(kek, slot, _aad(info.nip, "rec"))
        if dek is None:
            self._record_failure(info.folder)
            raise WrongRecoveryKey()
        self._reset_throttle(info.folder)
        data.update(self._password_wrap(info.nip, new_password, dek))
        _write_json_atomic(info.folder / KEYFILE, data)
        return UnlockedKey(info, bytearray(dek))

    def change_password(self, nip: str, old_password: str, new_password: str) -> None:
        """Re-wrap the data key under a new password; the database file is not touched."""
        check_password_policy(new_password)
        unlocked = self.unlock(nip, old_password)
        try:
            data = self._read_keyfile(unlocked.info.folder)
            data.update(self._password_wrap(unlocked.info.nip, new_password, bytes(unlocked.dek)))
            _write_json_atomic(unlocked.info.folder / KEYFILE, data)
        finally:
            unlocked.wipe()

    # -- throttle ------------------------------------------------------------------------
    def delay_remaining(self, nip: str) -> int:
        """Seconds until the next unlock attempt is allowed (0 when allowed now)."""
        state = self._throttle(self.get(nip).folder)
        return max(0, math.ceil(float(state.get("not_before", 0)) - self._clock()))

    def _throttle(self, folder: Path) -> dict[str, Any]:
        try:
            state: dict[str, Any] = json.loads((folder / THROTTLE_FILE).read_text("utf-8"))
            return state
        except (OSError, ValueError):
            return {"failures": 0, "not_before": 0}

    def _check_throttle(self, folder: Path) -> None:
        wait = self._throttle(folder).get("not_before", 0) - self._clock()
        if wait > 0:
            raise UnlockDelayed(seconds=math.ceil(wait))

    def _record_failure(self, folder: Path) -> None:
        state = self._throttle(folder)
        failures = int(state.get("failures", 0)) + 1
        delay = 0 if failures < FREE_FAILURES else min(MAX_DELAY_S, 2 ** (failures - FREE_FAILURES))
        _write_json_atomic(
            folder / THROTTLE_FILE,
            {"failures": failures, "not_before": self._clock() + delay if delay else 0},
        )

    def _reset_throttle(self, folder: Path) -> None:
        if (folder / THROTTLE_FILE).exists():
            _write_json_atomic(folder / THROTTLE_FILE, {"failures": 0, "not_before": 0})

    # -- delete --------------------------------------------------------------------------
    def delete(self, nip: str) -> None:
        """Crypto-shred: overwrite the key wraps in place, then remove the whole folder.

        Without the wraps the data key is gone, so copies of `store.db` (backups, disk
        blocks an SSD keeps) are unreadable too.
        """
        info = self.get(nip)
        keyfile = info.folder / KEYFILE
        size = max(keyfile.stat().st_size, 4096)
        with open(keyfile, "r+b") as fh:
            fh.write(os.urandom(size))
            fh.flush()
            os.fsync(fh.fileno())
        shutil.rmtree(info.folder)


def check_password_policy(password: str) -> None:
    """Length is the policy: passphrases of plain words are welcome (NIST SP 800-63B)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(MIN_PASSWORD_LENGTH)


def _aad(nip: str, slot: str) -> bytes:
    return f"asndesk-dek-v{FORMAT}|{nip}|{slot}".encode()
