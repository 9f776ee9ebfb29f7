"""Backdated time anchors and the device write plan every scenario builds on."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any

from lee_console.sandbox import clock
from lee_console.sandbox.scenarios.states import (
    DEVICE_TYPES,
    bad_deployment_state,
    gradual_state,
    state_pools,
)
from lee_console.sandbox.scenarios.variation import BAD_DEPLOYMENT_SHAPES, GRADUAL_SHAPES

DAY = 86400.0
HOUR = 3600.0
MINUTE = 60.0

LEGIT, BAD_DEPLOYMENT, GRADUAL = 0, 1, 2


_MINUTES: dict[int, str] = {}


def iso(ts: float) -> str:
    """ISO-8601 UTC to the second (cached per minute: seeding formats ~10^5 of these)."""
    seconds = int(ts)
    minute, second = divmod(seconds, 60)
    prefix = _MINUTES.get(minute)
    if prefix is None:
        prefix = time.strftime("%Y-%m-%dT%H:%M:", time.gmtime(minute * 60))
        _MINUTES[minute] = prefix
    return f"{prefix}{second:02d}Z"


def device_id(index: int) -> str:
    return f"dev-{index:05d}"


def device_head(device: str, user_id: str | None, device_type: str) -> str:
    """An image's attributes before its state map (``user_id`` None: left out)."""
    owner = f'"user_id":{{"S":"{user_id}"}},' if user_id is not None else ""
    return f'{{"device_id":{{"S":"{device}"}},{owner}"device_type":{{"S":"{device_type}"}},"state":'


def device_middle(firmware: str | None) -> str:
    """An image's attributes between its state map and the updated_at value."""
    stored = f',"firmware":{{"S":"{firmware}"}}' if firmware is not None else ""
    return f'{stored},"updated_at":{{"S":"'


def device_image(head: str, state: str, middle: str, updated: str, version: int) -> str:
    """A lee-devices image (wire JSON) from its parts: seeding's and the live writes' one way."""
    return f'{head}{state}{middle}{updated}"}},"version":{{"N":"{version}"}}}}'


@dataclass(frozen=True)
class Timeline:
    now: float
    created: float  # tables created (36 days ago)
    pitr_enabled: float  # PITR switched on: a little more than 35 days ago, so the window is full

    @staticmethod
    def at(now: float) -> Timeline:
        return Timeline(now=now, created=now - 36 * DAY, pitr_enabled=now - 35 * DAY - 600)


