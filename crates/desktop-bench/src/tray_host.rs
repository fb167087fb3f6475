//! A stand-in tray host: a StatusNotifierWatcher on the session bus, as a desktop panel runs
//! one. The app sees a tray (its `NameHasOwner` check), registers its icon here, and the
//! tests and measurements can click its tray menu the way a panel does: read the item's
//! `Menu` (a dbusmenu object), find the entry by its label, send it a `clicked` event.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use dbus::arg::{ArgType, PropMap, RefArg, Variant};
use dbus::blocking::stdintf::org_freedesktop_dbus::Properties;
use dbus::blocking::Connection;
use dbus::channel::{MatchingReceiver, Sender};
use dbus::message::MatchRule;
use dbus::Message;

const WATCHER: &str = "org.kde.StatusNotifierWatcher";
const TIMEOUT: Duration = Duration::from_secs(5);

/// A registered tray item: its bus name and object path.
type Item = (String, String);

/// Connects to the bus at `address`, or to the session bus of the environment.
fn connect(address: Option<&str>) -> Result<Connection, dbus::Error> {
    match address {
        Some(address) => {
            let mut channel = dbus::channel::Channel::open_private(address)?;
            channel.register()?;
            Ok(Connection::from(channel))
        }
        None => Connection::new_session(),
    }
}

