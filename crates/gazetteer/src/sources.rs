//! Readers for the gazetteer's sources. Pure functions from file contents to places.
