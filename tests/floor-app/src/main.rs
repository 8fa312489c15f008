//! The smallest Tauri app that reports when its page is interactive, exactly as Vitalog does,
//! so the start-up benchmark can subtract what the stack itself costs.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

struct Startup {
    started: Instant,
    interactive_after: OnceLock<Duration>,
}

#[tauri::command]
fn app_ready(startup: tauri::State<'_, Startup>) {
    let elapsed = startup.started.elapsed();
    if startup.interactive_after.set(elapsed).is_ok() {
        eprintln!("vitalog: interactive after {} ms", elapsed.as_millis());
    }
}

fn main() {
    let startup = Startup {
        started: Instant::now(),
        interactive_after: OnceLock::new(),
    };
    let app = tauri::Builder::default()
        .manage(startup)
        .invoke_handler(tauri::generate_handler![app_ready])
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(error) => {
            eprintln!("floor-app: {error}");
            std::process::exit(1);
        }
    }
}
