//! The HTTP routes: request and response contracts (serde + utoipa), one handler per route,
//! each translating a request into [`Backend`] calls run off the async threads.
//!
//! Errors are JSON objects `{"error": "…"}`: 400 for malformed JSON (serde's reason, with line
//! and column) or an invalid record, 401 for a write without the configured bearer token, 404
//! for an unknown id, 409 for an id already stored, 413 for a body over the limit.

use crate::backend::{
    Backend, BackendError, DocumentFull, DocumentSummary, FamilySummary, FamilyView, IndexStats,
    NewDocument,
};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, RwLock};
use utoipa::ToSchema;

/// The engine shared by the handlers: one writer at a time, readers concurrent.
pub type SharedBackend = Arc<RwLock<dyn Backend>>;

/// What every handler sees.
#[derive(Clone)]
pub struct AppState {
    /// The engine.
    pub backend: SharedBackend,
    /// The bearer token writes need, if one is configured.
    pub token: Option<Arc<str>>,
}

/// An error answer: a status and `{"error": message}`.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Why.
    pub message: String,
}

/// The body of an error answer.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// Why the request failed.
    pub error: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }
    fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
    fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }
}

impl From<BackendError> for ApiError {
    fn from(e: BackendError) -> Self {
        let status = match e {
            BackendError::Rejected(_) => StatusCode::BAD_REQUEST,
            BackendError::DuplicateId(_) => StatusCode::CONFLICT,
            BackendError::Scan(_) | BackendError::Engine(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(ErrorBody {
                error: self.message,
            }),
        )
            .into_response()
    }
}

/// Runs `f` on the engine with a read lock, on a blocking thread.
async fn read<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&dyn Backend) -> Result<T, BackendError> + Send + 'static,
) -> Result<T, ApiError> {
    let backend = state.backend.clone();
    tokio::task::spawn_blocking(move || {
        let guard = backend.read().unwrap_or_else(|e| e.into_inner());
        f(&*guard)
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
    .map_err(ApiError::from)
}

/// Runs `f` on the engine with the write lock, on a blocking thread.
async fn write<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut dyn Backend) -> T + Send + 'static,
) -> Result<T, ApiError> {
    let backend = state.backend.clone();
    tokio::task::spawn_blocking(move || {
        let mut guard = backend.write().unwrap_or_else(|e| e.into_inner());
        f(&mut *guard)
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

/// A document sent to `POST /v1/documents` or `POST /v1/check`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct DocumentIn {
    /// Unique id (required to store; `POST /v1/check` uses `checked` when absent).
    #[serde(default)]
    pub id: Option<String>,
    /// The text (UTF-8, not empty).
    pub text: String,
    /// Publication date: ISO 8601 / RFC 3339, RFC 2822, `Feb 26, 1987`, … or epoch seconds.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub date: Option<serde_json::Value>,
    /// Publisher.
    #[serde(default)]
    pub source: Option<String>,
    /// Headline (searchable).
    #[serde(default)]
    pub title: Option<String>,
}

impl DocumentIn {
    /// Checks the record: an id (unless `default_id` is given), a text, a readable date.
    fn validate(self, default_id: Option<&str>) -> Result<NewDocument, String> {
        let id = match (self.id, default_id) {
            (Some(id), _) if !id.trim().is_empty() => id,
            (_, Some(d)) => d.to_string(),
            (Some(_), None) => return Err("`id` is empty".into()),
            (None, None) => return Err("missing field `id`".into()),
        };
        if self.text.trim().is_empty() {
            return Err(format!("document `{id}`: `text` is empty"));
        }
        let date = match self.date {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => match stemma_scan::date::parse_date(&s) {
                Some(d) => Some(d),
                None => return Err(format!("document `{id}`: unreadable `date` {s:?}")),
            },
            Some(serde_json::Value::Number(n)) => match n.as_i64() {
                Some(d) => Some(d),
                None => return Err(format!("document `{id}`: `date` {n} is not epoch seconds")),
            },
            Some(other) => {
                return Err(format!(
                    "document `{id}`: `date` must be a string or epoch seconds, not {other}"
                ));
            }
        };
        let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        Ok(NewDocument {
            id,
            text: self.text,
            date,
            source: nonempty(self.source),
            title: nonempty(self.title),
        })
    }
}

/// Parses a request body as JSON; a syntax error is a 400 naming line and column.
fn parse_body(body: &Bytes) -> Result<serde_json::Value, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::bad_request(format!("malformed JSON: {e}")))
}

