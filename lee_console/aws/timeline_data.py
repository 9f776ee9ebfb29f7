"""What the timeline screen needs for one table, read in one go (from a UI worker thread)."""

from __future__ import annotations

from datetime import datetime, timedelta

from lee_console.aws.markers import backup_markers, deployment_markers, write_activity
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_table
from lee_console.core.errors import LeeError
from lee_console.core.timeline import Marker, Sample
from lee_console.core.views import TimelineData


def load_timeline(aws: Aws, table: str, now: datetime) -> TimelineData:
    summary = describe_table(aws, table)
    markers: list[Marker] = []
    warnings: list[str] = []
    for loader in (deployment_markers, backup_markers):
        try:
            markers.extend(loader(aws, table))
        except LeeError as error:
            warnings.append(error.message)
    start = summary.pitr.earliest or now - timedelta(days=35)
    activity: list[Sample] = []
    try:
        activity = write_activity(aws, table, start, now)
    except LeeError as error:
        warnings.append(error.message)
    return TimelineData(summary, tuple(markers), tuple(activity), now, tuple(warnings))
