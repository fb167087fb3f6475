//! Conflict review that works offline: the open conflicts in a list (kind in plain words and
//! the decision already stored), the selected one side by side ([`detail`]), decisions for
//! one or for the selected rows, "edit, then apply" ([`edit`]), and keyboard navigation.
//! A decision only writes the local database, so it works without a network; the page says
//! that it is applied at the next sync and bumps the shared tick so the nav badge follows.

mod detail;
mod edit;
mod list;
mod words;

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use timebridge_types::conflicts::{
    ConflictView, Decision, DecisionKind, ResolveRequest, ResolveResult,
};
use timebridge_types::{ApiError, EntryKey};
use wasm_bindgen::JsCast;

use crate::api;
use crate::components::{ErrorBox, Loading, PageHeader};
use crate::i18n::pages::conflicts::t;
use crate::memory;
use crate::state::{shared, Shared};

/// `<instance>-<timeAccountingId>`, the element id suffix of an entry.
fn kid(k: &EntryKey) -> String {
    format!("{}-{}", k.instance, k.time_accounting_id)
}

/// The page's state, shared with its parts.
#[derive(Clone, Copy)]
pub(super) struct Ctx {
    shared: Shared,
    selected: RwSignal<Option<EntryKey>>,
    checked: RwSignal<BTreeSet<EntryKey>>,
    result: RwSignal<Option<Result<ResolveResult, ApiError>>>,
    editing: RwSignal<bool>,
    edit_error: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
}

impl Ctx {
    /// Stores `decision` for `keys` (offline too), then refreshes every page.
    fn decide(self, keys: Vec<EntryKey>, decision: Decision) {
        if keys.is_empty() || self.busy.get_untracked() {
            return;
        }
        let is_edit = matches!(decision, Decision::Edit { .. });
        self.busy.set(true);
        spawn_local(async move {
            let outcome = api::resolve_conflicts(&ResolveRequest { keys, decision }).await;
            self.busy.set(false);
            match (&outcome, is_edit) {
                (Err(e), true) => self.edit_error.set(Some(e.message.clone())),
                (_, true) => {
                    self.edit_error.set(None);
                    self.editing.set(false);
                }
                _ => {}
            }
            if outcome.is_ok() {
                self.checked.set(BTreeSet::new());
                self.shared.bump();
            }
            if !(is_edit && outcome.is_err()) {
                self.result.set(Some(outcome));
            }
        });
    }
}

