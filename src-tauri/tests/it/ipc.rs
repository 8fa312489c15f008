//! Commands called through Tauri's real IPC layer on the mock runtime (no window needed).

use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use vitalog_app_lib::commands::app::Startup;

fn app() -> tauri::App<tauri::test::MockRuntime> {
    let bindings = vitalog_app_lib::commands::bindings::<tauri::test::MockRuntime>();
    mock_builder()
        .invoke_handler(bindings.invoke_handler())
        .manage(Startup::new(std::time::Instant::now()))
        .build(mock_context(noop_assets()))
        .expect("mock app")
}

fn request(cmd: &str) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        // The URL the app page has on Linux and macOS; IPC from other origins is refused.
        url: "tauri://localhost".parse().expect("url"),
        body: tauri::ipc::InvokeBody::default(),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

#[test]
fn app_info_reports_the_crate_version() {
    let app = app();
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("webview");
    let response = get_ipc_response(&webview, request("app_info")).expect("app_info answers");
    let info: serde_json::Value = response.deserialize().expect("json");
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(info["platform"], std::env::consts::OS);
}

#[test]
fn app_ready_answers_more_than_once() {
    let app = app();
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("webview");
    for _ in 0..2 {
        get_ipc_response(&webview, request("app_ready")).expect("app_ready answers");
    }
}
