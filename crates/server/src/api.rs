//! The routes and their handlers. Lists answer `{items, total, limit, offset}` in a stable
//! order; documents answer the §3 JSON; errors answer `{error: {status, message}}`.

use crate::params::Params;
use crate::{ApiError, AppState};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use sitrep_store::{ClaimQuery, EntityQuery, EventQuery, Incoming, JobStatus, ListFilter, Page};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The API's own description, kept beside the code and checked against the running server by
/// the contract test.
const OPENAPI: &str = include_str!("../openapi.json");

type Shared = State<Arc<AppState>>;
type QueryParams = Result<Query<HashMap<String, String>>, QueryRejection>;

pub(crate) fn routes(state: Arc<AppState>) -> Router {
    let max_body = state.config.max_body_bytes;
    Router::new()
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi))
        .route("/api/articles", get(list_articles).post(post_articles))
        .route("/api/articles/{id}", get(get_article))
        .route("/api/events", get(events))
        .route("/api/claims", get(claims))
        .route("/api/entities", get(entities))
        .route("/api/threads", get(threads))
        .route("/api/predictions", get(predictions))
        .route("/api/claimants", get(claimants))
        .route("/api/sources", get(sources))
        .route("/api/search", get(search))
        .route("/api/jobs", get(jobs))
        .route("/api/jobs/{id}", get(job))
        .route("/", get(index))
        .route("/assets/{*file}", get(asset))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

mod web {
    include!(concat!(env!("OUT_DIR"), "/assets.rs"));
}

/// The web UI's page.
async fn index() -> Response {
    asset(Path("index.html".to_string())).await
}

/// One of the web UI's files, embedded at build time.
async fn asset(Path(file): Path<String>) -> Response {
    let Some((_, bytes)) = web::ASSETS.iter().find(|(name, _)| *name == file) else {
        return ApiError::not_found(format!("no asset {file:?}")).into_response();
    };
    let kind = match file.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        _ => "application/json",
    };
    ([(header::CONTENT_TYPE, kind)], *bytes).into_response()
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint: see /api/openapi.json")
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// The request's parameters, or a 400 saying why they cannot be read.
fn params(query: QueryParams) -> Result<Params, ApiError> {
    query
        .map(|Query(map)| Params(map))
        .map_err(|e| ApiError::bad_request(format!("query string: {}", e.body_text())))
}

/// Whether the request may read or write; reads are open on loopback unless configured.
fn authorize(state: &AppState, headers: &HeaderMap, write: bool) -> Result<(), ApiError> {
    if !write && !state.config.reads_need_token() {
        return Ok(());
    }
    let Some(token) = state.config.token.as_deref() else {
        let why = if write {
            "this server takes no writes: start it with --token (or SITREP_TOKEN) to allow them"
        } else {
            "this server listens beyond loopback without a token: start it with --token, or --open-reads"
        };
        return Err(ApiError::new(StatusCode::FORBIDDEN, why));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Compare every byte, so the time taken does not tell how much of a guess was right.
    let same = given.len() == token.len()
        && given
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "missing or wrong token: send Authorization: Bearer <token>",
        ))
    }
}

/// A list's answer, written straight from its items: a page of events built as a JSON tree
/// first spent more time building and dropping it than writing it.
#[derive(serde::Serialize)]
struct PageReply<T> {
    items: Vec<T>,
    limit: usize,
    offset: usize,
    total: usize,
}

fn page_json<T: serde::Serialize>(page: Page<T>, limit: usize, offset: usize) -> Response {
    Json(PageReply {
        items: page.items,
        limit,
        offset,
        total: page.total,
    })
    .into_response()
}

async fn list_articles(
    State(state): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, false)?;
    let p = params(query)?;
    let (limit, offset) = p.page()?;
    let filter = ListFilter {
        outlet: p.text("outlet"),
        hide_duplicates: p.flag("unique")?,
        limit,
        offset,
    };
    let page = state
        .read(move |store| {
            Ok(Page {
                items: store.list(&filter)?,
                total: store.count(&filter)?,
            })
        })
        .await?;
    Ok(page_json(page, limit, offset))
}

