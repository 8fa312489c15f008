//! The real radio on Linux: btleplug for scanning, connecting and GATT, and bluez-async
//! (btleplug's own BlueZ backend) for pairing and bond state.
//!
//! Both talk to BlueZ over the system D-Bus, and libdbus honours `DBUS_SYSTEM_BUS_ADDRESS`, so
//! the same code runs against python-dbusmock's BlueZ template in tests (`tests/bluez-mock`).
//!
//! A monitor's id is its Bluetooth address (`AA:BB:CC:DD:EE:01`): stable across runs for the
//! public and bonded identity addresses health monitors use.

use std::collections::HashMap;
use std::pin::Pin;
use std::time::Duration;

use ble_proto::session::{Characteristic, Subscription};
use btleplug::api::{
    Central, CentralEvent, CentralState, Characteristic as GattCharacteristic, Manager as _,
    Peripheral as _, ScanFilter, WriteType,
};
use btleplug::platform::{Adapter, Manager, Peripheral};
use futures::{Stream, StreamExt};
use uuid::Uuid;

use crate::error::LinkError;
use crate::kind::uuid16_of;
use crate::radio::{FoundMonitor, Radio};
use crate::transport::{GattError, LinkEvent, LinkSecurity, Transport};
use readings::MonitorKind;

/// How long pairing may take: the patient has to read the PIN off the monitor and type it.
pub const PAIRING_TIMEOUT: Duration = Duration::from_secs(90);

/// How long connecting and service discovery may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// The host's Bluetooth: the first adapter BlueZ offers.
#[derive(Debug, Clone)]
pub struct Bluetooth {
    adapter: Adapter,
    session: bluez_async::BluetoothSession,
}

impl Bluetooth {
    /// Opens the first adapter, failing with a typed error when there is none, it is off, or
    /// the system refuses access.
    pub async fn open() -> Result<Bluetooth, LinkError> {
        let manager = Manager::new().await.map_err(stack_error)?;
        let adapter = manager
            .adapters()
            .await
            .map_err(stack_error)?
            .into_iter()
            .next()
            .ok_or(LinkError::NoAdapter)?;
        if adapter.adapter_state().await.map_err(stack_error)? == CentralState::PoweredOff {
            return Err(LinkError::BluetoothOff);
        }
        let (connection, session) = bluez_async::BluetoothSession::new()
            .await
            .map_err(bluez_error)?;
        // The D-Bus connection runs until the process ends; losing it shows up as errors of
        // the calls made through it.
        tokio::spawn(connection);
        Ok(Bluetooth { adapter, session })
    }

    /// Scans for `duration` for devices advertising a health service.
    pub async fn scan(&self, duration: Duration) -> Result<Vec<FoundMonitor>, LinkError> {
        let filter = ScanFilter {
            services: MonitorKind::ALL
                .iter()
                .map(|kind| Uuid::from_u128(ble_proto::uuid128(crate::kind::service(*kind))))
                .collect(),
        };
        self.adapter.start_scan(filter).await.map_err(stack_error)?;
        tokio::time::sleep(duration).await;
        let peripherals = self.adapter.peripherals().await.map_err(stack_error);
        // Stop even when listing failed; a failure to stop is not worth reporting over it.
        let _ = self.adapter.stop_scan().await;
        let paired = self.bonds().await?;
        let mut found = Vec::new();
        for peripheral in peripherals? {
            let Ok(Some(properties)) = peripheral.properties().await else {
                continue;
            };
            let services = properties
                .services
                .iter()
                .filter_map(|uuid| uuid16_of(uuid.as_u128()));
            let Some(kind) = crate::kind::classify(services) else {
                continue;
            };
            let id = properties.address.to_string();
            found.push(FoundMonitor {
                paired: paired.get(&id).is_some_and(|s| s.bonded),
                id,
                name: properties.local_name.or(properties.advertisement_name),
                kind,
                rssi: properties.rssi,
            });
        }
        found.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(found)
    }

    /// Pairs (and bonds) with a monitor through the operating system's pairing flow: the system
    /// asks the patient for the PIN the monitor shows.
    pub async fn pair(&self, id: &str) -> Result<(), LinkError> {
        let device = self.bluez_device(id).await?;
        if device.paired && device.bonded {
            return Ok(());
        }
        self.session
            .pair_with_timeout(&device.id, PAIRING_TIMEOUT)
            .await
            .map_err(|error| LinkError::PairingFailed {
                id: id.to_owned(),
                detail: error.to_string(),
            })
    }

