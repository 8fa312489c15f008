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
}

/// Prints what `vitalog info` reports.
pub fn run(args: &InfoArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let info = Info {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: global.data_dir()?.display().to_string(),
    };
    if args.json {
        let line = serde_json::to_string(&info)
            .map_err(|error| CliError::InvalidInput(error.to_string()))?;
        println!("{line}");
    } else {
        println!("vitalog {}\ndata folder: {}", info.version, info.data_dir);
    }
    Ok(())
}
