//! Pages as the report lays them out: A4, a cursor moving down the page, text in the embedded
//! fonts, charts as vectors, and a footer on every page written once the page count is known.
//!
//! The PDF is PDF/A-2a: archivable, and tagged so a screen reader reads it in order with its
//! headings, paragraphs, table cells and the charts' text alternatives. Every mark records the
//! block it belongs to and that block's role; `finish` turns them into krilla's tag tree.

use std::num::NonZeroU16;
use std::sync::Arc;

use krilla::color::rgb;
use krilla::configure::{Configuration, Validator};
use krilla::geom::{PathBuilder, Point, Rect, Size};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::tagging::{
    ArtifactType, ContentTag, SpanTag, TableHeaderScope, Tag, TagGroup, TagTree,
};
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};
use krilla_svg::{SurfaceExt, SvgSettings};

use crate::{ReportError, ReportInput};

/// A4 in points.
pub(crate) const PAGE_WIDTH: f32 = 595.0;
pub(crate) const PAGE_HEIGHT: f32 = 842.0;
/// The margins.
pub(crate) const MARGIN: f32 = 48.0;
/// Where the footer starts.
const FOOTER_TOP: f32 = PAGE_HEIGHT - 36.0;

const REGULAR: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/NotoSans-Bold.ttf");

/// The report's two fonts, embedded in the PDF.
#[derive(Clone)]
pub struct Fonts {
    regular: Font,
    bold: Font,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fonts(Noto Sans)")
    }
}

impl Fonts {
    /// Noto Sans regular and bold, from the crate.
    pub fn embedded() -> Option<Fonts> {
        Some(Fonts {
            regular: Font::new(REGULAR.to_vec().into(), 0)?,
            bold: Font::new(BOLD.to_vec().into(), 0)?,
        })
    }
}

/// What a block of text is, for the tag tree.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Heading(NonZeroU16),
    Paragraph,
    /// A table row; its text marks are its cells.
    Row {
        header: bool,
    },
    /// The page footer: repeated on every page, so not part of the reading order.
    Footer,
}

/// What is drawn on a page.
enum Mark {
    Text {
        /// The block (heading, paragraph, table row) this text belongs to.
        block: usize,
        role: Role,
        at: (f32, f32),
        size: f32,
        bold: bool,
        grey: bool,
        text: String,
    },
    Rect {
        at: (f32, f32),
        size: (f32, f32),
        colour: (u8, u8, u8),
    },
    Svg {
        at: (f32, f32),
        size: (f32, f32),
        svg: String,
        /// The chart's text alternative.
        alt: String,
    },
}

/// The pages being laid out.
pub(crate) struct Pages<'f> {
    fonts: &'f Fonts,
    pages: Vec<Vec<Mark>>,
    /// The top of the free space on the current page.
    pub y: f32,
    /// The block text is added to, and what it is.
    block: usize,
    role: Role,
}

impl<'f> Pages<'f> {
    pub(crate) fn new(fonts: &'f Fonts) -> Self {
        Pages {
            fonts,
            pages: vec![Vec::new()],
            y: MARGIN,
            block: 0,
            role: Role::Paragraph,
        }
    }

    /// Starts a new block of text with this role.
    fn start(&mut self, role: Role) {
        self.block += 1;
        self.role = role;
    }

    /// A heading at the cursor: level 1 is the report's title, 2 a section, 3 a part of one.
    pub(crate) fn heading(&mut self, text: &str, level: u16) {
        let size = match level {
            1 => 20.0,
            2 => 14.0,
            _ => 12.0,
        };
        self.room_for(size * 1.5);
        self.start(Role::Heading(
            NonZeroU16::new(level).unwrap_or(NonZeroU16::MIN),
        ));
        let y = self.y + size;
        self.push_text(MARGIN, y, text, size, true, false);
        self.y += size * 1.5;
    }

    /// Starts a table row; the cells are added with `cell`.
    pub(crate) fn row(&mut self, header: bool) {
        self.start(Role::Row { header });
    }

    fn marks(&mut self) -> &mut Vec<Mark> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page.
    pub(crate) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Makes sure `height` points fit below the cursor, starting a new page if not.
    pub(crate) fn room_for(&mut self, height: f32) {
        if self.y + height > FOOTER_TOP - 12.0 {
            self.new_page();
        }
    }

    /// A line of text at the cursor, moving the cursor below it.
    pub(crate) fn line(&mut self, text: &str, size: f32, bold: bool) {
        self.room_for(size * 1.5);
        self.start(Role::Paragraph);
        let y = self.y + size;
        self.push_text(MARGIN, y, text, size, bold, false);
        self.y += size * 1.5;
    }

    /// Text wrapped to the page's width (by an average glyph width, which Noto Sans keeps
    /// close to half its size).
    pub(crate) fn paragraph(&mut self, text: &str, size: f32, grey: bool) {
        let per_line = ((PAGE_WIDTH - 2.0 * MARGIN) / (size * 0.5)) as usize;
        self.start(Role::Paragraph);
        for line in wrap(text, per_line.max(20)) {
            self.room_for(size * 1.45);
            let y = self.y + size;
            self.push_text(MARGIN, y, &line, size, false, grey);
            self.y += size * 1.45;
        }
    }

