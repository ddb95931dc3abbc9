//! `check --external`: ask other sites whether the URLs of the published site still lead
//! somewhere (issue 15).
//!
//! Takes the [`Plan`] (what is published, `[check]` settings) and [`ExternalOptions`];
//! gives diagnostics placed at the URLs as written. Only what this run publishes is read:
//! the site is loaded and linked again (withheld entities get no id, so no URL of theirs is
//! ever requested), then the source URLs of every entity and the http(s) links and images
//! of every body are collected, deduplicated without their fragment, and checked by a
//! bounded pool of threads behind a per-host [`gate`] (one request per host at a time,
//! `external_delay` apart). Answers are kept in a [`cache`] between runs. Never part of
//! `build` or of a plain `check`.

mod cache;
mod fetch;
mod gate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use url::Url;

pub use cache::{CACHE_DIR, CACHE_FILE};
use fetch::{Outcome, agent, check_url};
use gate::Gate;

use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::link::{Site, resolve_links};
use crate::load::{load_site, reread_body};
use crate::markdown::{is_outbound, outbound_links};
use crate::plan::Plan;

/// How `check --external` runs.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Requests under way at once, at most (over all hosts).
    pub jobs: usize,
    /// Reuse and keep answers in `.briefing-cache/external.json`.
    pub cache: bool,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            jobs: 8,
            cache: true,
        }
    }
}

/// What the external check found.
#[derive(Debug, Default)]
pub struct ExternalReport {
    /// Problems found, placed at the URLs.
    pub diagnostics: Vec<Diagnostic>,
    /// Distinct URLs checked.
    pub urls: usize,
    /// How many of them were answered from the cache.
    pub cached: usize,
}

/// Where a URL is written.
struct Place {
    file: PathBuf,
    span: Option<Span>,
}

/// Check every outbound URL of what `plan` publishes.
pub fn check_external(plan: &Plan, opts: &ExternalOptions) -> ExternalReport {
    // The build reported the content's problems already.
    let quiet = Diagnostics::new();
    let site = resolve_links(
        load_site(&plan.root, &quiet),
        &plan.publish,
        &plan.base_url,
        &quiet,
    );
    let diags = Diagnostics::new();
    let urls = collect(&site, &plan.root, &diags);
    let settings = &plan.config.check;
    let ttl = (settings.external_cache_hours * 3600.0) as u64;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut cache = if opts.cache {
        cache::Cache::read(&plan.root)
    } else {
        cache::Cache::empty(&plan.root)
    };
    let mut outcomes: BTreeMap<&str, Outcome> = BTreeMap::new();
    let mut jobs = Vec::new();
    let mut cached = 0;
    for url in urls.keys() {
        match cache.fresh(url, now, ttl) {
            Some(known) => {
                cached += 1;
                outcomes.insert(url, known.clone());
            }
            None => match Url::parse(url) {
                Ok(parsed) => jobs.push((host_of(&parsed), (url.as_str(), parsed))),
                Err(e) => {
                    let reason = format!("it is not a valid URL ({e})");
                    let failed = Outcome::Failed {
                        reason,
                        timeout: false,
                    };
                    outcomes.insert(url, failed);
                }
            },
        }
    }
    let timeout = Duration::from_secs_f64(settings.external_timeout);
    let fetched = run(jobs, opts.jobs, timeout, settings.external_delay);
    for (url, outcome) in fetched {
        cache.put(url, &outcome, now);
        outcomes.insert(url, outcome);
    }
    if let Err(e) = cache.write(now, ttl) {
        diags.push(
            Diagnostic::warning(
                Code::Cache,
                format!("cannot keep the answers in `{CACHE_DIR}/{CACHE_FILE}`: {e}"),
            )
            .help("check that `.briefing-cache` is a folder briefing may write in; the next run will ask again"),
        );
    }
    for (url, outcome) in &outcomes {
        for place in &urls[*url] {
            if let Some(d) = diagnostic(url, outcome, settings.external_timeout) {
                let d = d.in_file(&place.file);
                diags.push(match place.span {
                    Some(span) => d.at(span),
                    None => d,
                });
            }
        }
    }
    ExternalReport {
        diagnostics: diags.finish(&plan.root),
        urls: urls.len(),
        cached,
    }
}

