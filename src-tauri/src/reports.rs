//! Opening a billing report with the system's default application. The webview names a
//! billing run and a format; the path comes from the run's journal, so the UI can never make
//! the shell open an arbitrary file (and the webview needs no opener permission).

use tauri::{AppHandle, Runtime};
use tauri_plugin_opener::OpenerExt;
use timebridge_types::billing::{BillingRunView, OpenReportRequest, ReportFormat};
use timebridge_types::{ApiError, ErrorCode};

/// The report file of `req` among `runs`.
pub(crate) fn path_of(runs: &[BillingRunView], req: OpenReportRequest) -> Result<String, ApiError> {
    let run = runs.iter().find(|r| r.id == req.run_id).ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            format!("There is no billing run {}.", req.run_id),
        )
    })?;
    let path = match req.format {
        ReportFormat::Csv => run.report_csv.clone(),
        ReportFormat::Html => run.report_html.clone(),
    };
    let path = path.ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            format!("Billing run {} has no such report.", run.id),
        )
    })?;
    if !std::path::Path::new(&path).is_file() {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("The report file {path} is gone (moved or deleted)."),
        ));
    }
    Ok(path)
}

/// Opens the report with the default application.
pub(crate) fn open<R: Runtime>(
    app: &AppHandle<R>,
    runs: &[BillingRunView],
    req: OpenReportRequest,
) -> Result<(), ApiError> {
    let path = path_of(runs, req)?;
    app.opener()
        .open_path(&path, None::<&str>)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("Cannot open {path}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: i64, csv: Option<String>) -> BillingRunView {
        BillingRunView {
            id,
            month: "2026-10".into(),
            customers: vec![],
            tag: "billed:2026-10".into(),
            state: "completed".into(),
            override_reason: None,
            error: None,
            started_at: String::new(),
            finished_at: None,
            reversed_at: None,
            report_csv: csv,
            report_html: None,
        }
    }

    #[test]
    fn only_a_runs_own_existing_report_is_opened() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("report.csv");
        std::fs::write(&file, "customer;hours\n").unwrap();
        let runs = [run(1, Some(file.display().to_string())), run(2, None)];
        let csv = |run_id| OpenReportRequest {
            run_id,
            format: ReportFormat::Csv,
        };
        assert_eq!(path_of(&runs, csv(1)).unwrap(), file.display().to_string());
        assert_eq!(
            path_of(&runs, csv(2)).unwrap_err().code,
            ErrorCode::NotFound
        );
        assert_eq!(
            path_of(&runs, csv(9)).unwrap_err().code,
            ErrorCode::NotFound
        );
        std::fs::remove_file(&file).unwrap();
        let gone = path_of(&runs, csv(1)).unwrap_err();
        assert!(gone.message.contains("gone"), "{}", gone.message);
    }
}
