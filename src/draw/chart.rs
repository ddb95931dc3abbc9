//! Charts: bars per period (incidents, casualties) and the statements of an incident on a
//! time axis around it.

use std::fmt::Write;

use super::svg::{esc, num};

const WIDTH: f64 = 600.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 10.0;
const PLOT_HEIGHT: f64 = 140.0;
const BOTTOM: f64 = 26.0;

/// One bar: a period and its values, one per series, stacked.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Machine key of the period (`2024`, `2024-03`), written as `data-period`.
    pub key: String,
    /// The period for readers (`March 2024`), in the bar's tooltip.
    pub label: String,
    /// Text under the bar on the axis, for the bars that carry one.
    pub tick: Option<String>,
    /// One value per series.
    pub values: Vec<u64>,
}

/// A bar chart.
#[derive(Debug, Clone, Copy)]
pub struct BarChart<'a> {
    /// Accessible name.
    pub label: &'a str,
    /// Names of the series (`incidents`; `killed`, `injured`), for the tooltips; each is
    /// also the CSS class of its bars.
    pub series: &'a [&'a str],
    /// The bars, oldest first.
    pub bars: &'a [Bar],
}

/// A round step for about four gridlines up to `max`.
fn step_for(max: u64) -> u64 {
    let rough = (max as f64 / 4.0).max(1.0);
    let mag = 10f64.powi(rough.log10().floor() as i32);
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * mag);
    step.max(1.0) as u64
}

/// A bar chart: values stacked per period, a y axis with round gridlines.
pub fn bar_chart(c: BarChart<'_>) -> String {
    let max = c
        .bars
        .iter()
        .map(|b| b.values.iter().sum::<u64>())
        .max()
        .unwrap_or(0);
    let step = step_for(max);
    let top = max.div_ceil(step).max(1) * step;
    let plot_w = WIDTH - LEFT - RIGHT;
    let slot = plot_w / c.bars.len().max(1) as f64;
    let gap = if slot > 4.0 { slot * 0.15 } else { 0.0 };
    let y_of = |v: u64| TOP + PLOT_HEIGHT - PLOT_HEIGHT * v as f64 / top as f64;
    let mut svg = String::with_capacity(512 + 200 * c.bars.len());
    let _ = write!(
        svg,
        "<svg class=\"chart chart-bars\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">",
        num(WIDTH),
        num(TOP + PLOT_HEIGHT + BOTTOM),
        esc(c.label)
    );
    svg.push_str("<g class=\"axis\">");
    let mut v = 0;
    while v <= top {
        let y = num(y_of(v));
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\"/><text class=\"tick\" x=\"{}\" y=\"{y}\" dy=\"0.35em\" text-anchor=\"end\">{v}</text>",
            num(LEFT),
            num(WIDTH - RIGHT),
            num(LEFT - 4.0),
        );
        v += step;
    }
    for (i, b) in c.bars.iter().enumerate() {
        if let Some(t) = &b.tick {
            let x = LEFT + slot * i as f64;
            let _ = write!(
                svg,
                "<line class=\"tick-mark\" x1=\"{x}\" x2=\"{x}\" y1=\"{y0}\" y2=\"{y1}\"/><text class=\"tick\" x=\"{x}\" y=\"{y2}\">{}</text>",
                esc(t),
                x = num(x + slot / 2.0),
                y0 = num(TOP + PLOT_HEIGHT),
                y1 = num(TOP + PLOT_HEIGHT + 4.0),
                y2 = num(TOP + PLOT_HEIGHT + 17.0),
            );
        }
    }
    svg.push_str("</g><g class=\"bars\">");
    for (i, b) in c.bars.iter().enumerate() {
        let total: u64 = b.values.iter().sum();
        let mut title = esc(&b.label);
        title.push(':');
        for (k, v) in b.values.iter().enumerate() {
            let name = c.series.get(k).copied().unwrap_or("");
            let _ = write!(title, "{} {v} {}", if k == 0 { "" } else { "," }, esc(name));
        }
        let _ = write!(
            svg,
            "<g class=\"bar\" data-period=\"{}\" data-value=\"{}\"><title>{title}</title>",
            esc(&b.key),
            b.values
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        );
        let x = LEFT + slot * i as f64 + gap / 2.0;
        let mut base = 0;
        for (k, &v) in b.values.iter().enumerate() {
            if v == 0 {
                continue;
            }
            let (y_top, y_bottom) = (y_of(base + v), y_of(base));
            let _ = write!(
                svg,
                "<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                esc(c.series.get(k).copied().unwrap_or("")),
                num(x),
                num(y_top),
                num((slot - gap).max(0.5)),
                num(y_bottom - y_top)
            );
            base += v;
        }
        // An empty period still has a hover target and its tooltip.
        if total == 0 {
            let _ = write!(
                svg,
                "<rect class=\"empty\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"2\"/>",
                num(x),
                num(TOP + PLOT_HEIGHT - 2.0),
                num((slot - gap).max(0.5)),
            );
        }
        svg.push_str("</g>");
    }
    svg.push_str("</g></svg>");
    svg
}

