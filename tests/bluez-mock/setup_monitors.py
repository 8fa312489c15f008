#!/usr/bin/python3
"""Configure python-dbusmock's bluez5 template as a set of Bluetooth LE health monitors.

Run with Debian's /usr/bin/python3 after `python3 -m dbusmock --system --template bluez5` owns
org.bluez on the bus named by DBUS_SYSTEM_BUS_ADDRESS. Reads a JSON description on stdin:

    {"adapter": "hci0",            (null: no adapter)
     "powered": true,              (false: Bluetooth switched off)
     "devices": [{"address": "AA:BB:CC:DD:EE:01", "name": "Meter", "kind": "glucose",
                  "rssi": -52, "paired": false, "records": ["<hex>", ...],
                  "contexts": ["<hex>", ...]}]}

A glucose meter answers the Record Access Control Point from its records (hex of Glucose
Measurement values, encoded by the Rust side with ble-proto); a blood pressure cuff indicates
its records once indications are on, then disconnects. The stock template has no GATT objects
and its Connect never sets ServicesResolved (see RECIPES §1), so both are added here, from
outside the template. Pair sets Paired and Bonded: the mock has no real pairing.
"""

import json
import sys

import dbus

BUS = 'org.bluez'
MOCK = 'org.freedesktop.DBus.Mock'
DEVICE = 'org.bluez.Device1'
SERVICE = 'org.bluez.GattService1'
CHAR = 'org.bluez.GattCharacteristic1'
DESC = 'org.bluez.GattDescriptor1'


def uuid(short):
    return '0000%04x-0000-1000-8000-00805f9b34fb' % short


# Device methods: connecting resolves services at once; pairing bonds.
CONNECT = """
self.UpdateProperties('org.bluez.Device1', {
    'Connected': dbus.Boolean(True, variant_level=1),
    'ServicesResolved': dbus.Boolean(True, variant_level=1)})
"""
DISCONNECT = """
self.UpdateProperties('org.bluez.Device1', {
    'ServicesResolved': dbus.Boolean(False, variant_level=1),
    'Connected': dbus.Boolean(False, variant_level=1)})
"""
PAIR = """
self.UpdateProperties('org.bluez.Device1', {
    'Paired': dbus.Boolean(True, variant_level=1),
    'Bonded': dbus.Boolean(True, variant_level=1),
    'Connected': dbus.Boolean(True, variant_level=1),
    'ServicesResolved': dbus.Boolean(True, variant_level=1)})
"""
READ = "ret = self.Get('org.bluez.GattCharacteristic1', 'Value')"
NOTIFY_ON = "self.UpdateProperties('org.bluez.GattCharacteristic1', {'Notifying': dbus.Boolean(True, variant_level=1)})"
NOTIFY_OFF = "self.UpdateProperties('org.bluez.GattCharacteristic1', {'Notifying': dbus.Boolean(False, variant_level=1)})"

# The RACP of a glucose meter: records as notifications, then the response code, each after a
# short delay as a meter would send them. Names are passed to nested callbacks as defaults
# (dbusmock runs this with exec; see RECIPES §1).
RACP_WRITE = """
from gi.repository import GLib
records = RECORDS
contexts = CONTEXTS
value = bytes(args[0])
op, operator = value[0], value[1] if len(value) > 1 else 0
# exec() scoping: a comprehension or lambda here cannot see this snippet's names, so plain
# loops and inline expressions only.
if operator == 1:
    chosen = list(records)
elif operator == 3 and len(value) >= 5:
    low = value[3] | (value[4] << 8)
    chosen = []
    for r in records:
        if r[1] | (r[2] << 8) >= low:
            chosen.append(r)
elif operator == 6:
    chosen = records[-1:]
else:
    chosen = None
queue = []
if op == 4 and chosen is not None:
    n = len(chosen)
    queue.append(('racp', bytes([5, 0, n & 0xFF, n >> 8])))
elif op == 1 and chosen is not None:
    for r in chosen:
        queue.append(('measurement', r))
        c = contexts.get(r[1] | (r[2] << 8))
        if c is not None:
            queue.append(('context', c))
    queue.append(('racp', bytes([6, 0, 1, 1 if chosen else 6])))
elif op == 3:
    queue.append(('racp', bytes([6, 0, 3, 1])))
else:
    queue.append(('racp', bytes([6, 0, op, 2])))
def send(queue=queue, paths=PATHS, objects=objects, dbus=dbus):
    if not queue:
        return False
    name, data = queue.pop(0)
    objects[paths[name]].UpdateProperties('org.bluez.GattCharacteristic1', {
        'Value': dbus.Array(data, signature='y', variant_level=1)})
    return True
GLib.timeout_add(20, send)
"""

# A cuff indicates its stored readings once indications are on, then leaves.
CUFF_NOTIFY_ON = """
from gi.repository import GLib
self.UpdateProperties('org.bluez.GattCharacteristic1', {'Notifying': dbus.Boolean(True, variant_level=1)})
queue = list(RECORDS)
def send(queue=queue, char=self, device=objects[DEVICE_PATH], dbus=dbus):
    if queue:
        char.UpdateProperties('org.bluez.GattCharacteristic1', {
            'Value': dbus.Array(queue.pop(0), signature='y', variant_level=1)})
        return True
    device.UpdateProperties('org.bluez.Device1', {
        'ServicesResolved': dbus.Boolean(False, variant_level=1),
        'Connected': dbus.Boolean(False, variant_level=1)})
    return False
GLib.timeout_add(20, send)
"""


