//! SERVE: `briefing serve`, a development server that builds the site, serves it over HTTP,
//! rebuilds it when its files change and tells open pages to reload (issue 11).
//!
//! Takes [`ServeOptions`] (lowered once from the command line); gives a running [`Server`]
//! whose drop stops everything and removes what it wrote.
//!
//! Invariants:
//! - the site is built by the same stages as `build`, incrementally ([`incremental`]):
//!   into a private (0700) scratch folder that the server owns and that SIGINT and SIGTERM
//!   remove ([`crate::output::scratch`]); the author's output folder is never written or
//!   read; after every successful rebuild the served folder holds exactly what a cold
//!   `build` writes;
//! - a rebuild writes only the files whose bytes changed, into a pending folder, and moves
//!   them in only when it succeeded, so a failed build keeps the last good site served;
//! - `base_url` is replaced, for the served build only, by the server's own address with
//!   the path of `base_url`: every link of a served page leads to the server, and a
//!   sub-path `base_url` is served under that sub-path;
//! - served HTML gets the reload hook ([`reload`]) as it is sent; the files on disk are
//!   byte for byte what `build` writes with the same base URL.

mod http;
pub mod incremental;
pub mod reload;
mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::build::{BuildOptions, BuildReport};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Tlp;
use crate::output::scratch::Registered;
use crate::plan::{BaseUrl, Plan};
use incremental::{Changes, Engine, Outcome};

/// The port `serve` tries first when none is given.
pub const DEFAULT_PORT: u16 = 1111;

/// How many ports after [`DEFAULT_PORT`] are tried when it is taken.
const PORTS_TRIED: u16 = 20;

/// What to serve and how; lowered once from the command line.
#[derive(Clone)]
pub struct ServeOptions {
    /// What to build. Its `output` is ignored: the server builds into its own folder.
    pub build: BuildOptions,
    /// Address to listen on (default: loopback).
    pub bind: IpAddr,
    /// Port to listen on; 0 for any free port (tests).
    pub port: u16,
    /// When `port` is taken, try the next ones (the port was not given on the command
    /// line) instead of failing (it was: the author asked for that one).
    pub next_free_port: bool,
    /// Watch the site's files and rebuild on change.
    pub watch: bool,
    /// Called with what the server does; from the server's threads.
    pub report: Option<Reporter>,
}

impl std::fmt::Debug for ServeOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeOptions")
            .field("build", &self.build)
            .field("bind", &self.bind)
            .field("port", &self.port)
            .field("next_free_port", &self.next_free_port)
            .field("watch", &self.watch)
            .finish_non_exhaustive()
    }
}

impl ServeOptions {
    /// Serve `root` on loopback, on any free port, watching its files (for tests).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ServeOptions {
            build: BuildOptions::new(root),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            next_free_port: false,
            watch: true,
            report: None,
        }
    }
}

/// A callback told what the server does.
pub type Reporter = Arc<dyn Fn(&Event<'_>) + Send + Sync>;

/// What the server tells its [`Reporter`].
#[derive(Debug)]
pub enum Event<'a> {
    /// A line for the terminal (a port taken, a warning about the bind address).
    Notice(String),
    /// A build ended.
    Built(&'a Built<'a>),
}

/// One build of the served site.
#[derive(Debug)]
pub struct Built<'a> {
    /// 1 for the first build, then one more per rebuild.
    pub number: u64,
    /// Files whose change caused it, relative to the root (empty for the first build).
    pub changed: &'a [PathBuf],
    /// The build's report; on failure the last good site is still served.
    pub report: &'a BuildReport,
    /// Wall time of the build.
    pub took: Duration,
    /// What the rebuild rendered and wrote.
    pub outcome: &'a Outcome,
}

/// The state open pages are told about: the latest build and how it went.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Status {
    /// Identifies this server process, so a page reloads after a restart.
    pub server: u64,
    /// Number of the latest build (0: none yet).
    pub build: u64,
    /// Whether the latest build succeeded.
    pub ok: bool,
    /// Whether it changed stylesheets only (pages swap them instead of reloading).
    pub css: bool,
    /// Its diagnostics (errors and warnings) when it failed.
    pub diagnostics: Vec<Diagnostic>,
}

/// What the HTTP side shares with the builder.
pub(crate) struct Shared {
    /// The folder of the last good build; `None` before the first one succeeded.
    current: RwLock<Option<PathBuf>>,
    /// The path everything is served under (`/`, or `/sub/path/`).
    prefix: RwLock<String>,
    /// Latest [`Status`], watched by every open page's event stream.
    status: tokio::sync::watch::Sender<Status>,
}

