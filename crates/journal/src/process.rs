//! Keeping the process that holds the data key out of core dumps: a crash must not write the
//! key, a passphrase or readings to disk in plaintext (SECURITY.md, MASVS-STORAGE). On Linux
//! and Android the process is marked not dumpable (which also keeps other programs of the same
//! user from reading its memory through ptrace) and its core size limit is set to zero; on
//! macOS the limit is set to zero; elsewhere nothing can be done from here.

/// Forbids core dumps for this process; returns whether they are now off. Call it first thing
/// in every program that unlocks a journal.
pub fn forbid_core_dumps() -> bool {
    #[cfg(unix)]
    {
        use nix::sys::resource::{Resource, setrlimit};
        // Failing here leaves dumps as the system has them; the answer says so.
        let _ = setrlimit(Resource::RLIMIT_CORE, 0, 0);
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let _ = nix::sys::prctl::set_dumpable(false);
    }
    core_dumps_off()
}

/// Whether this process can no longer leave a core dump.
pub fn core_dumps_off() -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use nix::sys::resource::{Resource, getrlimit};
        let limit_zero = getrlimit(Resource::RLIMIT_CORE).is_ok_and(|(soft, _)| soft == 0);
        let dumpable = nix::sys::prctl::get_dumpable().unwrap_or(true);
        limit_zero && !dumpable
    }
    #[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
    {
        use nix::sys::resource::{Resource, getrlimit};
        getrlimit(Resource::RLIMIT_CORE).is_ok_and(|(soft, _)| soft == 0)
    }
    #[cfg(not(unix))]
    {
        false
    }
}
