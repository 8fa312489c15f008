//! What every chart shares: the palette, the theme's ink, the time axis, and putting the text
//! alternative into the SVG.

use chrono::{DateTime, Duration, Utc};
use plotters::style::RGBColor;

use super::Theme;
use crate::period::Period;

/// Okabe–Ito colours, told apart with every common colour-vision deficiency.
pub(crate) const BLUE: RGBColor = RGBColor(0, 114, 178);
pub(crate) const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub(crate) const SKY: RGBColor = RGBColor(86, 180, 233);
pub(crate) const GREEN: RGBColor = RGBColor(0, 158, 115);
pub(crate) const YELLOW: RGBColor = RGBColor(240, 228, 66);
pub(crate) const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub(crate) const PURPLE: RGBColor = RGBColor(204, 121, 167);

/// The theme's ink for text and axes, and for faint grid lines.
pub(crate) fn ink(theme: Theme) -> RGBColor {
    match theme {
        Theme::Light => RGBColor(26, 26, 26),
        Theme::Dark => RGBColor(232, 232, 232),
    }
}

/// The font every chart uses (the page's sans-serif; the report embeds its own).
pub(crate) const FONT: &str = "sans-serif";

/// A period's instants as hours since its start, the x axis of the charts over time.
pub(crate) fn hours_since(period: &Period, at: DateTime<Utc>) -> f64 {
    (at - period.from()).num_seconds() as f64 / 3600.0
}

/// The label of an x position in hours since the period's start: the local date (`3 Mar`)
/// over long periods, the local time (`07:30`) over two days or less.
pub(crate) fn time_label(period: &Period, hours: f64) -> String {
    let at = period.from() + Duration::seconds((hours * 3600.0) as i64);
    let local = at.with_timezone(&period.zone());
    if period.calendar_days() <= 2 {
        local.format("%H:%M").to_string()
    } else {
        local.format("%-d %b").to_string()
    }
}

/// Puts `<title>` and `<desc>` first in the SVG and names it an image labelled by them, so a
/// screen reader and a PDF's tags read the text alternative.
pub(crate) fn with_text_alternative(svg: &str, title: &str, description: &str) -> String {
    let Some(open_end) = svg.find('>') else {
        return svg.to_owned();
    };
    let (open, rest) = svg.split_at(open_end);
    format!(
        "{open} role=\"img\" aria-labelledby=\"chart-title chart-desc\"><title id=\"chart-title\">{}</title><desc id=\"chart-desc\">{}</desc>{}",
        escape(title),
        escape(description),
        rest.get(1..).unwrap_or_default()
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_alternative_leads_the_svg() {
        let svg =
            "<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\">\n<line/></svg>";
        let out = with_text_alternative(svg, "Glucose <AGP>", "Median 120 & steady");
        assert!(out.starts_with(
            "<svg width=\"10\" height=\"10\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""
        ));
        assert!(out.contains("<title id=\"chart-title\">Glucose &lt;AGP&gt;</title>"));
        assert!(out.contains("<desc id=\"chart-desc\">Median 120 &amp; steady</desc>\n<line/>"));
    }
}
