//! The one task that owns the Bluetooth adapter; the app talks to it over channels.
