"""The event catalogue of storesync's Socket.IO stream (namespace ``/sync``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping


class SyncEventType(str, Enum):
    """Every event type the server publishes (libs/core/src/events.ts); the value is the wire name."""

    FILE_UPLOADED = "file.uploaded"
    FILE_DELETED = "file.deleted"
    EMBEDDING_CREATED = "embedding.created"
    EMBEDDING_DELETED = "embedding.deleted"
    ISSUE_DETECTED = "sync.issue.detected"
    ISSUE_RESOLVED = "sync.issue.resolved"
    ANALYSIS_STARTED = "analysis.started"
    ANALYSIS_PROGRESS = "analysis.progress"
    ANALYSIS_COMPLETED = "analysis.completed"
    REPAIR_ACTION = "repair.action"
    STORE_HEALTH = "store.health"

    # The design note's longer names for the issue events.
    SYNC_ISSUE_DETECTED = "sync.issue.detected"
    SYNC_ISSUE_RESOLVED = "sync.issue.resolved"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class SyncEvent:
    """One published event: ``seq`` orders the stream (replay and de-duplication use it)."""

    seq: int
    type: str
    user_id: str | None
    at: str
    data: dict[str, Any] = field(default_factory=dict)
    file_id: str | None = None

    @property
    def event_type(self) -> SyncEventType | str:
        """The type as :class:`SyncEventType`, or the wire name for a type newer than this client."""
        try:
            return SyncEventType(self.type)
        except ValueError:
            return self.type

    def to_dict(self) -> dict[str, Any]:
        """The wire form, with ``event_type`` beside ``type``."""
        return {"seq": self.seq, "type": self.type, "event_type": self.type, "user_id": self.user_id, "file_id": self.file_id, "at": self.at, "data": self.data}

    def __getitem__(self, key: str) -> Any:
        # Handlers written for plain dict events (event["file_id"]) keep working.
        return self.to_dict()[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.to_dict().get(key, default)

    @classmethod
    def from_wire(cls, raw: Mapping[str, Any]) -> "SyncEvent":
        data = raw.get("data")
        return cls(
            seq=int(raw["seq"]),
            type=str(raw["type"]),
            user_id=raw.get("user_id"),
            at=str(raw.get("at", "")),
            data=dict(data) if isinstance(data, Mapping) else {},
            file_id=raw.get("file_id"),
        )
