#!/usr/bin/env python3
"""Writes the seed inputs of the session fuzz targets into corpus/<target>/.

The format is the one fuzz_targets/session_events.rs reads: a configuration prefix, then one
op byte per step with its operands. Run from the fuzz directory: python3 seeds/sessions.py
"""

import os
import struct

GM, GMC, RACP, BPM, ICP, CGM, SST, STATUS, CT, OTHER = range(10)


def connected():
    return bytes([0])


def subscribed(c):
    return bytes([1, c])


def ack(c):
    return bytes([2, c])


def read(c, value):
    return bytes([3, c, len(value)]) + value


def notify(c, value):
    return bytes([4, c, len(value)]) + value


def att_error(c, code):
    return bytes([5, c, code])


def timer():
    return bytes([6])


def disconnected():
    return bytes([7])


def advance(ms):
    return bytes([8]) + struct.pack("<H", ms // 10)


def command():
    return bytes([9])


def hx(text):
    return bytes.fromhex(text.replace(" ", ""))


def measurement(seq, context=False):
    flags = 0x03 | (0x10 if context else 0)
    return bytes([flags]) + struct.pack("<H", seq) + hx("EA 07 0B 15 08 00 00 3C 00 64 B0 11")


def context(seq):
    return bytes([0x02]) + struct.pack("<H", seq) + bytes([0x01])


def racp_response(opcode, code):
    return bytes([0x06, 0x00, opcode, code])


def count(n):
    return bytes([0x05, 0x00]) + struct.pack("<H", n)


def glucose_config(last, delta, has_context, count_first):
    flags = (1 if delta else 0) | (2 if has_context else 0) | (4 if count_first else 0)
    return struct.pack("<H", last) + bytes([flags, 0])


GLUCOSE_SUBSCRIBE = connected() + subscribed(GM) + subscribed(GMC) + subscribed(RACP)

SEEDS = {
    "session_glucose": {
        "delta-with-context": glucose_config(6, True, True, True)
        + GLUCOSE_SUBSCRIBE
        + ack(RACP)
        + notify(RACP, count(2))
        + ack(RACP)
        + notify(GM, measurement(7, True))
        + notify(GMC, context(7))
        + notify(GM, measurement(8))
        + notify(GM, measurement(8))
        + notify(RACP, racp_response(1, 1)),
        "factory-reset": glucose_config(500, True, True, False)
        + GLUCOSE_SUBSCRIBE
        + ack(RACP)
        + notify(RACP, racp_response(1, 6))
        + ack(RACP)
        + notify(GM, measurement(3))
        + notify(RACP, racp_response(1, 1))
        + ack(RACP)
        + notify(GM, measurement(0))
        + notify(GM, measurement(3))
        + notify(RACP, racp_response(1, 1)),
        "abort-then-timeout": glucose_config(0, False, False, False)
        + connected()
        + subscribed(GM)
        + subscribed(RACP)
        + ack(RACP)
        + notify(GM, measurement(0))
        + command()
        + notify(GM, hx("02 09 00 EA 07"))
        + ack(RACP)
        + advance(31000),
        "busy-retry": glucose_config(0, False, True, True)
        + GLUCOSE_SUBSCRIBE
        + att_error(RACP, 0x80)
        + advance(1000)
        + ack(RACP)
        + notify(RACP, count(0))
        + ack(RACP)
        + notify(RACP, racp_response(1, 6)),
    },
    "session_blood_pressure": {
        "stored-then-quiet": bytes([1, 100])
        + connected()
        + subscribed(BPM)
        + subscribed(ICP)
        + notify(ICP, hx("00 14 00 FF 07 FF 07"))
        + notify(BPM, hx("0E 78 00 50 00 5D 00 EA 07 0B 15 07 00 00 40 00 01"))
        + notify(BPM, hx("0E 78 00 50 00 5D 00 EA 07 0B 15 07 00 00 40 00 01"))
        + advance(11000),
        "refused-icp-then-disconnect": bytes([1, 50])
        + connected()
        + subscribed(BPM)
        + att_error(ICP, 3)
        + notify(BPM, hx("1E 78 00 50 00 5D 00 EA 07 0B 15 07 00 00 40 00 FF 04 00"))
        + disconnected(),
    },
    "session_cgm": {
        "start-time-and-records": struct.pack("<I", 448834500)
        + bytes([4, 0b111])
        + struct.pack("<H", 3)
        + connected()
        + read(SST, hx("EA 07 0B 14 08 00 00 04 00"))
        + subscribed(CGM)
        + subscribed(RACP)
        + ack(RACP)
        + notify(CGM, hx("06 00 6E 00 04 00 06 00 70 00 05 00"))
        + notify(CGM, hx("06 00 6E 00 05 00"))
        + notify(RACP, racp_response(1, 1)),
        "estimated-start": struct.pack("<I", 448834500)
        + bytes([4, 0b000, 0, 0])
        + connected()
        + read(STATUS, hx("5A 00 00 00 00"))
        + subscribed(CGM)
        + subscribed(RACP)
        + ack(RACP)
        + notify(CGM, hx("06 00 6E 00 55 00"))
        + notify(RACP, racp_response(1, 6)),
    },
    "session_clock": {
        "fast-clock-written": struct.pack("<I", 448834500)
        + bytes([4, 0b11])
        + struct.pack("<H", 60)
        + connected()
        + advance(500)
        + read(CT, hx("EA 07 0B 16 0A 05 00 07 00 00"))
        + ack(CT),
        "clock-not-set-refused": struct.pack("<I", 448834500)
        + bytes([4, 0b11])
        + struct.pack("<H", 60)
        + connected()
        + read(CT, hx("00 00 00 00 00 00 00 00 00 00"))
        + att_error(CT, 0x80),
    },
}

for target, seeds in SEEDS.items():
    os.makedirs(os.path.join("corpus", target), exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join("corpus", target, name), "wb") as f:
            f.write(data)
