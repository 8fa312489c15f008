//! `vitalog info`: the version and the data folder, for bug reports and scripts.

use clap::Args;
use serde::Serialize;

use crate::error::CliError;
use crate::options::GlobalOptions;

/// Arguments of `vitalog info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Print a JSON object instead of text
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Info {
    version: &'static str,
    data_dir: String,
    /// Whether this process can leave a core dump (a crash would write memory to disk).
    core_dumps: bool,
}

/// Prints what `vitalog info` reports.
pub fn run(args: &InfoArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let info = Info {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: global.data_dir()?.display().to_string(),
        core_dumps: !journal::process::core_dumps_off(),
    };
    if args.json {
        let line = serde_json::to_string(&info)
            .map_err(|error| CliError::InvalidInput(error.to_string()))?;
        println!("{line}");
    } else {
        println!(
            "vitalog {}\ndata folder: {}\ncore dumps: {}",
            info.version,
            info.data_dir,
            if info.core_dumps { "possible" } else { "off" }
        );
    }
    Ok(())
}
