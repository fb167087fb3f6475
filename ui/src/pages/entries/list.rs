//! The virtualized list. The scroll container (`entries-list`) holds a spacer as tall as all
//! matching rows (`total × ROW_H`); only the rows in view plus a few above and below
//! (`OVERSCAN`) exist in the DOM, positioned absolutely. Rows come from the core in pages of
//! `PAGE`, fetched when first needed and kept in a map by page number; a filter change or a
//! finished sync (`shared.changed`) drops the map (a filter change also scrolls to the top),
//! and a generation number discards answers that arrive for a dropped map.
//!
//! At most `ceil(VIEW_H / ROW_H) + 1 + 2 × OVERSCAN` rows are rendered, however many entries
//! match: 33 with the CSS height, for 10 or 10,000 entries.

use std::collections::{HashMap, HashSet};

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use timebridge_types::entries::{EntryQuery, EntryRow};
use timebridge_types::{ApiError, EntryKey};

use super::{key_id, state_class, state_code, state_name};
use crate::api;
use crate::components::ErrorBox;
use crate::i18n::fmt;
use crate::i18n::pages::entries::t;
use crate::state::shared;

/// One row's height in pixels (`.entry-row` in entries.css).
pub(super) const ROW_H: f64 = 48.0;
/// The container's height until measured (`.entries-list` in entries.css).
const VIEW_H: f64 = 560.0;
/// Rows rendered above and below the visible ones.
const OVERSCAN: u32 = 10;
/// Rows per request.
const PAGE: u32 = 100;

/// The rows `start..end` to render for a scroll position (clamped to `total`).
fn window(scroll_top: f64, view_h: f64, total: u32) -> (u32, u32) {
    let first = (scroll_top.max(0.0) / ROW_H).floor() as u32;
    let last = ((scroll_top.max(0.0) + view_h) / ROW_H).ceil() as u32;
    let start = first.saturating_sub(OVERSCAN).min(total);
    let end = last.saturating_add(OVERSCAN).min(total);
    (start, end)
}

/// The scrolling list of the entries matching `query`.
#[component]
pub(super) fn VirtualList(
    query: Memo<EntryQuery>,
    selected: RwSignal<Option<EntryKey>>,
    total: RwSignal<Option<u32>>,
) -> impl IntoView {
    let shared = shared();
    let list_ref = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0.0_f64);
    let view_h = RwSignal::new(VIEW_H);
    let pages = RwSignal::new(HashMap::<u32, Vec<EntryRow>>::new());
    let requested = StoredValue::new(HashSet::<u32>::new());
    let generation = StoredValue::new(0_u64);
    let error = RwSignal::new(None::<ApiError>);

    let range = Memo::new(move |_| match total.get() {
        Some(n) => window(scroll_top.get(), view_h.get(), n),
        None => (0, 0),
    });

    let fetch = move |page: u32, q: EntryQuery| {
        let fresh = requested
            .try_update_value(|r| r.insert(page))
            .unwrap_or(false);
        if !fresh {
            return;
        }
        let asked_in = generation.get_value();
        spawn_local(async move {
            let req = EntryQuery {
                offset: page * PAGE,
                limit: PAGE,
                ..q
            };
            let result = api::list_entries(&req).await;
            if generation.try_get_value() != Some(asked_in) {
                return; // the filters changed meanwhile
            }
            match result {
                Ok(p) => {
                    total.set(Some(p.total));
                    pages.update(|m| {
                        m.insert(page, p.rows);
                    });
                    error.set(None);
                }
                Err(e) => {
                    requested.update_value(|r| {
                        r.remove(&page);
                    });
                    error.set(Some(e));
                }
            }
        });
    };

    // Reset on a new filter or new data, then fetch the pages the window needs.
    Effect::new(move |prev: Option<(EntryQuery, u64)>| {
        let now = (query.get(), shared.changed.get());
        if prev.as_ref() != Some(&now) {
            generation.update_value(|g| *g += 1);
            requested.update_value(HashSet::clear);
            pages.set(HashMap::new());
            if prev.as_ref().map(|p| &p.0) != Some(&now.0) {
                total.set(None);
                scroll_top.set(0.0);
                if let Some(el) = list_ref.get_untracked() {
                    el.set_scroll_top(0);
                }
            }
        }
        let (start, end) = range.get();
        match total.get_untracked() {
            None => fetch(0, now.0.clone()),
            Some(_) if end > start => {
                for page in start / PAGE..=(end - 1) / PAGE {
                    fetch(page, now.0.clone());
                }
            }
            Some(_) => {}
        }
        now
    });

    // The real height once laid out.
    Effect::new(move |_| {
        if let Some(el) = list_ref.get() {
            let h = el.client_height();
            if h > 0 {
                view_h.set(f64::from(h));
            }
        }
    });

    let on_scroll = move |_| {
        if let Some(el) = list_ref.get_untracked() {
            scroll_top.set(f64::from(el.scroll_top()));
            let h = el.client_height();
            if h > 0 {
                view_h.set(f64::from(h));
            }
        }
    };

    let items = move || {
        let (start, end) = range.get();
        pages.with(|m| {
            (start..end)
                .map(|i| {
                    let row = m
                        .get(&(i / PAGE))
                        .and_then(|rows| rows.get((i % PAGE) as usize))
                        .cloned();
                    (i, row)
                })
                .collect::<Vec<_>>()
        })
    };
    // Positions and sizes go through the CSSOM (`style:`), which the page's content security
    // policy allows; a `style` attribute would need inline styles allowed.
    let spacer = move || {
        let n = total.get().unwrap_or(0);
        format!("{}px", f64::from(n) * ROW_H)
    };

    view! {
        {move || error.get().map(|e| view! { <ErrorBox error=e id="entries-error"/> })}
        <div class="entries-table">
            <div class="entry-row entry-head" role="row">
                <span>{move || t().col_when}</span>
                <span class="num">{move || t().col_duration}</span>
                <span>{move || t().col_customer}</span>
                <span>{move || t().col_description}</span>
                <span>{move || t().col_state}</span>
                <span class="num">{move || t().col_timesheet}</span>
            </div>
            <div class="entries-list" id="entries-list" node_ref=list_ref on:scroll=on_scroll
                role="grid">
                {move || (total.get() == Some(0)).then(|| view! {
                    <p class="entries-empty muted">{move || t().no_entries}</p>
                })}
                <div class="entries-spacer" style:height=spacer>
                    <For
                        each=items
                        key=|(i, row)| (*i, row.as_ref().map(|r| format!("{r:?}")))
                        children=move |(i, row)| row_view(i, row, selected)
                    />
                </div>
            </div>
        </div>
    }
}

