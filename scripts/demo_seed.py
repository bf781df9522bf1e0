#!/usr/bin/env python3
"""Seeds the demo site through the product's own front doors: accounts with `latchkey account
create`, everything else with the public HTTP API as the owner (sign-in, site, units, people,
hubs and locks commissioned from the simulator's manifest), then puts a few locks in poor health
through the simulator's control channel (a low battery, a hub down, a jam) so the fleet page has
something to show. Writes the demo logins to --logins.

Standard library only. Any refusal by the server stops the demo with the server's own answer."""

import argparse
import datetime
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

    def call(self, method, path, body=None, ok=(200, 201, 204), retry_unavailable=0.0):
        """retry_unavailable: seconds to keep asking while the server answers 503 (a lock it has
        recorded but not heard from yet)."""
        deadline = time.time() + retry_unavailable
        while True:
            status, answer = self._send(method, path, body)
            if status == 503 and time.time() < deadline:
                time.sleep(0.2)
                continue
            if status in ok:
                return answer
            sys.exit(f"demo: {method} {path} answered {status}: {answer}")

    def _send(self, method, path, body):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                text = answer.read()
                return answer.status, json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

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


def rfc3339(days_from_now):
    at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days_from_now)
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


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
            # Paired at once with what the server heard of the lock (503 until it has heard it).
            api.call("POST", f"/api/v1/sites/{site}/locks", body, retry_unavailable=30)

    # Varied health for the fleet page: a hub down (its locks offline), a battery running down,
    # a jammed door (the jam shows when the motor stalls on an unlock), then what people do.
    locks = [lock["id"] for lock in manifest["locks"]]
    if manifest["hubs"]:
        control(args.control, {"fault": "hub_down", "hub": manifest["hubs"][-1]["id"]})
    for pct in (62, 41, 27, 14):
        control(args.control, {"fault": "battery", "lock": locks[2], "pct": pct})
        time.sleep(0.3)
    if commissioned:
        control(args.control, {"fault": "jam", "lock": locks[0]})
        api.call("POST", f"/api/v1/sites/{site}/locks/{locks[0]}/unlock")
        # A code fanned out to every door: set on the reachable ones, pending behind the hub.
        api.call("POST", f"/api/v1/sites/{site}/codes",
                 {"name": "Cleaning crew", "kind": "guest", "locks": locks,
                  "valid_from": rfc3339(0), "valid_until": rfc3339(90), "schedule": "Mo,We,Fr 08:00-18:00"})
        # Ana is locked out of her jammed door: a lockout case with its diagnosis.
        ana = Api(args.url)
        ana.token = ana.call("POST", "/api/v1/sessions",
                             {"email": PEOPLE[3][0], "password": PASSWORD})["access_token"]
        ana.call("POST", f"/api/v1/sites/{site}/codes",
                 {"name": "My code", "kind": "own", "locks": [locks[0]]})
        ana.call("POST", "/api/v1/lockout/cases",
                 {"site": site, "door": locks[0], "symptoms": ["motor_runs_bolt_stuck"]})

    with open(args.logins, "w") as f:
        f.write(f"Sign in with any of these (password: {PASSWORD}):\n")
        for email, _, _, role, unit in PEOPLE:
            f.write(f"  {email:<18} {role}{' of apartment ' + unit if unit else ''}\n")
        if not commissioned:
            f.write("Locks are simulated but not yet commissioned: this server does not serve "
                    "POST /api/v1/sites/{site}/locks yet.\n")


if __name__ == "__main__":
    main()