    /// Connects to a monitor and discovers its services.
    pub async fn connect(&self, id: &str) -> Result<BluezTransport, LinkError> {
        let peripheral = self.peripheral(id).await?;
        let connect_failed = |error: btleplug::Error| LinkError::ConnectFailed {
            id: id.to_owned(),
            detail: error.to_string(),
        };
        if !peripheral.is_connected().await.map_err(connect_failed)? {
            tokio::time::timeout(CONNECT_TIMEOUT, peripheral.connect())
                .await
                .map_err(|_| LinkError::ConnectFailed {
                    id: id.to_owned(),
                    detail: "timed out".into(),
                })?
                .map_err(connect_failed)?;
        }
        peripheral
            .discover_services()
            .await
            .map_err(connect_failed)?;
        let mut gatt = HashMap::new();
        for characteristic in peripheral.characteristics() {
            let known =
                uuid16_of(characteristic.uuid.as_u128()).and_then(Characteristic::from_uuid16);
            if let Some(known) = known {
                gatt.entry(known).or_insert(characteristic);
            }
        }
        let known: Vec<Characteristic> = gatt.keys().copied().collect();
        let notifications = peripheral
            .notifications()
            .await
            .map_err(connect_failed)?
            .filter_map(|notification| {
                let event = uuid16_of(notification.uuid.as_u128())
                    .and_then(Characteristic::from_uuid16)
                    .map(|characteristic| LinkEvent::Notification {
                        characteristic,
                        value: notification.value,
                    });
                futures::future::ready(event)
            });
        let peripheral_id = peripheral.id();
        let disconnections = self
            .adapter
            .events()
            .await
            .map_err(connect_failed)?
            .filter_map(move |event| {
                let gone = matches!(&event, CentralEvent::DeviceDisconnected(gone) if *gone == peripheral_id);
                futures::future::ready(gone.then_some(LinkEvent::Disconnected))
            });
        let device = self.bluez_device(id).await?;
        let security = LinkSecurity {
            bonded: device.paired && device.bonded,
            // BlueZ re-encrypts a bonded LE link with the stored key on connect and does not
            // expose the encryption state; a bonded, connected link counts as encrypted.
            encrypted: device.paired && device.bonded,
        };
        Ok(BluezTransport {
            peripheral,
            gatt,
            known,
            security,
            events: Box::pin(futures::stream::select(notifications, disconnections)),
            closed: false,
        })
    }

    /// Whether BlueZ knows this monitor and has bonded with it.
    pub async fn is_paired(&self, id: &str) -> Result<bool, LinkError> {
        Ok(self.bonds().await?.get(id).is_some_and(|bond| bond.bonded))
    }

    /// BlueZ's view of every device it knows, by address.
    async fn bonds(&self) -> Result<HashMap<String, Bond>, LinkError> {
        let devices = self.session.get_devices().await.map_err(bluez_error)?;
        Ok(devices
            .into_iter()
            .map(|device| {
                (
                    device.mac_address.to_string(),
                    Bond {
                        bonded: device.paired && device.bonded,
                    },
                )
            })
            .collect())
    }

    async fn bluez_device(&self, id: &str) -> Result<bluez_async::DeviceInfo, LinkError> {
        self.session
            .get_devices()
            .await
            .map_err(bluez_error)?
            .into_iter()
            .find(|device| device.mac_address.to_string().eq_ignore_ascii_case(id))
            .ok_or_else(|| LinkError::NotFound { id: id.to_owned() })
    }

    async fn peripheral(&self, id: &str) -> Result<Peripheral, LinkError> {
        self.adapter
            .peripherals()
            .await
            .map_err(stack_error)?
            .into_iter()
            .find(|peripheral| peripheral.address().to_string().eq_ignore_ascii_case(id))
            .ok_or_else(|| LinkError::NotFound { id: id.to_owned() })
    }
}

#[derive(Debug, Clone, Copy)]
struct Bond {
    bonded: bool,
}

/// A connected monitor over btleplug.
pub struct BluezTransport {
    peripheral: Peripheral,
    gatt: HashMap<Characteristic, GattCharacteristic>,
    known: Vec<Characteristic>,
    security: LinkSecurity,
    events: Pin<Box<dyn Stream<Item = LinkEvent> + Send>>,
    closed: bool,
}

