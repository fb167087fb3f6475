//! The app's windows on the X display, and closing one as a window manager does when the user
//! clicks its close button: a `WM_DELETE_WINDOW` client message, which GTK turns into the
//! window's close request (the app decides what closing means). Xvfb runs no window manager,
//! so the tests and measurements send it themselves.

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    AtomEnum, ClientMessageEvent, ConnectionExt, EventMask, MapState, Window,
};
use x11rb::rust_connection::RustConnection;

/// An error talking to the X server, in words.
pub type Error = String;

fn err(e: impl std::fmt::Display) -> Error {
    format!("X11: {e}")
}

struct Display {
    conn: RustConnection,
    root: Window,
}

impl Display {
    fn open() -> Result<Self, Error> {
        let (conn, screen) = x11rb::connect(None).map_err(err)?;
        let root = conn.setup().roots[screen].root;
        Ok(Self { conn, root })
    }

    fn atom(&self, name: &str) -> Result<u32, Error> {
        Ok(self
            .conn
            .intern_atom(false, name.as_bytes())
            .map_err(err)?
            .reply()
            .map_err(err)?
            .atom)
    }

    fn cardinal(&self, window: Window, atom: u32) -> Option<u32> {
        let reply = self
            .conn
            .get_property(false, window, atom, AtomEnum::CARDINAL, 0, 1)
            .ok()?
            .reply()
            .ok()?;
        let value = reply.value32()?.next();
        value
    }

    /// The shown top-level windows of `pid` that accept `WM_DELETE_WINDOW`.
    fn windows_of(&self, pid: u32) -> Result<Vec<Window>, Error> {
        let pid_atom = self.atom("_NET_WM_PID")?;
        let protocols = self.atom("WM_PROTOCOLS")?;
        let delete = self.atom("WM_DELETE_WINDOW")?;
        let children = self
            .conn
            .query_tree(self.root)
            .map_err(err)?
            .reply()
            .map_err(err)?
            .children;
        let mut found = Vec::new();
        for window in children {
            if self.cardinal(window, pid_atom) != Some(pid) {
                continue;
            }
            let Ok(Ok(attrs)) = self.conn.get_window_attributes(window).map(|c| c.reply()) else {
                continue;
            };
            let accepts_delete = self
                .conn
                .get_property(false, window, protocols, AtomEnum::ATOM, 0, 16)
                .ok()
                .and_then(|c| c.reply().ok())
                .and_then(|r| r.value32().map(|mut v| v.any(|a| a == delete)))
                .unwrap_or(false);
            if attrs.map_state == MapState::VIEWABLE && accepts_delete {
                found.push(window);
            }
        }
        Ok(found)
    }
}

/// How many shown top-level windows `pid` has.
pub fn window_count(pid: u32) -> Result<usize, Error> {
    Ok(Display::open()?.windows_of(pid)?.len())
}

/// Asks every shown top-level window of `pid` to close, as clicking its close button does.
/// Returns how many were asked.
pub fn close_windows(pid: u32) -> Result<usize, Error> {
    let display = Display::open()?;
    let windows = display.windows_of(pid)?;
    let protocols = display.atom("WM_PROTOCOLS")?;
    let delete = display.atom("WM_DELETE_WINDOW")?;
    for window in &windows {
        let event = ClientMessageEvent::new(
            32,
            *window,
            protocols,
            [delete, x11rb::CURRENT_TIME, 0, 0, 0],
        );
        display
            .conn
            .send_event(false, *window, EventMask::NO_EVENT, event)
            .map_err(err)?;
    }
    display.conn.flush().map_err(err)?;
    Ok(windows.len())
}
