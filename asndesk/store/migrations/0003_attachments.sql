-- Evidence files travelling to and from the server (sync/attachments.py).
-- A file announced by a pull but not downloaded yet is an `attachment` row whose data is
-- still X'' (ukuran > 0) with a 'down' row here; its bytes arrive in attachment_part pieces
-- (so a broken download resumes) and move into attachment.data once the SHA-256 matches.
CREATE TABLE attachment_sync (
    sha256 TEXT PRIMARY KEY REFERENCES attachment(sha256) ON DELETE CASCADE,
    direction TEXT NOT NULL CHECK (direction IN ('up', 'down')),
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    size INTEGER NOT NULL,
    done_bytes INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX attachment_sync_todo ON attachment_sync (direction, state);

CREATE TABLE attachment_part (
    sha256 TEXT NOT NULL REFERENCES attachment_sync(sha256) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (sha256, start)
) STRICT;
