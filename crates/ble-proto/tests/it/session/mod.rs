//! The device sessions, driven by a simulated clock against scripted peers.

mod blood_pressure;
mod cgm;
mod clock;
mod glucose;
mod meter;
mod sim;
