//! The origin line of timesheets written by the web service most users ran before Timebridge
//! (Zammad-Kimai-Time-Tracking-Sync): its descriptions *begin* with
//! `ZAM:T<ticket id>|TA:<time accounting id>` on a line of their own, followed by lines such as
//! `Ticket-<number>`, `Zammad Ticket ID: …`, `Time Accounting ID: …`, `Customer: …`, `Title: …`
//! and `Zammad URL: https://<host>/#ticket/zoom/<id>`. Recognising it lets the first sync link
//! those timesheets to their entries instead of booking every one a second time.
//!
//! Only the first line counts (the service always wrote it first); the URL line, when present,
//! names the helpdesk by its host. Pure, like the rest of `entries`.

/// The origin a previous-service timesheet carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyMarker {
    /// The Zammad ticket id (`T…`).
    pub ticket_id: i64,
    /// The time accounting id (`TA:…`).
    pub time_accounting_id: i64,
    /// The host of its `Zammad URL:` line, lower case (with a port if it had one).
    pub host: Option<String>,
}

fn positive(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|n| *n > 0)
}

/// The host of `https://host[:port]/…`, lower case.
pub fn url_host(url: &str) -> Option<String> {
    let rest = url
        .trim()
        .strip_prefix("https://")
        .or_else(|| url.trim().strip_prefix("http://"))?;
    let host = rest.split(['/', '#', '?']).next()?.trim();
    let host = host.rsplit('@').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

impl LegacyMarker {
    /// The origin of `description`, when its first line is the previous service's marker.
    pub fn parse(description: &str) -> Option<Self> {
        let mut lines = description.lines();
        let first = lines.next()?.trim();
        let rest = first.strip_prefix("ZAM:T")?;
        let (ticket, ta) = rest.split_once("|TA:")?;
        let host = lines
            .filter_map(|l| l.trim().strip_prefix("Zammad URL:"))
            .find_map(url_host);
        Some(Self {
            ticket_id: positive(ticket.trim())?,
            time_accounting_id: positive(ta.trim())?,
            host,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRITTEN: &str = "ZAM:T482|TA:9931\nTicket-31482\nZammad Ticket ID: 482\n\
        Time Accounting ID: 9931\nCustomer: Acme GmbH\nTitle: VPN drops every hour\n\
        Zammad URL: https://Helpdesk.Acme.example/#ticket/zoom/482";

    #[test]
    fn the_services_description_names_ticket_entry_and_helpdesk() {
        assert_eq!(
            LegacyMarker::parse(WRITTEN),
            Some(LegacyMarker {
                ticket_id: 482,
                time_accounting_id: 9931,
                host: Some("helpdesk.acme.example".into()),
            })
        );
        let crlf = WRITTEN.replace('\n', "\r\n");
        assert_eq!(LegacyMarker::parse(&crlf), LegacyMarker::parse(WRITTEN));
        let bare = LegacyMarker::parse("ZAM:T1|TA:2").unwrap();
        assert_eq!(
            (bare.ticket_id, bare.time_accounting_id, bare.host),
            (1, 2, None)
        );
    }

    #[test]
    fn anything_else_is_not_the_services_marker() {
        for text in [
            "",
            "Meeting with Acme",
            "Notes\nZAM:T1|TA:2",
            "ZAM:T|TA:2",
            "ZAM:T1|TA:",
            "ZAM:T-1|TA:2",
            "ZAM:T1|TA:2x",
            "ZAM:T0|TA:2",
            "zam:t1|ta:2",
        ] {
            assert_eq!(LegacyMarker::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn hosts_are_compared_without_scheme_path_or_case() {
        assert_eq!(
            url_host("https://Z.example:8443/zammad/#x"),
            Some("z.example:8443".into())
        );
        assert_eq!(url_host("http://z.example"), Some("z.example".into()));
        assert_eq!(url_host("z.example/x"), None);
        assert_eq!(url_host("https:///x"), None);
    }
}
