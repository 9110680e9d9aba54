"""Multi-request flows written once for both clients: a flow is a generator that yields what it needs (a
:class:`Call` to send, or a :class:`Pause`), is sent the answer (or has the typed error thrown into it), and
returns its result. The sync client drives it with blocking calls, the async one with awaits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generator, Union

from ._api import CALLS, Call
from .errors import AnalysisRunningError, NotFoundError, StoreSyncError


@dataclass(frozen=True)
class Pause:
    seconds: float


Step = Union[Call, Pause]
Flow = Generator[Step, Any, Any]


def wait_for_run(run_id: str, *, timeout: float = 600.0, poll: float = 0.5) -> Flow:
    """Polls a run until it is no longer ``running``; answers the finished run."""
    waited = 0.0
    while True:
        try:
            run = yield CALLS.run(run_id)
        except NotFoundError:
            # The server answers 202 before the run's document is written: unknown for a moment, not for long.
            if waited >= min(timeout, 10.0):
                raise
            run = {"state": "running"}
        if run.get("state") != "running":
            return run
        if waited >= timeout:
            raise StoreSyncError(f"run {run_id} still running after {timeout:.0f} s", code="timeout")
        yield Pause(poll)
        waited += poll


def analyze_or_join(user_id: str | None, *, deep: bool = False, timeout: float = 600.0) -> Flow:
    """An analysis of the scope; when one with that scope already runs, waits for it instead of failing."""
    try:
        return (yield CALLS.analyze(user_id, deep=deep))
    except AnalysisRunningError as running:
        if not running.run_id:
            raise
        return (yield from wait_for_run(running.run_id, timeout=timeout))


def open_issues(user_id: str | None, limit: int, page_size: int = 200) -> Flow:
    """Up to ``limit`` open issues (of one user, or of all), following the cursor; answers (issues, truncated)."""
    issues: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = yield CALLS.issues(status="open", user_id=user_id, limit=min(page_size, max(limit - len(issues), 1)), cursor=cursor)
        issues.extend(page.get("issues", []))
        cursor = page.get("next_cursor")
        if len(issues) >= limit:
            return issues[:limit], bool(cursor) or len(issues) > limit
        if not cursor:
            return issues, False


def sync_report(user_id: str | None = None, *, refresh: bool | None = None, max_issues: int = 1000) -> Flow:
    """The design note's ``get_sync_report``: ``summary`` (with ``total_files``) and the open ``issues``, for one
    user or for all. ``refresh=True`` runs an analysis first; ``None`` (default) runs one only when the scope was
    never analysed (for all users: no full run among the latest); ``False`` never does."""
    if refresh:
        yield from analyze_or_join(user_id)
    if user_id is not None:
        try:
            status = yield CALLS.status(user_id)
        except NotFoundError:
            # A user with no files has a report too: nothing stored, nothing out of sync.
            return {
                "user_id": user_id,
                "status": "unchecked",
                "last_checked_at": None,
                "summary": {"total_files": 0, "synced": 0, "out_of_sync": 0, "missing": 0, "error": 0, "issues_by_type": {}},
                "issues": [],
                "issues_truncated": False,
                "files": [],
            }
        if refresh is None and status.get("last_checked_at") is None:
            yield from analyze_or_join(user_id)
            status = yield CALLS.status(user_id)
        issues, truncated = yield from open_issues(user_id, max_issues)
        return {
            "user_id": user_id,
            "status": status.get("status"),
            "last_checked_at": status.get("last_checked_at"),
            "summary": status.get("summary"),
            "issues": issues,
            "issues_truncated": truncated,
            "files": status.get("files", []),
        }
    overview = yield CALLS.overview()
    # The global summary counts only users some run has checked: without a full run it leaves the rest out.
    if refresh is None and not any((run.get("scope") or {}).get("user_id") is None for run in overview.get("runs") or []):
        yield from analyze_or_join(None)
        overview = yield CALLS.overview()
    issues, truncated = yield from open_issues(None, max_issues)
    last_run = overview.get("last_run") or {}
    return {
        "user_id": None,
        "status": "synced" if not overview.get("open_issues") else "out_of_sync",
        "last_checked_at": last_run.get("finished_at"),
        "summary": overview.get("summary"),
        "open_issues": overview.get("open_issues"),
        "issues": issues,
        "issues_truncated": truncated,
        "health": overview.get("health"),
    }
