//! Driving the page by element id (the contract in the UI's element-id list): every helper
//! finds its element afresh (Leptos replaces nodes when data changes), waits up to
//! [`WAIT`] for it, and panics with what it waited for — plus a screenshot — when it never
//! comes. Steps are screenshotted as `target/e2e/<journey>/NN-<step>.png`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};

/// How long an element or a state may take to appear.
pub(crate) const WAIT: Duration = Duration::from_secs(30);

/// The window size for every journey (and the README screenshots).
pub(crate) const WINDOW: (u32, u32) = (1100, 720);

/// One journey's browser with its screenshot counter.
pub(crate) struct Ui {
    /// The WebDriver client (for anything the helpers do not cover).
    pub(crate) client: Client,
    journey: String,
    step: std::sync::atomic::AtomicU32,
}

impl Ui {
    /// Wraps `client`, sizes the window, and clears `target/e2e/<journey>/`.
    pub(crate) async fn new(client: Client, journey: &str) -> Self {
        if let Err(e) = client.set_window_size(WINDOW.0, WINDOW.1).await {
            eprintln!("setting the window size failed (screenshots keep the default): {e}");
        }
        let dir = Self::dir_of(journey);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self {
            client,
            journey: journey.to_string(),
            step: std::sync::atomic::AtomicU32::new(0),
        }
    }

    fn dir_of(journey: &str) -> PathBuf {
        super::workspace_root().join("target/e2e").join(journey)
    }

    /// Saves `target/e2e/<journey>/NN-<step>.png`.
    pub(crate) async fn shot(&self, step: &str) -> PathBuf {
        let n = self.step.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let path = Self::dir_of(&self.journey).join(format!("{n:02}-{step}.png"));
        self.save_png(&path).await;
        path
    }

    /// Saves a screenshot at `path`.
    pub(crate) async fn save_png(&self, path: &std::path::Path) {
        match self.client.screenshot().await {
            Ok(png) => std::fs::write(path, png).unwrap(),
            Err(e) => eprintln!("screenshot {} failed: {e}", path.display()),
        }
    }

    /// Fails the journey: screenshots the state, then panics with `why`.
    pub(crate) async fn fail(&self, why: String) -> ! {
        let shot = self.shot("FAILED").await;
        panic!("{why} (screenshot: {})", shot.display());
    }

