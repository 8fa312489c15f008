//! The native open and save dialogs, asked for by commands, never by the page: the page gets
//! no file-system permission, so it can only read or write a file the patient picked in a
//! dialog the app opened. Tests on the mock runtime swap the dialog for a scripted picker.

use std::path::PathBuf;
use std::sync::Arc;

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;

/// What a dialog asks for.
#[derive(Debug, Clone)]
pub enum FileRequest {
    /// Where to write a new file.
    Save {
        /// The dialog's title.
        title: &'static str,
        /// The name the dialog suggests.
        suggested_name: String,
        /// Name and extensions of the file type offered.
        filter: (&'static str, &'static [&'static str]),
    },
    /// An existing file to read.
    Open {
        /// The dialog's title.
        title: &'static str,
        /// Name and extensions of the file types shown.
        filter: (&'static str, &'static [&'static str]),
    },
}

type Pick = dyn Fn(FileRequest, Box<dyn FnOnce(Option<PathBuf>) + Send>) + Send + Sync;

/// Asks the patient for a file; managed app state.
#[derive(Clone)]
pub struct FilePicker {
    pick: Arc<Pick>,
}

impl FilePicker {
    /// The platform's dialogs, as a sheet on the main window where the platform has them.
    pub fn dialogs<R: Runtime>(app: AppHandle<R>) -> Self {
        Self {
            pick: Arc::new(move |request, answer| {
                let mut dialog = app.dialog().file();
                if let Some(window) = app.get_webview_window("main") {
                    dialog = dialog.set_parent(&window);
                }
                let reply = move |path: Option<tauri_plugin_dialog::FilePath>| {
                    answer(path.and_then(|p| p.into_path().ok()));
                };
                match request {
                    FileRequest::Save {
                        title,
                        suggested_name,
                        filter,
                    } => dialog
                        .set_title(title)
                        .set_file_name(suggested_name)
                        .add_filter(filter.0, filter.1)
                        .save_file(reply),
                    FileRequest::Open { title, filter } => dialog
                        .set_title(title)
                        .add_filter(filter.0, filter.1)
                        .pick_file(reply),
                }
            }),
        }
    }

    /// A picker that answers every request with `answer(request)` (tests).
    pub fn scripted(
        answer: impl Fn(&FileRequest) -> Option<PathBuf> + Send + Sync + 'static,
    ) -> Self {
        Self {
            pick: Arc::new(move |request, reply| reply(answer(&request))),
        }
    }

    /// The file the patient chose, or `None` when they cancelled.
    pub async fn choose(&self, request: FileRequest) -> Option<PathBuf> {
        let (sender, receiver) = tokio::sync::oneshot::channel();
        (self.pick)(
            request,
            Box::new(move |path| {
                let _ = sender.send(path);
            }),
        );
        receiver.await.ok().flatten()
    }
}

impl std::fmt::Debug for FilePicker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FilePicker")
    }
}
