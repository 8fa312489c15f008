//! A process and everything it started, read from Linux's `/proc`: for summing memory over the
//! app and WebKit's web and network processes, and for ending them all.

use std::collections::HashMap;
use std::process::Command;

/// The pid and all descendants of `root`, parents before children.
pub fn descendants_and_self(root: u32) -> Vec<u32> {
    let parents = parent_map();
    let mut tree = vec![root];
    let mut index = 0;
    while let Some(&pid) = tree.get(index) {
        tree.extend(
            parents
                .iter()
                .filter(|&(_, &parent)| parent == pid)
                .map(|(&child, _)| child),
        );
        index += 1;
    }
    tree
}

/// Proportional set size of one process in KiB, from `/proc/PID/smaps_rollup`.
///
/// PSS splits shared pages among the processes that map them, so summing it over a process
/// tree counts each page once: the honest "memory this app costs".
pub fn pss_kib(pid: u32) -> Option<u64> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    rollup
        .lines()
        .find_map(|line| line.strip_prefix("Pss:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Kills a process tree, children first, so nothing outlives a benchmark run.
pub fn kill_tree(root: u32) {
    for pid in descendants_and_self(root).into_iter().rev() {
        let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
    }
}

fn parent_map() -> HashMap<u32, u32> {
    let mut parents = HashMap::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return parents;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if let Some(parent) = parent_of(pid) {
            parents.insert(pid, parent);
        }
    }
    parents
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may contain spaces: the state and ppid follow
    // the last closing parenthesis.
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_process_is_found_and_has_memory() {
        let mut child = Command::new("sleep").arg("5").spawn().expect("sleep runs");
        let me = std::process::id();
        let tree = descendants_and_self(me);
        assert_eq!(tree.first(), Some(&me));
        assert!(tree.contains(&child.id()), "{tree:?} lacks {}", child.id());
        assert!(pss_kib(me).is_some_and(|kib| kib > 0));
        kill_tree(child.id());
        let status = child.wait().expect("wait");
        assert!(!status.success());
    }
}
