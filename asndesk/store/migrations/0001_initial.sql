-- asndesk local store, schema 1. Append-only: never edit a migration that has shipped;
-- add a new numbered file instead (tests pin each file's SHA-256).
-- Ids are UUIDv7 text made on the client; civil dates are YYYY-MM-DD; instants are ISO 8601
-- with their original UTC offset; decimals are stored as text to stay exact.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE org_unit (
    id TEXT PRIMARY KEY,
    kode TEXT,
    nama TEXT NOT NULL,
    induk_id TEXT REFERENCES org_unit(id),
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE person (
    id TEXT PRIMARY KEY,
    nip TEXT UNIQUE,                 -- NIP or NI PPPK, 18 digits; NULL for a non-ASN evaluator
    jenis_asn TEXT NOT NULL CHECK (jenis_asn IN ('PNS', 'PPPK', 'NON_ASN')),
    nip_lama TEXT,
    nama TEXT NOT NULL,
    gelar_depan TEXT,
    gelar_belakang TEXT,
    jabatan TEXT,
    jenis_jabatan TEXT,
    jenjang TEXT,
    golongan TEXT,
    unit_id TEXT REFERENCES org_unit(id),
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE supervisor_link (
    id TEXT PRIMARY KEY,
    pegawai_id TEXT NOT NULL REFERENCES person(id),
    penilai_id TEXT REFERENCES person(id),
    atasan_penilai_id TEXT REFERENCES person(id),
    berlaku_mulai TEXT NOT NULL,
    berlaku_sampai TEXT,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE period (
    id TEXT PRIMARY KEY,
    tahun INTEGER NOT NULL,
    jenis TEXT NOT NULL CHECK (jenis IN ('bulanan', 'triwulan', 'semester', 'tahunan')),
    nomor INTEGER NOT NULL,
    mulai TEXT NOT NULL,
    selesai TEXT NOT NULL,
    batas_pengisian TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'terbuka' CHECK (status IN ('terbuka', 'ditutup')),
    sumber TEXT NOT NULL DEFAULT 'lokal' CHECK (sumber IN ('lokal', 'server')),
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE skp (
    id TEXT PRIMARY KEY,
    pegawai_nip TEXT NOT NULL,
    tahun INTEGER NOT NULL,
    revisi INTEGER NOT NULL DEFAULT 0,
    jenis_jabatan TEXT NOT NULL,
    pendekatan TEXT NOT NULL CHECK (pendekatan IN ('kuantitatif', 'kualitatif')),
    status TEXT NOT NULL CHECK (status IN ('Draft', 'Diajukan', 'Disetujui', 'Dikembalikan')),
    jabatan TEXT,
    unit_kerja TEXT,
    pegawai_snapshot TEXT,           -- JSON: name, NIP, pangkat/gol, jabatan, unit at the time
    penilai_snapshot TEXT,
    atasan_penilai_snapshot TEXT,
    catatan_pengembalian TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX skp_by_year ON skp (pegawai_nip, tahun);

CREATE TABLE skp_status_history (
    id TEXT PRIMARY KEY,
    skp_id TEXT NOT NULL REFERENCES skp(id) ON DELETE CASCADE,
    dari TEXT,
    ke TEXT NOT NULL,
    oleh_nip TEXT,
    catatan TEXT,
    terjadi_pada TEXT NOT NULL
) STRICT;

CREATE TABLE rhk (
    id TEXT PRIMARY KEY,
    skp_id TEXT NOT NULL REFERENCES skp(id) ON DELETE CASCADE,
    jenis TEXT NOT NULL CHECK (jenis IN ('utama', 'tambahan')),
    urutan INTEGER NOT NULL DEFAULT 0,
    teks TEXT NOT NULL,
    rhk_atasan TEXT,
    perspektif TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX rhk_by_skp ON rhk (skp_id, jenis, urutan);

CREATE TABLE iki (
    id TEXT PRIMARY KEY,
    rhk_id TEXT NOT NULL REFERENCES rhk(id) ON DELETE CASCADE,
    urutan INTEGER NOT NULL DEFAULT 0,
    aspek TEXT,
    indikator TEXT NOT NULL,
    target_nilai TEXT NOT NULL,
    target_satuan TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX iki_by_rhk ON iki (rhk_id, urutan);

CREATE TABLE perilaku (
    skp_id TEXT NOT NULL REFERENCES skp(id) ON DELETE CASCADE,
    kode INTEGER NOT NULL CHECK (kode BETWEEN 1 AND 7),
    ekspektasi_khusus TEXT,
    PRIMARY KEY (skp_id, kode)
) STRICT;

CREATE TABLE lampiran (
    id TEXT PRIMARY KEY,
    skp_id TEXT NOT NULL REFERENCES skp(id) ON DELETE CASCADE,
    jenis TEXT NOT NULL
        CHECK (jenis IN ('dukungan_sumber_daya', 'skema_pertanggungjawaban', 'konsekuensi')),
    urutan INTEGER NOT NULL DEFAULT 0,
    teks TEXT NOT NULL
) STRICT;

CREATE TABLE rencana_aksi (
    id TEXT PRIMARY KEY,
    rhk_id TEXT NOT NULL REFERENCES rhk(id) ON DELETE CASCADE,
    period_id TEXT NOT NULL REFERENCES period(id),
    teks TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE realisasi (
    id TEXT PRIMARY KEY,
    iki_id TEXT NOT NULL REFERENCES iki(id) ON DELETE CASCADE,
    period_id TEXT NOT NULL REFERENCES period(id),
    nilai TEXT,
    uraian TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (iki_id, period_id)
) STRICT;

CREATE TABLE attachment (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    nama_file TEXT NOT NULL,
    mime TEXT NOT NULL,
    ukuran INTEGER NOT NULL,
    ukuran_asli INTEGER NOT NULL,
    lebar INTEGER,
    tinggi INTEGER,
    data BLOB NOT NULL,              -- encrypted with the rest of the page by SQLCipher
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE bukti (
    id TEXT PRIMARY KEY,
    pemilik_jenis TEXT NOT NULL
        CHECK (pemilik_jenis IN ('realisasi', 'log_harian', 'log_layanan', 'pelatihan')),
    pemilik_id TEXT NOT NULL,
    attachment_id TEXT REFERENCES attachment(id),
    tautan TEXT,
    keterangan TEXT,
    created_at TEXT NOT NULL,
    CHECK (attachment_id IS NOT NULL OR tautan IS NOT NULL)
) STRICT;
CREATE INDEX bukti_by_owner ON bukti (pemilik_jenis, pemilik_id);

CREATE TABLE log_harian (
    id TEXT PRIMARY KEY,
    tanggal TEXT NOT NULL,
    jam_mulai TEXT NOT NULL,
    jam_selesai TEXT NOT NULL,
    kegiatan TEXT NOT NULL,
    output_jumlah TEXT,
    output_satuan TEXT,
    rhk_id TEXT REFERENCES rhk(id) ON DELETE SET NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX log_harian_by_day ON log_harian (tanggal, jam_mulai);

-- Trigram tokens: Indonesian affixes (me-, per-an, di-) make word-prefix search miss
-- "rekam" in "merekam"/"perekaman"; trigrams match any substring of 3+ characters.
CREATE VIRTUAL TABLE log_harian_fts USING fts5 (
    kegiatan, content='log_harian', content_rowid='rowid', tokenize='trigram remove_diacritics 1'
);
CREATE TRIGGER log_harian_ai AFTER INSERT ON log_harian BEGIN
    INSERT INTO log_harian_fts (rowid, kegiatan) VALUES (new.rowid, new.kegiatan);
END;
CREATE TRIGGER log_harian_ad AFTER DELETE ON log_harian BEGIN
    INSERT INTO log_harian_fts (log_harian_fts, rowid, kegiatan)
        VALUES ('delete', old.rowid, old.kegiatan);
END;
CREATE TRIGGER log_harian_au AFTER UPDATE OF kegiatan ON log_harian BEGIN
    INSERT INTO log_harian_fts (log_harian_fts, rowid, kegiatan)
        VALUES ('delete', old.rowid, old.kegiatan);
    INSERT INTO log_harian_fts (rowid, kegiatan) VALUES (new.rowid, new.kegiatan);
END;

CREATE TABLE service_type (
    id TEXT PRIMARY KEY,
    kode TEXT NOT NULL UNIQUE,
    nama TEXT NOT NULL,
    standar_hari_kerja INTEGER NOT NULL CHECK (standar_hari_kerja >= 0),
    aktif INTEGER NOT NULL DEFAULT 1,
    sumber TEXT NOT NULL DEFAULT 'lokal' CHECK (sumber IN ('lokal', 'server')),
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE service_log (
    id TEXT PRIMARY KEY,
    service_type_id TEXT NOT NULL REFERENCES service_type(id),
    diterima_pada TEXT NOT NULL,
    diterima_tanggal TEXT NOT NULL,  -- civil date in the office's zone, for month aggregates
    selesai_pada TEXT,
    durasi_hari_kerja INTEGER,
    status TEXT NOT NULL CHECK (status IN ('diterima', 'diproses', 'selesai', 'ditolak')),
    hasil TEXT,
    kepuasan INTEGER CHECK (kepuasan BETWEEN 1 AND 4),
    pengaduan INTEGER NOT NULL DEFAULT 0 CHECK (pengaduan IN (0, 1)),
    pengaduan_selesai INTEGER NOT NULL DEFAULT 0 CHECK (pengaduan_selesai IN (0, 1)),
    catatan TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX service_log_by_day ON service_log (diterima_tanggal);
CREATE INDEX service_log_by_type_day ON service_log (service_type_id, diterima_tanggal);

CREATE TABLE umpan_balik (
    id TEXT PRIMARY KEY,
    skp_id TEXT NOT NULL REFERENCES skp(id) ON DELETE CASCADE,
    sasaran_jenis TEXT NOT NULL CHECK (sasaran_jenis IN ('rhk', 'realisasi', 'perilaku', 'umum')),
    sasaran_id TEXT,
    period_id TEXT REFERENCES period(id),
    pemberi_nip TEXT,
    teks TEXT NOT NULL,
    dibuat_pada TEXT NOT NULL
) STRICT;

CREATE TABLE penilaian (
    id TEXT PRIMARY KEY,
    skp_id TEXT NOT NULL REFERENCES skp(id) ON DELETE CASCADE,
    period_id TEXT NOT NULL REFERENCES period(id),
    rating_hasil_kerja TEXT NOT NULL,
    rating_perilaku TEXT NOT NULL,
    predikat TEXT NOT NULL,
    capaian_organisasi TEXT,
    penilai_nip TEXT,
    snapshot TEXT,                   -- JSON identity snapshot of both parties for the period
    dinilai_pada TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (skp_id, period_id)
) STRICT;

CREATE TABLE pelatihan (
    id TEXT PRIMARY KEY,
    nama TEXT NOT NULL,
    penyelenggara TEXT,
    tanggal_mulai TEXT NOT NULL,
    tanggal_selesai TEXT NOT NULL,
    jp TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE skm_response (
    id TEXT PRIMARY KEY,
    unit_layanan TEXT NOT NULL,
    service_type_id TEXT REFERENCES service_type(id),
    tanggal TEXT NOT NULL,
    u1 INTEGER CHECK (u1 BETWEEN 1 AND 4),
    u2 INTEGER CHECK (u2 BETWEEN 1 AND 4),
    u3 INTEGER CHECK (u3 BETWEEN 1 AND 4),
    u4 INTEGER CHECK (u4 BETWEEN 1 AND 4),
    u5 INTEGER CHECK (u5 BETWEEN 1 AND 4),
    u6 INTEGER CHECK (u6 BETWEEN 1 AND 4),
    u7 INTEGER CHECK (u7 BETWEEN 1 AND 4),
    u8 INTEGER CHECK (u8 BETWEEN 1 AND 4),
    u9 INTEGER CHECK (u9 BETWEEN 1 AND 4),
    saran TEXT,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE holiday (
    tanggal TEXT PRIMARY KEY,
    tahun INTEGER NOT NULL,
    nama TEXT NOT NULL,
    jenis TEXT NOT NULL CHECK (jenis IN ('libur_nasional', 'cuti_bersama')),
    sumber TEXT NOT NULL DEFAULT 'bawaan'
) STRICT;

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    terjadi_pada TEXT NOT NULL,
    pelaku TEXT NOT NULL,
    aksi TEXT NOT NULL,
    entitas_jenis TEXT,
    entitas_id TEXT,
    request_id TEXT NOT NULL,
    perangkat TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;

CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,   -- the per-device, contiguous op sequence
    op_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    entity_kind TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    base_version INTEGER,
    payload TEXT NOT NULL,
    hlc TEXT NOT NULL,
    device_time TEXT NOT NULL,
    utc_offset_min INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sent', 'acked', 'rejected', 'conflict')),
    created_at TEXT NOT NULL,
    sent_at TEXT,
    result TEXT
) STRICT;
CREATE INDEX outbox_by_state ON outbox (state, seq);
CREATE INDEX outbox_by_entity ON outbox (entity_kind, entity_id);
