//! Hooks for the journal's own tests, benchmarks and fuzz targets, behind the `test-support`
//! feature: only the crate's dev-dependency on itself and the fuzz crate turn it on, so no
//! program that uses the journal can reach them.

#[path = "fuzz_checks.rs"]
pub mod fuzz_checks;

pub use crate::keys::keyfile::KeyFile;
pub use crate::store::{migrations, pragmas};

impl crate::Journal {
    /// The data key, for tests that scan files for it (SECURITY.md §8 goal 3).
    pub fn data_key_for_tests(&self) -> &[u8] {
        self.dek.expose_for_tests()
    }
}

impl crate::Journal {
    /// Runs SQL on the open database, for tests that tamper with what the journal wrote.
    pub fn execute_for_tests(&self, sql: &str) -> crate::Result<()> {
        self.conn.execute_batch(sql)?;
        Ok(())
    }
}
