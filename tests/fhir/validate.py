#!/usr/bin/env python3
"""Checks a Vitalog FHIR export with an independent validator.

    python3 validate.py BUNDLE.json

Parses the Bundle and every resource in it with `fhir.resources` (HL7 FHIR R4B models; make
test installs the package), checks that every reference resolves inside the Bundle, and checks
the codings validators do not: each Observation carries an MDC coding, vital signs a LOINC one
and the vital-signs category, units are UCUM, a blood-pressure panel has both its systolic and
diastolic components, and values keep their decimals. Prints a summary line and exits non-zero
on the first problem.
"""

import json
import sys

from fhir.resources.R4B.bundle import Bundle

MDC = "urn:iso:std:iso:11073:10101"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
VITAL = ("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs")
STATUSES = {"registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"}
EXPECTED = {  # MDC code -> (LOINC codes allowed, vital sign?)
    "160184": ({"41653-7", "14743-9"}, False),
    "160212": ({"99504-3", "105272-9"}, False),
    "150020": ({"85354-9"}, True),
    "188736": ({"29463-7"}, True),
    "150364": ({"8310-5"}, True),
    "150456": ({"2708-6"}, True),
    "147842": ({"8867-4"}, True),
    "149546": ({"8867-4"}, True),
    "188748": ({"41982-0"}, False),
}


def fail(message):
    print(f"FHIR check failed: {message}")
    sys.exit(1)


def main():
    raw = open(sys.argv[1], encoding="utf-8").read()
    data = json.loads(raw)
    bundle = Bundle.parse_raw(raw)  # validates every resource against the R4B models
    if bundle.type != "collection":
        fail(f"Bundle.type is {bundle.type}")
    urls = {e["fullUrl"] for e in data["entry"]}
    observations = 0
    for entry in data["entry"]:
        resource = entry["resource"]

        def refs(node):
            if isinstance(node, dict):
                for key, value in node.items():
                    if key == "reference":
                        yield value
                    else:
                        yield from refs(value)
            elif isinstance(node, list):
                for value in node:
                    yield from refs(value)

        for ref in refs(resource):
            if ref not in urls:
                fail(f"{resource['resourceType']} refers to {ref}, which is not in the Bundle")
        if resource["resourceType"] != "Observation":
            continue
        observations += 1
        if resource.get("status") not in STATUSES:
            fail(f"an Observation's status is {resource.get('status')!r}")
        codings = resource["code"]["coding"]
        mdc = [c["code"] for c in codings if c["system"] == MDC]
        if len(mdc) != 1 or mdc[0] not in EXPECTED:
            fail(f"an Observation's MDC code is {mdc}")
        loinc_allowed, vital = EXPECTED[mdc[0]]
        loinc = {c["code"] for c in codings if c["system"] == LOINC}
        if not loinc or not loinc <= loinc_allowed:
            fail(f"MDC {mdc[0]} carries LOINC {loinc}, expected one of {loinc_allowed}")
        categories = {(c["system"], c["code"]) for cat in resource["category"] for c in cat["coding"]}
        if vital != (VITAL in categories):
            fail(f"MDC {mdc[0]}: vital-signs category {'missing' if vital else 'present'}")
        if "subject" not in resource or "effectiveDateTime" not in resource:
            fail("an Observation lacks its subject or time")
        quantities = []
        if "valueQuantity" in resource:
            quantities.append(resource["valueQuantity"])
        if mdc[0] == "150020":
            parts = {c["code"]["coding"][0]["code"] for c in resource.get("component", [])}
            if not {"150021", "150022"} <= parts:
                fail(f"a blood pressure has components {parts}")
            quantities += [c["valueQuantity"] for c in resource["component"]]
        elif not quantities:
            fail(f"MDC {mdc[0]} has no value")
        for q in quantities:
            if q["system"] != UCUM or not q.get("code"):
                fail(f"a value's unit is not UCUM: {q}")
    if '"value": 5.80' not in raw and "5.80" in raw:
        fail("5.80 lost its precision")
    print(f"FHIR: {len(data['entry'])} resources, {observations} observations, valid R4B, references resolve")


if __name__ == "__main__":
    main()
