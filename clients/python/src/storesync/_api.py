"""The REST surface, written once: each method describes its request as a :class:`Call`, and the sync and async
clients send it (``_send`` returns the result, or a coroutine of it). Routes: docs/api.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Iterable, Literal, Mapping, TypeVar

import httpx

from .errors import StoreSyncError, error_for

T = TypeVar("T")

FileStep = Literal["done", "failed", "skipped", "not_needed"]
NotifiableEvent = Literal["file.uploaded", "file.deleted", "embedding.created", "embedding.deleted"]


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    files: Any = None
    data: Any = None
    text: bool = False
    """The answer is text (CSV, Prometheus), not JSON."""
    long: bool = False
    """May take as long as an analysis (the client's ``analysis_timeout`` instead of ``timeout``)."""


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    """Query and body fields without the ones left out (None); booleans as the server's query parser takes them."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        out[key] = value
    return out


def _query(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: ("true" if v is True else "false" if v is False else v) for k, v in _clean(values).items()}


def parse_response(call: Call, response: httpx.Response) -> Any:
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError:
            body = {"message": response.text[:500] or f"HTTP {response.status_code}"}
        raise error_for(response.status_code, body)
    if call.text:
        return response.text
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError as exc:  # a proxy's HTML page, say
        raise StoreSyncError(f"expected JSON from {call.method} {call.path}, got {response.headers.get('content-type')}", status=response.status_code) from exc


class Endpoints(Generic[T]):
    """Every REST route of storesync as a method. ``T`` is what ``_send`` returns: the result or an awaitable."""

    def _send(self, call: Call) -> T:  # pragma: no cover - provided by the clients
        raise NotImplementedError

    # --- health -------------------------------------------------------------------------------------------
    def health(self) -> T:
        """``GET /api/health``: each store's reachability, ``status`` ``ok`` or ``degraded`` (no token needed)."""
        return self._send(Call("GET", "/api/health"))

    def live(self) -> T:
        """``GET /api/health/live``: the process answers (liveness)."""
        return self._send(Call("GET", "/api/health/live"))

    def ready(self) -> T:
        """``GET /api/health/ready``: readiness; :class:`StoreUnavailableError` when the state store is down."""
        return self._send(Call("GET", "/api/health/ready"))

    def metrics(self) -> T:
        """``GET /metrics``: Prometheus text."""
        return self._send(Call("GET", "/metrics", text=True))

    # --- analysis -----------------------------------------------------------------------------------------
    def analyze(self, user_id: str | None = None, *, deep: bool = False, wait: bool = True) -> T:
        """``POST /api/sync/analyze``: a full analysis (or one user's). With ``wait=False``: ``{run_id}`` at once.

        Raises :class:`AnalysisRunningError` (with ``run_id``) while one with the same scope runs."""
        return self._send(Call("POST", "/api/sync/analyze", json=_clean({"user_id": user_id, "deep": deep or None, "wait": None if wait else False}), long=wait))

    def check(self, file_id: str) -> T:
        """``POST /api/sync/check/:file_id``: a single-file check against the live stores."""
        return self._send(Call("POST", f"/api/sync/check/{_segment(file_id)}"))

    def status(self, user_id: str, *, limit: int | None = None, cursor: str | None = None) -> T:
        """``GET /api/sync/status/:user_id``: the user's status, summary and one page of files."""
        return self._send(Call("GET", f"/api/sync/status/{_segment(user_id)}", params=_query({"limit": limit, "cursor": cursor})))

    def overview(self) -> T:
        """``GET /api/sync/overview``: the global summary, storage counts, health, latest runs."""
        return self._send(Call("GET", "/api/sync/overview"))

    def users(self, *, status: str | None = None, q: str | None = None, limit: int | None = None, cursor: str | None = None) -> T:
        """``GET /api/sync/users``: one page of users (``{users, next_cursor}``)."""
        return self._send(Call("GET", "/api/sync/users", params=_query({"status": status, "q": q, "limit": limit, "cursor": cursor})))

    def runs(self, *, limit: int | None = None, cursor: str | None = None) -> T:
        """``GET /api/sync/runs``: one page of runs, newest first (``{runs, next_cursor}``)."""
        return self._send(Call("GET", "/api/sync/runs", params=_query({"limit": limit, "cursor": cursor})))

    def run(self, run_id: str) -> T:
        """``GET /api/sync/runs/:run_id``."""
        return self._send(Call("GET", f"/api/sync/runs/{_segment(run_id)}"))

    def issues(
        self,
        *,
        status: Literal["open", "resolved"] | None = None,
        type: str | None = None,
        user_id: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
    ) -> T:
        """``GET /api/sync/issues``: one page (``{issues, next_cursor}``); ``iter_issues`` follows the cursor."""
        return self._send(Call("GET", "/api/sync/issues", params=_query({"status": status, "type": type, "user_id": user_id, "limit": limit, "cursor": cursor})))

    def issues_csv(self, *, status: str | None = None, type: str | None = None, user_id: str | None = None) -> T:
        """``GET /api/sync/issues?format=csv``: every matching issue as CSV text."""
        return self._send(Call("GET", "/api/sync/issues", params=_query({"status": status, "type": type, "user_id": user_id, "format": "csv"}), text=True, long=True))

    # --- repair -------------------------------------------------------------------------------------------
    def fix(
        self,
        *,
        user_id: str | None = None,
        user_ids: Iterable[str] | None = None,
        issue_ids: Iterable[str] | None = None,
        types: Iterable[str] | None = None,
        plan_id: str | None = None,
        apply: bool = False,
        allow_destructive: bool = False,
        force: bool = False,
    ) -> T:
        """``POST /api/sync/fix``. A dry run unless ``apply=True``: it answers the plan (``plan_id``) and changes
        nothing. ``apply=True, plan_id=...`` executes exactly a saved plan. Raises :class:`CircuitBreakerError` or
        :class:`PartialRunError` when executing is refused."""
        body = _clean(
            {
                "user_id": user_id,
                "user_ids": list(user_ids) if user_ids is not None else None,
                "issue_ids": list(issue_ids) if issue_ids is not None else None,
                "types": list(types) if types is not None else None,
                "plan_id": plan_id,
                "dry_run": not apply,
                "allow_destructive": allow_destructive or None,
                "force": force or None,
            }
        )
        return self._send(Call("POST", "/api/sync/fix", json=body, long=apply))

    def actions(
        self,
        *,
        repair_id: str | None = None,
        plan_id: str | None = None,
        issue_id: str | None = None,
        file_id: str | None = None,
        user_id: str | None = None,
        limit: int | None = None,
    ) -> T:
        """``GET /api/sync/actions``: the repair audit trail."""
        params = _query({"repair_id": repair_id, "plan_id": plan_id, "issue_id": issue_id, "file_id": file_id, "user_id": user_id, "limit": limit})
        return self._send(Call("GET", "/api/sync/actions", params=params))

    def restore_quarantined(self, key: str) -> T:
        """``POST /api/sync/quarantine/restore``: put a quarantined object back (``{restored_key}``)."""
        return self._send(Call("POST", "/api/sync/quarantine/restore", json={"key": key}))

    # --- files (the pipeline) -----------------------------------------------------------------------------
    def files(self, user_id: str | None = None, *, include_deleted: bool | None = None) -> T:
        """``GET /api/files``: the user's files (``{files}``)."""
        return self._send(Call("GET", "/api/files", params=_query({"user_id": user_id, "include_deleted": include_deleted})))

    def upload_file(self, user_id: str, file_name: str, content: bytes, content_type: str = "application/octet-stream") -> T:
        """``POST /api/files``: store metadata, object and vectors; ``steps`` says how each went (207 is returned
        as a result too: the analysis reports a failed step and repair fixes it)."""
        return self._send(Call("POST", "/api/files", data={"user_id": user_id}, files={"file": (file_name, content, content_type)}))

    def delete_file(self, file_id: str) -> T:
        """``DELETE /api/files/:file_id``: remove from all three stores (repeat to finish a 207)."""
        return self._send(Call("DELETE", f"/api/files/{_segment(file_id)}"))

    # --- events and tokens --------------------------------------------------------------------------------
    def notify(
        self,
        type: NotifiableEvent,
        *,
        user_id: str,
        file_id: str,
        file_key: str | None = None,
        file_name: str | None = None,
        chunks: int | None = None,
        model: str | None = None,
    ) -> T:
        """``POST /api/sync/events``: tell storesync the backend changed a file itself; the event is published
        at once and a single-file check follows after the grace window."""
        body = _clean({"type": type, "user_id": user_id, "file_id": file_id, "file_key": file_key, "file_name": file_name, "chunks": chunks, "model": model})
        return self._send(Call("POST", "/api/sync/events", json=body))

    def event_stats(self) -> T:
        """``GET /api/sync/events/stats``: ``{seq, buffered, capacity, dropped}`` of the event stream."""
        return self._send(Call("GET", "/api/sync/events/stats"))

    def create_user_token(self, user_id: str, *, ttl_seconds: int | None = None) -> T:
        """``POST /api/sync/tokens`` (admin): a token acting for one user (``{token, user_id, expires_at}``)."""
        return self._send(Call("POST", "/api/sync/tokens", json=_clean({"user_id": user_id, "ttl_seconds": ttl_seconds})))


def _segment(value: str) -> str:
    """A path segment, escaped (an id with '/' or '?' must not change the route)."""
    from urllib.parse import quote

    return quote(value, safe="")



class CallBuilder(Endpoints[Call]):
    """The endpoints with ``_send`` answering the Call itself: what the multi-step flows (flows.py) yield."""

    def _send(self, call: Call) -> Call:
        return call


CALLS = CallBuilder()
