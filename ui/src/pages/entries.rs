//! The entries page: every entry the sync knows, filtered by month, helpdesk, customer and
//! state, in a virtualized list (`list`) so 10,000 entries scroll as smoothly as 10; a click
//! opens the entry from both sides (`detail`); "Preview next sync" lists what a run would do
//! (`preview`).
//!
//! Other pages open it pre-filtered by state (the dashboard's counts) through [`open_with`]:
//! a one-shot preset read when the page mounts, so the frame needs no extra context.

mod detail;
mod list;
mod preview;

use std::cell::RefCell;

use leptos::prelude::*;
use timebridge_types::entries::{EntryQuery, EntryState};
use timebridge_types::setup::ConnectionKindDto;
use timebridge_types::EntryKey;

use crate::api;
use crate::components::PageHeader;
use crate::i18n::pages::entries::{t, Entries};
use crate::memory;
use crate::state::{shared, Page};

thread_local! {
    /// The filters the next mount of the page starts with (set by [`open_with`]).
    static PRESET: RefCell<Option<Filters>> = const { RefCell::new(None) };
}

/// The page's filters as the inputs hold them (`""` = all).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Filters {
    /// `YYYY-MM` or `""`.
    pub(crate) month: String,
    /// A Zammad instance key or `""`.
    pub(crate) instance: String,
    /// A Kimai customer id or `""`.
    pub(crate) customer: String,
    /// An [`EntryState`] code or `""`.
    pub(crate) state: String,
}

impl Filters {
    /// The query for these filters (the window is set by the list).
    fn query(&self) -> EntryQuery {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        EntryQuery {
            month: some(&self.month),
            instance: some(&self.instance),
            customer: self.customer.parse().ok(),
            state: state_of(&self.state),
            offset: 0,
            limit: 0,
        }
    }
}

/// Shows the entries page with `filters` applied (e.g. one state, from the dashboard).
pub(crate) fn open_with(filters: Filters) {
    PRESET.with(|p| *p.borrow_mut() = Some(filters));
    shared().go(Page::Entries);
}

/// Every state, in the order the filter lists them.
pub(crate) const STATES: [EntryState; 8] = [
    EntryState::Synced,
    EntryState::Pending,
    EntryState::NeedsMapping,
    EntryState::Conflict,
    EntryState::Refused,
    EntryState::Error,
    EntryState::Held,
    EntryState::Unreadable,
];

/// The state's wire code (`needs_mapping`), as `data-state` and the filter's values carry it.
pub(crate) fn state_code(s: EntryState) -> &'static str {
    match s {
        EntryState::Synced => "synced",
        EntryState::Pending => "pending",
        EntryState::NeedsMapping => "needs_mapping",
        EntryState::Conflict => "conflict",
        EntryState::Refused => "refused",
        EntryState::Error => "error",
        EntryState::Held => "held",
        EntryState::Unreadable => "unreadable",
    }
}

fn state_of(code: &str) -> Option<EntryState> {
    STATES.into_iter().find(|s| state_code(*s) == code)
}

/// The state in words.
pub(crate) fn state_name(tx: &Entries, s: EntryState) -> &'static str {
    match s {
        EntryState::Synced => tx.state_synced,
        EntryState::Pending => tx.state_pending,
        EntryState::NeedsMapping => tx.state_needs_mapping,
        EntryState::Conflict => tx.state_conflict,
        EntryState::Refused => tx.state_refused,
        EntryState::Error => tx.state_error,
        EntryState::Held => tx.state_held,
        EntryState::Unreadable => tx.state_unreadable,
    }
}

/// The pill colour of a state.
fn state_class(s: EntryState) -> &'static str {
    match s {
        EntryState::Synced => "pill ok",
        EntryState::Pending | EntryState::Held => "pill",
        EntryState::NeedsMapping | EntryState::Unreadable => "pill warn",
        EntryState::Conflict | EntryState::Refused | EntryState::Error => "pill bad",
    }
}

/// `acme-4711`: the element id suffix of an entry.
fn key_id(key: &EntryKey) -> String {
    format!("{}-{}", key.instance, key.time_accounting_id)
}

