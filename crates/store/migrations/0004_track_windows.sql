-- Lookups bounded in time: a statement's keys carry its day (empty when undated), so that
-- finding the statements said near a new one reads only those days of each key.
CREATE TABLE track_keys_by_day (
    key   INTEGER NOT NULL,
    day   TEXT NOT NULL,
    claim INTEGER NOT NULL REFERENCES track_claims(rowid) ON DELETE CASCADE,
    PRIMARY KEY (key, day, claim)
) WITHOUT ROWID;
INSERT INTO track_keys_by_day (key, day, claim)
    SELECT k.key, coalesce(c.date, ''), k.claim FROM track_keys k JOIN track_claims c ON c.rowid = k.claim;
DROP TABLE track_keys;
ALTER TABLE track_keys_by_day RENAME TO track_keys;
CREATE INDEX track_keys_claim ON track_keys(claim);

-- Forward-looking events found by their windows: those still open on a day a new report
-- is dated (type, then due date).
CREATE INDEX track_events_type_due ON track_events(type, due);
