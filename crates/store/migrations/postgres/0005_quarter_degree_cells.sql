-- Cells a quarter of a degree wide, not one: a query box reads the index for the cells it
-- touches, so a box of one degree square read up to four square degrees of events and now
-- reads about one and a half (measured by `cargo bench -p sitrep-server --bench api_load`).
-- The index holds only what a page of events may show (near-duplicates are never shown), and
-- the flag is no longer carried in it.
DROP INDEX events_cell_date;
UPDATE events SET
    cell = (floor((min_lat + max_lat) / 2 * 4)::int + 360) * 1440
         + floor((min_lon + max_lon) / 2 * 4)::int + 720
WHERE bounds IS NOT NULL;
CREATE INDEX events_cell_date ON events (cell, date)
    INCLUDE (min_lat, max_lat, min_lon, max_lon, article_id, rowid)
    WHERE near_duplicate = 0;
