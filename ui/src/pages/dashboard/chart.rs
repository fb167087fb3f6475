//! The month's hours per customer as an inline SVG bar chart: one horizontal bar per customer
//! (largest first), an hour axis with round ticks and grid lines, each bar's value at its end.
//! Colours come from the theme (`--chart-1..5` via classes in dashboard.css), so light and
//! dark follow. Beside it, the exact hours per customer (`dash-hours-<id>`) and the total.

use leptos::prelude::*;
use timebridge_types::dashboard::CustomerHours;

use crate::i18n::pages::dashboard::t;
use crate::i18n::{common, fmt};

const WIDTH: f64 = 640.0;
const LABEL_W: f64 = 150.0;
const VALUE_W: f64 = 70.0;
const BAR_H: f64 = 22.0;
const ROW_GAP: f64 = 12.0;
const TOP: f64 = 8.0;
const AXIS_H: f64 = 26.0;

/// A round tick step and the axis maximum for `max` hours (at most ~6 ticks).
pub(super) fn ticks(max: f64) -> (f64, f64) {
    let max = if max > 0.0 { max } else { 1.0 };
    let raw = max / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    (step, (max / step).ceil() * step)
}

/// A name shortened to fit the label column.
fn short(name: &str) -> String {
    const MAX: usize = 20;
    if name.chars().count() <= MAX {
        name.to_string()
    } else {
        let cut: String = name.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}

/// The chart and the list of exact hours.
#[component]
pub(super) fn HoursChart(hours: Vec<CustomerHours>) -> impl IntoView {
    let mut hours = hours;
    hours.sort_by(|a, b| b.seconds.cmp(&a.seconds).then(a.customer.cmp(&b.customer)));
    let total: i64 = hours.iter().map(|h| h.seconds).sum();
    let max_h = hours.iter().map(|h| h.seconds).max().unwrap_or(0) as f64 / 3600.0;
    let (step, axis_max) = ticks(max_h);
    let plot_w = WIDTH - LABEL_W - VALUE_W;
    let x = move |h: f64| LABEL_W + h / axis_max * plot_w;
    let rows = hours.len().max(1) as f64;
    let plot_h = rows * (BAR_H + ROW_GAP);
    let height = TOP + plot_h + AXIS_H;
    let n_ticks = (axis_max / step).round() as usize;
    let grid = (0..=n_ticks)
        .map(|i| {
            let h = step * i as f64;
            let gx = x(h);
            let label = trim(h);
            view! {
                <g class="tick">
                    <line x1=gx x2=gx y1=TOP y2=TOP + plot_h class="grid"/>
                    <text x=gx y=TOP + plot_h + 16.0 text-anchor="middle" class="axis-label">
                        {move || fmt::decimal(&label)}
                    </text>
                </g>
            }
        })
        .collect_view();
    let bars = hours
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let y = TOP + i as f64 * (BAR_H + ROW_GAP) + ROW_GAP / 2.0;
            let w = (x(c.seconds as f64 / 3600.0) - LABEL_W).max(1.0);
            let value = c.hours.clone();
            view! {
                <g class="bar-row">
                    <text x=LABEL_W - 8.0 y=y + BAR_H / 2.0 text-anchor="end"
                        dominant-baseline="central" class="bar-label">{short(&c.customer)}</text>
                    <rect id=format!("dash-bar-{}", c.customer_id) class=format!("bar chart-c{}", i % 5 + 1)
                        x=LABEL_W y=y width=w height=BAR_H rx="3" data-value=c.hours.clone()/>
                    <text x=LABEL_W + w + 6.0 y=y + BAR_H / 2.0 dominant-baseline="central"
                        class="bar-value">
                        {move || format!("{} {}", fmt::decimal(&value), common::t().hours_unit)}
                    </text>
                </g>
            }
        })
        .collect_view();
    let empty = hours.is_empty();
    let legend = hours
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let value = c.hours.clone();
            view! {
                <li>
                    <span class=format!("swatch chart-c{}", i % 5 + 1)></span>
                    <span class="legend-name">{c.customer.clone()}</span>
                    <span class="legend-hours num" id=format!("dash-hours-{}", c.customer_id)
                        data-value=c.hours.clone()>
                        {move || fmt::decimal(&value)}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="dash-chart-wrap">
            <svg id="dash-chart" class="dash-chart" viewBox=format!("0 0 {WIDTH} {height}")
                role="img" aria-label=move || t().hours_title>
                {grid}
                {bars}
                {empty.then(|| view! {
                    <text x=LABEL_W + plot_w / 2.0 y=TOP + plot_h / 2.0 text-anchor="middle"
                        dominant-baseline="central" class="axis-label">
                        {move || t().no_hours}
                    </text>
                })}
            </svg>
            <ul class="dash-legend">
                {legend}
                <li class="legend-total">
                    <span class="swatch none"></span>
                    <span class="legend-name">{move || t().hours_total}</span>
                    <span class="legend-hours num" id="dash-hours-total"
                        data-value=fmt_hours_raw(total)>
                        {move || fmt::hours(total)}
                    </span>
                </li>
            </ul>
        </div>
    }
}

/// A tick value without trailing zeros (`2.5`, `10`).
fn trim(h: f64) -> String {
    let s = format!("{h:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Seconds as an unlocalized hours string (`7.50`) for `data-value`.
fn fmt_hours_raw(seconds: i64) -> String {
    let hundredths = (seconds.unsigned_abs() * 100 + 1800) / 3600;
    let sign = if seconds < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", hundredths / 100, hundredths % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_largest_bar() {
        assert_eq!(ticks(0.0), (0.2, 1.0));
        assert_eq!(ticks(7.25), (2.0, 8.0));
        assert_eq!(ticks(42.0), (10.0, 50.0));
        assert_eq!(ticks(120.0), (25.0, 125.0));
        assert_eq!(trim(2.5), "2.5");
        assert_eq!(trim(10.0), "10");
        assert_eq!(fmt_hours_raw(27000), "7.50");
        assert_eq!(short("Acme GmbH"), "Acme GmbH");
        assert_eq!(
            short("A very long customer name indeed").chars().count(),
            20
        );
    }
}
