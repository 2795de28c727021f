"""Conflicts as tables: one row per conflict, and one row per field side by side.

Fed by the core's `Conflict` / `FieldConflict` dataclasses (asndesk/conflict_usecases.py);
every value is shown in plain words, column 0 summarises the row for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from asndesk.conflict_usecases import Conflict, FieldConflict
from asndesk.i18n import _, ngettext
from ui.models.outbox_table_model import _RowsModel
from ui.sync_messages import entity_words, field_words, value_words, when_words


@dataclass(frozen=True)
class ConflictRow:
    seq: int
    record: str
    fields: str
    when: str
    conflict: Conflict

    def summary(self) -> str:
        return _("{record}: changed on another device too ({fields})").format(
            record=self.record, fields=self.fields)


@dataclass(frozen=True)
class FieldRow:
    field: str          # core field name (the key a merge uses)
    label: str
    mine: str
    theirs: str

    def summary(self) -> str:
        return _("{field}: mine {mine}; theirs {theirs}").format(
            field=self.label, mine=self.mine, theirs=self.theirs)


def conflict_rows(conflicts: list[Conflict]) -> list[ConflictRow]:
    rows = []
    for c in conflicts:
        names = ", ".join(field_words(f.field) for f in c.fields)
        count = ngettext("{n} field", "{n} fields", len(c.fields)).format(n=len(c.fields))
        rows.append(ConflictRow(c.seq, entity_words(c.entity_kind).capitalize(),
                                f"{count}: {names}" if names else count,
                                when_words(c.created_at), c))
    return rows


def field_rows(fields: tuple[FieldConflict, ...] | list[FieldConflict]) -> list[FieldRow]:
    return [FieldRow(f.field, field_words(f.field), value_words(f.mine), value_words(f.theirs))
            for f in fields]


class ConflictTableModel(_RowsModel):
    """Unsettled conflicts: which record, which fields, when."""

    columns = (("record", "Record"), ("fields", "Fields in conflict"), ("when", "Changed here"))


class ConflictFieldsModel(_RowsModel):
    """One conflict, side by side: field, my value, their value."""

    columns = (("label", "Field"), ("mine", "My value (this computer)"),
               ("theirs", "Their value (other device, on the server)"))