    /// A cell of the current table row, its baseline at (x, y), without moving the cursor.
    pub(crate) fn cell(&mut self, x: f32, y: f32, text: &str, size: f32) {
        let header = matches!(self.role, Role::Row { header: true });
        self.push_text(x, y, text, size, header, false);
    }

    fn push_text(&mut self, x: f32, y: f32, text: &str, size: f32, bold: bool, grey: bool) {
        let (block, role) = (self.block, self.role);
        self.marks().push(Mark::Text {
            block,
            role,
            at: (x, y),
            size,
            bold,
            grey,
            text: text.to_owned(),
        });
    }

    /// A filled rectangle (a thin rule, say), without moving the cursor.
    pub(crate) fn rect(&mut self, at: (f32, f32), size: (f32, f32), colour: (u8, u8, u8)) {
        self.marks().push(Mark::Rect { at, size, colour });
    }

    /// Space below.
    pub(crate) fn gap(&mut self, points: f32) {
        self.y += points;
    }

    /// A chart `width` points wide, keeping its proportions, at the cursor; `alt` is what a
    /// screen reader says for it.
    pub(crate) fn svg(&mut self, svg: &str, alt: &str, width: f32, ratio: f32) {
        let height = width * ratio;
        self.room_for(height + 6.0);
        let at = (MARGIN, self.y);
        self.marks().push(Mark::Svg {
            at,
            size: (width, height),
            svg: svg.to_owned(),
            alt: alt.to_owned(),
        });
        self.y += height + 6.0;
    }

    /// How many pages there are.
    pub(crate) fn count(&self) -> usize {
        self.pages.len()
    }

    /// Draws every page with its footer, tags it, and gives the PDF.
    pub(crate) fn finish(self, input: &ReportInput<'_>) -> Result<Vec<u8>, ReportError> {
        let svg_options = svg_options();
        let mut document = Document::new_with(SerializeSettings {
            configuration: Configuration::new_with_validator(Validator::A2_A),
            enable_tagging: true,
            ..SerializeSettings::default()
        });
        document.set_metadata(
            Metadata::new()
                .title("Health report".to_owned())
                .language("en".to_owned())
                .creator(format!("Vitalog {}", input.version))
                .creation_date(pdf_date(input.generated_at)),
        );
        let mut tags = Tagger::default();
        let total = self.pages.len();
        for (number, marks) in self.pages.iter().enumerate() {
            let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
                .ok_or_else(|| ReportError::Pdf("the page size".into()))?;
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            for mark in marks.iter().chain(footer(input, number + 1, total).iter()) {
                match mark {
                    Mark::Text {
                        block,
                        role,
                        at,
                        size,
                        bold,
                        grey,
                        text,
                    } => {
                        tags.enter(*block, *role, text);
                        let content = if *role == Role::Footer {
                            ContentTag::Artifact(ArtifactType::Footer)
                        } else {
                            ContentTag::Span(SpanTag::empty())
                        };
                        let id = surface.start_tagged(content);
                        surface.set_fill(Some(solid(if *grey {
                            (85, 85, 85)
                        } else {
                            (20, 20, 20)
                        })));
                        let font = if *bold {
                            self.fonts.bold.clone()
                        } else {
                            self.fonts.regular.clone()
                        };
                        surface.draw_text(
                            Point::from_xy(at.0, at.1),
                            font,
                            *size,
                            text,
                            false,
                            TextDirection::Auto,
                        );
                        surface.end_tagged();
                        tags.leaf(*role, id);
                    }
                    Mark::Rect { at, size, colour } => {
                        if let Some(rect) = Rect::from_xywh(at.0, at.1, size.0, size.1) {
                            let mut path = PathBuilder::new();
                            path.push_rect(rect);
                            if let Some(path) = path.finish() {
                                // Rules only separate; they say nothing.
                                surface.start_tagged(ContentTag::Artifact(ArtifactType::Other));
                                surface.set_fill(Some(solid(*colour)));
                                surface.draw_path(&path);
                                surface.end_tagged();
                            }
                        }
                    }
                    Mark::Svg { at, size, svg, alt } => {
                        let tree = usvg::Tree::from_str(svg, &svg_options)
                            .map_err(|e| ReportError::Pdf(format!("a chart: {e}")))?;
                        let Some(area) = Size::from_wh(size.0, size.1) else {
                            continue;
                        };
                        draw_figure(&mut surface, &mut tags, *at, area, &tree, alt);
                    }
                }
            }
            surface.finish();
            page.finish();
        }
        document.set_tag_tree(tags.finish());
        document
            .finish()
            .map_err(|e| ReportError::Pdf(format!("{e:?}")))
    }
}