/// The running watcher; stops (and gives up its name) on drop.
pub struct TrayHost {
    bus: Option<String>,
    items: Arc<Mutex<Vec<Item>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TrayHost {
    /// Takes the watcher name on the session bus and answers on it from a thread.
    pub fn start() -> Result<Self, String> {
        Self::start_on(None)
    }

    /// As [`TrayHost::start`], on the bus at `bus` (`None`: the environment's session bus).
    pub fn start_on(bus: Option<&str>) -> Result<Self, String> {
        let address = bus.map(str::to_string);
        let items = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let thread = {
            let (items, stop) = (Arc::clone(&items), Arc::clone(&stop));
            let address = address.clone();
            std::thread::spawn(move || serve(address.as_deref(), &items, &stop, &ready_tx))
        };
        ready_rx
            .recv_timeout(TIMEOUT)
            .map_err(|_| "the tray host did not start".to_string())??;
        Ok(Self {
            bus: address,
            items,
            stop,
            thread: Some(thread),
        })
    }

    /// How many tray items have registered.
    pub fn item_count(&self) -> usize {
        self.items.lock().map(|i| i.len()).unwrap_or(0)
    }

    /// Clicks the tray menu entry labelled `label` (mnemonic underscores ignored) of the
    /// newest registered item.
    pub fn click(&self, label: &str) -> Result<(), String> {
        let (bus, path) = self
            .items
            .lock()
            .map_err(|e| e.to_string())?
            .last()
            .cloned()
            .ok_or("no tray item has registered")?;
        let conn = connect(self.bus.as_deref()).map_err(|e| e.to_string())?;
        let menu: dbus::Path<'static> = conn
            .with_proxy(bus.as_str(), path.as_str(), TIMEOUT)
            .get("org.kde.StatusNotifierItem", "Menu")
            .map_err(|e| format!("the item's menu: {e}"))?;
        let layout = Message::new_method_call(
            bus.as_str(),
            menu.clone(),
            "com.canonical.dbusmenu",
            "GetLayout",
        )?
        .append3(0i32, -1i32, Vec::<String>::new());
        let reply = conn
            .channel()
            .send_with_reply_and_block(layout, TIMEOUT)
            .map_err(|e| format!("the menu's layout: {e}"))?;
        let mut args = reply.iter_init();
        args.next();
        let root = args.get_refarg().ok_or("an empty layout")?;
        let id = find(&*root, label).ok_or_else(|| format!("no tray menu entry {label:?}"))?;
        conn.with_proxy(bus.as_str(), menu, TIMEOUT)
            .method_call::<(), _, _, _>(
                "com.canonical.dbusmenu",
                "Event",
                (id, "clicked", Variant(0i32), 0u32),
            )
            .map_err(|e| format!("clicking {label:?}: {e}"))
    }
}

impl Drop for TrayHost {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(
    bus: Option<&str>,
    items: &Arc<Mutex<Vec<Item>>>,
    stop: &AtomicBool,
    ready: &std::sync::mpsc::Sender<Result<(), String>>,
) {
    let conn =
        match connect(bus).and_then(|c| c.request_name(WATCHER, false, true, true).map(|_| c)) {
            Ok(conn) => conn,
            Err(e) => {
                let _ = ready.send(Err(format!("the watcher name: {e}")));
                return;
            }
        };
    let answering = Arc::clone(items);
    conn.start_receive(
        MatchRule::new_method_call(),
        Box::new(move |msg, conn| {
            let _ = conn.send(answer(&msg, &answering));
            true
        }),
    );
    let _ = ready.send(Ok(()));
    while !stop.load(Ordering::Relaxed) {
        let _ = conn.process(Duration::from_millis(100));
    }
}

fn answer(msg: &Message, items: &Mutex<Vec<Item>>) -> Message {
    let iface = msg.interface().map(|i| i.to_string()).unwrap_or_default();
    let member = msg.member().map(|m| m.to_string()).unwrap_or_default();
    let registered = || -> Vec<String> {
        items
            .lock()
            .map(|i| i.iter().map(|(b, p)| format!("{b}{p}")).collect())
            .unwrap_or_default()
    };
    match (iface.as_str(), member.as_str()) {
        (WATCHER, "RegisterStatusNotifierItem") => {
            let service: String = msg.read1().unwrap_or_default();
            let sender = msg.sender().map(|s| s.to_string()).unwrap_or_default();
            // The argument is an object path (ayatana) or a bus name.
            let item = if service.starts_with('/') {
                (sender, service)
            } else {
                (service, "/StatusNotifierItem".to_string())
            };
            if let Ok(mut list) = items.lock() {
                list.push(item);
            }
            msg.method_return()
        }
        (WATCHER, "RegisterStatusNotifierHost") => msg.method_return(),
        ("org.freedesktop.DBus.Properties", "Get") => {
            let (_, name): (String, String) = msg.read2().unwrap_or_default();
            match name.as_str() {
                "IsStatusNotifierHostRegistered" => msg.method_return().append1(Variant(true)),
                "ProtocolVersion" => msg.method_return().append1(Variant(0i32)),
                "RegisteredStatusNotifierItems" => {
                    msg.method_return().append1(Variant(registered()))
                }
                _ => unknown(msg),
            }
        }
        ("org.freedesktop.DBus.Properties", "GetAll") => {
            let mut all = PropMap::new();
            all.insert(
                "IsStatusNotifierHostRegistered".into(),
                Variant(Box::new(true)),
            );
            all.insert("ProtocolVersion".into(), Variant(Box::new(0i32)));
            all.insert(
                "RegisteredStatusNotifierItems".into(),
                Variant(Box::new(registered())),
            );
            msg.method_return().append1(all)
        }
        _ => unknown(msg),
    }
}

fn unknown(msg: &Message) -> Message {
    msg.error(
        &"org.freedesktop.DBus.Error.UnknownMethod".into(),
        c"not answered by this stand-in tray host",
    )
}

/// The value inside a variant (or the value itself).
fn unvariant(arg: &dyn RefArg) -> &dyn RefArg {
    if arg.arg_type() == ArgType::Variant {
        if let Some(inner) = arg.as_iter().and_then(|mut i| i.next()) {
            return inner;
        }
    }
    arg
}

/// The id of the dbusmenu node (`(i a{sv} av)`) labelled `label`, searched depth first.
fn find(node: &dyn RefArg, label: &str) -> Option<i32> {
    let node = unvariant(node);
    let mut fields = node.as_iter()?;
    let id = fields.next()?.as_i64()?;
    let props = fields.next()?;
    let children = fields.next()?;
    let mut pairs = props.as_iter()?;
    while let (Some(key), Some(value)) = (pairs.next(), pairs.next()) {
        if key.as_str() == Some("label")
            && unvariant(value).as_str().map(|l| l.replace('_', "")) == Some(label.to_string())
        {
            return i32::try_from(id).ok();
        }
    }
    children.as_iter()?.find_map(|child| find(child, label))
}