impl std::fmt::Debug for BluezTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BluezTransport")
            .field("address", &self.peripheral.address())
            .field("characteristics", &self.known)
            .field("security", &self.security)
            .finish_non_exhaustive()
    }
}

impl BluezTransport {
    fn gatt(&self, characteristic: Characteristic) -> Result<&GattCharacteristic, GattError> {
        if self.closed {
            return Err(GattError::Disconnected);
        }
        self.gatt
            .get(&characteristic)
            .ok_or(GattError::Missing(characteristic))
    }
}

impl Transport for BluezTransport {
    fn characteristics(&self) -> &[Characteristic] {
        &self.known
    }

    fn security(&self) -> LinkSecurity {
        self.security
    }

    async fn read(&mut self, characteristic: Characteristic) -> Result<Vec<u8>, GattError> {
        let gatt = self.gatt(characteristic)?.clone();
        self.peripheral.read(&gatt).await.map_err(gatt_error)
    }

    async fn write(
        &mut self,
        characteristic: Characteristic,
        value: &[u8],
    ) -> Result<(), GattError> {
        let gatt = self.gatt(characteristic)?.clone();
        self.peripheral
            .write(&gatt, value, WriteType::WithResponse)
            .await
            .map_err(gatt_error)
    }

    async fn subscribe(
        &mut self,
        characteristic: Characteristic,
        _subscription: Subscription,
    ) -> Result<(), GattError> {
        // BlueZ's StartNotify picks notifications or indications from the characteristic's
        // properties, which is what the session asks for.
        let gatt = self.gatt(characteristic)?.clone();
        self.peripheral.subscribe(&gatt).await.map_err(gatt_error)
    }

    async fn next_event(&mut self) -> LinkEvent {
        if self.closed {
            return std::future::pending().await;
        }
        match self.events.next().await {
            Some(LinkEvent::Disconnected) | None => {
                self.closed = true;
                LinkEvent::Disconnected
            }
            Some(event) => event,
        }
    }

    async fn disconnect(&mut self) {
        self.closed = true;
        // A monitor that is already gone cannot be disconnected; nothing to report.
        let _ = self.peripheral.disconnect().await;
    }
}

fn gatt_error(error: btleplug::Error) -> GattError {
    match error {
        btleplug::Error::NotConnected => GattError::Disconnected,
        other => GattError::Stack(other.to_string()),
    }
}

/// Maps a btleplug failure of the adapter to what the patient can do about it.
fn stack_error(error: btleplug::Error) -> LinkError {
    match error {
        btleplug::Error::PermissionDenied => LinkError::PermissionDenied,
        btleplug::Error::NoAdapterAvailable => LinkError::NoAdapter,
        other => classify_text(other.to_string()),
    }
}

fn bluez_error(error: bluez_async::BluetoothError) -> LinkError {
    match error {
        bluez_async::BluetoothError::NoBluetoothAdapters => LinkError::NoAdapter,
        other => classify_text(other.to_string()),
    }
}

/// D-Bus errors arrive as text through both crates; their names say what went wrong.
fn classify_text(detail: String) -> LinkError {
    if detail.contains("AccessDenied") || detail.contains("NotPermitted") {
        LinkError::PermissionDenied
    } else if detail.contains("NotReady") || detail.contains("org.bluez.Error.NotPowered") {
        LinkError::BluetoothOff
    } else if detail.contains("ServiceUnknown")
        || detail.contains("NoServer")
        || detail.contains("FileNotFound")
        || detail.contains("Failed to connect to socket")
        || detail.contains("D-Bus")
        || detail.contains("dbus")
    {
        LinkError::StackUnavailable { detail }
    } else {
        LinkError::Stack(detail)
    }
}

impl Radio for Bluetooth {
    type Link = BluezTransport;

    async fn scan(&self, duration: Duration) -> Result<Vec<FoundMonitor>, LinkError> {
        Bluetooth::scan(self, duration).await
    }

    async fn pair(&self, id: &str) -> Result<(), LinkError> {
        Bluetooth::pair(self, id).await
    }

    async fn connect(&self, id: &str) -> Result<BluezTransport, LinkError> {
        Bluetooth::connect(self, id).await
    }

    fn identity(&self, id: &str) -> String {
        format!("{}{}", crate::radio::BLE_IDENTITY, id.to_ascii_uppercase())
    }

    fn source(&self) -> readings::Source {
        readings::Source::Device
    }
}
