-- Web sources `sitrep watch` keeps current, with what their last poll gave.
CREATE TABLE sources (
    url           TEXT PRIMARY KEY,
    -- auto | feed | sitemap | page, as the sources file lists it.
    kind          TEXT NOT NULL,
    every_secs    INTEGER NOT NULL,
    -- 0 once the sources file no longer lists it (its history is kept).
    listed        INTEGER NOT NULL DEFAULT 1,
    -- The feed a listed page announced (feed autodiscovery), polled in its place.
    feed_url      TEXT,
    etag          TEXT,
    last_modified TEXT,
    last_fetch    TEXT,
    last_success  TEXT,
    -- 'ok', 'not modified', or the one-line reason the last poll failed.
    last_status   TEXT,
    -- Consecutive failed polls, and of those consecutive 404/410 answers.
    failures      INTEGER NOT NULL DEFAULT 0,
    gone          INTEGER NOT NULL DEFAULT 0,
    dead          INTEGER NOT NULL DEFAULT 0,
    next_due      TEXT,
    -- Articles stored through it (new texts), and copies of stored texts seen through it.
    articles      INTEGER NOT NULL DEFAULT 0,
    sightings     INTEGER NOT NULL DEFAULT 0
);

-- Every item or page fetched through a source, so a restart neither fetches nor stores it
-- again: `key` is a feed item's guid (else its link) or a page's URL; `stamp` what the feed
-- or sitemap said of its last change.
CREATE TABLE fetched (
    source     TEXT NOT NULL,
    key        TEXT NOT NULL,
    article_id TEXT REFERENCES articles(id),
    stamp      TEXT,
    -- 'stored', 'gone' (404/410), or the reason it could not be read.
    status     TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (source, key)
) WITHOUT ROWID;

-- An article updated in place at the same address: one article, its sighting counting the
-- revisions seen.
ALTER TABLE sightings ADD COLUMN updated_at TEXT;
ALTER TABLE sightings ADD COLUMN revisions INTEGER NOT NULL DEFAULT 0;
