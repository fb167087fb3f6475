//! The report of a billing run: per customer, its timesheets of the month and their totals, as
//! CSV (for a spreadsheet or an invoice tool) and as a printable HTML page, saved in the data
//! directory under `reports/billing-YYYY-MM-<run id>.{csv,html}`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use super::plan::BillingInput;
use super::preview::{hours, Totals};
use super::{billing_tag, Billing, BillingError, JournalRow, Sheet};
use crate::sync::time::Month;

/// Where a run's report files are, relative to the data directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportFiles {
    /// `reports/billing-YYYY-MM-<id>.csv`.
    pub csv: String,
    /// `reports/billing-YYYY-MM-<id>.html`.
    pub html: String,
}

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) customer: String,
    pub(crate) project: String,
    pub(crate) activity: String,
    pub(crate) sheet: Sheet,
    pub(crate) status: &'static str,
}

/// The report's lines by customer: the run's records as it left them, plus the scope's
/// records billed before it.
pub(crate) fn lines(input: &BillingInput, rows: &[JournalRow]) -> BTreeMap<String, Vec<Line>> {
    let tag = billing_tag(input.month);
    let run: BTreeMap<i64, &JournalRow> = rows.iter().map(|r| (r.timesheet_id, r)).collect();
    let cat = &input.catalog;
    let scope: BTreeSet<i64> = input.customers.clone();
    let mut out: BTreeMap<String, Vec<Line>> = BTreeMap::new();
    for s in &input.sheets {
        let Some((project, customer)) = cat.projects.get(&s.project) else {
            continue;
        };
        if !scope.is_empty() && !scope.contains(customer) {
            continue;
        }
        let (sheet, status) = match run.get(&s.id) {
            Some(r) => (r.after.clone().unwrap_or_else(|| s.clone()), "billed"),
            None if s.exported && s.has_tag(&tag) => (s.clone(), "billed earlier"),
            None if s.exported => (s.clone(), "exported before"),
            None => (s.clone(), "not billed"),
        };
        let customer = cat
            .customers
            .get(customer)
            .cloned()
            .unwrap_or_else(|| format!("customer {customer}"));
        out.entry(customer.clone()).or_default().push(Line {
            customer,
            project: project.clone(),
            activity: cat
                .activities
                .get(&s.activity)
                .cloned()
                .unwrap_or_else(|| format!("activity {}", s.activity)),
            sheet,
            status,
        });
    }
    out
}

fn totals(lines: &[Line]) -> Totals {
    let mut t = Totals::default();
    lines.iter().for_each(|l| t.add(&l.sheet));
    t
}

fn amount(a: Option<rust_decimal::Decimal>) -> String {
    a.map(|a| a.round_dp(2).to_string()).unwrap_or_default()
}

