//! The shell on Tauri's mock runtime: commands are registered and answer through real IPC.

use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use timebridge_core::{DataDir, Startup};
use timebridge_types::{cmd, ApiError, ErrorCode, StatusView};

use super::builder;

fn invoke(data_dir: &std::path::Path, command: &str) -> Result<serde_json::Value, ApiError> {
    let startup = Startup::new(Some(DataDir::at(data_dir)), None);
    let app = builder(mock_builder(), startup)
        .build(mock_context(noop_assets()))
        .unwrap();
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let request = InvokeRequest {
        cmd: command.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::default(),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    match get_ipc_response(&webview, request) {
        Ok(body) => Ok(body.deserialize().unwrap()),
        Err(value) => Err(serde_json::from_value(value.clone())
            .unwrap_or_else(|_| panic!("{command} failed with a non-ApiError: {value}"))),
    }
}

#[test]
fn every_command_name_in_the_contract_is_registered() {
    for name in cmd::ALL {
        let tmp = tempfile::tempdir().unwrap();
        // An unregistered command fails with a plain string, which `invoke` turns into a panic.
        let _ = invoke(tmp.path(), name);
    }
}

#[test]
fn get_status_reads_the_real_database_file() {
    let tmp = tempfile::tempdir().unwrap();
    let value = invoke(tmp.path(), cmd::GET_STATUS).expect("status");
    let status: StatusView = serde_json::from_value(value).unwrap();
    assert!(tmp.path().join("timebridge.db").is_file());
    assert_eq!(
        status.database_file,
        tmp.path().join("timebridge.db").display().to_string()
    );
    assert_eq!(status.schema_version, status.latest_schema_version);
    assert!(status.schema_version >= 1);
}

#[test]
fn get_status_reports_a_corrupt_database_with_its_code() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("timebridge.db"), vec![0x55; 4096]).unwrap();
    let err = invoke(tmp.path(), cmd::GET_STATUS).unwrap_err();
    assert_eq!(err.code, ErrorCode::DatabaseCorrupt);
    assert!(err.message.contains("damaged"), "{}", err.message);
}
