//! The app as the tests boot it: `configure` on Tauri's mock runtime (the same plugins,
//! commands and state as the real app), its journal in a folder of the test's, a scripted file
//! picker standing in for the native dialogs, and calls through the real IPC layer.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};
use vitalog_app_lib::file_picker::{FilePicker, FileRequest};
use vitalog_app_lib::journal_access::JournalAccess;

/// A passphrase the journal accepts.
pub const PASSPHRASE: &str = "plum kettle orbit 42";

/// The app on the mock runtime, its journal in `dir`, and what the picker will answer next.
pub struct Harness {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    next_file: Arc<Mutex<Option<PathBuf>>>,
    pub asked: Arc<Mutex<Vec<String>>>,
}

impl Harness {
    pub fn new(dir: &Path) -> Self {
        let next_file = Arc::new(Mutex::new(None::<PathBuf>));
        let asked = Arc::new(Mutex::new(Vec::new()));
        let (answer, log) = (Arc::clone(&next_file), Arc::clone(&asked));
        let picker = FilePicker::scripted(move |request| {
            log.lock().expect("log").push(match request {
                FileRequest::Save { suggested_name, .. } => format!("save {suggested_name}"),
                FileRequest::Open { title, .. } => format!("open {title}"),
            });
            answer.lock().expect("answer").take()
        });
        let app = vitalog_app_lib::configure(tauri::test::mock_builder())
            .manage(Arc::new(JournalAccess::new(dir.to_path_buf())))
            .manage(picker)
            .manage(vitalog_app_lib::commands::app::Startup::new(
                std::time::Instant::now(),
            ))
            .build(tauri::test::mock_context(tauri::test::noop_assets()))
            .expect("mock app");
        let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("webview");
        assert!(app.try_state::<FilePicker>().is_some());
        Self {
            _app: app,
            window,
            next_file,
            asked,
        }
    }

    pub fn pick(&self, path: Option<&Path>) {
        *self.next_file.lock().expect("answer") = path.map(Path::to_path_buf);
    }

    pub fn call(&self, cmd: &str, body: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: tauri::ipc::InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request)
            .map(|response| response.deserialize::<Value>().expect("json"))
    }
}