async fn get_article(
    State(state): Shared,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<sitrep_core::Document>, ApiError> {
    authorize(&state, &headers, false)?;
    let Path(id) = id.map_err(|e| ApiError::bad_request(e.body_text()))?;
    let key = id.clone();
    state
        .read(move |store| Ok(sitrep_ledger::document(store, &key)?))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no article {id:?}")))
}

/// A paged read: checks access, reads the parameters, builds the query from them (with the
/// page's limit and offset), runs it on a pooled connection, and answers the page.
async fn paged<Q, T>(
    state: Arc<AppState>,
    headers: HeaderMap,
    query: QueryParams,
    build: impl FnOnce(&Params, usize, usize) -> Result<Q, ApiError>,
    run: impl FnOnce(&sitrep_store::Store, &Q) -> Result<Page<T>, sitrep_store::StoreError>
        + Send
        + 'static,
) -> Result<Response, ApiError>
where
    Q: Send + 'static,
    T: serde::Serialize + Send + 'static,
{
    authorize(&state, &headers, false)?;
    let p = params(query)?;
    let (limit, offset) = p.page()?;
    let q = build(&p, limit, offset)?;
    let page = state.read(move |store| Ok(run(store, &q)?)).await?;
    Ok(page_json(page, limit, offset))
}

/// Like `paged`, for queries that answer every row: the page is cut here.
async fn paged_whole<Q, T>(
    state: Arc<AppState>,
    headers: HeaderMap,
    query: QueryParams,
    build: impl FnOnce(&Params) -> Result<Q, ApiError>,
    run: fn(&sitrep_store::Store, &Q) -> Result<Vec<T>, sitrep_store::StoreError>,
) -> Result<Response, ApiError>
where
    Q: Send + 'static,
    T: serde::Serialize + Send + 'static,
{
    let build = move |p: &Params, limit, offset| Ok((build(p)?, limit, offset));
    paged(
        state,
        headers,
        query,
        build,
        move |store, (q, limit, offset)| {
            let all = run(store, q)?;
            let total = all.len();
            let items = all.into_iter().skip(*offset).take(*limit).collect();
            Ok(Page { items, total })
        },
    )
    .await
}

async fn events(
    State(state): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let build = |p: &Params, limit, offset| {
        let q = EventQuery {
            actor: p.text("actor"),
            event_type: p.text("type"),
            mode: p.text("mode"),
            outlet: p.text("outlet"),
            since: p.date("since")?,
            until: p.date("until")?,
            bbox: p.bbox()?,
            article: p.text("article"),
            limit,
            offset,
        };
        Ok((q, p.near()?))
    };
    paged(state, headers, query, build, |store, (q, near)| {
        sitrep_ledger::events(store, q, *near)
    })
    .await
}

async fn claims(
    State(state): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let build = |p: &Params, limit, offset| {
        Ok(ClaimQuery {
            by: p.text("by"),
            kind: p.text("kind"),
            tag: p.text("tag"),
            outlet: p.text("outlet"),
            since: p.date("since")?,
            until: p.date("until")?,
            article: p.text("article"),
            limit,
            offset,
        })
    };
    paged(state, headers, query, build, sitrep_ledger::claims).await
}

/// Claim threads with at least `min_claims` statements (default 2), optionally one thread or
/// those a speaker takes part in; oldest first.
async fn threads(
    State(state): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let build = |p: &Params| {
        Ok(sitrep_ledger::ThreadQuery {
            thread: p.text("thread"),
            speaker: p.text("by"),
            min_claims: p.number("min_claims", 2, 1..=100_000)?,
        })
    };
    paged_whole(state, headers, query, build, sitrep_ledger::threads).await
}

/// Forward-looking events with their status, optionally one status or what one thread
/// claimed; oldest first.
async fn predictions(
    State(state): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let build = |p: &Params| {
        Ok(sitrep_ledger::PredictionQuery {
            status: p.one_of("status", &sitrep_track::settle::STATUSES)?,
            thread: p.text("thread"),
        })
    };
    paged_whole(state, headers, query, build, sitrep_ledger::predictions).await
}

/// Claimants' records, most claims first, optionally whose name holds `by`.
async fn claimants(
    State(state): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let build = |p: &Params| Ok(p.text("by"));
    paged_whole(state, headers, query, build, |store, by| {
        sitrep_ledger::claimants(store, by.as_deref())
    })
    .await
}

async fn sources(
    State(state): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let build = |_: &Params| Ok(());
    paged_whole(state, headers, query, build, |store, ()| store.sources()).await
}

async fn entities(
    State(state): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let build = |p: &Params, limit, offset| {
        Ok(EntityQuery {
            name: p.text("name"),
            kind: p.text("kind"),
            limit,
            offset,
        })
    };
    paged(state, headers, query, build, sitrep_ledger::entities).await
}

async fn search(
    State(state): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    authorize(&state, &headers, false)?;
    let p = params(query)?;
    let (limit, _) = p.page()?;
    // Only an absent or empty q is an error; blanks alone are a query with no words.
    let q =
        p.0.get("q")
            .filter(|q| !q.is_empty())
            .cloned()
            .ok_or_else(|| ApiError::bad_request("q: the words to search for are missing"))?;
    // A query with no words finds nothing, rather than failing.
    let has_words = q.chars().any(char::is_alphanumeric);
    let hits = state
        .read(move |store| {
            if !has_words {
                return Ok(Vec::new());
            }
            Ok(store.search(&q, limit, ("<mark>", "</mark>"))?)
        })
        .await?;
    let total = hits.len();
    Ok(Json(
        json!({ "items": hits, "total": total, "limit": limit, "offset": 0 }),
    ))
}

/// Queues a body of text, HTML, a feed or JSON lines (sniffed as `sitrep ingest` does) for a
/// worker to store and annotate, answering at once with the job; with `wait=true`, answers
/// when the job is done, with what it did.
async fn post_articles(
    State(state): Shared,
    headers: HeaderMap,
    query: QueryParams,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    authorize(&state, &headers, true)?;
    let p = params(query)?;
    let wait = p.flag("wait")?;
    let body = body.map_err(|e| ApiError::new(e.status(), e.body_text()))?;
    if body.is_empty() {
        return Err(ApiError::bad_request(
            "the body is empty: send the article's text, HTML, feed or JSON lines",
        ));
    }
    let origin = p.text("origin").unwrap_or_else(|| "api".to_string());
    let limits = sitrep_ingest::Limits {
        max_document_bytes: state.config.max_body_bytes as u64,
    };
    let (batch, failed) = read_articles(&origin, &body, &limits)?;
    let (job, status) = state
        .read(move |store| {
            let job = sitrep_ledger::jobs::enqueue_ingest(store, &batch)?;
            Ok((job, store.job(job)?))
        })
        .await?;
    state.job_queued();
    if wait {
        let done = state.read(move |store| wait_for(store, job)).await?;
        if let Some(done) = done.filter(|j| j.state == "done") {
            let result = done.result.clone().unwrap_or_default();
            let body = json!({
                "results": result["results"],
                "failed": failed,
                "annotated": result["annotated"],
                "job": done,
            });
            return Ok((StatusCode::CREATED, Json(body)).into_response());
        }
    }
    let body = json!({ "job": status, "failed": failed, "status": format!("/api/jobs/{job}") });
    Ok((StatusCode::ACCEPTED, Json(body)).into_response())
}

/// The articles a body holds, and what could not be read of it; a 422 when nothing could.
fn read_articles(
    origin: &str,
    body: &[u8],
    limits: &sitrep_ingest::Limits,
) -> Result<(Vec<Incoming>, Vec<Value>), ApiError> {
    let mut failed = Vec::new();
    let mut batch = Vec::new();
    for item in sitrep_ingest::read_bytes(origin, body, limits) {
        match item.result {
            Ok(reading) => batch.push(Incoming {
                origin: item.origin,
                article: reading.article,
                warnings: reading.warnings,
            }),
            Err(e) => failed.push(json!({ "origin": item.origin, "error": e.to_string() })),
        }
    }
    if batch.is_empty() {
        let reasons: Vec<String> = failed
            .iter()
            .map(|f| {
                format!(
                    "{}: {}",
                    f["origin"].as_str().unwrap_or_default(),
                    f["error"].as_str().unwrap_or_default()
                )
            })
            .collect();
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("no article could be read: {}", reasons.join("; ")),
        ));
    }
    Ok((batch, failed))
}