def char_methods(read=READ, write='', notify_on=NOTIFY_ON):
    return [
        ('ReadValue', 'a{sv}', 'ay', read),
        ('WriteValue', 'aya{sv}', '', write),
        ('StartNotify', '', '', notify_on),
        ('StopNotify', '', '', NOTIFY_OFF),
    ]


def add_char(mock, service_path, handle, short, flags, value=b'', methods=None):
    path = '%s/char%04x' % (service_path, handle)
    mock.AddObject(path, CHAR, {
        'UUID': uuid(short),
        'Service': dbus.ObjectPath(service_path),
        'Value': dbus.Array(value, signature='y'),
        'Notifying': False,
        'Flags': dbus.Array(flags, signature='s'),
    }, methods or char_methods())
    if 'notify' in flags or 'indicate' in flags:
        mock.AddObject(path + '/desc%04x' % (handle + 1), DESC, {
            'UUID': uuid(0x2902),
            'Characteristic': dbus.ObjectPath(path),
            'Value': dbus.Array([], signature='y'),
            'Flags': dbus.Array(['read', 'write'], signature='s'),
        }, [('ReadValue', 'a{sv}', 'ay', 'ret = []'), ('WriteValue', 'aya{sv}', '', '')])
    return path


def add_service(mock, device_path, handle, short):
    path = '%s/service%04x' % (device_path, handle)
    # A no-op method keeps the introspection XML in the order bluez-async parses (RECIPES §1).
    mock.AddObject(path, SERVICE, {
        'UUID': uuid(short),
        'Device': dbus.ObjectPath(device_path),
        'Primary': True,
    }, [('VitalogNoOp', '', '', '')])
    return path


def add_device_information(mock, device_path, name):
    path = add_service(mock, device_path, 0x0100, 0x180A)
    add_char(mock, path, 0x0101, 0x2A29, ['read'], b'Vitalog Mock')
    add_char(mock, path, 0x0103, 0x2A24, ['read'], name.encode())
    battery = add_service(mock, device_path, 0x0110, 0x180F)
    add_char(mock, battery, 0x0111, 0x2A19, ['read'], bytes([76]))


def add_glucose(mock, device_path, spec):
    records = [bytes.fromhex(r) for r in spec.get('records', [])]
    contexts = {}
    for c in spec.get('contexts', []):
        c = bytes.fromhex(c)
        contexts[c[1] | (c[2] << 8)] = c
    path = add_service(mock, device_path, 0x0010, 0x1808)
    paths = {
        'measurement': add_char(mock, path, 0x0011, 0x2A18, ['notify']),
        'context': add_char(mock, path, 0x0014, 0x2A34, ['notify']),
    }
    add_char(mock, path, 0x0017, 0x2A51, ['read'], bytes([0x03, 0x04]))
    racp_path = '%s/char%04x' % (path, 0x0019)
    paths['racp'] = racp_path
    code = (RACP_WRITE.replace('RECORDS', repr(records))
            .replace('CONTEXTS', repr(contexts))
            .replace('PATHS', repr(paths)))
    add_char(mock, path, 0x0019, 0x2A52, ['write', 'indicate'],
             methods=char_methods(write=code))


def add_cuff(mock, device_path, spec):
    records = [bytes.fromhex(r) for r in spec.get('records', [])]
    path = add_service(mock, device_path, 0x0010, 0x1810)
    code = (CUFF_NOTIFY_ON.replace('RECORDS', repr(records))
            .replace('DEVICE_PATH', repr(device_path)))
    add_char(mock, path, 0x0011, 0x2A35, ['indicate'], methods=char_methods(notify_on=code))
    add_char(mock, path, 0x0014, 0x2A49, ['read'], bytes([0x20, 0x00]))


KINDS = {'glucose': (0x1808, add_glucose), 'blood-pressure': (0x1810, add_cuff)}


def main():
    config = json.load(sys.stdin)
    bus = dbus.SystemBus()
    adapter = config.get('adapter', 'hci0')
    root = dbus.Interface(bus.get_object(BUS, '/'), 'org.bluez.Mock')
    if adapter is None:
        # No adapter at all: the "no Bluetooth adapter" case.
        print('ready', flush=True)
        return
    adapter_path = root.AddAdapter(adapter, 'vitalog-test')
    if not config.get('powered', True):
        adapter_mock = dbus.Interface(bus.get_object(BUS, adapter_path), MOCK)
        adapter_mock.UpdateProperties('org.bluez.Adapter1', {'Powered': False})
    for spec in config['devices']:
        address = spec['address']
        device_path = root.AddDevice(adapter, address, spec['name'])
        mock = dbus.Interface(bus.get_object(BUS, device_path), MOCK)
        mock.AddMethod(DEVICE, 'Connect', '', '', CONNECT)
        mock.AddMethod(DEVICE, 'Disconnect', '', '', DISCONNECT)
        mock.AddMethod(DEVICE, 'Pair', '', '', PAIR)
        service, add = KINDS[spec['kind']]
        mock.UpdateProperties(DEVICE, {
            'UUIDs': dbus.Array([uuid(service), uuid(0x180A)], signature='s'),
            'RSSI': dbus.Int16(spec.get('rssi', -60)),
            'AddressType': 'public',
            'Name': spec['name'],
            'Paired': bool(spec.get('paired', False)),
        })
        # The template's devices have no Bonded property (BlueZ ≥ 5.66 has it).
        mock.AddProperty(DEVICE, 'Bonded', dbus.Boolean(bool(spec.get('paired', False))))
        root_mock = dbus.Interface(bus.get_object(BUS, '/'), MOCK)
        add(root_mock, device_path, spec)
        add_device_information(root_mock, device_path, spec['name'])
    print('ready', flush=True)


if __name__ == '__main__':
    main()