/// Parses one record of a request.
fn parse_record(value: serde_json::Value) -> Result<DocumentIn, String> {
    if !value.is_object() {
        return Err(format!(
            "expected a document object, found {}",
            kind(&value)
        ));
    }
    serde_json::from_value(value).map_err(|e| e.to_string())
}

fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// What happened to one record of `POST /v1/documents`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AddResult {
    /// Position of the record in the request (0-based; 0 for a single document).
    pub index: usize,
    /// The record's id, when it had one.
    pub id: Option<String>,
    /// True when the document was stored.
    pub stored: bool,
    /// Its relations to the documents stored before it: `pairs.jsonl` lines (full detail).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub pairs: Option<Vec<serde_json::Value>>,
    /// Why it was not stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The answer of `POST /v1/documents`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AddResponse {
    /// Records stored.
    pub stored: usize,
    /// Records not stored.
    pub rejected: usize,
    /// One result per record, in request order.
    pub results: Vec<AddResult>,
}

/// Stores one document or a batch and answers each one's relations to earlier documents.
#[utoipa::path(post, path = "/v1/documents",
    request_body(content = Vec<DocumentIn>, description = "one document object, or an array of them"),
    responses(
        (status = 200, description = "at least one record stored; each record's result", body = AddResponse),
        (status = 400, description = "malformed JSON, or no record could be stored", body = AddResponse),
        (status = 401, description = "missing or wrong bearer token", body = ErrorBody),
        (status = 409, description = "every record's id is already stored", body = AddResponse),
        (status = 413, description = "body over the limit"),
    ),
    security(("bearer" = [])))]
pub async fn add_documents(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    authorize(&state, &headers)?;
    let records = match parse_body(&body)? {
        serde_json::Value::Array(items) => items,
        v @ serde_json::Value::Object(_) => vec![v],
        other => {
            return Err(ApiError::bad_request(format!(
                "expected a document object or an array of them, found {}",
                kind(&other)
            )));
        }
    };
    if records.is_empty() {
        return Err(ApiError::bad_request("no document in the request"));
    }
    let mut results: Vec<AddResult> = Vec::with_capacity(records.len());
    let mut good: Vec<NewDocument> = Vec::new();
    let mut good_index: Vec<usize> = Vec::new();
    for (index, value) in records.into_iter().enumerate() {
        let id = value.get("id").and_then(|v| v.as_str()).map(str::to_string);
        match parse_record(value).and_then(|d| d.validate(None)) {
            Ok(doc) => {
                good_index.push(index);
                good.push(doc);
            }
            Err(reason) => results.push(AddResult {
                index,
                id,
                stored: false,
                pairs: None,
                error: Some(format!("record {index}: {reason}")),
            }),
        }
    }
    let ids: Vec<String> = good.iter().map(|d| d.id.clone()).collect();
    let answers = write(&state, move |b| b.add(good)).await?;
    let mut duplicates = 0;
    for ((index, id), answer) in good_index.into_iter().zip(ids).zip(answers) {
        results.push(match answer {
            Ok(pairs) => AddResult {
                index,
                id: Some(id),
                stored: true,
                pairs: Some(pairs),
                error: None,
            },
            Err(e) => {
                if let BackendError::Scan(_) | BackendError::Engine(_) = e {
                    return Err(e.into());
                }
                duplicates += usize::from(matches!(e, BackendError::DuplicateId(_)));
                AddResult {
                    index,
                    id: Some(id),
                    stored: false,
                    pairs: None,
                    error: Some(format!("record {index}: {e}")),
                }
            }
        });
    }
    results.sort_by_key(|r| r.index);
    let stored = results.iter().filter(|r| r.stored).count();
    let rejected = results.len() - stored;
    let status = if stored > 0 {
        StatusCode::OK
    } else if duplicates == rejected {
        StatusCode::CONFLICT
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok((
        status,
        Json(AddResponse {
            stored,
            rejected,
            results,
        }),
    )
        .into_response())
}

/// The answer of `POST /v1/check`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CheckResponse {
    /// The id the pairs name the checked text by.
    pub id: String,
    /// Its relations to stored documents: `pairs.jsonl` lines (full detail), in the engine's
    /// order (the stored side's reading order).
    #[schema(value_type = Vec<Object>)]
    pub pairs: Vec<serde_json::Value>,
}

