-- Articles, stored once per distinct normalised text.
CREATE TABLE articles (
    rowid               INTEGER PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    source_id           TEXT,
    url                 TEXT,
    title               TEXT,
    outlet              TEXT,
    byline              TEXT,
    published           TEXT,
    published_precision TEXT,
    published_basis     TEXT,
    -- First calendar day of `published`, for sorting and date ranges.
    published_day       TEXT,
    language            TEXT,
    image               TEXT,
    text                TEXT NOT NULL,
    warnings            TEXT NOT NULL DEFAULT '[]',
    -- Near-duplicate link to an article stored earlier, with estimated similarity.
    duplicate_of        TEXT REFERENCES articles(id),
    similarity          REAL,
    minhash             BLOB NOT NULL,
    ingested_at         TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published_day);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_source_id ON articles(source_id);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);

-- Every place an article was seen: wire copy republished by three outlets is one article
-- with three sightings.
CREATE TABLE sightings (
    article_id TEXT NOT NULL REFERENCES articles(id),
    origin     TEXT NOT NULL,
    outlet     TEXT,
    title      TEXT,
    url        TEXT,
    seen_at    TEXT NOT NULL,
    UNIQUE (article_id, origin)
);

-- MinHash LSH bands: articles sharing a (band, key) are near-duplicate candidates.
CREATE TABLE minhash_bands (
    band        INTEGER NOT NULL,
    key         INTEGER NOT NULL,
    article_row INTEGER NOT NULL REFERENCES articles(rowid),
    PRIMARY KEY (band, key, article_row)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text,
    content = 'articles', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
