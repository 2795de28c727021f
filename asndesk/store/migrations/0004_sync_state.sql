-- What the server has sent per pull partition: each entity's server version. It is the
-- client's side of the per-partition checksum, so a lost or skipped change is detected.
CREATE TABLE sync_ledger (
    partition TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (partition, kind, id)
) STRICT, WITHOUT ROWID;

-- The ledger's running checksum per partition (hex sum modulo 2**64), kept in step with it.
CREATE TABLE sync_ledger_sum (
    partition TEXT PRIMARY KEY,
    total TEXT NOT NULL
) STRICT;

-- A conflict the owner settled: when, and how ('mine', 'theirs' or 'merged').
ALTER TABLE outbox ADD COLUMN resolved_at TEXT;
ALTER TABLE outbox ADD COLUMN resolution TEXT
    CHECK (resolution IS NULL OR resolution IN ('mine', 'theirs', 'merged'));