/// The relations a document would have to the stored ones, without storing it.
#[utoipa::path(post, path = "/v1/check",
    request_body(content = DocumentIn, description = "one document (`id` optional)"),
    responses(
        (status = 200, body = CheckResponse),
        (status = 400, description = "malformed JSON or invalid document", body = ErrorBody),
        (status = 413, description = "body over the limit"),
    ))]
pub async fn check(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<CheckResponse>, ApiError> {
    let doc = parse_record(parse_body(&body)?)
        .and_then(|d| d.validate(Some("checked")))
        .map_err(ApiError::bad_request)?;
    let id = doc.id.clone();
    let pairs = read(&state, move |b| b.check(&doc)).await?;
    Ok(Json(CheckResponse { id, pairs }))
}

/// A stored document with its text.
#[utoipa::path(get, path = "/v1/documents/{id}",
    params(("id" = String, Path, description = "document id")),
    responses((status = 200, body = DocumentFull), (status = 404, body = ErrorBody)))]
pub async fn get_document(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<DocumentFull>, ApiError> {
    let key = id.clone();
    read(&state, move |b| b.document(&key))
        .await?
        .map(Json)
        .ok_or_else(|| unknown(&id))
}

fn unknown(id: &str) -> ApiError {
    ApiError::not_found(format!("no document with id `{id}`"))
}

/// The answer of `GET /v1/documents/{id}/relations`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RelationsResponse {
    /// The document.
    pub id: String,
    /// Every related pair it is in: `pairs.jsonl` lines (full detail).
    #[schema(value_type = Vec<Object>)]
    pub pairs: Vec<serde_json::Value>,
}

/// Every related pair a stored document is in.
#[utoipa::path(get, path = "/v1/documents/{id}/relations",
    params(("id" = String, Path, description = "document id")),
    responses((status = 200, body = RelationsResponse), (status = 404, body = ErrorBody)))]
pub async fn relations(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<RelationsResponse>, ApiError> {
    let key = id.clone();
    let pairs = read(&state, move |b| b.relations(&key))
        .await?
        .ok_or_else(|| unknown(&id))?;
    Ok(Json(RelationsResponse { id, pairs }))
}

/// The family (derivation tree) of a stored document.
#[utoipa::path(get, path = "/v1/families/{id}",
    params(("id" = String, Path, description = "id of any member (e.g. the root)")),
    responses((status = 200, body = FamilyView), (status = 404, description = "unknown id, or a document in no family", body = ErrorBody)))]
pub async fn family(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<FamilyView>, ApiError> {
    family_of(&state, id).await.map(Json)
}

async fn family_of(state: &AppState, id: String) -> Result<FamilyView, ApiError> {
    let key = id.clone();
    match read(state, move |b| b.family(&key)).await? {
        None => Err(unknown(&id)),
        Some(None) => Err(ApiError::not_found(format!(
            "document `{id}` is in no family (no derivation relation)"
        ))),
        Some(Some(f)) => Ok(f),
    }
}

/// Paging of a list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    /// Items to skip (default 0).
    #[serde(default)]
    pub offset: usize,
    /// Items to return (default 50, at most 1000).
    pub limit: Option<usize>,
}

