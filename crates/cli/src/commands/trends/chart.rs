//! `vitalog chart`: one of the app's charts as an SVG file, with its title and text
//! alternative inside.

use std::path::PathBuf;

use clap::Args;
use readings::Kind;
use trends::charts::{ChartKind, ChartRequest, Size, Theme};

use super::{Loaded, PeriodArgs};
use crate::error::CliError;
use crate::options::GlobalOptions;

/// Arguments of `vitalog chart`.
#[derive(Debug, Args)]
pub struct ChartArgs {
    /// agp, tir, glucose, daily, bp, weight, spo2, temperature or heart_rate
    chart: String,

    #[command(flatten)]
    period: PeriodArgs,

    /// Dark ink for a light page (light, the default) or light ink for a dark one (dark)
    #[arg(long, default_value = "light", value_name = "THEME")]
    theme: String,

    /// Width in pixels
    #[arg(long, default_value_t = 720)]
    width: u32,

    /// Height in pixels
    #[arg(long, default_value_t = 320)]
    height: u32,

    /// Where to write the SVG
    #[arg(short = 'o', long = "output", value_name = "FILE.svg")]
    output: PathBuf,
}

/// Writes the chart.
pub fn run(args: &ChartArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let kind: ChartKind = args.chart.parse().map_err(CliError::InvalidInput)?;
    let theme = match args.theme.as_str() {
        "light" => Theme::Light,
        "dark" => Theme::Dark,
        _ => return Err(CliError::InvalidInput("--theme is light or dark".into())),
    };
    if !(200..=4000).contains(&args.width) || !(120..=4000).contains(&args.height) {
        return Err(CliError::InvalidInput(
            "the chart must be 200–4000 pixels wide and 120–4000 high".into(),
        ));
    }
    let kinds: &[Kind] = match kind {
        ChartKind::Agp | ChartKind::Tir | ChartKind::Glucose | ChartKind::Daily => &[Kind::Glucose],
        ChartKind::Bp => &[Kind::BloodPressure],
        ChartKind::Weight => &[Kind::Weight],
        ChartKind::Spo2 => &[Kind::SpO2],
        ChartKind::Temperature => &[Kind::Temperature],
        ChartKind::HeartRate => &[Kind::HeartRate],
    };
    let loaded = Loaded::read(&args.period, kinds, global)?;
    let observations = loaded.observations();
    let request = ChartRequest {
        period: &loaded.period,
        observations: &observations,
        options: loaded.options,
        size: Size {
            width: args.width,
            height: args.height,
        },
        theme,
    };
    let chart = trends::charts::render(kind, &request).ok_or_else(|| {
        CliError::InvalidInput(format!(
            "nothing to draw: the period holds no readings for the {} chart",
            kind.as_str()
        ))
    })?;
    // The chart draws health values: private to this user, like every export.
    journal::save_private(&args.output, chart.svg.as_bytes())?;
    println!("{}: {}", chart.title, chart.description);
    Ok(())
}
