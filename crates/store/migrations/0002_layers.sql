-- The language layers of each article (DESIGN.md §3: mentions, entities, statements, events),
-- kept so that queries need not annotate again, with the fingerprint of the resources that
-- made them: layers made by other dictionaries or another gazetteer are stale and remade.
CREATE TABLE layers (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    resources  TEXT NOT NULL,
    document   TEXT NOT NULL,
    made_at    TEXT NOT NULL
);
CREATE INDEX layers_resources ON layers(resources);

-- Events, one row each, with what queries filter and sort on; `row` is the flat event row
-- sitrep's exports write (JSON).
CREATE TABLE events (
    rowid      INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    event_id   TEXT NOT NULL,
    type       TEXT NOT NULL,
    mode       TEXT NOT NULL,
    outlet     TEXT,
    -- The event's date, else its article's publication date (as precise as known).
    date       TEXT,
    lat        REAL,
    lon        REAL,
    -- Actors' and targets' names, one per line, lower-cased, for matching.
    names      TEXT NOT NULL,
    -- 1 when the article is a near-duplicate of an earlier one: its facts would count twice.
    near_duplicate INTEGER NOT NULL DEFAULT 0,
    row        TEXT NOT NULL,
    UNIQUE (article_id, event_id)
);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_type_mode ON events(type, mode);
CREATE INDEX events_outlet ON events(outlet);

-- Placed events' points, for bounding-box queries.
CREATE VIRTUAL TABLE event_points USING rtree(id, min_lat, max_lat, min_lon, max_lon);

-- Claims (statements), one row each, with what queries filter on; `row` is the flat claim row.
CREATE TABLE claims (
    rowid        INTEGER PRIMARY KEY,
    article_id   TEXT NOT NULL REFERENCES articles(id),
    statement_id TEXT NOT NULL,
    speaker      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    outlet       TEXT,
    date         TEXT,
    -- Topic tags, one per line.
    tags         TEXT NOT NULL,
    near_duplicate INTEGER NOT NULL DEFAULT 0,
    row          TEXT NOT NULL,
    UNIQUE (article_id, statement_id)
);
CREATE INDEX claims_date ON claims(date);
CREATE INDEX claims_speaker ON claims(speaker COLLATE NOCASE);

-- Entities as articles name them, for the entity index: one row per entity per article.
CREATE TABLE entities (
    article_id TEXT NOT NULL REFERENCES articles(id),
    entity_id  TEXT NOT NULL,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    code       TEXT,
    lat        REAL,
    lon        REAL,
    -- A road's course, as JSON [[lat, lon], ...].
    line       TEXT,
    -- 0 for a place no gazetteer has, placed at the region that contains it.
    resolved   INTEGER NOT NULL DEFAULT 1,
    UNIQUE (article_id, entity_id)
);
CREATE INDEX entities_name ON entities(name COLLATE NOCASE);
CREATE INDEX entities_kind ON entities(kind);