/// The generation time as PDF metadata wants it (UTC).
fn pdf_date(at: chrono::DateTime<chrono::Utc>) -> krilla::metadata::DateTime {
    use chrono::{Datelike, Timelike};
    let small = |n: u32| u8::try_from(n).unwrap_or(0);
    krilla::metadata::DateTime::new(u16::try_from(at.year()).unwrap_or(0))
        .month(small(at.month()))
        .day(small(at.day()))
        .hour(small(at.hour()))
        .minute(small(at.minute()))
        .second(small(at.second()))
        .utc_offset_hour(0)
}

/// A chart as one figure with its text alternative.
fn draw_figure(
    surface: &mut Surface<'_>,
    tags: &mut Tagger,
    at: (f32, f32),
    area: Size,
    tree: &usvg::Tree,
    alt: &str,
) {
    tags.close();
    let id = surface.start_tagged(ContentTag::Other);
    surface.push_transform(&krilla::geom::Transform::from_translate(at.0, at.1));
    surface.draw_svg(tree, area, SvgSettings::default());
    surface.pop();
    surface.end_tagged();
    tags.top(TagGroup::with_children(
        Tag::Figure(Some(alt.to_owned())),
        vec![id.into()],
    ));
}

/// Builds the tag tree in reading order: the marks arrive in the order they were laid out, and
/// consecutive table rows make one table.
#[derive(Default)]
struct Tagger {
    tree: TagTree,
    /// The block being filled.
    open: Option<(usize, Role, TagGroup)>,
    /// The table rows are going into.
    table: Option<TagGroup>,
}

impl Tagger {
    /// Text of `block` follows: closes the previous block if this is a new one.
    fn enter(&mut self, block: usize, role: Role, text: &str) {
        if role == Role::Footer || matches!(&self.open, Some((open, _, _)) if *open == block) {
            return;
        }
        self.close();
        let group = match role {
            Role::Heading(level) => TagGroup::new(Tag::Hn(level, Some(text.to_owned()))),
            Role::Paragraph | Role::Footer => TagGroup::new(Tag::P),
            Role::Row { .. } => TagGroup::new(Tag::TR),
        };
        self.open = Some((block, role, group));
    }

    /// The content just drawn belongs to the open block (a row's content is one cell).
    fn leaf(&mut self, role: Role, id: krilla::tagging::Identifier) {
        let Some((_, _, group)) = &mut self.open else {
            return;
        };
        match role {
            Role::Footer => {}
            Role::Row { header: true } => group.push(TagGroup::with_children(
                Tag::TH(TableHeaderScope::Column),
                vec![id.into()],
            )),
            Role::Row { header: false } => {
                group.push(TagGroup::with_children(Tag::TD, vec![id.into()]))
            }
            Role::Heading(_) | Role::Paragraph => group.push(id),
        }
    }

    /// Ends the open block, putting a row into its table and anything else at the top.
    fn close(&mut self) {
        let Some((_, role, group)) = self.open.take() else {
            return;
        };
        if matches!(role, Role::Row { .. }) {
            self.table
                .get_or_insert_with(|| TagGroup::new(Tag::Table))
                .push(group);
        } else {
            self.top(group);
        }
    }

    /// A block at the top level, after any table that was open.
    fn top(&mut self, group: TagGroup) {
        if let Some(table) = self.table.take() {
            self.tree.push(table);
        }
        self.tree.push(group);
    }

    fn finish(mut self) -> TagTree {
        self.close();
        if let Some(table) = self.table.take() {
            self.tree.push(table);
        }
        self.tree
    }
}

fn solid(colour: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// What every page ends with: who made it, when, that the data is the patient's own, and the
/// page number.
fn footer(input: &ReportInput<'_>, number: usize, total: usize) -> Vec<Mark> {
    let text = |x: f32, y: f32, text: String| Mark::Text {
        block: 0,
        role: Role::Footer,
        at: (x, y),
        size: 7.5,
        bold: false,
        grey: true,
        text,
    };
    vec![
        Mark::Rect {
            at: (MARGIN, FOOTER_TOP - 6.0),
            size: (PAGE_WIDTH - 2.0 * MARGIN, 0.5),
            colour: (160, 160, 160),
        },
        text(
            MARGIN,
            FOOTER_TOP + 4.0,
            "Patient-generated data: readings from the patient's own monitors and entries, not checked by a clinician.".to_owned(),
        ),
        text(
            MARGIN,
            FOOTER_TOP + 14.0,
            format!(
                "Made by Vitalog {} on {} UTC",
                input.version,
                input.generated_at.format("%Y-%m-%d %H:%M")
            ),
        ),
        text(
            PAGE_WIDTH - MARGIN - 52.0,
            FOOTER_TOP + 14.0,
            format!("Page {number} of {total}"),
        ),
    ]
}

/// usvg's options with the report's fonts as the charts' sans-serif.
fn svg_options() -> usvg::Options<'static> {
    let mut fonts = usvg::fontdb::Database::new();
    fonts.load_font_data(REGULAR.to_vec());
    fonts.load_font_data(BOLD.to_vec());
    fonts.set_sans_serif_family("Noto Sans");
    usvg::Options {
        font_family: "Noto Sans".to_owned(),
        fontdb: Arc::new(fonts),
        ..usvg::Options::default()
    }
}

/// Words into lines of at most `width` characters.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
