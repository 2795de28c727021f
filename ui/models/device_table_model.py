"""The devices the office server lists: the account's own, or those of the people the HR
officer manages (with whose each is); name, last sync, registration, whether revoked; this
computer is marked. Tested without widgets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asndesk.domain.formatting import format_jam, format_tanggal
from asndesk.domain.parsing import server_instant
from asndesk.i18n import _
from sync.roster_admin import DeviceInfo, ManagedDeviceInfo
from ui.models.rows_table_model import RowsTableModel


def when(text: str | None) -> str:
    """A server instant as the person reads it (local date and time), or "never"."""
    if not text:
        return _("never")
    found = server_instant(text)
    if found is None:
        return text
    local = found.astimezone()
    return f"{format_tanggal(local.date())} {format_jam(local.time(), zona=None)}"


@dataclass(frozen=True)
class DeviceRow:
    device: DeviceInfo
    this_computer: bool = False

    @property
    def id(self) -> str:
        return self.device.id

    @property
    def name(self) -> str:
        base = self.device.name or _("(no name)")
        return _("{name} (this computer)").format(name=base) if self.this_computer else base

    @property
    def person(self) -> str:
        """Whose device it is, "name (NIP …)"; empty for the caller's own list."""
        d = self.device
        if not isinstance(d, ManagedDeviceInfo):
            return ""
        if not d.person_nip:
            return d.person_nama
        return _("{name} (NIP {nip})").format(name=d.person_nama, nip=d.person_nip)

    @property
    def state(self) -> str:
        if self.device.revoked_at is None:
            return _("In use")
        return _("Revoked on {date}").format(date=when(self.device.revoked_at))


class DeviceTableModel(RowsTableModel[DeviceRow]):
    NAME, PERSON, LAST_SYNC, REGISTERED, STATE = range(5)

    def headers(self) -> tuple[str, ...]:
        return (_("Device"), _("Person"), _("Last sync"), _("Registered"), _("State"))

    def display(self, r: DeviceRow, col: int) -> str:
        if col == self.NAME:
            return r.name
        if col == self.PERSON:
            return r.person
        if col == self.LAST_SYNC:
            return when(r.device.last_seen_at)
        if col == self.REGISTERED:
            return when(r.device.created_at)
        return r.state

    def summary(self, r: DeviceRow) -> str:
        text = _("{name}: last sync {last}; registered {registered}; {state}").format(
            name=r.name, last=when(r.device.last_seen_at),
            registered=when(r.device.created_at), state=r.state)
        # Whose it is comes first when the list holds other people's devices.
        return _("{person}: {device}").format(person=r.person, device=text) if r.person \
            else text

    def sort_key(self, r: DeviceRow, col: int) -> Any:
        if col == self.LAST_SYNC:
            return r.device.last_seen_at or ""
        if col == self.REGISTERED:
            return r.device.created_at
        return self.display(r, col).casefold()
