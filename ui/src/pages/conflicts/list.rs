//! The master list: select all and bulk decisions, one row per conflict (kind in plain
//! words, the decision already stored), and the keyboard legend.

use std::collections::BTreeSet;

use leptos::prelude::*;
use timebridge_types::conflicts::{ConflictView, Decision};
use timebridge_types::EntryKey;

use super::{kid, words, Ctx};
use crate::i18n::pages::conflicts::t;

/// Select all, and the bulk decisions for the selected rows.
#[component]
pub(super) fn Bulk(ctx: Ctx, list: Signal<Vec<ConflictView>>) -> impl IntoView {
    let all = move || {
        let n = list.with(Vec::len);
        n > 0 && ctx.checked.with(BTreeSet::len) == n
    };
    let toggle_all = move |_| {
        if all() {
            ctx.checked.set(BTreeSet::new());
        } else {
            ctx.checked
                .set(list.get().into_iter().map(|c| c.key).collect());
        }
    };
    let none = move || ctx.checked.with(BTreeSet::is_empty) || ctx.busy.get();
    let bulk = move |d: Decision| {
        let keys: Vec<EntryKey> = ctx.checked.get().into_iter().collect();
        ctx.decide(keys, d);
    };
    view! {
        <div class="bulk-bar">
            <label class="check">
                <input type="checkbox" id="conflicts-select-all" prop:checked=all on:change=toggle_all/>
                {move || t().select_all}
            </label>
            <span class="muted">{move || ctx.checked.with(BTreeSet::len)} " " {move || t().selected}</span>
            <span class="spacer"></span>
            <span class="muted">{move || t().bulk_for}</span>
            <button class="secondary" id="conflicts-bulk-take-zammad" disabled=none
                on:click=move |_| bulk(Decision::TakeZammad)>{move || t().take_zammad}</button>
            <button class="secondary" id="conflicts-bulk-keep-kimai" disabled=none
                on:click=move |_| bulk(Decision::KeepKimai)>{move || t().keep_kimai}</button>
            <button class="secondary" id="conflicts-bulk-ignore" disabled=none
                on:click=move |_| bulk(Decision::Ignore)>{move || t().ignore}</button>
        </div>
    }
}

/// The master list.
#[component]
pub(super) fn ConflictTable(
    ctx: Ctx,
    list: Signal<Vec<ConflictView>>,
    current: Signal<Option<EntryKey>>,
) -> impl IntoView {
    let rows = move || {
        list.get()
            .into_iter()
            .map(|c| {
                let (k1, k2, k3) = (c.key.clone(), c.key.clone(), c.key.clone());
                let decision = c.decided.as_ref().map(|d| words::code(words::kind_of(d))).unwrap_or("");
                let decided = c.decided.clone();
                let is_decided = decided.is_some();
                let kind = c.kind.clone();
                let ticket = c.zammad.as_ref().or(c.kimai.as_ref())
                    .map(|f| words::without_marker(&f.description)).unwrap_or_default();
                view! {
                    <tr id=format!("conflict-{}", kid(&c.key)) data-kind=c.kind.clone() data-decision=decision
                        class:selected=move || current.get().as_ref() == Some(&k1)
                        class:decided=is_decided
                        on:click=move |_| { ctx.selected.set(Some(k2.clone())); ctx.editing.set(false); ctx.edit_error.set(None); }>
                        <td class="check" on:click=|ev| ev.stop_propagation()>
                            <input type="checkbox" id=format!("conflict-select-{}", kid(&c.key))
                                prop:checked=move || ctx.checked.with(|s| s.contains(&k3))
                                on:change={ let k = c.key.clone(); move |_| toggle(ctx, &k) }/>
                        </td>
                        <td class="key">{c.key.label()}</td>
                        <td class="ticket" title=ticket.clone()>{ticket.clone()}</td>
                        <td><span class="pill warn">{move || words::kind(&kind)}</span></td>
                        <td class="decision">{move || match &decided {
                            Some(d) => view! { <span class="pill ok">{words::decided(d)}</span> }.into_any(),
                            None => view! { <span class="muted">{t().not_decided}</span> }.into_any(),
                        }}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <table class="conflicts-table" id="conflicts-list">
            <thead><tr>
                <th></th>
                <th>{move || t().col_entry}</th>
                <th>{move || t().col_ticket}</th>
                <th>{move || t().col_kind}</th>
                <th>{move || t().col_decision}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

pub(super) fn toggle(ctx: Ctx, k: &EntryKey) {
    ctx.checked.update(|s| {
        if !s.remove(k) {
            s.insert(k.clone());
        }
    });
}

/// The keys, shown under the list.
#[component]
pub(super) fn Legend() -> impl IntoView {
    let key = |k: &'static str, what: fn() -> &'static str| view! { <span><kbd>{k}</kbd> " " {move || what()}</span> };
    view! {
        <p class="legend" id="conflicts-legend">
            <strong>{move || t().keys_title} ":"</strong>
            <span><kbd>"↑"</kbd><kbd>"↓"</kbd> " / " <kbd>"j"</kbd><kbd>"k"</kbd> " " {move || t().key_move}</span>
            {key("z", || t().key_take)}
            {key("m", || t().key_keep)}
            {key("i", || t().key_ignore)}
            {key("e", || t().key_edit)}
            {key("␣", || t().key_select)}
        </p>
    }
}