/// The answer of `GET /v1/families`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FamiliesResponse {
    /// Families in all.
    pub total: usize,
    /// The page asked for, largest family first.
    pub families: Vec<FamilySummary>,
}

/// Families, largest first.
#[utoipa::path(get, path = "/v1/families", params(PageQuery),
    responses((status = 200, body = FamiliesResponse)))]
pub async fn families(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> Result<Json<FamiliesResponse>, ApiError> {
    let limit = q.limit.unwrap_or(50).min(1000);
    let (families, total) = read(&state, move |b| b.families(q.offset, limit)).await?;
    Ok(Json(FamiliesResponse { total, families }))
}

/// A search by id or title.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SearchQuery {
    /// Part of an id or a title (case-insensitive); empty: the latest documents.
    #[serde(default)]
    pub q: String,
    /// Results to return (default 20, at most 200).
    pub limit: Option<usize>,
}

/// The answer of `GET /v1/search`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SearchResponse {
    /// Matching documents, an exact id first.
    pub documents: Vec<DocumentSummary>,
}

/// Documents whose id or title contains the query.
#[utoipa::path(get, path = "/v1/search", params(SearchQuery),
    responses((status = 200, body = SearchResponse)))]
pub async fn search(
    State(state): State<AppState>,
    Query(q): Query<SearchQuery>,
) -> Result<Json<SearchResponse>, ApiError> {
    let limit = q.limit.unwrap_or(20).min(200);
    let documents = read(&state, move |b| b.search(&q.q, limit)).await?;
    Ok(Json(SearchResponse { documents }))
}

/// Two stored documents, by id.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PairQuery {
    /// Id of side A.
    pub a: String,
    /// Id of side B.
    pub b: String,
}

async fn compared(
    state: &AppState,
    q: PairQuery,
) -> Result<crate::backend::ComparedPair, ApiError> {
    let (a, b) = (q.a.clone(), q.b.clone());
    match read(state, move |x| x.compare(&a, &b)).await? {
        Some(c) => Ok(c),
        None => {
            let missing = if read(state, {
                let a = q.a.clone();
                move |x| Ok(x.document(&a)?.is_none())
            })
            .await?
            {
                q.a
            } else {
                q.b
            };
            Err(unknown(&missing))
        }
    }
}

/// Two stored documents compared: the `stemma compare --json` object (with `inputs` labelled
/// by the ids).
#[utoipa::path(get, path = "/v1/compare", params(PairQuery),
    responses((status = 200, description = "the compare JSON (docs/json.md)", body = Object),
              (status = 404, body = ErrorBody)))]
pub async fn compare(
    State(state): State<AppState>,
    Query(q): Query<PairQuery>,
) -> Result<Response, ApiError> {
    let c = compared(&state, q).await?;
    let a = stemma_render::Input::new(&c.a.id, &c.text_a);
    let b = stemma_render::Input::new(&c.b.id, &c.text_b);
    let json = stemma_render::json::to_string_with_inputs(&c.comparison, &a, &b, false);
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// The answer of `GET /healthz`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
    /// Counts.
    #[serde(flatten)]
    pub stats: IndexStats,
}

/// Liveness and counts.
#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)))]
pub async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let stats = read(&state, |b| b.stats()).await?;
    Ok(Json(Health {
        status: "ok".into(),
        stats,
    }))
}

/// The side-by-side HTML view of two stored documents (`stemma compare --html`).
pub async fn view_compare(
    State(state): State<AppState>,
    Query(q): Query<PairQuery>,
) -> Result<Response, ApiError> {
    let c = compared(&state, q).await?;
    Ok(html(compare_page(&c)))
}

