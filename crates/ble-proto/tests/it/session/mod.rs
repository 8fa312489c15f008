//! The device sessions, driven by a simulated clock against scripted peers.

mod blood_pressure;
mod cgm;
mod clock;
mod corpus;
mod glucose;
mod meter;
mod sim;
