//! Asking a host about one URL: HEAD, then GET where HEAD is refused (405, 501); redirects
//! followed one hop at a time, each hop through the per-host [`Gate`], so that no host is
//! asked twice at once even when a redirect leads back to it.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use url::Url;

use super::gate::{Gate, Held};

/// How many redirects are followed before giving up.
pub(super) const MAX_REDIRECTS: usize = 10;

/// What asking about a URL found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub(crate) enum Outcome {
    /// It answered 2xx, directly or through temporary redirects.
    Ok {
        /// The final status.
        status: u16,
    },
    /// It answered 2xx after permanent redirects (301, 308) only, at `to`.
    Moved {
        /// The status of the first redirect.
        status: u16,
        /// The final URL.
        to: String,
    },
    /// It answered 4xx or 5xx (at `at`, if redirects led there).
    Dead {
        /// The status.
        status: u16,
        /// The URL that answered, if not the one written.
        at: Option<String>,
    },
    /// No answer: no such host, no connection, a timeout, too many redirects.
    Failed {
        /// Why, in words.
        reason: String,
        /// It was a timeout.
        timeout: bool,
    },
}

impl Outcome {
    /// Whether this answer may be reused from the cache: an answer of the host, not a
    /// failure to reach it (which may pass).
    pub(crate) fn cacheable(&self) -> bool {
        !matches!(self, Outcome::Failed { .. })
    }
}

/// The agent every request goes through: no redirects of its own (they are followed here,
/// hop by hop), statuses as answers, not errors.
pub(super) fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_connect(Some(timeout))
        .timeout_recv_response(Some(timeout))
        .timeout_global(Some(timeout.saturating_mul(3)))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!(
            "briefing/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into()
}

/// Ask about `url`, whose host `held` holds already.
pub(super) fn check_url<J>(
    agent: &ureq::Agent,
    gate: &Gate<J>,
    url: &Url,
    held: Held<'_>,
) -> Outcome {
    let mut current = url.clone();
    let mut held = Some(held);
    let mut first_status = None;
    let mut permanent = true;
    for _ in 0..=MAX_REDIRECTS {
        let host = super::host_of(&current);
        let _turn = match held.take() {
            Some(h) if h.host() == host => h,
            _ => gate.acquire(&host),
        };
        let (status, location) = match ask(agent, &current) {
            Ok(answer) => answer,
            Err(failed) => return failed,
        };
        match (status, location) {
            (300..=399, Some(location)) => {
                let Ok(next) = current.join(&location) else {
                    return failed(format!("it redirects to `{location}`, which is no URL"));
                };
                first_status.get_or_insert(status);
                permanent &= matches!(status, 301 | 308);
                current = next;
            }
            (200..=299, _) => {
                return match first_status {
                    Some(status) if permanent => Outcome::Moved {
                        status,
                        to: current.to_string(),
                    },
                    _ => Outcome::Ok { status },
                };
            }
            (status, _) => {
                return Outcome::Dead {
                    status,
                    at: first_status.map(|_| current.to_string()),
                };
            }
        }
    }
    failed(format!("it redirects more than {MAX_REDIRECTS} times"))
}

fn failed(reason: String) -> Outcome {
    Outcome::Failed {
        reason,
        timeout: false,
    }
}

/// One exchange: HEAD, or GET when the server refuses HEAD. The status and the `Location`
/// header; the body is never read.
fn ask(agent: &ureq::Agent, url: &Url) -> Result<(u16, Option<String>), Outcome> {
    let location = |r: &ureq::http::Response<ureq::Body>| {
        r.headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let head = agent.head(url.as_str()).call().map_err(outcome_of)?;
    let status = head.status().as_u16();
    if !matches!(status, 405 | 501) {
        return Ok((status, location(&head)));
    }
    drop(head);
    let get = agent.get(url.as_str()).call().map_err(outcome_of)?;
    Ok((get.status().as_u16(), location(&get)))
}

/// The outcome of a request that got no answer.
fn outcome_of(e: ureq::Error) -> Outcome {
    let (reason, timeout) = match &e {
        ureq::Error::Timeout(_) => ("no answer in time".to_string(), true),
        ureq::Error::HostNotFound => ("the host was not found".to_string(), false),
        ureq::Error::ConnectionFailed => ("the connection failed".to_string(), false),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            ("no answer in time".to_string(), true)
        }
        ureq::Error::Io(io) => (format!("the connection failed ({io})"), false),
        other => (format!("the request failed ({other})"), false),
    };
    Outcome::Failed { reason, timeout }
}
