//! End-to-end scenarios against the real app window. Run by `make test` (under xvfb-run, with
//! `VITALOG_APP` set); screenshots land in `target/e2e-shots/<scenario>/`.

mod backup;
mod bluetooth;
mod devices;
mod frame;
mod journal;
mod remember;
mod sharing;
mod trends;