@dataclass
class DevicePlan:
    """Who owns which device, and every write to lee-devices, as (ts, device index, kind)."""

    count: int
    users: int
    rng: random.Random
    timeline: Timeline
    ids: list[str] = field(init=False)
    owner: list[int] = field(init=False)
    kind: list[str] = field(init=False)
    firmware: list[str] = field(init=False)
    events: list[tuple[float, int, int]] = field(default_factory=list)
    traffic: float = 1.0  # legitimate traffic, times the usual rate
    bad_shape: str = "all"  # what bad-deployment's bug writes (variation.BAD_DEPLOYMENT_SHAPES)
    gradual_shape: str = "both"  # what the slow bug writes (variation.GRADUAL_SHAPES)
    # device id -> its last legitimate image, filled by build(): what a perfect recovery leaves
    last_legit: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.bad_shape not in BAD_DEPLOYMENT_SHAPES or self.gradual_shape not in GRADUAL_SHAPES:
            raise ValueError(f"unknown damage shape {self.bad_shape!r}/{self.gradual_shape!r}")
        rand, n, users = self.rng.random, self.count, self.users
        firmwares = ("2.3.9", "2.4.0", "2.4.1", "3.0.2")
        self.ids = [device_id(i) for i in range(n)]
        self.owner = [int(rand() * users) for _ in range(n)]
        self.kind = [DEVICE_TYPES[int(rand() * len(DEVICE_TYPES))] for _ in range(n)]
        self.firmware = [firmwares[int(rand() * len(firmwares))] for _ in range(n)]

    @property
    def trickle_per_minute(self) -> float:
        """Background rate of legitimate state changes (scales with the fleet, bounded)."""
        return (3.0 + self.count / 2000.0) * self.traffic

    def add_history(
        self, end: float, quiet: set[int] | None = None, quiet_from: float | None = None
    ) -> None:
        """Creation writes before PITR was enabled, weeks of updates, and a steady trickle over
        the last day, up to ``end``. Devices in ``quiet`` get no legitimate writes at or after
        ``quiet_from`` (so a restore before that time loses none of their changes)."""
        rng, tl, events = self.rng, self.timeline, self.events
        rand, count = rng.random, self.count
        span_create = tl.pitr_enabled - tl.created
        weeks_start, weeks_end = tl.pitr_enabled + 60, min(end, tl.now - DAY)
        quiet = quiet or set()
        limit = quiet_from if quiet_from is not None else end
        for dev in range(count):
            events.append((tl.created + rand() * span_create, dev, LEGIT))
            dev_end = min(weeks_end, limit) if dev in quiet else weeks_end
            for _ in range(1 + (rand() < 0.5)):
                events.append((weeks_start + rand() * (dev_end - weeks_start), dev, LEGIT))
        trickle_start = tl.now - DAY
        n = int(self.trickle_per_minute * (end - trickle_start) / MINUTE)
        for _ in range(max(n, 0)):
            ts = trickle_start + rand() * (end - trickle_start)
            dev = int(rand() * count)
            while dev in quiet and ts >= limit:
                dev = int(rand() * count)
            events.append((ts, dev, LEGIT))

    def add_weekly_trickle(self, start: float, end: float, quiet: set[int]) -> None:
        """Extra legitimate writes between ``start`` and ``end`` avoiding ``quiet`` devices."""
        rng = self.rng
        n = int(self.trickle_per_minute / 8 * (end - start) / MINUTE)
        for _ in range(n):
            dev = rng.randrange(self.count)
            while dev in quiet:
                dev = rng.randrange(self.count)
            self.events.append((start + rng.random() * (end - start), dev, LEGIT))

    def legit_writes(self, since: float) -> list[dict[str, Any]]:
        """The ground truth's legitimate writes at or after ``since``, in time order."""
        return [
            {"key": {"device_id": self.ids[dev]}, "at": clock.iso_ms(ts)}
            for ts, dev, kind in sorted(self.events)
            if kind == LEGIT and ts >= since
        ]

    def build(self) -> tuple[list[tuple[float, str, str]], dict[str, str]]:
        """Turn the events into history records (ts, key, image) and the final key -> image.
        Images are assembled from per-device prefixes: this loop runs ~3.4 times per device."""
        self.events.sort()
        pools = state_pools(self.rng)
        bad = {t: bad_deployment_state(t) for t in DEVICE_TYPES}
        rand = self.rng.random
        version = [0] * self.count
        last_state = [""] * self.count
        ids, kind = self.ids, self.kind
        head = [device_head(ids[d], f"usr-{self.owner[d]:04d}", kind[d]) for d in range(self.count)]
        middle = [device_middle(fw) for fw in self.firmware]
        minutes: dict[int, str] = {}
        seconds_z = [f"{i:02d}Z" for i in range(60)]
        records: list[tuple[float, str, str]] = []
        final: dict[str, str] = {}
        last_legit = self.last_legit
        for ts, dev, what in self.events:
            seconds = int(ts)
            minute = seconds // 60
            prefix = minutes.get(minute)
            if prefix is None:
                prefix = minutes[minute] = time.strftime(
                    "%Y-%m-%dT%H:%M:", time.gmtime(minute * 60)
                )
            updated = prefix + seconds_z[seconds % 60]
            dev_head, dev_middle = head[dev], middle[dev]
            if what == LEGIT:
                version[dev] += 1
                pool = pools[kind[dev]]
                state = last_state[dev] = pool[int(rand() * len(pool))]
            elif what == BAD_DEPLOYMENT:
                shape = self.bad_shape
                if shape in ("all", "states"):
                    state = bad[kind[dev]]
                else:  # a valid state change, broken elsewhere
                    pool = pools[kind[dev]]
                    state = pool[int(rand() * len(pool))]
                if shape in ("all", "epoch"):
                    updated = str(seconds)
                if shape != "all":  # "all" also keeps the version
                    version[dev] += 1
                if shape == "no-firmware":
                    dev_middle = device_middle(None)
                elif shape == "no-owner":
                    dev_head = device_head(ids[dev], None, kind[dev])
            else:  # GRADUAL: a plausible-looking write with out-of-range values
                state = gradual_state(
                    last_state[dev] or pools[kind[dev]][0], kind[dev], self.gradual_shape
                )
                version[dev] += 1
            image = device_image(dev_head, state, dev_middle, updated, version[dev])
            records.append((ts, ids[dev], image))
            final[ids[dev]] = image
            if what == LEGIT:
                last_legit[ids[dev]] = image
        return records, final
