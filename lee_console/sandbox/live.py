"""Live legitimate traffic during a drill (``--live-writes PER_MINUTE``).

Once seeding is done, a daemon thread makes legitimate device updates on the sandbox's wall
clock, at random intervals averaging 60/PER_MINUTE seconds: the application's own writes,
which a recovery must not lose. Each picks a device the damage did not touch, reads it from
the table the application uses (the SSM parameter ``/lee/tables/devices`` at that moment) and
puts its next legitimate image (a valid state change, updated_at now, version + 1) through the
backend, as a client's PutItem goes, so PITR history records it. When that table does not
exist or is not ACTIVE (deleted, a restore still CREATING), the application would have failed:
nothing is written. Each write is appended to the ground truth (``legit_writes``, with its
table) and updates ``expected``; the truth file is rewritten within half a second.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from moto.dynamodb.models.dynamo_type import DynamoType
from moto.ssm.models import ssm_backends

from lee_console.sandbox import clock
from lee_console.sandbox.backend import SandboxBackend
from lee_console.sandbox.codec import image_of_item
from lee_console.sandbox.digests import image_digest
from lee_console.sandbox.install import ACCOUNT_ID, REGION
from lee_console.sandbox.scenarios.states import FIELDS, state_pools
from lee_console.sandbox.scenarios.timeline import (
    device_head,
    device_id,
    device_image,
    device_middle,
    iso,
)
from lee_console.sandbox.tables import SandboxTable
from lee_console.sandbox.truth import ScenarioTruth

DEVICES_PARAMETER = "/lee/tables/devices"
FLUSH_EVERY = 0.5  # seconds: the truth file is rewritten at most this often, a write in it by then
_log = logging.getLogger(__name__)


class LiveWriter:
    """Writes until :meth:`stop`. ``devices``: the ids it may write (damaged ones left out)."""

    def __init__(
        self,
        backend: SandboxBackend,
        per_minute: float,
        rng: random.Random,
        devices: Iterable[str],
        truth: ScenarioTruth | None = None,
        truth_file: Path | None = None,
    ) -> None:
        self._backend = backend
        self._rate = per_minute / 60.0
        self._rng = rng
        self._devices = sorted(devices)
        self._pools = state_pools(rng)
        self._truth = truth
        self._truth_file = truth_file
        self._writes: list[dict[str, Any]] = []
        self._expected = dict(truth.expected) if truth else {}
        self._written_keys: set[str] = (
            {key["device_id"] for key in truth.legit_keys_after} if truth else set()
        )
        self._new_keys: list[dict[str, Any]] = []
        self._lock = threading.Lock()  # the writes and expected, against truth readers
        self._dirty = False
        self._last_flush = 0.0
        self._logged: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lee-sandbox-live", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop writing; the truth file then holds every write made."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._safely("rewrite the truth file", self._flush)

    @property
    def truth(self) -> ScenarioTruth | None:
        """The ground truth with the live writes so far."""
        if self._truth is None:
            return None
        with self._lock:
            return replace(
                self._truth,
                legit_keys_after=[*self._truth.legit_keys_after, *self._new_keys],
                legit_writes=[*self._truth.legit_writes, *self._writes],
                expected=dict(self._expected),
            )

    # -- the thread ------------------------------------------------------------------------
    def _run(self) -> None:
        due = time.monotonic() + self._interval()
        while True:
            wake = due
            if self._dirty:
                wake = min(wake, self._last_flush + FLUSH_EVERY)
            if self._stop.wait(max(0.0, wake - time.monotonic())):
                return
            now = time.monotonic()
            if now >= due:
                self._safely("write a device", self.write_once)
                due += self._interval()
                if due < now - 1.0:  # held up (a long restore holds the lock): no burst
                    due = now + self._interval()
            if self._dirty and time.monotonic() - self._last_flush >= FLUSH_EVERY:
                self._safely("rewrite the truth file", self._flush)

    def _interval(self) -> float:
        return self._rng.expovariate(self._rate) if self._rate > 0 else 3600.0

    def _safely(self, what: str, action: Callable[[], object]) -> None:
        """Never let an error end the thread or the server: log it (once per message)."""
        try:
            action()
        except Exception as error:  # the thread must survive anything
            message = f"live writes: could not {what}: {error!r}"
            if message not in self._logged:
                self._logged.add(message)
                _log.warning(message)

    # -- one write -------------------------------------------------------------------------
    def write_once(self) -> dict[str, Any] | None:
        """Make one legitimate write now; return its truth entry, or None when the
        application's table is missing or not ACTIVE (or holds no such device)."""
        if not self._devices:
            return None
        device = self._rng.choice(self._devices)
        name = _devices_table()
        if name is None:
            return None
        backend = self._backend
        with backend.lock:
            table = backend.tables.get(name)
            ts = clock.floor_ms(time.time())
            if not isinstance(table, SandboxTable) or ts < table.ready_at:
                return None
            if table.hash_key_attr != "device_id" or table.range_key_attr is not None:
                raise ValueError(f"{name} is not keyed by device_id alone")
            current = table.get_item(DynamoType({"S": device}))
            if current is None:
                return None
            image = self._next_image(device, json.loads(image_of_item(current)), ts)
            if image is None:
                return None
            with clock.frozen_at(ts):
                backend.put_item(name, json.loads(image))
        entry = {"key": {"device_id": device}, "at": clock.iso_ms(ts), "table": name}
        with self._lock:
            self._writes.append(entry)
            self._expected[device] = image_digest(image)
            if device not in self._written_keys:
                self._written_keys.add(device)
                self._new_keys.append({"device_id": device})
            self._dirty = True
        return entry

    def _next_image(self, device: str, current: dict[str, Any], ts: float) -> str | None:
        """The device's next legitimate image, or None when the stored item is not one the
        application could update (a type it does not know, an unreadable version)."""
        try:
            user_id = current["user_id"]["S"]
            device_type = current["device_type"]["S"]
            firmware = current["firmware"]["S"]
            version = Decimal(current["version"]["N"])
        except (KeyError, TypeError, ArithmeticError):
            return None
        if device_type not in FIELDS or version != version.to_integral_value() or version < 0:
            return None
        pool = self._pools[device_type]
        now_state = json.dumps(current.get("state"), separators=(",", ":"))
        state = self._rng.choice(pool)
        for _ in range(3):  # a change, as far as the pool allows
            if state != now_state:
                break
            state = self._rng.choice(pool)
        return device_image(
            device_head(device, user_id, device_type),
            state,
            device_middle(firmware),
            iso(ts),
            int(version) + 1,
        )

    def _flush(self) -> None:
        with self._lock:
            if not self._dirty:
                return
            self._dirty = False
        self._last_flush = time.monotonic()
        truth = self.truth
        if truth is not None and self._truth_file is not None:
            truth.write(self._truth_file)


def _devices_table() -> str | None:
    """The table the application reads devices from: the SSM parameter's value now."""
    ssm: Any = ssm_backends[ACCOUNT_ID][REGION]
    parameter = ssm.get_parameter(DEVICES_PARAMETER)
    return str(parameter.value) if parameter is not None else None


def live_rng(scenario: str, items: int, seed: int | None) -> random.Random:
    """The live writes' draws: from the seed, else fixed per scenario and size."""
    if seed is None:
        return random.Random(f"live-{scenario}-{items}")
    return random.Random(f"live-{scenario}-{seed}")


def writable_devices(scenario: str, truth: ScenarioTruth | None, items: int) -> list[str]:
    """The devices live writes may touch: every device but the damaged ones. For
    accidental-delete the damage is the table, not its items: every device, once restored."""
    if truth is None:
        return [device_id(i) for i in range(items)]
    if scenario == "accidental-delete":
        return sorted(truth.expected)
    damaged = {key["device_id"] for key in truth.damaged_keys}
    return [device for device in sorted(truth.expected) if device not in damaged]
