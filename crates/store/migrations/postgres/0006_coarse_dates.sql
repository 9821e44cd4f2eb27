-- Events dated only by their year or month ("2023", "2023-03") in a small index of their own.
-- A query from a day on also asks for the coarser dates that day lies in, each as a branch of
-- its own; read through the (cell, date) index, each branch cost one descent per cell of the
-- box, two thirds of all the descents of a box-and-dates page (measured by `cargo bench -p
-- sitrep-server --bench api_load`). Here each is one descent, its cell tested in the index.
CREATE INDEX events_coarse_date ON events (date)
    INCLUDE (cell, min_lat, max_lat, min_lon, max_lon, article_id, rowid)
    WHERE near_duplicate = 0 AND length(date) < 10;
