-- asndesk local store, schema 2: what a supervisor or HR officer reads about other people.
-- Kept apart from the owner's own tables, so a subordinate's log harian never shows up as
-- the owner's own; each row belongs to the partition it came from (team:<NIP>, unit:<id>)
-- and is dropped with it when that right ends.

CREATE TABLE replica_entity (
    partition TEXT NOT NULL,          -- 'team:<NIP>' or 'unit:<id>'
    kind TEXT NOT NULL,               -- the server's entity kind (skp, rhk, realisasi, …)
    id TEXT NOT NULL,
    owner_nip TEXT NOT NULL,          -- whose record it is
    version INTEGER NOT NULL,         -- the server's version (a decision names the SKP's)
    data TEXT NOT NULL,               -- JSON object of the entity's fields, as the server has it
    changed_at TEXT,                  -- when the server last changed it (NULL: not sent)
    received_at TEXT NOT NULL,
    PRIMARY KEY (partition, kind, id)
) STRICT;
CREATE INDEX replica_by_owner ON replica_entity (owner_nip, kind);
CREATE INDEX replica_by_kind ON replica_entity (partition, kind);

-- People named by the server's /me answer: current subordinates and HR units' members.
CREATE TABLE replica_person (
    scope TEXT NOT NULL,              -- 'team' or 'unit:<id>'
    nip TEXT NOT NULL,
    nama TEXT NOT NULL,
    jabatan TEXT,
    unit_id TEXT,
    info TEXT NOT NULL DEFAULT '{}',  -- JSON: the supervisor link, last contact, …
    PRIMARY KEY (scope, nip)
) STRICT;