impl Shared {
    pub(crate) fn current(&self) -> Option<PathBuf> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn prefix(&self) -> String {
        self.prefix
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub(crate) fn subscribe(&self) -> tokio::sync::watch::Receiver<Status> {
        self.status.subscribe()
    }
}

/// Rebuilds the served site, one rebuild at a time, in place (see [`incremental`]).
pub(crate) struct Builder {
    engine: Mutex<Engine>,
    shared: Arc<Shared>,
    report: Option<Reporter>,
    number: Mutex<u64>,
}

impl Builder {
    /// Bring the site up to date; `changed` says why (empty: the first build).
    pub(crate) fn build(&self, changed: &[PathBuf]) {
        let mut engine = self.engine.lock().unwrap_or_else(|e| e.into_inner());
        let mut number = self.number.lock().unwrap_or_else(|e| e.into_inner());
        *number += 1;
        let started = Instant::now();
        let changes = if changed.is_empty() {
            Changes::All
        } else {
            Changes::Paths(changed.to_vec())
        };
        let site_dir = engine.site_dir().to_path_buf();
        let outcome = engine.rebuild_then(&changes, &mut |outcome, prefix| {
            self.tell(*number, outcome, prefix, &site_dir);
        });
        let took = started.elapsed();
        drop(engine);
        let report = &outcome.report;
        if let Some(r) = &self.report {
            r(&Event::Built(&Built {
                number: *number,
                changed,
                report,
                took,
                outcome: &outcome,
            }));
        }
    }

    /// Tell open pages about build `number`, as soon as its files are in place (or it
    /// failed): `outcome` may not hold the whole list of diagnostics of a success yet.
    fn tell(&self, number: u64, outcome: &Outcome, prefix: &str, site_dir: &Path) {
        let report = &outcome.report;
        *self
            .shared
            .prefix
            .write()
            .unwrap_or_else(|e| e.into_inner()) = prefix.to_string();
        if report.success {
            *self
                .shared
                .current
                .write()
                .unwrap_or_else(|e| e.into_inner()) = Some(site_dir.to_path_buf());
        }
        let diagnostics = if report.success {
            Vec::new()
        } else {
            report
                .diagnostics
                .iter()
                .filter(|d| d.severity != crate::diag::Severity::Note)
                .cloned()
                .collect()
        };
        // Only stylesheets changed: pages swap them without reloading.
        let css_only = !outcome.written.is_empty()
            && outcome.removed.is_empty()
            && outcome.written.iter().all(|f| f.ends_with(".css"));
        let quiet = report.success
            && outcome.written.is_empty()
            && outcome.removed.is_empty()
            && self.shared.status.borrow().ok;
        if !quiet {
            self.shared.status.send_modify(|s| {
                s.build = number;
                s.ok = report.success;
                s.css = report.success && css_only;
                s.diagnostics = diagnostics;
            });
        }
    }
}

/// The path of a base URL (`https://example.org/a/b/` -> `/a/b/`), ending with `/`.
pub fn base_path(base: &BaseUrl) -> String {
    let s = base.as_str();
    let path = match s.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => s,
    };
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// A running server; dropping it stops the server and the watcher and removes the scratch
/// folder.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    // Dropped in this order: the watcher first (no rebuild starts), then the runtime (no
    // request is served), then the scratch folder.
    _watcher: Option<watch::Watcher>,
    runtime: Option<tokio::runtime::Runtime>,
    _scratch: (Registered, tempfile::TempDir),
}

impl Server {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL of the site's home page (with the path of `base_url`).
    pub fn url(&self) -> String {
        format!("{}{}", origin(self.addr), self.shared.prefix())
    }

    /// The latest build's status.
    pub fn status(&self) -> Status {
        self.shared.status.borrow().clone()
    }

    /// The folder the current site is served from (`None` before a build succeeded).
    pub fn site_dir(&self) -> Option<PathBuf> {
        self.shared.current()
    }

    /// Block until the process is stopped (SIGINT, SIGTERM).
    pub fn wait(self) -> ! {
        loop {
            std::thread::park();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self._watcher.take();
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(Duration::from_secs(1));
        }
    }
}

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The port is taken (and, without `--port`, the next ones too).
    #[error("port {port} on {bind} is taken{}; stop what uses it or choose another with `--port`", if *tried > 1 { format!(", and so are the {} after it", tried - 1) } else { " (another `briefing serve`?)".to_string() })]
    PortTaken {
        /// Address.
        bind: IpAddr,
        /// The port asked for.
        port: u16,
        /// How many ports were tried.
        tried: u16,
    },
    /// Anything else of the operating system.
    #[error("{what}: {source}")]
    Io {
        /// What failed.
        what: String,
        /// Why.
        source: std::io::Error,
    },
}

fn io_error(what: &str) -> impl FnOnce(std::io::Error) -> ServeError + '_ {
    move |source| ServeError::Io {
        what: what.to_string(),
        source,
    }
}