/// The conflicts page.
#[component]
pub(crate) fn ConflictsPage() -> impl IntoView {
    let shared = shared();
    let data = LocalResource::new(move || {
        shared.changed.get();
        api::list_conflicts()
    });
    let ctx = Ctx {
        shared,
        selected: memory::kept("conflicts.selected", None),
        checked: RwSignal::new(BTreeSet::new()),
        result: RwSignal::new(None),
        editing: memory::kept("conflicts.editing", false),
        edit_error: RwSignal::new(None),
        busy: RwSignal::new(false),
    };
    // A finished or abandoned edit leaves no draft behind.
    Effect::new(move |was: Option<bool>| {
        let editing = ctx.editing.get();
        if was == Some(true) && !editing {
            memory::keep::<()>(edit::DRAFT_KEY, None);
        }
        editing
    });
    let list = move || data.get().and_then(Result::ok).unwrap_or_default();
    // The selected conflict, or the first one.
    let current = move || {
        let list = list();
        let sel = ctx.selected.get();
        sel.and_then(|k| list.iter().find(|c| c.key == k).cloned())
            .or_else(|| list.first().cloned())
    };
    keyboard(ctx, list, current);

    let count = move || list().len();
    let decided = move || list().iter().filter(|c| c.decided.is_some()).count();
    view! {
        <section class="page" id="page-conflicts">
            <PageHeader title=Signal::derive(move || t().title)>
                <span class="count-line" id="conflicts-count" data-value=move || count().to_string()>
                    <strong>{count}</strong> " " {move || t().open}
                    {move || (decided() > 0).then(|| view! {
                        " · " <strong>{decided()}</strong> " " {t().decided}
                    })}
                </span>
            </PageHeader>
            <p class="intro">{move || t().intro}</p>
            <StoredLine ctx=ctx/>
            <Transition fallback=|| view! { <Loading/> }>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=e id="conflicts-error"/> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <p class="ok-box" id="conflicts-none">{move || t().none}</p>
                    }.into_any(),
                    Ok(_) => view! {
                        <div class="conflicts-layout">
                            <div class="conflicts-master">
                                <list::Bulk ctx=ctx list=Signal::derive(list)/>
                                <list::ConflictTable ctx=ctx list=Signal::derive(list) current=Signal::derive(move || current().map(|c| c.key))/>
                                <list::Legend/>
                            </div>
                            {move || current().map(|c| {
                                let key = c.key.clone();
                                view! { <detail::Detail c=c ctx=ctx/> }.attr("data-key", kid(&key))
                            })}
                        </div>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// The result of the last decision: "N stored, applied at the next sync", what was refused.
#[component]
fn StoredLine(ctx: Ctx) -> impl IntoView {
    move || {
        ctx.result.get().map(|r| match r {
            Err(e) => view! { <ErrorBox error=e id="conflicts-store-error"/> }.into_any(),
            Ok(r) => {
                let refused = r.refused.clone();
                view! {
                    <div class=if r.stored.is_empty() { "warn-box" } else { "ok-box" } id="conflicts-stored" data-value=r.stored.len().to_string()>
                        <strong>{r.stored.len()}</strong> " " {move || t().stored}
                        {(!refused.is_empty()).then(|| view! {
                            <ul class="refused" id="conflicts-refused">
                                {refused.iter().map(|n| view! {
                                    <li id=format!("conflicts-refused-{}", kid(&n.key))>
                                        {n.key.label()} " – " {t().refused} ": " {words::refused(&n.reason)}
                                    </li>
                                }).collect_view()}
                            </ul>
                        })}
                    </div>
                }
                .into_any()
            }
        })
    }
}

/// ↑/↓ (j/k) move, z/m/i decide, e edits, space selects — while no input has the focus.
fn keyboard(
    ctx: Ctx,
    list: impl Fn() -> Vec<ConflictView> + 'static,
    current: impl Fn() -> Option<ConflictView> + 'static,
) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if typing {
            return;
        }
        let Some(c) = current() else { return };
        let allowed = |k: DecisionKind| c.choices.contains(&k);
        let step = |by: isize| {
            let list = list();
            let at = list.iter().position(|x| x.key == c.key).unwrap_or(0) as isize;
            let next = (at + by).clamp(0, list.len() as isize - 1) as usize;
            if let Some(n) = list.get(next) {
                ctx.selected.set(Some(n.key.clone()));
                ctx.editing.set(false);
                ctx.edit_error.set(None);
                scroll_to(&n.key);
            }
        };
        match ev.key().as_str() {
            "ArrowDown" | "j" => step(1),
            "ArrowUp" | "k" => step(-1),
            "z" if allowed(DecisionKind::TakeZammad) => {
                ctx.decide(vec![c.key.clone()], Decision::TakeZammad)
            }
            "m" if allowed(DecisionKind::KeepKimai) => {
                ctx.decide(vec![c.key.clone()], Decision::KeepKimai)
            }
            "i" if allowed(DecisionKind::Ignore) => {
                ctx.decide(vec![c.key.clone()], Decision::Ignore)
            }
            "e" if allowed(DecisionKind::Edit) => ctx.editing.set(true),
            " " => list::toggle(ctx, &c.key),
            _ => return,
        }
        ev.prevent_default();
    });
    on_cleanup(move || handle.remove());
}

fn scroll_to(key: &EntryKey) {
    if let Some(el) =
        leptos::prelude::document().get_element_by_id(&format!("conflict-{}", kid(key)))
    {
        el.scroll_into_view_with_bool(false);
    }
}