/// A statement on the time axis: from `from` to `to` days after the incident's start
/// (equal for a dated moment; a span for a statement known only to the month or year).
#[derive(Debug, Clone)]
pub struct TimeMark {
    /// Start, in days from the incident's start.
    pub from: f64,
    /// End, in days from the incident's start.
    pub to: f64,
    /// Whether the date is a moment (a day's middle or a time), drawn as a dot.
    pub exact: bool,
    /// CSS class of the mark (the stance, e.g. `stance-claims`).
    pub class: String,
    /// Tooltip.
    pub label: String,
}

/// The statements of an incident on an axis from `-window` to `+window` days.
#[derive(Debug, Clone, Copy)]
pub struct TimeAxis<'a> {
    /// Accessible name.
    pub label: &'a str,
    /// Days either side of the incident's start.
    pub window: f64,
    /// Length of the incident in days (its date's precision, or its end date).
    pub incident_days: f64,
    /// The statements.
    pub marks: &'a [TimeMark],
}

/// The time axis: a band for the incident, a dot for a statement dated to the day or
/// better, a bar over its month or year for a coarser one, and counts of the statements
/// outside the window at either end.
pub fn time_axis(a: TimeAxis<'_>) -> String {
    const LANE: f64 = 14.0;
    let (left, right) = (LEFT + 30.0, WIDTH - RIGHT - 30.0);
    let x_of = |d: f64| {
        left + (d.clamp(-a.window, a.window) + a.window) / (2.0 * a.window) * (right - left)
    };
    let before = a.marks.iter().filter(|m| m.to < -a.window).count();
    let after = a.marks.iter().filter(|m| m.from > a.window).count();
    // Lanes: a mark goes into the first lane where it does not overlap the last one.
    let mut lanes: Vec<f64> = Vec::new();
    let mut placed = Vec::new();
    for m in a
        .marks
        .iter()
        .filter(|m| m.to >= -a.window && m.from <= a.window)
    {
        let (x0, x1) = if m.exact {
            let x = x_of(m.from);
            (x - 5.0, x + 5.0)
        } else {
            (x_of(m.from), x_of(m.to).max(x_of(m.from) + 3.0))
        };
        let lane = match lanes.iter().position(|&end| end + 2.0 < x0) {
            Some(l) => l,
            None => {
                lanes.push(f64::NEG_INFINITY);
                lanes.len() - 1
            }
        };
        lanes[lane] = x1;
        placed.push((m, lane, x0, x1));
    }
    let lanes_n = lanes.len().max(1) as f64;
    let axis_y = TOP + lanes_n * LANE + 6.0;
    let height = axis_y + BOTTOM;
    let mut svg = String::with_capacity(1024 + 200 * placed.len());
    let _ = write!(
        svg,
        "<svg class=\"chart chart-time\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">",
        num(WIDTH),
        num(height),
        esc(a.label)
    );
    let (i0, i1) = (x_of(0.0), x_of(a.incident_days).max(x_of(0.0) + 2.0));
    let _ = write!(
        svg,
        "<rect class=\"incident-band\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>The incident</title></rect>",
        num(i0),
        num(TOP - 4.0),
        num(i1 - i0),
        num(axis_y - TOP + 4.0)
    );
    svg.push_str("<g class=\"axis\">");
    let _ = write!(
        svg,
        "<line class=\"baseline\" x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\"/>",
        num(left),
        num(right),
        y = num(axis_y)
    );
    let tick_every = (a.window / 3.0).round().max(1.0);
    let mut d = -a.window;
    while d <= a.window + 1e-9 {
        let text = if d == 0.0 {
            "T".to_string()
        } else if d < 0.0 {
            format!("T−{} d", -d)
        } else {
            format!("T+{d} d")
        };
        let x = num(x_of(d));
        let _ = write!(
            svg,
            "<line class=\"tick-mark\" x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\"/><text class=\"tick\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{text}</text>",
            num(axis_y),
            num(axis_y + 4.0),
            num(axis_y + 17.0)
        );
        d += tick_every;
    }
    if before > 0 {
        let _ = write!(
            svg,
            "<text class=\"tick outside\" x=\"{}\" y=\"{}\">← {before} earlier</text>",
            num(4.0),
            num(axis_y - 4.0)
        );
    }
    if after > 0 {
        let _ = write!(
            svg,
            "<text class=\"tick outside\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{after} later →</text>",
            num(WIDTH - 4.0),
            num(axis_y - 4.0)
        );
    }
    svg.push_str("</g><g class=\"marks\">");
    for (m, lane, x0, x1) in placed {
        let y = TOP + lane as f64 * LANE + LANE / 2.0;
        let _ = write!(
            svg,
            "<g class=\"mark {}\"><title>{}</title>",
            esc(&m.class),
            esc(&m.label)
        );
        if m.exact {
            let _ = write!(
                svg,
                "<circle cx=\"{}\" cy=\"{}\" r=\"4.5\"/>",
                num((x0 + x1) / 2.0),
                num(y)
            );
        } else {
            let _ = write!(
                svg,
                "<rect class=\"span\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"6\" rx=\"3\"/>",
                num(x0),
                num(y - 3.0),
                num(x1 - x0)
            );
        }
        svg.push_str("</g>");
    }
    svg.push_str("</g></svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round() {
        assert_eq!(step_for(0), 1);
        assert_eq!(step_for(3), 1);
        assert_eq!(step_for(10), 5);
        assert_eq!(step_for(139), 50);
        assert_eq!(step_for(1234), 500);
    }

    #[test]
    fn bars_carry_their_values_and_heights_follow_them() {
        let bars = [
            Bar {
                key: "2023".into(),
                label: "2023".into(),
                tick: Some("2023".into()),
                values: vec![2],
            },
            Bar {
                key: "2024".into(),
                label: "2024".into(),
                tick: None,
                values: vec![4],
            },
        ];
        let svg = bar_chart(BarChart {
            label: "Incidents per year",
            series: &["incidents"],
            bars: &bars,
        });
        assert!(svg.contains("data-period=\"2024\" data-value=\"4\""));
        assert!(svg.contains("height=\"70\""), "{svg}");
        assert!(svg.contains("height=\"140\""), "{svg}");
    }

    #[test]
    fn marks_outside_the_window_are_counted() {
        let mark = |from: f64, to: f64| TimeMark {
            from,
            to,
            exact: from == to,
            class: "stance-claims".into(),
            label: "x".into(),
        };
        let svg = time_axis(TimeAxis {
            label: "Statements",
            window: 30.0,
            incident_days: 1.0,
            marks: &[
                mark(-40.0, -40.0),
                mark(0.5, 0.5),
                mark(-10.0, 20.0),
                mark(45.0, 45.0),
            ],
        });
        assert!(svg.contains("← 1 earlier"));
        assert!(svg.contains("1 later →"));
        assert_eq!(svg.matches("<circle").count(), 1);
        assert_eq!(svg.matches("class=\"span\"").count(), 1);
    }
}
