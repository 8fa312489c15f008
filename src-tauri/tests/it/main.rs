//! The app shell's integration tests: generated bindings and commands through real IPC.

mod bindings;
mod files;
mod ipc;
mod support;