/// Bind, build the site once, serve it and (with `watch`) rebuild it on change. Returns
/// once the first build is done and the server accepts requests; a first build that fails
/// is served as an error page that reloads when the files are fixed.
pub fn serve(options: &ServeOptions) -> Result<Server, ServeError> {
    let notice = |line: String| {
        if let Some(r) = &options.report {
            r(&Event::Notice(line));
        }
    };
    let listener = bind(options.bind, options.port, options.next_free_port, &notice)?;
    let addr = listener
        .local_addr()
        .map_err(io_error("cannot read the bound address"))?;
    listener
        .set_nonblocking(true)
        .map_err(io_error("cannot set up the listening socket"))?;

    // Private (0700): with `--tlp red` it holds the whole red site. Registered, so SIGINT
    // and SIGTERM remove it too (issue 9).
    let mut temp = tempfile::Builder::new();
    temp.prefix("briefing-serve-");
    #[cfg(unix)]
    temp.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
    let scratch = Registered::create(|| temp.tempdir(), |d| d.path().to_path_buf())
        .map_err(io_error("cannot create the server's scratch folder"))?;

    let root = std::fs::canonicalize(&options.build.root).unwrap_or(options.build.root.clone());
    let shared = Arc::new(Shared {
        current: RwLock::new(None),
        prefix: RwLock::new("/".to_string()),
        status: tokio::sync::watch::Sender::new(Status {
            server: server_id(),
            build: 0,
            ok: false,
            css: false,
            diagnostics: Vec::new(),
        }),
    });
    let engine = Engine::new(
        BuildOptions {
            root: root.clone(),
            ..options.build.clone()
        },
        scratch.1.path(),
        Some(origin(addr)),
    );
    let builder = Arc::new(Builder {
        engine: Mutex::new(engine),
        shared: shared.clone(),
        report: options.report.clone(),
        number: Mutex::new(0),
    });

    warn_about_exposure(options, &notice);
    builder.build(&[]);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("briefing-serve")
        .enable_all()
        .build()
        .map_err(io_error("cannot start the server's threads"))?;
    let listener = {
        let _guard = runtime.enter();
        tokio::net::TcpListener::from_std(listener)
            .map_err(io_error("cannot set up the listening socket"))?
    };
    runtime.spawn(http::run(listener, shared.clone()));

    let watcher = if options.watch {
        Some(
            watch::Watcher::start(&root, builder).map_err(|e| ServeError::Io {
                what: "cannot watch the site's files".to_string(),
                source: std::io::Error::other(e.to_string()),
            })?,
        )
    } else {
        None
    };
    Ok(Server {
        addr,
        shared,
        _watcher: watcher,
        runtime: Some(runtime),
        _scratch: scratch,
    })
}

/// Bind `port`, or with `next_free` the first free port of the [`PORTS_TRIED`] from it.
fn bind(
    ip: IpAddr,
    port: u16,
    next_free: bool,
    notice: &dyn Fn(String),
) -> Result<TcpListener, ServeError> {
    let last = if next_free && port != 0 {
        port.saturating_add(PORTS_TRIED - 1)
    } else {
        port
    };
    for p in port..=last {
        match TcpListener::bind((ip, p)) {
            Ok(l) => {
                if p != port {
                    notice(format!("port {port} is taken; serving on port {p} instead"));
                }
                return Ok(l);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => return Err(io_error(&format!("cannot listen on {ip} port {p}"))(e)),
        }
    }
    Err(ServeError::PortTaken {
        bind: ip,
        port,
        tried: last - port + 1,
    })
}

/// Warn when the site is reachable from other machines and holds more than TLP:CLEAR.
fn warn_about_exposure(options: &ServeOptions, notice: &dyn Fn(String)) {
    if options.bind.is_loopback() {
        return;
    }
    let plan = Plan::resolve(
        &options.build.root,
        &options.build.overrides(),
        &Diagnostics::new(),
    );
    let tlp = plan.map_or(options.build.tlp.unwrap_or(Tlp::Clear), |p| p.publish.tlp);
    if tlp > Tlp::Clear {
        notice(format!(
            "warning: serving TLP:{} material on {}, which other machines can reach; \
             bind to 127.0.0.1 (the default) unless everyone on this network may see it",
            tlp.as_str().to_ascii_uppercase(),
            options.bind
        ));
    }
}

/// `http://host:port`; an unspecified address (`0.0.0.0`) is reached through loopback.
fn origin(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

/// A number telling this process from the previous server on the same port.
fn server_id() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ u64::from(std::process::id())
}

/// Open `url` in the default browser; a failure is only a notice.
pub fn open_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        let p = |s: &str| base_path(&BaseUrl::parse(s).unwrap());
        assert_eq!(p("/"), "/");
        assert_eq!(p("https://example.org"), "/");
        assert_eq!(p("https://example.org/briefings"), "/briefings/");
        assert_eq!(p("/a/b/"), "/a/b/");
    }
}
