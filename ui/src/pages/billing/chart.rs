//! Hours per customer as an inline SVG bar chart (no chart library: a few rectangles, the
//! theme's `--chart-1..5` colours, readable in light and dark).

use leptos::prelude::*;
use timebridge_types::billing::BillingPreviewView;

use crate::i18n::fmt;
use crate::i18n::pages::billing::t;

const WIDTH: f64 = 420.0;
const LABEL: f64 = 130.0;
const VALUE: f64 = 64.0;
const ROW: f64 = 30.0;
const BAR: f64 = 18.0;

/// Shortens a name to fit the label column.
fn short(name: &str) -> String {
    const MAX: usize = 18;
    if name.chars().count() <= MAX {
        name.to_string()
    } else {
        format!("{}…", name.chars().take(MAX - 1).collect::<String>())
    }
}

/// The chart.
#[component]
pub(super) fn HoursChart(preview: BillingPreviewView) -> impl IntoView {
    let rows: Vec<(i64, String, String, f64)> = preview
        .by_customer
        .iter()
        .map(|c| {
            let h = c.totals.hours.parse::<f64>().unwrap_or(0.0);
            (c.customer_id, c.customer.clone(), c.totals.hours.clone(), h)
        })
        .collect();
    let max = rows.iter().map(|r| r.3).fold(0.0_f64, f64::max);
    let height = (rows.len().max(1) as f64) * ROW + 6.0;
    let span = WIDTH - LABEL - VALUE;
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, (id, name, hours, h))| {
            let y = 3.0 + i as f64 * ROW;
            let w = if max > 0.0 { (h / max * span).max(2.0) } else { 2.0 };
            let colour = format!("var(--chart-{})", i % 5 + 1);
            let title = name.clone();
            view! {
                <g class="billing-bar-row">
                    <title>{title}</title>
                    <text class="billing-chart-label" x=LABEL - 8.0 y=y + BAR / 2.0 + 4.0 text-anchor="end">
                        {short(&name)}
                    </text>
                    <rect
                        id=format!("billing-bar-{id}")
                        data-hours=hours.clone()
                        x=LABEL
                        y=y
                        width=w
                        height=BAR
                        rx="3"
                        style:fill=colour
                    ></rect>
                    <text class="billing-chart-value" x=LABEL + w + 6.0 y=y + BAR / 2.0 + 4.0>
                        {move || fmt::decimal(&hours)}
                    </text>
                </g>
            }
        })
        .collect_view();
    view! {
        <div class="card billing-chart-card">
            <h3>{move || t().chart_title}</h3>
            <svg
                id="billing-chart"
                class="billing-chart"
                viewBox=format!("0 0 {WIDTH} {height}")
                role="img"
                aria-label=move || t().chart_title
            >
                {bars}
            </svg>
        </div>
    }
}
