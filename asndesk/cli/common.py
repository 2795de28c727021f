"""What every CLI command shares: password input, profile choice, error output, tables."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from asndesk.errors import UserFacingError, ValidationError
from asndesk.i18n import _
from asndesk.office_file import OfficeConfigError, load_office_config
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace

EXIT_USAGE = 2


class CliError(Exception):
    """A message for stderr and exit code 2; nothing has been written."""


def read_password(prompt: str, env: str = "ASNDESK_PASSWORD") -> str:
    """The password from `env` (for scripts) or typed at a hidden prompt."""
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise CliError(_("No password: type it at a terminal or set {env}.").format(env=env))
    return getpass.getpass(prompt)


def read_new_password() -> str:
    value = os.environ.get("ASNDESK_NEW_PASSWORD")
    if value is not None:
        return value
    first = read_password(_("New password: "), env="ASNDESK_NEW_PASSWORD")
    second = getpass.getpass(_("Repeat the new password: "))
    if first != second:
        raise CliError(_("The two passwords are not the same."))
    return first


def choose_profile(manager: ProfileManager, nip: str | None) -> str:
    """`--profile`, else `$ASNDESK_PROFILE`, else the only profile on this computer."""
    nip = nip or os.environ.get("ASNDESK_PROFILE")
    if nip:
        return nip
    profiles = manager.list()
    if not profiles:
        raise CliError(_("There is no profile yet. Create one with: asndesk profile create"))
    if len(profiles) > 1:
        raise CliError(_("There are several profiles; choose one with --profile NIP."))
    return profiles[0].nip


@contextmanager
def opened(args: Any, *, reconnecting: bool = False) -> Iterator[Workspace]:
    """Unlock the chosen profile for one command and lock it again afterwards.

    Past the office's days-offline limit only the commands that reach the server again
    (`reconnecting`: login, sync, bundles) may open it.
    """
    manager = ProfileManager()
    nip = choose_profile(manager, args.profile)
    info = manager.get(nip)
    password = read_password(_("Password for {name}: ").format(name=info.nama))
    workspace = Workspace.open(info.nip, password, manager=manager)
    try:
        if not reconnecting:
            _check_days_offline(workspace)
        yield workspace
    finally:
        workspace.lock()


def _check_days_offline(ws: Workspace) -> None:
    try:
        office = load_office_config()
    except OfficeConfigError:
        office = None  # `asndesk office check` explains it; no policy applies meanwhile
    status = ws.offline_status(office.policy.max_days_offline if office else None)
    if status is not None and status.reauth_required:
        raise CliError(_("This computer has not reached the office server for {days} days "
                         "(the office allows {limit}). Your data is safe here; log in again "
                         "to go on: asndesk login").format(days=status.days_offline,
                                                          limit=status.limit_days))


# Core field names -> the command-line option a person typed them into.
OPTION_OF_FIELD = {
    "tanggal": "--tanggal", "jam_mulai": "--mulai", "jam_selesai": "--selesai",
    "kegiatan": "--kegiatan", "output_jumlah": "--output", "output_satuan": "--satuan",
    "rhk_id": "--rhk", "bukti": "--bukti", "tautan": "--tautan", "jenis": "--jenis",
    "diterima_pada": "--diterima", "selesai_pada": "--selesai", "status": "--status",
    "kepuasan": "--kepuasan", "hasil": "--hasil", "catatan": "--catatan", "kode": "--kode",
    "nama": "--nama", "standar_hari_kerja": "--standar", "tanggal_mulai": "--mulai",
    "tanggal_selesai": "--selesai", "jp": "--jp", "penyelenggara": "--penyelenggara",
    "tahun": "--tahun", "jenis_jabatan": "--jenis-jabatan", "teks": "--teks",
    "rhk_atasan": "--rhk-atasan", "perspektif": "--perspektif", "indikator": "--indikator",
    "target_nilai": "--target", "target_satuan": "--satuan", "aspek": "--aspek",
    "uraian": "--uraian", "nilai": "--nilai", "period_id": "--periode", "nip": "--nip",
    "out": "--out", "periode": "--periode", "capaian": "--capaian", "unit": "UNIT",
    "batas_skp": "--batas-skp", "batas_sinkron": "--batas-sinkron",
}


def describe_error(err: UserFacingError) -> str:
    """One line: the option (or field path, for nested SKP items) and the message."""
    if isinstance(err, ValidationError):
        where = OPTION_OF_FIELD.get(err.field, err.field)
        return _("{field}: {message}").format(field=where, message=err.message())
    return err.message()


def print_table(headers: Sequence[str], data: Sequence[Sequence[Any]]) -> None:
    """A plain aligned table (screen readers read plain text rows well)."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in r] for r in data]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(value.ljust(widths[i]) for i, value in enumerate(row)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def print_warnings(warnings: Sequence[Any]) -> None:
    for warning in warnings:
        print(_("Warning: {message}").format(message=warning.message()), file=sys.stderr)