/// How long `wait=true` waits for a job before answering with it as it stands.
const LONGEST_WAIT: Duration = Duration::from_secs(60);

/// The job once done or parked, or as it stands when the wait runs out.
fn wait_for(store: &sitrep_store::Store, id: i64) -> Result<Option<JobStatus>, ApiError> {
    let started = Instant::now();
    loop {
        let job = store.job(id)?;
        let settled = job
            .as_ref()
            .is_none_or(|j| j.state == "done" || j.state == "parked");
        if settled || started.elapsed() > LONGEST_WAIT {
            return Ok(job);
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// A queued job as it stands: its state, tries, error, and (when done) what it did.
async fn job(
    State(state): Shared,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<JobStatus>, ApiError> {
    authorize(&state, &headers, false)?;
    let Path(id) = id.map_err(|e| ApiError::bad_request(e.body_text()))?;
    // Ids are numbers: anything else names no job.
    let not_found = ApiError::not_found(format!("no job {id:?}"));
    let Ok(id) = id.parse::<i64>() else {
        return Err(not_found);
    };
    state
        .read(move |store| store.job(id)?.ok_or(not_found))
        .await
        .map(Json)
}

/// The newest jobs, of one state or all, with counts by state.
async fn jobs(
    State(state): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    authorize(&state, &headers, false)?;
    let p = params(query)?;
    let job_state = p.one_of("state", &["queued", "running", "done", "parked"])?;
    let (limit, offset) = p.page()?;
    state
        .read(move |store| {
            let items = store.jobs(job_state.as_deref(), limit, offset)?;
            let counts: Vec<(String, i64)> = store.job_counts()?;
            let total = counts
                .iter()
                .filter(|(s, _)| job_state.as_ref().is_none_or(|wanted| wanted == s))
                .map(|(_, n)| *n as usize)
                .sum::<usize>();
            let counts: serde_json::Map<String, Value> =
                counts.into_iter().map(|(s, n)| (s, json!(n))).collect();
            Ok(Json(json!({
                "items": items, "total": total, "limit": limit, "offset": offset, "counts": counts
            })))
        })
        .await
}
