//! A reusable harness for testing the real BlueZ path without hardware.
//!
//! [`BluezMock::start`] starts a private `dbus-daemon` configured as a system bus, runs
//! python-dbusmock's `bluez5` template on it (it owns `org.bluez`), and configures health
//! monitors with `setup_monitors.py` (GATT objects, RACP answers, pairing). Point a process at
//! it with `DBUS_SYSTEM_BUS_ADDRESS` = [`BluezMock::address`]; libdbus, and so btleplug and
//! bluez-async, honour it. Dropping the harness kills the mock and the bus by PID.
//!
//! Needs `dbus` and `python3-dbusmock` (Debian), run with Debian's `/usr/bin/python3`. The
//! address is process-wide state: give it to child processes (the `vitalog` CLI) rather than
//! setting it in a test process, and run harnesses one at a time or one per test.

#![warn(missing_docs)]

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Debian's Python, which has the `dbus` module (a pyenv `python3` first on PATH may not).
pub const PYTHON: &str = "/usr/bin/python3";

/// Why the harness could not start.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// A program could not be started or talked to.
    #[error("{what}: {source}")]
    Io {
        /// What the harness was doing.
        what: &'static str,
        /// The failure.
        source: std::io::Error,
    },
    /// A step did not succeed.
    #[error("{0}")]
    Failed(String),
}

fn io(what: &'static str) -> impl FnOnce(std::io::Error) -> HarnessError {
    move |source| HarnessError::Io { what, source }
}

/// A private system bus with a mock BlueZ on it. Killed on drop.
#[derive(Debug)]
pub struct BluezMock {
    address: String,
    bus: Child,
    bluez: Child,
    dir: tempfile::TempDir,
}

impl BluezMock {
    /// Whether the tools the harness needs are installed.
    pub fn available() -> bool {
        let has = |program: &str, args: &[&str]| {
            Command::new(program)
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success())
        };
        has("dbus-daemon", &["--version"]) && has(PYTHON, &["-c", "import dbusmock"])
    }

    /// Starts the bus and the mock, and sets up the monitors `config` describes (see
    /// `setup_monitors.py` for the shape).
    pub fn start(config: &serde_json::Value) -> Result<BluezMock, HarnessError> {
        let dir = tempfile::tempdir().map_err(io("creating a temp folder"))?;
        let socket = dir.path().join("system_bus_socket");
        let config_file = dir.path().join("system.conf");
        std::fs::write(&config_file, bus_config(&socket.display().to_string()))
            .map_err(io("writing the bus configuration"))?;
        let mut bus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config_file.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(io("starting dbus-daemon"))?;
        let mut address = String::new();
        let read = bus
            .stdout
            .take()
            .map(|out| BufReader::new(out).read_line(&mut address));
        let address = address.trim().to_owned();
        if !matches!(read, Some(Ok(n)) if n > 0) || address.is_empty() {
            let _ = bus.kill();
            let _ = bus.wait();
            return Err(HarnessError::Failed(
                "dbus-daemon printed no address".into(),
            ));
        }
        let log = std::fs::File::create(dir.path().join("dbusmock.log"))
            .map_err(io("creating the mock's log"))?;
        let bluez = match Command::new(PYTHON)
            .args(["-m", "dbusmock", "--system", "--template", "bluez5"])
            .env("DBUS_SYSTEM_BUS_ADDRESS", &address)
            .stdout(
                log.try_clone()
                    .map(Stdio::from)
                    .unwrap_or_else(|_| Stdio::null()),
            )
            .stderr(log)
            .spawn()
        {
            Ok(child) => child,
            Err(source) => {
                let _ = bus.kill();
                let _ = bus.wait();
                return Err(HarnessError::Io {
                    what: "starting python-dbusmock",
                    source,
                });
            }
        };
        // From here on, Drop cleans up.
        let mock = BluezMock {
            address,
            bus,
            bluez,
            dir,
        };
        mock.wait_for_bluez()?;
        mock.setup(config)?;
        Ok(mock)
    }

    /// The bus address to pass as `DBUS_SYSTEM_BUS_ADDRESS`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// What the mock wrote to stderr so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dbusmock.log")).unwrap_or_default()
    }

    fn wait_for_bluez(&self) -> Result<(), HarnessError> {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            let ready = Command::new("busctl")
                .arg(format!("--address={}", self.address))
                .args(["status", "org.bluez"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success());
            if ready {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(HarnessError::Failed(format!(
            "the mock never took org.bluez: {}",
            self.log()
        )))
    }

    fn setup(&self, config: &serde_json::Value) -> Result<(), HarnessError> {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("setup_monitors.py");
        let mut child = Command::new(PYTHON)
            .arg(script)
            .env("DBUS_SYSTEM_BUS_ADDRESS", &self.address)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(io("starting setup_monitors.py"))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(config.to_string().as_bytes())
                .map_err(io("writing the monitors' description"))?;
        }
        let output = child
            .wait_with_output()
            .map_err(io("running setup_monitors.py"))?;
        if !output.status.success() {
            return Err(HarnessError::Failed(format!(
                "setup_monitors.py failed: {}",
                String::from_utf8_lossy(&output.stderr)
            )));
        }
        Ok(())
    }
}

impl Drop for BluezMock {
    fn drop(&mut self) {
        // Kill by PID, the mock first so it does not complain about a vanished bus.
        for child in [&mut self.bluez, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A system-type bus on a private socket that allows everything.
fn bus_config(socket: &str) -> String {
    format!(
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
"#
    )
}
