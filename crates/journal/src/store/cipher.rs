//! How a journal's database file is encrypted beyond its key: the page size and the page HMAC.
//!
//! SQLCipher cannot read these from the file (page 1 is encrypted like every other), so it
//! must be told them after the key and before the first page is read; told wrong, every page
//! fails its HMAC. Each journal's key file records its layout, authenticated with every wrap,
//! and every connection (an attached copy's included) is set up from it.

use rusqlite::Connection;

use super::pragmas;
use crate::error::Result;

/// A page layout SQLCipher is given for a journal's database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageLayout {
    /// SQLCipher 4's defaults: 4 KiB pages, each with an HMAC-SHA512. Journals made before
    /// key file format 2 have it.
    Small,
    /// 16 KiB pages, each with an HMAC-SHA256: a quarter of the pages to decrypt and check for
    /// the same rows, and a cheaper check on each, which brings a first read of the journal
    /// within reach of plain SQLite (`benches/storage.rs`). Both are AES-256 with a 256-bit
    /// HMAC key; SHA-256's 32-byte tag is as far beyond forgery as SHA-512's 64.
    Large,
}

impl PageLayout {
    /// What new journals, and journals given a new data key, are made with.
    pub const CURRENT: PageLayout = PageLayout::Large;

    /// The layout's bytes per page (the file's length is a multiple of it).
    pub const fn page_size(self) -> usize {
        match self {
            PageLayout::Small => 4096,
            PageLayout::Large => 16384,
        }
    }

    fn hmac_algorithm(self) -> &'static str {
        match self {
            PageLayout::Small => "HMAC_SHA512",
            PageLayout::Large => "HMAC_SHA256",
        }
    }

    /// Its code in the key file.
    pub(crate) fn code(self) -> u8 {
        match self {
            PageLayout::Small => 1,
            PageLayout::Large => 2,
        }
    }

    /// The layout a key file's code names; `None` for a code this version does not know.
    pub(crate) fn from_code(code: u8) -> Option<Self> {
        match code {
            1 => Some(PageLayout::Small),
            2 => Some(PageLayout::Large),
            _ => None,
        }
    }

    /// Tells SQLCipher the layout of `schema` (`main`, or the name a copy was attached under):
    /// run right after its key, before anything reads it. Both settings are given even where
    /// they are SQLCipher's defaults, so a build with other defaults still reads the file.
    pub fn apply(self, conn: &Connection, schema: &str) -> Result<()> {
        pragmas::run(
            conn,
            &format!("PRAGMA {schema}.cipher_page_size = {}", self.page_size()),
        )?;
        pragmas::run(
            conn,
            &format!(
                "PRAGMA {schema}.cipher_hmac_algorithm = {}",
                self.hmac_algorithm()
            ),
        )
    }
}