/// The CSV text: one row per timesheet, then a total row per customer.
pub(crate) fn csv_text(by_customer: &BTreeMap<String, Vec<Line>>) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "customer",
        "project",
        "activity",
        "timesheet_id",
        "date",
        "begin",
        "end",
        "hours",
        "billable",
        "amount",
        "status",
        "description",
    ])?;
    for (customer, lines) in by_customer {
        for l in lines {
            let s = &l.sheet;
            w.write_record([
                customer.as_str(),
                &l.project,
                &l.activity,
                &s.id.to_string(),
                &s.begin.format("%Y-%m-%d").to_string(),
                &s.begin.format("%H:%M").to_string(),
                &s.end
                    .map(|e| e.format("%H:%M").to_string())
                    .unwrap_or_default(),
                &hours(s.seconds).to_string(),
                if s.billable { "yes" } else { "no" },
                &amount(s.rate),
                l.status,
                &s.description,
            ])?;
        }
        let t = totals(lines);
        w.write_record([
            customer.as_str(),
            "",
            "",
            "",
            "",
            "",
            "",
            &t.hours.to_string(),
            &t.billable_hours.to_string(),
            &amount(t.amount),
            "total",
            "",
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The printable HTML page.
pub(crate) fn html_text(
    month: Month,
    run_id: i64,
    by_customer: &BTreeMap<String, Vec<Line>>,
) -> String {
    let mut h = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Billing {month} (run {run_id})</title>\n\
         <style>body{{font-family:sans-serif}}table{{border-collapse:collapse;width:100%;margin-bottom:2em}}\
         td,th{{border:1px solid #999;padding:2px 6px;text-align:left}}td.n{{text-align:right}}\
         h2{{page-break-before:auto}}@media print{{section{{page-break-after:always}}}}</style></head><body>\n\
         <h1>Billing {month}</h1><p>Billing run {run_id}</p>\n"
    );
    for (customer, lines) in by_customer {
        let t = totals(lines);
        h.push_str(&format!(
            "<section><h2>{}</h2><table><tr><th>Date</th><th>Time</th><th>Project</th>\
             <th>Activity</th><th>Description</th><th>Hours</th><th>Amount</th><th>Status</th></tr>\n",
            esc(customer)
        ));
        for l in lines {
            let s = &l.sheet;
            h.push_str(&format!(
                "<tr><td>{}</td><td>{}–{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td><td>{}</td></tr>\n",
                s.begin.format("%Y-%m-%d"),
                s.begin.format("%H:%M"),
                s.end.map(|e| e.format("%H:%M").to_string()).unwrap_or_default(),
                esc(&l.project),
                esc(&l.activity),
                esc(&s.description),
                hours(s.seconds),
                amount(s.rate),
                l.status
            ));
        }
        h.push_str(&format!(
            "<tr><th colspan=\"5\">Total ({} entries, billable {} h)</th><th class=\"n\">{}</th>\
             <th class=\"n\">{}</th><th></th></tr></table></section>\n",
            t.entries,
            t.billable_hours,
            t.hours,
            amount(t.amount)
        ));
    }
    h.push_str("</body></html>\n");
    h
}

fn save(dir: &Path, name: &str, text: &str) -> Result<(), BillingError> {
    let path = dir.join(name);
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&path, text))
        .map_err(|source| BillingError::Report {
            path: path.display().to_string(),
            source,
        })
}

/// Writes both files of run `run_id`.
pub(crate) fn write(
    b: &Billing<'_>,
    run_id: i64,
    input: &BillingInput,
    rows: &[JournalRow],
) -> Result<ReportFiles, BillingError> {
    let by_customer = lines(input, rows);
    let base = format!("billing-{}-{run_id}", input.month);
    let dir = b.data_dir.join(crate::paths::REPORT_DIR);
    let csv = csv_text(&by_customer).map_err(|e| BillingError::Report {
        path: format!("{base}.csv"),
        source: std::io::Error::other(e.to_string()),
    })?;
    save(&dir, &format!("{base}.csv"), &csv)?;
    save(
        &dir,
        &format!("{base}.html"),
        &html_text(input.month, run_id, &by_customer),
    )?;
    Ok(ReportFiles {
        csv: format!("reports/{base}.csv"),
        html: format!("reports/{base}.html"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDateTime};

    const MARKUP: &str = r#"<img src=x onerror="alert(1)"><script>alert(2)</script> & "q""#;

    #[test]
    fn markup_in_names_and_descriptions_is_text_in_the_html_report() {
        let begin = NaiveDateTime::parse_from_str("2026-10-01 09:00", "%Y-%m-%d %H:%M").unwrap();
        let sheet = Sheet {
            id: 7,
            begin,
            end: Some(begin + Duration::minutes(30)),
            seconds: 1800,
            project: 1,
            activity: 1,
            description: format!("#31001 {MARKUP}"),
            tags: vec![],
            exported: true,
            billable: true,
            rate: None,
        };
        let line = Line {
            customer: format!("Acme {MARKUP}"),
            project: format!("Support {MARKUP}"),
            activity: format!("Remote {MARKUP}"),
            sheet,
            status: "billed",
        };
        let by_customer = BTreeMap::from([(line.customer.clone(), vec![line])]);
        let html = html_text(Month::new(2026, 10).unwrap(), 3, &by_customer);
        for raw in ["<img", "<script", "onerror=\""] {
            assert!(!html.contains(raw), "{raw:?} is in the page: {html}");
        }
        // Once each in the heading, project, activity and description cells.
        let escaped = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt; &amp; &quot;q&quot;";
        assert_eq!(html.matches(escaped).count(), 4, "{html}");
    }
}
