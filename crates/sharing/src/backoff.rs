//! When to try a failed send again: exponential backoff from 2 seconds, doubling, capped at
//! 15 minutes, with jitter so many devices that lost the same server do not return at once
//! (backon's schedule); a server's `Retry-After` is honoured when it asks for longer, up to a
//! day, so a misconfigured server cannot silence sharing for good.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use chrono::{DateTime, Utc};

/// The longest wait between tries of the schedule.
pub const LONGEST: Duration = Duration::from_secs(15 * 60);

/// The longest `Retry-After` honoured.
pub const LONGEST_ASKED: Duration = Duration::from_secs(24 * 3600);

/// The wait before try number `attempts + 1`, after `attempts` failed tries.
pub fn wait(attempts: u32, retry_after: Option<Duration>) -> Duration {
    let scheduled = ExponentialBuilder::new()
        .with_min_delay(Duration::from_secs(2))
        .with_factor(2.0)
        .with_max_delay(LONGEST)
        .with_jitter()
        .without_max_times()
        .build()
        .nth(attempts as usize)
        .unwrap_or(LONGEST);
    match retry_after {
        Some(asked) => scheduled.max(asked.min(LONGEST_ASKED)),
        None => scheduled,
    }
}

/// Reads a `Retry-After` header: seconds, or an HTTP date (then counted from `now`).
pub fn retry_after(header: &str, now: DateTime<Utc>) -> Option<Duration> {
    let header = header.trim();
    if let Ok(seconds) = header.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when: DateTime<Utc> = httpdate::parse_http_date(header).ok()?.into();
    Some((when - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_then_stop_growing() {
        // Jitter adds up to one more delay; the floor doubles.
        assert!(wait(0, None) >= Duration::from_secs(2));
        assert!(wait(0, None) <= Duration::from_secs(4));
        assert!(wait(3, None) >= Duration::from_secs(16));
        assert!(wait(40, None) <= LONGEST * 2);
        assert!(wait(40, None) >= LONGEST);
    }

    #[test]
    fn retry_after_is_honoured_within_a_day() {
        assert!(wait(0, Some(Duration::from_secs(120))) >= Duration::from_secs(120));
        assert_eq!(
            wait(0, Some(Duration::from_secs(10 * 24 * 3600))),
            LONGEST_ASKED
        );
        let now = DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z")
            .map(|t| t.to_utc())
            .unwrap_or_default();
        assert_eq!(retry_after("30", now), Some(Duration::from_secs(30)));
        assert_eq!(
            retry_after("Sun, 01 Mar 2026 10:01:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            retry_after("Sun, 01 Mar 2026 09:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon", now), None);
    }
}
