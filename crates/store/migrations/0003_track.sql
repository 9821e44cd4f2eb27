-- Claims over time (sitrep-track). Which articles' facts are tracked, and with which
-- resources: facts made by other dictionaries or other track settings are tracked again.
CREATE TABLE track_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    resources  TEXT NOT NULL
);

-- Tracked statements, each with its thread and how it stands there; `facts` is what
-- comparing it with others needs (JSON).
CREATE TABLE track_claims (
    rowid        INTEGER PRIMARY KEY,
    article_id   TEXT NOT NULL REFERENCES articles(id),
    statement_id TEXT NOT NULL,
    thread       TEXT NOT NULL,
    relation     TEXT NOT NULL,
    rule         TEXT NOT NULL,
    speaker      TEXT,
    kind         TEXT NOT NULL,
    date         TEXT,
    facts        TEXT NOT NULL,
    UNIQUE (article_id, statement_id)
);
CREATE INDEX track_claims_thread ON track_claims(thread);
CREATE INDEX track_claims_speaker ON track_claims(speaker COLLATE NOCASE);

-- Lookup keys: statements that may be the same claim share one.
CREATE TABLE track_keys (
    key   INTEGER NOT NULL,
    claim INTEGER NOT NULL REFERENCES track_claims(rowid) ON DELETE CASCADE,
    PRIMARY KEY (key, claim)
) WITHOUT ROWID;
CREATE INDEX track_keys_claim ON track_keys(claim);

-- Tracked events: a forward-looking one's status, an alleged one's corroboration, with the
-- verdict (JSON: evidence and rule); `facts` is what settling needs (JSON).
CREATE TABLE track_events (
    rowid         INTEGER PRIMARY KEY,
    article_id    TEXT NOT NULL REFERENCES articles(id),
    event_id      TEXT NOT NULL,
    type          TEXT NOT NULL,
    mode          TEXT NOT NULL,
    date          TEXT,
    due           TEXT,
    speaker       TEXT,
    status        TEXT,
    corroboration TEXT,
    verdict       TEXT,
    facts         TEXT NOT NULL,
    UNIQUE (article_id, event_id)
);
CREATE INDEX track_events_type_date ON track_events(type, date);
CREATE INDEX track_events_status_due ON track_events(status, due);
