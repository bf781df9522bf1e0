#!/usr/bin/env python3
"""Seeds the demo site through the product's own front doors: accounts with `latchkey account
create`, everything else with the public HTTP API as the owner (sign-in, site, units, people,
hubs and locks commissioned from the simulator's manifest), then puts a few locks in poor health
through the simulator's control channel (a low battery, a hub down, a jam) so the fleet page has
something to show. Writes the demo logins to --logins.

Standard library only. Any refusal by the server stops the demo with the server's own answer."""

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

PASSWORD = "demo passphrase 2026"
PEOPLE = [  # (email, phone, name, role, unit)
    ("olive@demo.test", "+15555550100", "Olive Owner", "owner", None),
    ("mo@demo.test", "+15555550101", "Mo Manager", "manager", None),
    ("max@demo.test", "+15555550102", "Max Maintenance", "maintenance", None),
    ("ana@demo.test", "+15555550103", "Ana Resident", "resident", "101"),
    ("ben@demo.test", "+15555550104", "Ben Resident", "resident", "102"),
    ("chen@demo.test", "+15555550105", "Chen Resident", "resident", "103"),
]
UNITS = ["101", "102", "103", "104"]


class Api:
    def __init__(self, url):
        self.url = url
        self.token = None

    def call(self, method, path, body=None, ok=(200, 201, 204)):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                text = answer.read()
                return json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            if error.code in ok:
                return None
            sys.exit(f"demo: {method} {path} answered {error.code}: {error.read().decode()}")

    def wait_healthy(self, seconds=60):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        sys.exit(f"demo: the server did not come up at {self.url} (see build/demo/server.log)")

    def serves(self, method, path):
        document = self.call("GET", "/api/v1/openapi.json")
        return method.lower() in document.get("paths", {}).get(path, {})


def control(sock_path, request):
    """One request on the simulator's control channel (JSON lines on a Unix socket)."""
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(sock_path)
        s.sendall(json.dumps(request).encode() + b"\n")
        answer = json.loads(s.makefile().readline())
    if not answer.get("ok", True):
        sys.exit(f"demo: simulator refused {request}: {answer['error']}")
    return answer


def wait_for(path, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with open(path):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"demo: {path} did not appear (see build/demo/sim.log)")


def main():
    p = argparse.ArgumentParser()
    for name in ("bin", "config", "url", "site", "manifest", "control", "logins"):
        p.add_argument("--" + name, required=True)
    args = p.parse_args()

    api = Api(args.url)
    api.wait_healthy()

    with tempfile.NamedTemporaryFile("w", delete=True) as password_file:
        password_file.write(PASSWORD + "\n")
        password_file.flush()
        for email, phone, name, _, _ in PEOPLE:
            subprocess.run([args.bin, "account", "create", "--config", args.config, "--email", email,
                            "--phone", phone, "--name", name, "--password-file", password_file.name],
                           check=True, stdout=subprocess.DEVNULL)

    signed_in = api.call("POST", "/api/v1/sessions", {"email": PEOPLE[0][0], "password": PASSWORD})
    api.token = signed_in["access_token"]

    site = args.site
    api.call("POST", "/api/v1/sites",
             {"id": site, "name": "Maple Court", "timezone": "America/New_York"})
    for unit in UNITS:
        api.call("POST", f"/api/v1/sites/{site}/units", {"id": unit, "name": "Apartment " + unit})
    for email, _, _, role, unit in PEOPLE[1:]:
        invitation = {"email": email, "role": role}
        if unit:
            invitation["unit"] = unit
        api.call("POST", f"/api/v1/sites/{site}/people", invitation)

    wait_for(args.manifest)
    with open(args.manifest) as f:
        manifest = json.load(f)
    commissioned = api.serves("post", "/api/v1/sites/{site}/locks")
    if commissioned:
        for hub in manifest["hubs"]:
            api.call("POST", f"/api/v1/sites/{site}/hubs", {"id": hub["id"], "name": hub["id"]})
        doors = UNITS + [None] * len(manifest["locks"])
        for lock, unit in zip(manifest["locks"], doors):
            body = {"id": lock["id"], "name": f"Apartment {unit}" if unit else "Lobby " + lock["id"],
                    "link": lock["link"], "pairing_code": lock["pairing_code"]}
            if unit:
                body["unit"] = unit
            api.call("POST", f"/api/v1/sites/{site}/locks", body)

    # Varied health for the fleet page: one low battery, one hub down, one jammed door.
    locks = [lock["id"] for lock in manifest["locks"]]
    control(args.control, {"fault": "battery", "lock": locks[1], "pct": 14})
    control(args.control, {"fault": "jam", "lock": locks[2]})
    if manifest["hubs"]:
        control(args.control, {"fault": "hub_down", "hub": manifest["hubs"][-1]["id"]})

    with open(args.logins, "w") as f:
        f.write(f"Sign in with any of these (password: {PASSWORD}):\n")
        for email, _, _, role, unit in PEOPLE:
            f.write(f"  {email:<18} {role}{' of apartment ' + unit if unit else ''}\n")
        if not commissioned:
            f.write("Locks are simulated but not yet commissioned: this server does not serve "
                    "POST /api/v1/sites/{site}/locks yet.\n")


if __name__ == "__main__":
    main()
