//! The web adapter: sitrep's one door to HTTP(S).
//!
//! [`Fetcher`] fetches a URL the way a well-behaved crawler does: conditional requests
//! ([`Validators`]: ETag, Last-Modified), robots.txt obeyed ([`robots`]), one request at a time
//! per host with a delay between them ([`hosts`]), retries with backoff on 429 (honouring
//! Retry-After), 5xx, time-outs and dropped connections, redirects followed up to a limit
//! (each address on the way asked of its own site's robots.txt), and
//! bodies capped in size after decompression, so a gzip bomb or a 2 GB page costs no more than
//! the cap. Every failure is a [`FetchError`] whose message is one line naming the reason.
//!
//! The pure parts — the sources file ([`sources`]) and sitemaps ([`sitemap`]) — read bytes
//! and know no network.

pub mod address;
mod client;
pub mod hosts;
pub mod robots;
pub mod sitemap;
pub mod sources;
mod xml;

pub use client::{FetchError, Fetched, Fetcher, Page, Politeness, Validators};
