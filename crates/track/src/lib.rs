//! Claims over time: the track stage of DESIGN.md §2, with no I/O.
//!
//! Each article is an island until this stage links it to the rest: statements in different
//! articles that make the same claim form a [thread](threads) with its origin, repeats, relays,
//! denials and confirmations; every planned, threatened or predicted event is [settled](settle)
//! against what later articles report (pending, fulfilled, unfulfilled, contradicted); every
//! alleged event is weighed by who else reports it (corroborated, single-source, disputed);
//! and each speaker gets a [record](records) of all of it.
//!
//! Everything here is a pure function of [facts](facts) drawn from annotated documents, so
//! the store can keep the facts, fetch only the candidates a new batch could touch, and get
//! the same answer as recomputing everything. What counts as the same claim and how long a
//! prediction has to come true are [settings](rules) in `data/track.toml`.

pub mod facts;
pub mod records;
pub mod rules;
pub mod settle;
pub mod threads;

pub use facts::{ClaimFacts, EventFacts};
pub use records::{claimants, ClaimLine, Claimant, EventLine};
pub use rules::{Rules, RulesError};
pub use settle::{corroborate, settle, Corroboration, Denial, Evidence, Verdict};
pub use threads::{group, keys, link, linked, Keys, Member, Reach, Thread};
