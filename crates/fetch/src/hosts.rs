//! Per-host politeness: one request in flight per host, and a delay between the end of one
//! request and the start of the next (the larger of sitrep's own and the site's Crawl-delay).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long a waiting thread sleeps at most before it looks at the stop flag again.
const POLL: Duration = Duration::from_millis(100);

#[derive(Default)]
struct Slot {
    busy: bool,
    next: Option<Instant>,
    /// The site's Crawl-delay, when it asks for more than sitrep's own delay.
    crawl_delay: Option<Duration>,
}

/// The gate every request passes: [`HostGate::enter`] waits for the host's turn.
pub struct HostGate {
    delay: Duration,
    slots: Mutex<HashMap<String, Slot>>,
    turn: Condvar,
}

/// A host's turn; the next request to the host may start `delay` after it is dropped.
pub struct Turn<'a> {
    gate: &'a HostGate,
    host: String,
}

impl HostGate {
    pub fn new(delay: Duration) -> Self {
        HostGate {
            delay,
            slots: Mutex::new(HashMap::new()),
            turn: Condvar::new(),
        }
    }

    /// Waits for `host`'s turn; `None` when `stop` was raised while waiting.
    pub fn enter(&self, host: &str, stop: &AtomicBool) -> Option<Turn<'_>> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if stop.load(Ordering::Relaxed) {
                return None;
            }
            let slot = slots.entry(host.to_string()).or_default();
            let now = Instant::now();
            let wait = slot
                .next
                .map_or(Duration::ZERO, |t| t.saturating_duration_since(now));
            if !slot.busy && wait.is_zero() {
                slot.busy = true;
                return Some(Turn {
                    gate: self,
                    host: host.to_string(),
                });
            }
            let nap = if slot.busy { POLL } else { wait.min(POLL) };
            slots = self
                .turn
                .wait_timeout(slots, nap)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Records the site's Crawl-delay for `host` (capped: a site cannot stall a round).
    pub fn set_crawl_delay(&self, host: &str, delay: Duration) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.entry(host.to_string()).or_default().crawl_delay =
            Some(delay.min(Duration::from_secs(60)));
    }

    fn leave(&self, host: &str) {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        let slot = slots.entry(host.to_string()).or_default();
        slot.busy = false;
        let delay = slot.crawl_delay.map_or(self.delay, |d| d.max(self.delay));
        slot.next = Some(Instant::now() + delay);
        self.turn.notify_all();
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        self.gate.leave(&self.host);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn one_host_is_served_one_at_a_time_with_the_delay_between() {
        let gate = Arc::new(HostGate::new(Duration::from_millis(50)));
        let stop = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let handles: Vec<_> = (0..3)
            .map(|_| {
                let (gate, stop) = (gate.clone(), stop.clone());
                std::thread::spawn(move || {
                    let _turn = gate.enter("a.example", &stop).unwrap();
                    Instant::now()
                })
            })
            .collect();
        let mut starts: Vec<Instant> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        starts.sort();
        assert!(starts[2] - started >= Duration::from_millis(100));
        // Another host does not wait for the first.
        let other = gate.enter("b.example", &stop);
        assert!(other.is_some());
    }

    #[test]
    fn a_raised_stop_ends_the_wait() {
        let gate = HostGate::new(Duration::from_secs(3600));
        let stop = AtomicBool::new(false);
        drop(gate.enter("a.example", &stop));
        stop.store(true, Ordering::Relaxed);
        assert!(gate.enter("a.example", &stop).is_none());
    }
}
