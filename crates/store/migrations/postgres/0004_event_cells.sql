-- Box and date queries through a B-tree: each placed event keeps its box's edges as numbers
-- and the one-degree cell its box's middle lies in. A query box of a few hundred cells reads
-- the index for those cells within its dates and tests the edges kept in the index, never
-- the table (an index-only scan); larger boxes use the GiST index on `bounds`.
ALTER TABLE events
    ADD COLUMN min_lat DOUBLE PRECISION,
    ADD COLUMN max_lat DOUBLE PRECISION,
    ADD COLUMN min_lon DOUBLE PRECISION,
    ADD COLUMN max_lon DOUBLE PRECISION,
    ADD COLUMN cell INTEGER;
UPDATE events SET
    min_lat = (bounds[1])[1], max_lat = (bounds[0])[1],
    min_lon = (bounds[1])[0], max_lon = (bounds[0])[0],
    cell = (floor(((bounds[0])[1] + (bounds[1])[1]) / 2)::int + 90) * 360
         + floor(((bounds[0])[0] + (bounds[1])[0]) / 2)::int + 180
WHERE bounds IS NOT NULL;
CREATE INDEX events_cell_date ON events (cell, date)
    INCLUDE (min_lat, max_lat, min_lon, max_lon, near_duplicate, article_id, rowid);