/// Every outbound URL of the published site (without its fragment) and where it is
/// written: source URLs, then links and images of bodies.
fn collect(site: &Site, root: &Path, diags: &Diagnostics) -> BTreeMap<String, Vec<Place>> {
    let mut urls: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    let mut add = |url: &str, file: &Path, span: Option<Span>| {
        if !is_outbound(url) {
            return;
        }
        let url = url.trim();
        let url = url.split_once('#').map_or(url, |(u, _)| u);
        urls.entry(url.to_string()).or_default().push(Place {
            file: file.to_path_buf(),
            span,
        });
    };
    for e in &site.entities {
        let statement_source = match &e.data {
            crate::model::Data::Statement(s) => s.source.as_ref(),
            _ => None,
        };
        for source in e.common.sources.iter().chain(statement_source) {
            if let Some(url) = &source.url {
                add(url, &e.file, source.url_span);
            }
        }
    }
    let bodies = (site.entities.iter())
        .map(|e| (&e.file, e.fingerprint, e.body_offset))
        .chain((site.intro.iter()).map(|i| (&i.file, i.fingerprint, i.body_offset)));
    for (file, fingerprint, offset) in bodies {
        match reread_body(root, file, fingerprint, offset) {
            Ok(body) => {
                for link in outbound_links(&body, offset) {
                    add(&link.url, file, Some(link.span));
                }
            }
            Err(d) => diags.push(d),
        }
    }
    urls
}

/// The host a URL is asked at, for the rate limit.
fn host_of(url: &Url) -> String {
    url.host_str().unwrap_or("").to_ascii_lowercase()
}

/// Check `jobs` (host, (url, parsed)) with `workers` threads.
fn run(
    jobs: Vec<(String, (&str, Url))>,
    workers: usize,
    timeout: Duration,
    delay: f64,
) -> Vec<(&str, Outcome)> {
    if jobs.is_empty() {
        return Vec::new();
    }
    let workers = workers.clamp(1, jobs.len());
    let gate = Gate::new(Duration::from_secs_f64(delay), jobs);
    let agent = agent(timeout);
    let done = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                while let Some(((url, parsed), held)) = gate.next_job() {
                    let outcome = check_url(&agent, &gate, &parsed, held);
                    done.lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push((url, outcome));
                }
            });
        }
    });
    done.into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The diagnostic of a URL's outcome, if it is a problem.
fn diagnostic(url: &str, outcome: &Outcome, timeout: f64) -> Option<Diagnostic> {
    let shown = url.escape_default();
    Some(match outcome {
        Outcome::Ok { .. } => return None,
        Outcome::Moved { status, to } => Diagnostic::warning(
            Code::MovedLink,
            format!(
                "`{shown}` moved permanently ({status}) to `{}`",
                to.escape_default()
            ),
        )
        .label("moved")
        .help(format!("link to `{}` instead", to.escape_default())),
        Outcome::Dead { status, at } => {
            let reason = ureq::http::StatusCode::from_u16(*status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .map(|r| format!(" {r}"))
                .unwrap_or_default();
            let via = at
                .as_ref()
                .map(|a| format!(" at `{}`, where it redirects", a.escape_default()))
                .unwrap_or_default();
            Diagnostic::error(
                Code::DeadLink,
                format!("dead link `{shown}`: the server answered {status}{reason}{via}"),
            )
            .label("dead link")
            .help(dead_help(*status))
        }
        Outcome::Failed { reason, timeout: t } => {
            let reason = if *t {
                format!("no answer within {timeout} s")
            } else {
                reason.clone()
            };
            let help = if *t {
                "check the address; if the site is only slow, raise `external_timeout` in `[check]` of `briefing.toml`"
            } else {
                "check the address; link to an archived copy if the site is gone"
            };
            Diagnostic::error(Code::DeadLink, format!("dead link `{shown}`: {reason}"))
                .label("dead link")
                .help(help)
        }
    })
}

fn dead_help(status: u16) -> &'static str {
    match status {
        401 | 403 => {
            "the page may need a login or refuse robots; check it in a browser, and link to a public or archived copy if readers cannot open it"
        }
        404 | 410 => {
            "find where the page moved and link there, or link to an archived copy (for example on web.archive.org)"
        }
        429 => {
            "the site asked to slow down; raise `external_delay` in `[check]` or check again later"
        }
        _ => {
            "check the address in a browser; if the site is down for good, link to an archived copy"
        }
    }
}