    /// The element `#id` once present.
    pub(crate) async fn wait_for(&self, id: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Id(id))
            .await
        {
            Ok(e) => e,
            Err(e) => {
                self.fail(format!("#{id} did not appear within {WAIT:?}: {e}"))
                    .await
            }
        }
    }

    /// Whether `#id` is present now.
    pub(crate) async fn exists(&self, id: &str) -> bool {
        self.client.find(Locator::Id(id)).await.is_ok()
    }

    /// Waits until `#id` is gone.
    pub(crate) async fn wait_gone(&self, id: &str) {
        let deadline = Instant::now() + WAIT;
        while self.exists(id).await {
            if Instant::now() > deadline {
                self.fail(format!("#{id} was still there after {WAIT:?}"))
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Polls `probe` on `#id` until it returns `Some`; retries stale elements.
    async fn poll<T>(
        &self,
        id: &str,
        what: &str,
        limit: Duration,
        mut probe: impl AsyncFnMut(Element) -> Option<T>,
    ) -> T {
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(e) = self.client.find(Locator::Id(id)).await {
                if let Some(v) = probe(e).await {
                    return v;
                }
            }
            if Instant::now() > deadline {
                let now = self.describe(id).await;
                self.fail(format!(
                    "#{id}: {what} not reached within {limit:?}; now {now}"
                ))
                .await;
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// `#id`'s text and data attributes, for failure messages.
    pub(crate) async fn describe(&self, id: &str) -> String {
        match self.client.find(Locator::Id(id)).await {
            Ok(e) => e.html(false).await.map_or_else(
                |e| format!("<unreadable: {e}>"),
                |h| h.chars().take(600).collect(),
            ),
            Err(_) => "absent".into(),
        }
    }

    /// Clicks `#id` (waiting for it to appear and be enabled).
    pub(crate) async fn click(&self, id: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let e = self.wait_for(id).await;
            if e.is_enabled().await.unwrap_or(false) {
                match e.click().await {
                    Ok(()) => return,
                    // A row whose centre is covered (a wide table under a side panel) cannot
                    // take a pointer click: click it as the keyboard or a script would.
                    Err(_) if self.script_click(id).await => return,
                    Err(err) if Instant::now() > deadline => {
                        self.fail(format!("clicking #{id} failed: {err}")).await
                    }
                    Err(_) => {}
                }
            } else if Instant::now() > deadline {
                self.fail(format!("#{id} stayed disabled for {WAIT:?}"))
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Clicks `#id` through the DOM (`element.click()`); whether it was there to click.
    async fn script_click(&self, id: &str) -> bool {
        let script = "const el = document.getElementById(arguments[0]); \
                      if (!el) { return false; } el.scrollIntoView({block: 'center'}); el.click(); return true;";
        matches!(
            self.client.execute(script, vec![id.into()]).await,
            Ok(serde_json::Value::Bool(true))
        )
    }

    /// Replaces the value of the input `#id` with `text` by typing it; falls back to setting
    /// the value and firing `input`/`change` (WebKit has no typing into month/date pickers).
    pub(crate) async fn fill(&self, id: &str, text: &str) {
        let e = self.wait_for(id).await;
        let _ = e.clear().await;
        let typed = e.send_keys(text).await.is_ok()
            && e.prop("value").await.ok().flatten().as_deref() == Some(text);
        if !typed {
            self.set_value(id, text).await;
        }
        let now = self.value(id).await;
        if now != text {
            self.fail(format!("#{id} holds {now:?} after filling in {text:?}"))
                .await;
        }
    }

    /// Sets `#id`'s value by script and fires `input` and `change`, as a user's edit would.
    pub(crate) async fn set_value(&self, id: &str, value: &str) {
        self.wait_for(id).await;
        let script = r#"
            const [id, value] = arguments;
            const el = document.getElementById(id);
            const proto = Object.getPrototypeOf(el);
            const setter = Object.getOwnPropertyDescriptor(proto, 'value').set;
            setter.call(el, value);
            el.dispatchEvent(new Event('input', { bubbles: true }));
            el.dispatchEvent(new Event('change', { bubbles: true }));
        "#;
        if let Err(e) = self
            .client
            .execute(script, vec![id.into(), value.into()])
            .await
        {
            self.fail(format!("setting #{id} to {value:?} failed: {e}"))
                .await;
        }
    }

    /// Chooses the option with `value` in the select `#id`.
    pub(crate) async fn select(&self, id: &str, value: &str) {
        let e = self.wait_for(id).await;
        let picked = e.select_by_value(value).await.is_ok()
            && e.prop("value").await.ok().flatten().as_deref() == Some(value);
        if !picked {
            // An option list still loading: wait for the option, then set it as a user would.
            let option = format!("#{id} option[value=\"{value}\"]");
            if let Err(err) = self
                .client
                .wait()
                .at_most(WAIT)
                .for_element(Locator::Css(&option))
                .await
            {
                self.fail(format!("#{id} has no option {value:?}: {err}"))
                    .await;
            }
            self.set_value(id, value).await;
        }
    }

    /// Sets the checkbox `#id` to `on` (clicking it when it differs).
    pub(crate) async fn check(&self, id: &str, on: bool) {
        let e = self.wait_for(id).await;
        if e.is_selected().await.unwrap_or(false) != on {
            self.click(id).await;
        }
    }

    /// `#id`'s visible text.
    pub(crate) async fn text(&self, id: &str) -> String {
        self.poll(id, "readable text", WAIT, async |e| e.text().await.ok())
            .await
    }

    /// `#id`'s current value property (inputs, selects).
    pub(crate) async fn value(&self, id: &str) -> String {
        self.poll(id, "a value", WAIT, async |e| {
            e.prop("value").await.ok().map(Option::unwrap_or_default)
        })
        .await
    }

    /// `#id`'s attribute `attr` once `#id` is present (`None`: no such attribute).
    pub(crate) async fn attr(&self, id: &str, attr: &str) -> Option<String> {
        self.poll(id, "readable attributes", WAIT, async |e| {
            e.attr(attr).await.ok()
        })
        .await
    }

    /// `#id`'s `data-value` parsed as a number.
    pub(crate) async fn number(&self, id: &str) -> f64 {
        let raw = self.attr(id, "data-value").await;
        match raw.as_deref().map(str::parse::<f64>) {
            Some(Ok(v)) => v,
            _ => {
                self.fail(format!("#{id} has no numeric data-value: {raw:?}"))
                    .await
            }
        }
    }

    /// Waits until `#id`'s attribute `attr` equals `value`.
    pub(crate) async fn wait_attr(&self, id: &str, attr: &str, value: &str) {
        let what = format!("{attr}={value:?}");
        self.poll(id, &what, WAIT, async |e| {
            (e.attr(attr).await.ok().flatten().as_deref() == Some(value)).then_some(())
        })
        .await
    }

    /// Waits up to `limit` until `accept` holds for `#id`'s attribute `attr`; returns it.
    pub(crate) async fn wait_attr_where(
        &self,
        id: &str,
        attr: &str,
        limit: Duration,
        accept: impl Fn(&str) -> bool,
    ) -> String {
        let what = format!("the wanted {attr}");
        self.poll(id, &what, limit, async |e| {
            e.attr(attr).await.ok().flatten().filter(|v| accept(v))
        })
        .await
    }

    /// Waits until `#id`'s text contains `needle`; returns that text.
    pub(crate) async fn wait_text(&self, id: &str, needle: &str, limit: Duration) -> String {
        let what = format!("a text containing {needle:?}");
        self.poll(id, &what, limit, async |e| {
            e.text().await.ok().filter(|t| t.contains(needle))
        })
        .await
    }

    /// Ids of the elements whose id starts with `prefix`, in document order.
    pub(crate) async fn ids_with_prefix(&self, prefix: &str) -> Vec<String> {
        self.ids_matching(&format!("[id^=\"{prefix}\"]")).await
    }

    /// Ids of the elements matching the CSS selector `css`, in document order.
    pub(crate) async fn ids_matching(&self, css: &str) -> Vec<String> {
        let mut ids = Vec::new();
        for e in self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
        {
            if let Ok(Some(id)) = e.attr("id").await {
                ids.push(id);
            }
        }
        ids
    }

    /// Opens a page by its navigation button and waits for its root.
    pub(crate) async fn go(&self, page: &str) {
        self.click(&format!("nav-{page}")).await;
        let root = if page == "status" {
            "status".to_string()
        } else {
            format!("page-{page}")
        };
        self.wait_for(&root).await;
    }

    /// The page source now.
    pub(crate) async fn source(&self) -> String {
        self.client.source().await.unwrap_or_default()
    }

    /// "Sync now", then the run's outcome (`sync-result` `data-outcome`) once it is shown.
    pub(crate) async fn sync_now(&self, limit: Duration) -> String {
        self.click("sync-now").await;
        // The bar drops an earlier run's result when this one starts: see it go (a run may
        // also be over between two looks, then its result is the one shown).
        let gone_by = Instant::now() + Duration::from_secs(5);
        while self.exists("sync-result").await && Instant::now() < gone_by {
            if self.exists("sync-progress").await {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.poll("sync-result", "a run's outcome", limit, async |e| {
            e.attr("data-outcome").await.ok().flatten()
        })
        .await
    }

    /// `#id`'s attribute now, `None` when absent.
    pub(crate) async fn attr_now(&self, id: &str, attr: &str) -> Option<String> {
        match self.client.find(Locator::Id(id)).await {
            Ok(e) => e.attr(attr).await.ok().flatten(),
            Err(_) => None,
        }
    }

    /// Closes the WebDriver session (the app exits).
    pub(crate) async fn close(self) {
        let _ = self.client.close().await;
    }
}
