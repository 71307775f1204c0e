//! apimachinery's `HumanDuration` (spec §8): AGE and the "ago" of RESTARTS, integer truncation.

use crate::engine::SimDuration;

/// Formats a duration like kubectl's AGE column.
pub fn human_duration(d: SimDuration) -> String {
    human_seconds(d.whole_secs() as i64)
}

/// `HumanDuration` on whole seconds (negative values: `<invalid>` below -1 s, else `0s`).
pub fn human_seconds(s: i64) -> String {
    if s < -1 {
        return "<invalid>".into();
    }
    if s < 0 {
        return "0s".into();
    }
    let minutes = s / 60;
    let hours = s / 3600;
    let days = s / 86_400;
    let years = days / 365;
    if s < 120 {
        format!("{s}s")
    } else if minutes < 10 {
        let sec = s % 60;
        if sec == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{sec}s")
        }
    } else if minutes < 180 {
        format!("{minutes}m")
    } else if hours < 8 {
        let m = minutes % 60;
        if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        }
    } else if hours < 48 {
        format!("{hours}h")
    } else if hours < 192 {
        let h = hours % 24;
        if h == 0 {
            format!("{days}d")
        } else {
            format!("{days}d{h}h")
        }
    } else if years < 2 {
        format!("{days}d")
    } else if years < 8 {
        let d = days % 365;
        if d == 0 {
            format!("{years}y")
        } else {
            format!("{years}y{d}d")
        }
    } else {
        format!("{years}y")
    }
}

#[cfg(test)]
mod tests {
    use super::human_seconds as h;

    #[test]
    fn matches_the_spec_examples() {
        assert_eq!(h(-5), "<invalid>");
        assert_eq!(h(31), "31s");
        assert_eq!(h(119), "119s");
        assert_eq!(h(312), "5m12s");
        assert_eq!(h(120), "2m");
        assert_eq!(h(95 * 60), "95m");
        assert_eq!(h(179 * 60), "179m");
        assert_eq!(h(5 * 3600 + 15 * 60), "5h15m");
        assert_eq!(h(13 * 3600), "13h");
        assert_eq!(h(47 * 3600), "47h");
        assert_eq!(h(3 * 86_400 + 4 * 3600), "3d4h");
        assert_eq!(h(13 * 86_400), "13d");
        assert_eq!(h(400 * 86_400), "400d");
    }
}
