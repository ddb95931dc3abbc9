//! The per-host rate limit: at most one request to a host at a time, and at least `delay`
//! between the starts of two requests to it. Also the queue of URLs to check, so a worker
//! takes the next URL whose host is free instead of waiting on a busy one.

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// A host's turn.
#[derive(Default)]
struct Slot {
    /// A request to it is under way.
    busy: bool,
    /// No request to it may start before.
    not_before: Option<Instant>,
}

struct State<J> {
    /// URLs left to check, with their hosts.
    queue: VecDeque<(String, J)>,
    hosts: HashMap<String, Slot>,
}

/// The hosts' turns and the queue of jobs (`J`) for them.
pub(super) struct Gate<J = ()> {
    state: Mutex<State<J>>,
    changed: Condvar,
    delay: Duration,
}

/// The turn of one host, given back when dropped.
pub(super) struct Held<'g> {
    gate: &'g dyn Release,
    host: String,
    /// When the turn was given.
    #[cfg_attr(not(test), allow(dead_code))]
    at: Instant,
}

impl Held<'_> {
    /// The host held.
    pub(super) fn host(&self) -> &str {
        &self.host
    }
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.gate.release(&self.host);
    }
}

impl<J> Gate<J> {
    /// A gate letting a host be asked again `delay` after the last request to it started,
    /// with `jobs` (host, job) to hand out.
    pub(super) fn new(delay: Duration, jobs: impl IntoIterator<Item = (String, J)>) -> Self {
        Gate {
            state: Mutex::new(State {
                queue: jobs.into_iter().collect(),
                hosts: HashMap::new(),
            }),
            changed: Condvar::new(),
            delay,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<J>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next job whose host is free, with that host's turn; waits while every queued
    /// host is busy or too recently asked; `None` when the queue is empty.
    pub(super) fn next_job(&self) -> Option<(J, Held<'_>)> {
        let mut state = self.lock();
        loop {
            if state.queue.is_empty() {
                return None;
            }
            let now = Instant::now();
            let ready = (state.queue.iter()).position(|(host, _)| free(&state.hosts, host, now));
            if let Some(i) = ready {
                let (host, job) = state.queue.remove(i)?;
                return Some((job, self.take(&mut state, host, now)));
            }
            let wait = (state.queue.iter())
                .filter_map(|(host, _)| wait_for(&state.hosts, host, now))
                .min()
                .unwrap_or(Duration::from_millis(200));
            state = self.wait(state, wait);
        }
    }

    /// The turn of `host`, waiting for it.
    pub(super) fn acquire(&self, host: &str) -> Held<'_> {
        let mut state = self.lock();
        loop {
            let now = Instant::now();
            if free(&state.hosts, host, now) {
                return self.take(&mut state, host.to_string(), now);
            }
            let wait = wait_for(&state.hosts, host, now).unwrap_or(Duration::from_millis(200));
            state = self.wait(state, wait);
        }
    }

    fn wait<'s>(
        &self,
        state: MutexGuard<'s, State<J>>,
        wait: Duration,
    ) -> MutexGuard<'s, State<J>> {
        let wait = wait.max(Duration::from_millis(1));
        (self.changed.wait_timeout(state, wait))
            .unwrap_or_else(PoisonError::into_inner)
            .0
    }

    fn take(&self, state: &mut State<J>, host: String, now: Instant) -> Held<'_> {
        let slot = state.hosts.entry(host.clone()).or_default();
        slot.busy = true;
        slot.not_before = Some(now + self.delay);
        Held {
            gate: self,
            host,
            at: now,
        }
    }
}

/// What a [`Held`] turn goes back to.
trait Release {
    fn release(&self, host: &str);
}

impl<J> Release for Gate<J> {
    fn release(&self, host: &str) {
        if let Some(slot) = self.lock().hosts.get_mut(host) {
            slot.busy = false;
        }
        self.changed.notify_all();
    }
}

/// Whether `host` may be asked at `now`.
fn free(hosts: &HashMap<String, Slot>, host: &str, now: Instant) -> bool {
    hosts
        .get(host)
        .is_none_or(|s| !s.busy && s.not_before.is_none_or(|t| t <= now))
}

/// How long until `host` may be asked, if it is only waiting for its delay (a busy host
/// says when it is done).
fn wait_for(hosts: &HashMap<String, Slot>, host: &str, now: Instant) -> Option<Duration> {
    let slot = hosts.get(host)?;
    (!slot.busy).then(|| {
        slot.not_before
            .map_or(Duration::ZERO, |t| t.saturating_duration_since(now))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn one_request_per_host_at_a_time_and_the_delay_between() {
        let jobs = (0..6).map(|i| (if i % 2 == 0 { "a" } else { "b" }.to_string(), i));
        let gate = Gate::new(Duration::from_millis(20), jobs);
        let active: HashMap<&str, AtomicUsize> =
            [("a", AtomicUsize::new(0)), ("b", AtomicUsize::new(0))].into();
        let starts = Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    while let Some((_, held)) = gate.next_job() {
                        let host = if held.host() == "a" { "a" } else { "b" };
                        let now = active[host].fetch_add(1, Ordering::SeqCst);
                        assert_eq!(now, 0, "two requests to `{host}` at once");
                        starts.lock().unwrap().push((host, held.at));
                        std::thread::sleep(Duration::from_millis(5));
                        active[host].fetch_sub(1, Ordering::SeqCst);
                    }
                });
            }
        });
        let starts = starts.into_inner().unwrap();
        assert_eq!(starts.len(), 6);
        for host in ["a", "b"] {
            let times: Vec<Instant> = starts
                .iter()
                .filter(|(h, _)| *h == host)
                .map(|(_, t)| *t)
                .collect();
            let mut times = times;
            times.sort();
            for pair in times.windows(2) {
                assert!(
                    pair[1] - pair[0] >= Duration::from_millis(20),
                    "{host}: {:?}",
                    pair[1] - pair[0]
                );
            }
        }
    }

    #[test]
    fn acquire_waits_for_a_busy_host() {
        let gate: Gate = Gate::new(Duration::ZERO, []);
        let first = gate.acquire("a");
        let other = gate.acquire("b");
        let released = Mutex::new(None);
        std::thread::scope(|s| {
            let waiter = s.spawn(|| gate.acquire("a").at);
            std::thread::sleep(Duration::from_millis(30));
            *released.lock().unwrap() = Some(Instant::now());
            drop(first);
            let acquired = waiter.join().unwrap();
            assert!(acquired >= released.lock().unwrap().unwrap());
        });
        drop(other);
        assert!(gate.next_job().is_none());
    }
}