fn compare_page(c: &crate::backend::ComparedPair) -> String {
    let label = |d: &DocumentSummary| match &d.title {
        Some(t) => format!("{} — {t}", d.id),
        None => d.id.clone(),
    };
    let (la, lb) = (label(&c.a), label(&c.b));
    let a = stemma_render::Input::new(&la, &c.text_a);
    let b = stemma_render::Input::new(&lb, &c.text_b);
    stemma_render::html::page(
        &c.comparison,
        &a,
        &b,
        &stemma_render::html::HtmlOptions::default(),
    )
}

/// A stored document and a text compared, for `POST /view/compare`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TextPairIn {
    /// Id of the stored document (side A).
    pub id: String,
    /// The text that is not stored (side B), with its optional id, date, title.
    pub doc: DocumentIn,
}

/// The side-by-side HTML view of a stored document (A) and a text that is not stored (B).
pub async fn view_compare_text(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let v = parse_body(&body)?;
    let req: TextPairIn =
        serde_json::from_value(v).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let doc = req
        .doc
        .validate(Some("checked"))
        .map_err(ApiError::bad_request)?;
    let id = req.id.clone();
    let c = read(&state, move |b| b.compare_text(&id, &doc))
        .await?
        .ok_or_else(|| unknown(&req.id))?;
    Ok(html(compare_page(&c)))
}

/// The derivation graph of a family as SVG.
pub async fn view_family(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let f = family_of(&state, id).await?;
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        family_svg(&f),
    )
        .into_response())
}

/// The SVG of a family view ([`stemma_render::graph`]); edge `k` carries `data-edge="k"`.
pub fn family_svg(f: &FamilyView) -> String {
    use stemma_render::graph::{Graph, GraphEdge, GraphNode};
    let index: std::collections::HashMap<&str, usize> = f
        .family
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    let nodes = f
        .documents
        .iter()
        .map(|d| GraphNode {
            label: d.id.clone(),
            title: d.title.clone(),
            date: d.timestamp,
        })
        .collect();
    let edges = f
        .family
        .edges
        .iter()
        .enumerate()
        .filter_map(|(k, e)| {
            Some(GraphEdge {
                source: *index.get(e.source.as_str())?,
                copy: *index.get(e.copy.as_str())?,
                relation: e.relation.clone(),
                score: e.score,
                data: Some(("edge".to_string(), k.to_string())),
            })
        })
        .collect();
    stemma_render::graph::svg(&Graph { nodes, edges })
}

fn html(page: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

/// The web page.
pub async fn index_page() -> Response {
    html(crate::page::INDEX_HTML.to_string())
}

/// Unknown routes.
pub async fn fallback() -> ApiError {
    ApiError::not_found("no such route (see /openapi.json)")
}

/// Fails with 401 when a token is configured and the request does not carry it as
/// `Authorization: Bearer TOKEN`.
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &state.token else {
        return Ok(());
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(g) if constant_time_eq(g.as_bytes(), token.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "wrong bearer token",
        )),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "writes need `Authorization: Bearer TOKEN` (the server's --token)",
        )),
    }
}

/// Equality whose time does not depend on where the inputs differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The OpenAPI document served at `/openapi.json`.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "stemma", description = "Who copied whom: an index of news text you add to and query."),
    paths(add_documents, check, get_document, relations, family, families, search, compare, healthz),
    components(schemas(DocumentIn, AddResult, AddResponse, CheckResponse, DocumentFull,
        DocumentSummary, RelationsResponse, FamilyView, FamiliesResponse, SearchResponse,
        Health, ErrorBody, IndexStats)),
    modifiers(&BearerScheme)
)]
pub struct ApiDoc;

/// Declares the `bearer` security scheme of the write route.
struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// `GET /openapi.json`.
pub async fn openapi() -> Response {
    use utoipa::OpenApi as _;
    (
        [(header::CONTENT_TYPE, "application/json")],
        ApiDoc::openapi().to_json().unwrap_or_default(),
    )
        .into_response()
}