/// The entries page.
#[component]
pub(crate) fn EntriesPage() -> impl IntoView {
    let preset = PRESET.with(|p| p.borrow_mut().take());
    let filters = memory::kept_unless("entries.filters", preset, Filters::default());
    let query = Memo::new(move |_| filters.get().query());
    let selected = RwSignal::new(None::<EntryKey>);
    let total = RwSignal::new(None::<u32>);
    let preview = RwSignal::new(None);
    let previewing = RwSignal::new(false);
    let title = Signal::derive(move || t().title);
    view! {
        <section class="page entries-page" id="page-entries">
            <PageHeader title=title>
                <preview::PreviewButton preview=preview running=previewing/>
            </PageHeader>
            <p class="subtitle">{move || t().subtitle}</p>
            <FilterBar filters=filters total=total/>
            <preview::PreviewResult preview=preview selected=selected/>
            <div class="entries-body" class:with-detail=move || selected.get().is_some()>
                <list::VirtualList query=query selected=selected total=total/>
                <detail::DetailPanel selected=selected/>
            </div>
        </section>
    }
}

/// Month, helpdesk, customer and state, and the matching count.
#[component]
fn FilterBar(filters: RwSignal<Filters>, total: RwSignal<Option<u32>>) -> impl IntoView {
    let instances = LocalResource::new(api::list_connections);
    let catalog = LocalResource::new(api::kimai_catalog);
    let instance_options = move || {
        let list = instances.get().and_then(Result::ok).unwrap_or_default();
        list.into_iter()
            .filter(|c| c.kind == ConnectionKindDto::Zammad)
            .filter_map(|c| c.instance_key.map(|k| (k, c.name)))
            .map(|(key, name)| {
                // Options arrive after the filters (a restored filter): each says if it is the one.
                let chosen = key.clone();
                view! {
                    <option value=key.clone() selected=move || filters.get().instance == chosen>
                        {format!("{name} ({key})")}
                    </option>
                }
            })
            .collect_view()
    };
    let customer_options = move || {
        let mut customers = catalog
            .get()
            .and_then(Result::ok)
            .map(|c| c.customers)
            .unwrap_or_default();
        customers.sort_by_key(|c| c.name.to_lowercase());
        customers
            .into_iter()
            .map(|c| {
                let id = c.id.to_string();
                let chosen = id.clone();
                view! {
                    <option value=id selected=move || filters.get().customer == chosen>{c.name}</option>
                }
            })
            .collect_view()
    };
    let set = move |f: fn(&mut Filters, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            filters.update(|fs| f(fs, value));
        }
    };
    let on_month = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if value.is_empty() || is_month(&value) {
            filters.update(|f| f.month = value);
        }
    };
    view! {
        <div class="card entries-filters">
            <div class="form-row">
                <div>
                    <label for="entries-filter-month">{move || t().filter_month}</label>
                    <input type="month" id="entries-filter-month" placeholder="YYYY-MM"
                        prop:value=move || filters.get().month
                        on:change=on_month on:input=on_month/>
                </div>
                <div>
                    <label for="entries-filter-instance">{move || t().filter_instance}</label>
                    <select id="entries-filter-instance" prop:value=move || filters.get().instance
                        on:change=set(|f, v| f.instance = v)>
                        <option value="">{move || t().all}</option>
                        {instance_options}
                    </select>
                </div>
                <div>
                    <label for="entries-filter-customer">{move || t().filter_customer}</label>
                    <select id="entries-filter-customer" prop:value=move || filters.get().customer
                        on:change=set(|f, v| f.customer = v)>
                        <option value="">{move || t().all}</option>
                        {customer_options}
                    </select>
                </div>
                <div>
                    <label for="entries-filter-state">{move || t().filter_state}</label>
                    <select id="entries-filter-state" prop:value=move || filters.get().state
                        on:change=set(|f, v| f.state = v)>
                        <option value="">{move || t().all}</option>
                        {STATES
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <option value=state_code(s)
                                        selected=move || filters.get().state == state_code(s)>
                                        {move || state_name(t(), s)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <button class="secondary" id="entries-filter-reset"
                    disabled=move || filters.get() == Filters::default()
                    on:click=move |_| filters.set(Filters::default())>
                    {move || t().clear_filters}
                </button>
                <div class="entries-count-box">
                    <span id="entries-count" class="entries-count"
                        data-value=move || total.get().map(|n| n.to_string()).unwrap_or_default()>
                        {move || total.get().map(|n| n.to_string()).unwrap_or_else(|| "…".into())}
                    </span>
                    " " {move || t().count_suffix}
                </div>
            </div>
        </div>
    }
}

/// `YYYY-MM` with a month 01–12.
fn is_month(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
        && matches!(s[5..].parse::<u8>(), Ok(1..=12))
}
