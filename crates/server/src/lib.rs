//! `stemma serve`: an HTTP API and a web page over one index.
//!
//! A newsroom keeps an index of everything seen and checks each incoming article against it;
//! this crate is the HTTP shell of that index. It holds no engine logic: every route
//! translates a request into a [`Backend`] call (after meilisearch's split between its engine
//! and its HTTP crate), so the server, the CLI and the Python package give the same pairs.
//!
//! - [`backend`]: the [`Backend`] trait the routes call, built once for any [`Engine`] (the
//!   few operations that differ between engines); [`MemoryBackend`] (an incremental scanner
//!   in memory) and [`DiskBackend`] (the on-disk index) are the two engines.
//! - [`api`]: the routes and their JSON contracts (`/openapi.json`); `docs/server.md`.
//! - [`page`]: the web page at `/` (assets compiled in, nothing loaded from the network).
//!
//! Concurrency: one writer at a time, readers concurrent (an `RwLock` around the backend);
//! engine calls run on tokio's blocking threads, never on the async workers.

#![warn(missing_docs)]

pub mod api;
pub mod backend;
pub mod disk;
pub mod page;

pub use api::{AppState, SharedBackend};
pub use backend::{Backend, BackendError, Engine, FamilySlot, MemoryBackend, NewDocument};
pub use disk::DiskBackend;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

/// Default largest request body: 8 MiB (a batch of a few hundred news articles).
pub const DEFAULT_MAX_BODY: usize = 8 << 20;

/// Environment variable holding the bearer token when `--token` is not given.
pub const TOKEN_ENV: &str = "STEMMA_TOKEN";

/// How the server listens and guards its writes.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to bind.
    pub addr: SocketAddr,
    /// Bearer token required by writes (`POST /v1/documents`); `None`: writes are open, which
    /// is allowed only on a loopback address.
    pub token: Option<String>,
    /// Largest request body in bytes; larger ones get 413.
    pub max_body: usize,
}

impl ServerConfig {
    /// A configuration for `addr` with no token and the default body limit.
    pub fn new(addr: SocketAddr) -> Self {
        ServerConfig {
            addr,
            token: None,
            max_body: DEFAULT_MAX_BODY,
        }
    }

    /// Refuses settings that would expose open writes: a non-loopback address without a
    /// token, an empty token, a zero body limit.
    pub fn check(&self) -> Result<(), ServerError> {
        if self.token.as_deref().is_some_and(|t| t.trim().is_empty()) {
            return Err(ServerError::Config("the token is empty".into()));
        }
        if self.max_body == 0 {
            return Err(ServerError::Config("the body limit must be above 0".into()));
        }
        if self.token.is_none() && !self.addr.ip().is_loopback() {
            return Err(ServerError::Config(format!(
                "refusing to listen on {} (not a loopback address) without a token: \
                 pass --token or set {TOKEN_ENV}",
                self.addr
            )));
        }
        Ok(())
    }
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Refused settings.
    #[error("{0}")]
    Config(String),
    /// Binding or serving failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Shares `backend` between handlers (the one writer lock).
pub fn shared(backend: impl Backend) -> SharedBackend {
    Arc::new(RwLock::new(backend))
}

/// Every route over `backend`, with the body limit and token of `config` (not checked here:
/// see [`ServerConfig::check`]).
pub fn router(backend: SharedBackend, config: &ServerConfig) -> Router {
    let state = AppState {
        backend,
        token: config.token.as_deref().map(Arc::from),
    };
    Router::new()
        .route("/", get(api::index_page))
        .route("/healthz", get(api::healthz))
        .route("/openapi.json", get(api::openapi))
        .route("/v1/documents", post(api::add_documents))
        .route("/v1/check", post(api::check))
        .route("/v1/documents/{id}", get(api::get_document))
        .route("/v1/documents/{id}/relations", get(api::relations))
        .route("/v1/families", get(api::families))
        .route("/v1/families/{id}", get(api::family))
        .route("/v1/search", get(api::search))
        .route("/v1/compare", get(api::compare))
        .route(
            "/view/compare",
            get(api::view_compare).post(api::view_compare_text),
        )
        .route("/view/family/{id}", get(api::view_family))
        .fallback(api::fallback)
        .layer(DefaultBodyLimit::max(config.max_body))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            config.max_body,
        ))
        .with_state(state)
}

/// Serves `router` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|source| ServerError::Io {
            context: "serving".into(),
            source,
        })
}

/// Checks `config`, binds its address and serves `backend` until Ctrl-C (a tokio runtime of
/// its own). `ready` is called with the bound address once the server accepts connections.
pub fn run(
    config: ServerConfig,
    backend: SharedBackend,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    config.check()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| ServerError::Io {
            context: "starting the runtime".into(),
            source,
        })?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|source| ServerError::Io {
                context: format!("cannot listen on {}", config.addr),
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| ServerError::Io {
            context: "bound address".into(),
            source,
        })?;
        ready(addr);
        let app = router(backend, &config);
        serve(listener, app, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    })
}
