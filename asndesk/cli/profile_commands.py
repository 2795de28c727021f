"""`asndesk profile …` and the first-run welcome flow."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from asndesk.cli.common import (
    CliError,
    choose_profile,
    print_table,
    read_new_password,
    read_password,
)
from asndesk.i18n import _
from asndesk.store.profiles import ProfileManager
from asndesk.workspace import Workspace


def register(sub: Any) -> None:
    profile = sub.add_parser("profile", help=_("create, list, check, re-key or delete profiles"))
    psub = profile.add_subparsers(dest="action", required=True)
    create = psub.add_parser("create", help=_("create an encrypted profile for one person"))
    create.add_argument("--nip", help=_("NIP (PNS) or NI PPPK, 18 digits"))
    create.add_argument("--nama", help=_("name without academic titles"))
    create.add_argument("--pppk", action="store_true", help=_("the number is an NI PPPK"))
    create.add_argument("--gelar-depan")
    create.add_argument("--gelar-belakang")
    create.add_argument("--jabatan")
    create.add_argument("--golongan")
    create.set_defaults(func=cmd_create)
    psub.add_parser("list", help=_("profiles on this computer")).set_defaults(func=cmd_list)
    psub.add_parser("unlock-test", help=_("check that the password opens the profile")
                    ).set_defaults(func=cmd_unlock_test)
    psub.add_parser("passwd", help=_("change the password (the data is not re-encrypted)")
                    ).set_defaults(func=cmd_passwd)
    recover = psub.add_parser("recover", help=_("set a new password with the recovery key"))
    recover.set_defaults(func=cmd_recover)
    delete = psub.add_parser("delete", help=_("destroy a profile and its data for good"))
    delete.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    delete.set_defaults(func=cmd_delete)


def _ask(label: str, given: str | None) -> str:
    if given:
        return given
    if not sys.stdin.isatty():
        raise CliError(_("{label} is required.").format(label=label))
    return input(f"{label}: ").strip()


def cmd_create(args: argparse.Namespace) -> int:
    nip = _ask(_("NIP"), args.nip)
    nama = _ask(_("Name"), args.nama)
    password = read_new_password()
    workspace, recovery_key = Workspace.create_profile(
        nip, nama, password,
        jenis_pegawai="PPPK" if args.pppk else "PNS",
        gelar_depan=args.gelar_depan, gelar_belakang=args.gelar_belakang,
        jabatan=args.jabatan, golongan=args.golongan,
    )
    workspace.lock()
    print(_("Profile created for {name} ({nip}).").format(name=nama, nip=workspace.owner_nip))
    print()
    print(_("RECOVERY KEY (shown only now; write it down and keep it somewhere safe):"))
    print(f"    {recovery_key}")
    print(_("With it you can set a new password if you forget yours. Nobody else can."))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    profiles = ProfileManager().list()
    if not profiles:
        print(_("There is no profile on this computer yet."))
        return 0
    print_table([_("NIP"), _("Name")], [(p.nip, p.nama) for p in profiles])
    return 0


def cmd_unlock_test(args: argparse.Namespace) -> int:
    manager = ProfileManager()
    info = manager.get(choose_profile(manager, args.profile))
    password = read_password(_("Password for {name}: ").format(name=info.nama))
    workspace = Workspace.open(info.nip, password, manager=manager)
    pending = workspace.pending_count()
    workspace.lock()
    print(_("The password opens the profile of {name}. Changes waiting to be synced: {count}.")
          .format(name=info.nama, count=pending))
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    manager = ProfileManager()
    info = manager.get(choose_profile(manager, args.profile))
    old = read_password(_("Current password: "))
    new = read_new_password()
    manager.change_password(info.nip, old, new)
    print(_("Password changed."))
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    manager = ProfileManager()
    info = manager.get(choose_profile(manager, args.profile))
    recovery = read_password(_("Recovery key: "), env="ASNDESK_RECOVERY_KEY")
    new = read_new_password()
    manager.unlock_with_recovery(info.nip, recovery, new).wipe()
    print(_("A new password is set for {name}.").format(name=info.nama))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    manager = ProfileManager()
    info = manager.get(choose_profile(manager, args.profile))
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError(_("Refusing to delete without --yes when not at a terminal."))
        typed = input(_("This destroys every record of {name} on this computer. "
                        "Type the NIP to confirm: ").format(name=info.nama)).strip()
        if "".join(typed.split()) != info.nip:
            print(_("Not deleted."))
            return 1
    manager.delete(info.nip)
    print(_("The profile of {name} is destroyed.").format(name=info.nama))
    return 0


def cmd_welcome(args: argparse.Namespace) -> int:
    """First run: explain, create a profile if there is none, and show what to try next."""
    print(_("asndesk — SKP, log harian and layanan, offline first."))
    print(_("The desktop app is not built yet; everything below works from the command line."))
    profiles = ProfileManager().list()
    if not profiles:
        if not sys.stdin.isatty():
            print(_("No profile yet. Create one with: asndesk profile create"))
            return 0
        print(_("Let us create your encrypted profile."))
        cmd_create(argparse.Namespace(nip=None, nama=None, pppk=False, gelar_depan=None,
                                      gelar_belakang=None, jabatan=None, golongan=None))
    else:
        print_table([_("NIP"), _("Name")], [(p.nip, p.nama) for p in profiles])
    print()
    print(_("Try next:"))
    for line in (
        'asndesk log add --tanggal 2026-11-23 --mulai 08:00 --selesai 10:00 --kegiatan "…"',
        "asndesk log list",
        'asndesk service type-add --kode KTP --nama "Perekaman KTP-el" --standar 3',
        'asndesk service add --jenis KTP --diterima "2026-11-20 09:00"',
        "asndesk export --format json --out data-saya.json",
        "asndesk --help",
    ):
        print(f"    {line}")
    print(_("(From a source checkout, type ./dev.sh run in place of asndesk.)"))
    return 0
