//! The shell on Tauri's mock runtime: commands are registered and answer through real IPC.

use std::sync::Arc;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;

use timebridge_app::Host;
use timebridge_core::secrets::MemoryStore;
use timebridge_core::{DataDir, Startup};
use timebridge_types::{cmd, ApiError, ErrorCode, StatusView};

use super::builder;

fn invoke(data_dir: &std::path::Path, command: &str) -> Result<serde_json::Value, ApiError> {
    let startup = Startup::new(Some(DataDir::at(data_dir)), None);
    // No demo directory: `start_demo` answers with an error instead of starting simulators.
    let host = Host::new(startup, Arc::new(MemoryStore::default()), None);
    let updates = crate::updates::Updates::new("0.1.0", false);
    let app = builder(mock_builder(), host, updates)
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
        // A registered command called without its `req` says so; anything else that is not an
        // ApiError (an unknown command) is a failure.
        Err(serde_json::Value::String(s)) if s.contains("missing required key req") => {
            Err(ApiError::new(ErrorCode::Validation, s))
        }
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
fn commands_answer_from_the_facade_with_codes_the_ui_branches_on() {
    let tmp = tempfile::tempdir().unwrap();
    let state = invoke(tmp.path(), cmd::APP_STATE).expect("app state");
    assert_eq!(state["mode"], "first_run");
    assert_eq!(
        invoke(tmp.path(), cmd::SYNC_NOW).unwrap_err().code,
        ErrorCode::NotConfigured,
        "nothing set up yet"
    );
    assert_eq!(
        invoke(tmp.path(), cmd::START_DEMO).unwrap_err().code,
        ErrorCode::DataDirUnavailable,
        "no demo directory in this test"
    );
    let conflicts = invoke(tmp.path(), cmd::LIST_CONFLICTS).expect("conflicts");
    assert_eq!(conflicts, serde_json::json!([]));
    let settings = invoke(tmp.path(), cmd::GET_SETTINGS).expect("settings");
    assert_eq!(settings["schedule"]["kind"], "every15_minutes");
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

#[test]
fn a_build_without_a_release_server_says_so_and_installs_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    for command in [cmd::UPDATE_STATUS, cmd::CHECK_UPDATE] {
        let view = invoke(tmp.path(), command).expect(command);
        assert_eq!(view["state"], "not_configured", "{command}: {view}");
        assert_eq!(view["current"], "0.1.0");
    }
    for command in [cmd::INSTALL_UPDATE, cmd::RESTART_APP] {
        let err = invoke(tmp.path(), command).unwrap_err();
        assert_eq!(
            err.code,
            ErrorCode::Validation,
            "{command}: {}",
            err.message
        );
    }
}
