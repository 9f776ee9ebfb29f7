"""The runbook's steps: their ids, states, and what each does and why, for the operator."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lee_console.core.report.findings import DROPPED_ON_RESTORE


class StepId(StrEnum):
    CHOOSE_POINT = "choose-point"
    RESTORE = "restore"
    VERIFY = "verify"
    SETTINGS = "settings"
    CUTOVER = "cutover"
    CONFIRM = "confirm-service"
    CLOSE = "close"


class StepState(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class StepInfo:
    id: StepId
    title: str
    what: str
    why: str


STEPS = (
    StepInfo(
        StepId.CHOOSE_POINT,
        "Choose restore point",
        "Pick the second to restore to: the last moment the data was good, the second before "
        "the damage began. Three strategies: restore + repoint, restore + repair in place, or "
        "export + repair, no restore (`lee-console damage`, then `repair --from-export`).",
        "Restore + repoint: quick cutover, loses every legitimate write after the point. "
        "Restore + repair: keeps them, scans both tables. Both wait for a restore ($0.15/GB, "
        "20-40 min). Export + repair: no restore, neither table scanned ($0.10/GB of change "
        "data, minutes); a write the damage overwrote within one export period is not seen.",
    ),
    StepInfo(
        StepId.RESTORE,
        "Restore",
        "AWS copies the table as it was at the restore point into a new table; the live "
        "table is not touched.",
        "PITR never restores in place. The restore runs in AWS, takes minutes to hours, and "
        "carries on if the console quits: relaunch and it is picked up again.",
    ),
    StepInfo(
        StepId.VERIFY,
        "Verify",
        "Compare the restored table with the live one: item counts, keys and indexes, the "
        "integrity rules, and a diff of what changed.",
        "A restore to the wrong second looks exactly like a good one. Cutover stays locked "
        "until this passes, so a bad copy never reaches the application.",
    ),
    StepInfo(
        StepId.SETTINGS,
        "Re-apply settings",
        f"Copy {DROPPED_ON_RESTORE} from the live table to the restored one, then re-read "
        "them to prove they hold.",
        "AWS drops every one of these on restore. Without them the new table has no PITR for "
        "the next incident, keeps expired items and raises no alarm.",
    ),
    StepInfo(
        StepId.CUTOVER,
        "Cut over",
        "Repoint the application (SSM parameter, Lambda environment) to the restored table, "
        "or repair in place: write back to the live table only the damaged items.",
        "Repoint is quick but loses every legitimate write made after the restore point; "
        "repair in place keeps them and the table name, and takes longer.",
    ),
    StepInfo(
        StepId.CONFIRM,
        "Confirm service",
        "Check that the application really works on the recovered data, then confirm it.",
        "The RTO clock stops here, not when the restore finishes: this is the moment the "
        "report measures recovery against.",
    ),
    StepInfo(
        StepId.CLOSE,
        "Close and report",
        "Close the incident and build the post-incident report from the journal.",
        "The report shows each phase against the RTO and which writes were lost or kept, "
        "while everyone still remembers why.",
    ),
)