/// One row (or a placeholder while its page loads) at its place in the spacer.
fn row_view(i: u32, row: Option<EntryRow>, selected: RwSignal<Option<EntryKey>>) -> AnyView {
    let top = format!("{}px", f64::from(i) * ROW_H);
    let Some(r) = row else {
        return view! {
            <div class="entry-row placeholder" style:top=top aria-hidden="true">
                <span class="skeleton"></span>
            </div>
        }
        .into_any();
    };
    let id = format!("entry-row-{}", key_id(&r.key));
    let (key, key_click) = (r.key.clone(), r.key.clone());
    let is_selected = move || selected.with(|s| s.as_ref() == Some(&key));
    let state = r.state;
    let begin = r.begin.clone();
    // Not placed yet: the Zammad booking day and exact time say which work it is.
    let day = r.zammad.as_ref().map(|z| z.day.clone());
    let seconds = r
        .duration_seconds
        .or_else(|| r.zammad.as_ref().and_then(|z| z.millis).map(|ms| ms / 1000));
    let customer = r.customer.clone();
    let label = r.key.label();
    view! {
        <div class="entry-row" role="row" tabindex="0" id=id data-state=state_code(state)
            style:top=top class:selected=is_selected
            on:click=move |_| selected.set(Some(key_click.clone()))>
            <span class="c-when">
                {move || match (begin.as_deref(), day.as_deref()) {
                    (Some(b), _) => fmt::wall(b),
                    (None, Some(d)) => format!("{d} · {}", t().not_placed),
                    (None, None) => t().not_placed.into(),
                }}
            </span>
            <span class="c-duration num" data-value=seconds.map(|s| s.to_string())>
                {seconds.map(fmt::duration).unwrap_or_else(|| "–".into())}
            </span>
            <span class="c-customer">
                <span class="customer">
                    {move || customer.clone().unwrap_or_else(|| t().unmapped.into())}
                </span>
                <span class="project muted">{r.project.clone().unwrap_or_default()}</span>
            </span>
            <span class="c-description">
                <span class="description" title=r.description.clone()>{r.description.clone()}</span>
                <span class="key muted">{label}</span>
            </span>
            <span class="c-state">
                <span class=state_class(state) data-state=state_code(state)>
                    {move || state_name(t(), state)}
                </span>
            </span>
            <span class="c-timesheet num" data-value=r.timesheet_id.map(|n| n.to_string())>
                {r.timesheet_id.map(|n| format!("#{n}")).unwrap_or_else(|| "–".into())}
            </span>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_covers_the_view_plus_overscan_and_stays_in_bounds() {
        assert_eq!(window(0.0, VIEW_H, 10_000), (0, 22));
        let (start, end) = window(480_000.0 - VIEW_H, VIEW_H, 10_000);
        assert_eq!((start, end), (9_978, 10_000));
        let (start, end) = window(24_000.0, VIEW_H, 10_000);
        assert_eq!((start, end), (490, 522));
        // Misaligned: a partly visible row at the top and at the bottom.
        let most = (VIEW_H / ROW_H).ceil() as u32 + 1 + 2 * OVERSCAN;
        assert_eq!(most, 33);
        for top in [23_544.0, 24_001.0, 100.0 * ROW_H - 1.0] {
            let (start, end) = window(top, VIEW_H, 10_000);
            assert!(end - start <= most, "{top}: {start}..{end}");
        }
        assert_eq!(window(23_544.0, VIEW_H, 10_000), (480, 513));
        assert_eq!(window(0.0, VIEW_H, 5), (0, 5));
        assert_eq!(window(0.0, VIEW_H, 0), (0, 0));
    }
}
