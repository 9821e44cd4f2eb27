-- Work queued for `sitrep worker` (and the server's own worker): a batch of articles to
-- store and annotate, say. A worker takes a job for a lease; a job whose worker died is taken
-- again when its lease runs out; one that failed `attempts` times is parked with its error.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    -- What to do, as JSON (its form is the kind's).
    payload     TEXT NOT NULL,
    -- queued | running | done | parked
    state       TEXT NOT NULL DEFAULT 'queued',
    attempts    INTEGER NOT NULL DEFAULT 0,
    worker      TEXT,
    lease_until TEXT,
    error       TEXT,
    -- What the job did, as JSON.
    result      TEXT,
    created_at  TEXT NOT NULL,
    started_at  TEXT,
    finished_at TEXT
);
CREATE INDEX jobs_waiting ON jobs(state, id);
