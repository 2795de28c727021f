"""Server tables (SQLAlchemy Core). Changes go through Alembic revisions in `migrations/`.

Accounts, organisation, devices and the rows that make the server stateless (secret, epoch,
login throttles). Times are stored as ISO 8601 UTC text so SQLite and PostgreSQL agree.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

server_meta = Table(
    "server_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

org_unit = Table(
    "org_unit", metadata,
    Column("id", String(64), primary_key=True),
    Column("kode", String(64)),
    Column("nama", Text, nullable=False),
    Column("induk_id", String(64), ForeignKey("org_unit.id")),
    Column("capaian", Text),  # JSON {"<tahun>": CapaianOrganisasi value}, set by HR/admin
)

person = Table(
    "person", metadata,
    Column("id", String(36), primary_key=True),
    Column("nip", String(18), unique=True),          # NULL for a non-ASN evaluator
    Column("jenis_asn", String(8), nullable=False),
    Column("nama", Text, nullable=False),
    Column("gelar_depan", Text),
    Column("gelar_belakang", Text),
    Column("jabatan", Text),
    Column("jenis_jabatan", String(32)),
    Column("jenjang", String(32)),
    Column("golongan", String(8)),
    Column("unit_id", String(64), ForeignKey("org_unit.id")),
    Column("password_hash", Text),                    # NULL: cannot log in
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)

hr_assignment = Table(
    "hr_assignment", metadata,
    Column("person_id", String(36), ForeignKey("person.id"), primary_key=True),
    Column("unit_id", String(64), ForeignKey("org_unit.id"), primary_key=True),
)

supervisor_link = Table(
    "supervisor_link", metadata,
    Column("id", String(36), primary_key=True),
    Column("pegawai_id", String(36), ForeignKey("person.id"), nullable=False, index=True),
    Column("penilai_id", String(36), ForeignKey("person.id"), index=True),
    Column("atasan_penilai_id", String(36), ForeignKey("person.id")),
    Column("berlaku_mulai", String(10), nullable=False),
    Column("berlaku_sampai", String(10)),
)

device = Table(
    "device", metadata,
    Column("id", String(36), primary_key=True),       # made by the client (UUIDv7)
    Column("person_id", String(36), ForeignKey("person.id"), nullable=False, index=True),
    Column("public_key", String(64), nullable=False),  # Ed25519, base64 of 32 bytes
    Column("name", Text),
    Column("created_at", String(32), nullable=False),
    Column("last_seen_at", String(32)),
    Column("revoked_at", String(32)),
    Column("revoked_by", String(36)),
    # Device clock minus server clock at the last push or pull (revision 0005): shown to HR
    # and the person; sync never refuses because of it.
    Column("clock_offset_s", Integer),
    Column("clock_checked_at", String(32)),
    # Revision 0006: a revoked device may make one final push until this instant (None: not
    # allowed, e.g. a stolen laptop); `final_push_done_at` is set when the device closes it.
    Column("final_push_until", String(32)),
    Column("final_push_done_at", String(32)),
)

refresh_token = Table(
    "refresh_token", metadata,
    Column("token_hash", String(64), primary_key=True),  # SHA-256 hex; the token is never kept
    Column("device_id", String(36), ForeignKey("device.id"), nullable=False, index=True),
    Column("expires_at", String(32), nullable=False),
    Column("used_at", String(32)),
)

login_throttle = Table(
    "login_throttle", metadata,
    Column("key", String(128), primary_key=True),     # "acct:<nip>" or "addr:<ip>"
    Column("failures", Integer, nullable=False, default=0),
    Column("window_start", String(32), nullable=False),
    Column("blocked_until", String(32)),
)

audit_event = Table(
    "audit_event", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("actor", String(36)),
    Column("action", String(64), nullable=False),
    Column("target", String(64)),
    Column("request_id", String(36), nullable=False),
    Column("address", String(64)),
    UniqueConstraint("request_id", "action", "target", name="audit_event_once"),
)

# -- sync (revision 0002) -------------------------------------------------------------------
device_seq = Table(
    "device_seq", metadata,
    Column("device_id", String(36), ForeignKey("device.id"), primary_key=True),
    Column("last_seq", Integer, nullable=False),
)

op_result = Table(
    "op_result", metadata,
    Column("device_id", String(36), ForeignKey("device.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("op_id", String(36), nullable=False),
    Column("result", Text, nullable=False),            # the stored answer, JSON
    Column("created_at", String(32), nullable=False),
)

entity = Table(
    "entity", metadata,
    Column("kind", String(32), primary_key=True),
    Column("id", String(36), primary_key=True),
    Column("owner_id", String(36), ForeignKey("person.id"), nullable=False, index=True),
    Column("parent_id", String(36)),                   # the SKP of an RHK/IKI/lampiran
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),              # JSON object of the entity's fields
    Column("field_versions", Text, nullable=False),    # JSON {field: version last changed}
    Column("deleted", Boolean, nullable=False),
    Column("updated_at", String(32), nullable=False),
)

change_log = Table(
    "change_log", metadata,
    Column("server_seq", Integer, primary_key=True, autoincrement=False),
    Column("owner_id", String(36), nullable=False),
    Column("entity_kind", String(32), nullable=False),
    Column("entity_id", String(64), nullable=False),   # 64: org unit ids (revision 0003)
    Column("version", Integer, nullable=False),
    Index("change_log_by_owner", "owner_id", "server_seq"),
)

owner_checksum = Table(
    "owner_checksum", metadata,
    Column("owner_id", String(36), primary_key=True),
    Column("checksum", String(16), nullable=False),
)

conflict = Table(
    "conflict", metadata,
    Column("id", String(36), primary_key=True),
    Column("owner_id", String(36), nullable=False, index=True),
    Column("entity_kind", String(32), nullable=False),
    Column("entity_id", String(36), nullable=False),
    Column("field", String(64), nullable=False),
    Column("server_value", Text),
    Column("device_value", Text),
    Column("device_id", String(36), nullable=False),
    Column("op_id", String(36), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("resolved_at", String(32)),
)

# -- attachments (revision 0004) ------------------------------------------------------------
# One row per (person, content hash): an upload in progress, or — once `completed_at` is
# set — the proof that this person had the whole file (only then may they read it back).
blob_upload = Table(
    "blob_upload", metadata,
    Column("id", String(36), primary_key=True),
    Column("person_id", String(36), ForeignKey("person.id"), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("mime", String(128), nullable=False),
    Column("received", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("completed_at", String(32)),
    UniqueConstraint("person_id", "sha256", name="blob_upload_once"),
)

blob_chunk = Table(
    "blob_chunk", metadata,
    Column("upload_id", String(36), ForeignKey("blob_upload.id"), primary_key=True),
    Column("start", Integer, primary_key=True, autoincrement=False),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

# A complete, verified file; its bytes are the chunks of the upload that completed first.
blob_file = Table(
    "blob_file", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("mime", String(128), nullable=False),
    Column("upload_id", String(36), ForeignKey("blob_upload.id"), nullable=False),
    Column("created_at", String(32), nullable=False),
)

# Which entities' evidence (bukti) names a file: what download authorization follows.
blob_ref = Table(
    "blob_ref", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("entity_kind", String(32), primary_key=True),
    Column("entity_id", String(36), primary_key=True),
    Column("owner_id", String(36), nullable=False),
)

# -- reference data (revision 0003) ---------------------------------------------------------
# Periods, service types, holidays and org units as the `ref` pull partition: one row per
# item, its whole state as JSON; changes go through `change_log` under the owner id "ref".
ref_entity = Table(
    "ref_entity", metadata,
    Column("kind", String(32), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("data", Text, nullable=False),
    Column("deleted", Boolean, nullable=False),
    Column("updated_at", String(32), nullable=False),
)
