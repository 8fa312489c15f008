//! `vitalog stats`: the statistics of a period, from the `trends` crate, as the JSON of
//! `STATS-JSON.md` (`--json`) or a readable summary.

use clap::Args;
use readings::{Kind, Unit};
use trends::Stats;
use trends::glucose::{CgmStats, MeterStats, Ranges};

use super::{Loaded, PeriodArgs};
use crate::error::CliError;
use crate::options::GlobalOptions;

/// Arguments of `vitalog stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    period: PeriodArgs,

    /// Only this kind: glucose, bp, weight, temperature, spo2 or heart_rate
    #[arg(long, value_name = "KIND")]
    kind: Option<String>,

    /// Print the statistics as JSON
    #[arg(long)]
    json: bool,
}

/// Prints the statistics of the period.
pub fn run(args: &StatsArgs, global: &GlobalOptions) -> Result<(), CliError> {
    let kinds = match &args.kind {
        Some(kind) => {
            let kind: Kind = kind.parse()?;
            if !trends::KINDS.contains(&kind) {
                return Err(CliError::InvalidInput(format!(
                    "there are no statistics of {} entries: use glucose, bp, weight, temperature, spo2 or heart_rate",
                    kind.noun()
                )));
            }
            vec![kind]
        }
        None => trends::KINDS.to_vec(),
    };
    let loaded = Loaded::read(&args.period, &kinds, global)?;
    let stats = trends::stats(&loaded.period, &loaded.observations(), loaded.options);
    if args.json {
        let text = serde_json::to_string_pretty(&stats)
            .map_err(|e| CliError::InvalidInput(format!("cannot encode the statistics: {e}")))?;
        println!("{text}");
    } else {
        print!("{}", readable(&stats));
    }
    Ok(())
}

/// The statistics as a person reads them: rounded for display, with the consensus targets.
fn readable(stats: &Stats) -> String {
    let mut out = format!(
        "{} to {} ({} days, {})\n",
        stats.period.from, stats.period.to, stats.period.calendar_days, stats.period.time_zone
    );
    let nothing = stats.glucose.is_none()
        && stats.blood_pressure.is_none()
        && stats.weight.is_none()
        && stats.temperature.is_none()
        && stats.spo2.is_none()
        && stats.heart_rate.is_none();
    if nothing {
        out.push_str("No readings in this period.\n");
    }
    if let Some(glucose) = &stats.glucose {
        if let Some(cgm) = &glucose.cgm {
            out.push_str(&cgm_text(cgm));
        }
        if let Some(meter) = &glucose.meter {
            out.push_str(&meter_text(meter));
        }
    }
    if let Some(bp) = &stats.blood_pressure {
        out.push_str(&format!(
            "\nBlood pressure: {} readings over {} days{}\n  average {:.0}/{:.0} mmHg ({}){}\n",
            bp.n_readings,
            bp.days,
            bp.first_day_discarded
                .as_deref()
                .map(|d| format!(" (first day {d} left out, as the protocol asks)"))
                .unwrap_or_default(),
            bp.mean.systolic,
            bp.mean.diastolic,
            category_words(bp.category),
            if bp.home_high {
                "; at or above the home threshold of 135/85"
            } else {
                ""
            }
        ));
        for (name, session) in [("morning", bp.morning), ("evening", bp.evening)] {
            if let (Some(s), Some(d)) = (session.systolic, session.diastolic) {
                out.push_str(&format!(
                    "  {name} {s:.0}/{d:.0} mmHg ({} readings)\n",
                    session.n
                ));
            }
        }
    }
    for (name, block) in [
        ("Weight", &stats.weight),
        ("Temperature", &stats.temperature),
        ("Oxygen saturation", &stats.spo2),
        ("Heart rate", &stats.heart_rate),
    ] {
        if let Some(b) = block {
            out.push_str(&format!(
                "\n{name}: {} readings, average {:.1} {} (lowest {}, highest {})\n",
                b.n_readings,
                b.mean,
                b.unit.symbol(),
                b.min,
                b.max
            ));
            if let Some(Some(change)) = b.change_per_week {
                out.push_str(&format!(
                    "  trend {change:+.2} {} per week\n",
                    b.unit.symbol()
                ));
            }
            if let Some(below) = b.pct_below_90 {
                out.push_str(&format!("  {below:.0} % of readings below 90 %\n"));
            }
        }
    }
    out
}

fn decimals(unit: Unit) -> usize {
    if unit == Unit::MmolPerL { 1 } else { 0 }
}

fn ranges_text(ranges: &Ranges) -> String {
    format!(
        "  very low {:.1} %, low {:.1} %, in range {:.0} %, high {:.0} %, very high {:.1} %\n",
        ranges.very_low.pct,
        ranges.low.pct,
        ranges.in_range.pct,
        ranges.high.pct,
        ranges.very_high.pct
    )
}

fn cgm_text(cgm: &CgmStats) -> String {
    let d = decimals(cgm.unit);
    let mut out = format!(
        "\nGlucose (CGM): {} readings, {:.0} % of the expected, {} days with data\n  average {:.d$} {}",
        cgm.n_readings,
        cgm.wear_pct,
        cgm.days_with_data,
        cgm.mean,
        cgm.unit.symbol()
    );
    if let Some(cv) = cgm.cv_pct {
        out.push_str(&format!(
            ", variability (CV) {cv:.1} % (target 36 % or less)"
        ));
    }
    match cgm.gmi_pct {
        Some(gmi) => out.push_str(&format!(", GMI {gmi:.1} %\n")),
        None => out.push_str(
            "\n  Not enough CGM data for GMI: the consensus asks for 14 days with at least 70 % of readings.\n",
        ),
    }
    out.push_str(&format!(
        "  time in range {:.0} % (target above 70 %), below range {:.0} % (target below 4 %)\n",
        cgm.ranges.in_range.pct, cgm.ranges.below_70.pct
    ));
    out.push_str(&ranges_text(&cgm.ranges));
    out
}

fn meter_text(meter: &MeterStats) -> String {
    let d = decimals(meter.unit);
    let mut out = format!(
        "\nGlucose (meter): {} readings, {:.1} a day, average {:.d$} {}\n",
        meter.n_readings,
        meter.readings_per_day,
        meter.mean,
        meter.unit.symbol()
    );
    for (name, meal) in [
        ("before meals", meter.before_meal),
        ("after meals", meter.after_meal),
    ] {
        if let Some(mean) = meal.mean {
            out.push_str(&format!(
                "  {name} {mean:.d$} {} ({} readings)\n",
                meter.unit.symbol(),
                meal.n
            ));
        }
    }
    out.push_str(&format!(
        "  readings in range {:.0} %; {} low readings, {} of them very low\n",
        meter.ranges.in_range.pct, meter.hypo_readings.below_70, meter.hypo_readings.below_54
    ));
    out
}

fn category_words(category: trends::blood_pressure::Category) -> &'static str {
    use trends::blood_pressure::Category;
    match category {
        Category::Normal => "normal",
        Category::Elevated => "elevated",
        Category::Stage1 => "stage 1 hypertension range",
        Category::Stage2 => "stage 2 hypertension range",
    }
}
