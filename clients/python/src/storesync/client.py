"""The sync and async clients: the same surface (:class:`~storesync._api.Endpoints`), one blocking, one awaited."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Iterator

import httpx

from . import flows
from ._api import CALLS, Call, Endpoints, parse_response
from .errors import StoreSyncConnectionError, StoreSyncError
from .flows import Flow, Pause

if TYPE_CHECKING:
    from .realtime import RealtimeSync

DEFAULT_TIMEOUT = 30.0
DEFAULT_ANALYSIS_TIMEOUT = 600.0


class _Base:
    def __init__(self, base_url: str, token: str | None, *, user_id: str | None, timeout: float, analysis_timeout: float):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {base_url!r}")
        # "http://host:3000/api" is the same server: the routes carry /api themselves.
        self.base_url = base_url.rstrip("/").removesuffix("/api")
        self.token = token
        #: The user a user token acts for: realtime subscribes to that user's room.
        self.user_id = user_id
        self.timeout = timeout
        self.analysis_timeout = analysis_timeout
        self._realtime: RealtimeSync | None = None

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json, text/csv, text/plain", "User-Agent": "storesync-python/0.1"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _request_args(self, call: Call) -> dict[str, Any]:
        return {
            "method": call.method,
            "url": call.path,
            "params": call.params or None,
            "json": call.json,
            "data": call.data,
            "files": call.files,
            "timeout": self.analysis_timeout if call.long else self.timeout,
        }

    @property
    def realtime(self) -> "RealtimeSync":
        """The live event stream (Socket.IO ``/sync``); connects on first use. Its methods are coroutines."""
        if self._realtime is None:
            from .realtime import RealtimeSync

            self._realtime = RealtimeSync(self.base_url, self.token, user_id=self.user_id, timeout=self.timeout)
        return self._realtime


def _connection_error(call: Call, exc: httpx.TransportError) -> StoreSyncConnectionError:
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
    return StoreSyncConnectionError(f"{call.method} {call.path} {kind}: {exc.__class__.__name__}", code="connection_failed")


class StoreSync(Endpoints[Any]):
    """Blocking client. ``StoreSync(base_url, token)``; every method returns the answer's JSON (dict) or raises a
    typed :class:`~storesync.errors.StoreSyncError`."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        user_id: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        analysis_timeout: float = DEFAULT_ANALYSIS_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
    ):
        self._base = _Base(base_url, token, user_id=user_id, timeout=timeout, analysis_timeout=analysis_timeout)
        self._http = httpx.Client(base_url=self._base.base_url, headers=self._base._headers(), transport=transport)

    base_url = property(lambda self: self._base.base_url)
    token = property(lambda self: self._base.token)
    user_id = property(lambda self: self._base.user_id)

    @property
    def realtime(self) -> "RealtimeSync":
        return self._base.realtime

    def _send(self, call: Call) -> Any:
        try:
            response = self._http.request(**self._base._request_args(call))
        except httpx.TransportError as exc:
            raise _connection_error(call, exc) from exc
        return parse_response(call, response)

    def _drive(self, flow: Flow) -> Any:
        try:
            step = next(flow)
            while True:
                if isinstance(step, Pause):
                    time.sleep(step.seconds)
                    step = flow.send(None)
                    continue
                try:
                    result = self._send(step)
                except StoreSyncError as error:
                    step = flow.throw(error)
                    continue
                step = flow.send(result)
        except StopIteration as done:
            return done.value

    # --- flows and pagination -----------------------------------------------------------------------------
    def get_sync_report(self, user_id: str | None = None, *, refresh: bool | None = None, max_issues: int = 1000) -> dict[str, Any]:
        """``{summary: {total_files, ...}, issues: [...], status, ...}`` for one user or, without ``user_id``, for all."""
        return self._drive(flows.sync_report(user_id, refresh=refresh, max_issues=max_issues))

    def wait_for_run(self, run_id: str, *, timeout: float = DEFAULT_ANALYSIS_TIMEOUT) -> dict[str, Any]:
        """The run once it is no longer ``running``."""
        return self._drive(flows.wait_for_run(run_id, timeout=timeout))

    def _paged(self, call: Call, key: str) -> Iterator[dict[str, Any]]:
        while True:
            page = self._send(call)
            yield from page.get(key, [])
            cursor = page.get("next_cursor")
            if not cursor:
                return
            call = Call(call.method, call.path, params={**call.params, "cursor": cursor})

    def iter_issues(self, *, status: str | None = None, type: str | None = None, user_id: str | None = None, page_size: int = 100) -> Iterator[dict[str, Any]]:
        """Every matching issue, page by page (keyset cursor)."""
        return self._paged(CALLS.issues(status=status, type=type, user_id=user_id, limit=page_size), "issues")  # type: ignore[arg-type]

    def iter_runs(self, *, page_size: int = 100) -> Iterator[dict[str, Any]]:
        return self._paged(CALLS.runs(limit=page_size), "runs")

    def iter_users(self, *, status: str | None = None, q: str | None = None, page_size: int = 100) -> Iterator[dict[str, Any]]:
        return self._paged(CALLS.users(status=status, q=q, limit=page_size), "users")

    def iter_status_files(self, user_id: str, *, page_size: int = 100) -> Iterator[dict[str, Any]]:
        """Every file of the user with its status."""
        return self._paged(CALLS.status(user_id, limit=page_size), "files")

    def as_user(self, user_id: str, *, ttl_seconds: int | None = None) -> "StoreSync":
        """A client acting for one user with a fresh user token (``POST /api/sync/tokens``, needs the admin token)."""
        issued = self.create_user_token(user_id, ttl_seconds=ttl_seconds)
        return StoreSync(self.base_url, issued["token"], user_id=user_id, timeout=self._base.timeout, analysis_timeout=self._base.analysis_timeout)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "StoreSync":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncStoreSync(Endpoints[Awaitable[Any]]):
    """The same surface as :class:`StoreSync`, each method a coroutine."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        user_id: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        analysis_timeout: float = DEFAULT_ANALYSIS_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        self._base = _Base(base_url, token, user_id=user_id, timeout=timeout, analysis_timeout=analysis_timeout)
        self._http = httpx.AsyncClient(base_url=self._base.base_url, headers=self._base._headers(), transport=transport)

    base_url = property(lambda self: self._base.base_url)
    token = property(lambda self: self._base.token)
    user_id = property(lambda self: self._base.user_id)

    @property
    def realtime(self) -> "RealtimeSync":
        return self._base.realtime

    async def _request(self, call: Call) -> Any:
        try:
            response = await self._http.request(**self._base._request_args(call))
        except httpx.TransportError as exc:
            raise _connection_error(call, exc) from exc
        return parse_response(call, response)

    def _send(self, call: Call) -> Awaitable[Any]:
        return self._request(call)

    async def _drive(self, flow: Flow) -> Any:
        try:
            step = next(flow)
            while True:
                if isinstance(step, Pause):
                    await asyncio.sleep(step.seconds)
                    step = flow.send(None)
                    continue
                try:
                    result = await self._request(step)
                except StoreSyncError as error:
                    step = flow.throw(error)
                    continue
                step = flow.send(result)
        except StopIteration as done:
            return done.value

    async def get_sync_report(self, user_id: str | None = None, *, refresh: bool | None = None, max_issues: int = 1000) -> dict[str, Any]:
        return await self._drive(flows.sync_report(user_id, refresh=refresh, max_issues=max_issues))

    async def wait_for_run(self, run_id: str, *, timeout: float = DEFAULT_ANALYSIS_TIMEOUT) -> dict[str, Any]:
        return await self._drive(flows.wait_for_run(run_id, timeout=timeout))

    async def _paged(self, call: Call, key: str) -> AsyncIterator[dict[str, Any]]:
        while True:
            page = await self._request(call)
            for item in page.get(key, []):
                yield item
            cursor = page.get("next_cursor")
            if not cursor:
                return
            call = Call(call.method, call.path, params={**call.params, "cursor": cursor})

    def iter_issues(self, *, status: str | None = None, type: str | None = None, user_id: str | None = None, page_size: int = 100) -> AsyncIterator[dict[str, Any]]:
        return self._paged(CALLS.issues(status=status, type=type, user_id=user_id, limit=page_size), "issues")  # type: ignore[arg-type]

    def iter_runs(self, *, page_size: int = 100) -> AsyncIterator[dict[str, Any]]:
        return self._paged(CALLS.runs(limit=page_size), "runs")

    def iter_users(self, *, status: str | None = None, q: str | None = None, page_size: int = 100) -> AsyncIterator[dict[str, Any]]:
        return self._paged(CALLS.users(status=status, q=q, limit=page_size), "users")

    def iter_status_files(self, user_id: str, *, page_size: int = 100) -> AsyncIterator[dict[str, Any]]:
        return self._paged(CALLS.status(user_id, limit=page_size), "files")

    async def as_user(self, user_id: str, *, ttl_seconds: int | None = None) -> "AsyncStoreSync":
        issued = await self.create_user_token(user_id, ttl_seconds=ttl_seconds)
        return AsyncStoreSync(self.base_url, issued["token"], user_id=user_id, timeout=self._base.timeout, analysis_timeout=self._base.analysis_timeout)

    async def aclose(self) -> None:
        await self._http.aclose()
        if self._base._realtime is not None:
            await self._base._realtime.disconnect()

    async def __aenter__(self) -> "AsyncStoreSync":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
