"""Live events from storesync's Socket.IO namespace ``/sync`` (protocol: docs/api.md, libs/realtime's gateway).

The handshake carries ``auth: {token, last_seq}``. After a dropped connection the client reconnects with the
highest ``seq`` it has seen, so the server replays exactly what was missed; events are de-duplicated by ``seq``;
``events`` frames (bursts) are handled like single ``event`` frames; ``replay.gap`` (the missed events are older
than the server's replay buffer) goes to the gap handlers, which should refetch state over REST.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections import deque
from typing import Any, Awaitable, Callable, Optional, Union

import socketio

from .client import AsyncStoreSync
from .errors import ForbiddenError, StoreSyncConnectionError, StoreSyncError, UnauthorizedError
from .events import SyncEvent, SyncEventType

logger = logging.getLogger("storesync.realtime")

EventHandler = Callable[[SyncEvent], Union[Awaitable[None], None]]
GapHandler = Callable[[int], Union[Awaitable[None], None]]
NAMESPACE = "/sync"


class RealtimeSync:
    """One Socket.IO subscription: an admin token receives every user's events (or ``subscribe(user_id)``), a user
    token its own user's. Handlers run in ``seq`` order, one at a time, off the socket's read loop."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        user_id: str | None = None,
        subscribe_all: bool | None = None,
        timeout: float = 30.0,
        dedupe_window: int = 10_000,
        reconnection_delay: float = 0.5,
    ):
        self.base_url = base_url.rstrip("/").removesuffix("/api")
        self.token = token
        self.user_id = user_id
        #: Admin default: all users' events. A client made for a user (``user_id``) subscribes to that user only.
        self.subscribe_all = subscribe_all if subscribe_all is not None else user_id is None
        self.timeout = timeout
        self._rooms: set[str] = set()
        self._handlers: dict[Optional[str], list[EventHandler]] = {}
        self._gap_handlers: list[GapHandler] = []
        self._seen: set[int] = set()
        self._seen_order: deque[int] = deque()
        self._dedupe_window = dedupe_window
        self._last_seq: int | None = None
        self._queue: asyncio.Queue[Any] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._subscribed: asyncio.Event | None = None
        self._subscribe_error: str | None = None
        self._waiters: list[tuple[Callable[[SyncEvent], bool], asyncio.Future[SyncEvent]]] = []
        self._http: AsyncStoreSync | None = None
        self._reconnection_delay = reconnection_delay
        self._sio: socketio.AsyncClient | None = None
        self._connect_lock: asyncio.Lock | None = None
        self._refusal: str | None = None
        self.duplicates_dropped = 0
        #: Sizes of the ``events`` frames (bursts) received.
        self.burst_sizes: list[int] = []
        #: ``from_seq`` of each ``replay.gap`` received.
        self.gaps: list[int] = []

    # --- registration --------------------------------------------------------------------------------------
    def register_event_handler(self, event_type: SyncEventType | str | None, handler: EventHandler) -> None:
        """Calls ``handler(event)`` for each event of the type (``None`` or ``"*"``: every event). Async or plain."""
        key = None if event_type in (None, "*") else str(event_type)
        self._handlers.setdefault(key, []).append(handler)

    def remove_event_handler(self, event_type: SyncEventType | str | None, handler: EventHandler) -> None:
        key = None if event_type in (None, "*") else str(event_type)
        if handler in self._handlers.get(key, []):
            self._handlers[key].remove(handler)

    def on_gap(self, handler: GapHandler) -> None:
        """Calls ``handler(from_seq)`` when the server could not replay everything missed (refetch over REST)."""
        self._gap_handlers.append(handler)

    @property
    def last_seq(self) -> int | None:
        """The highest ``seq`` received: sent as ``last_seq`` on every (re)connect."""
        return self._last_seq

    @property
    def connected(self) -> bool:
        return bool(self._sio and self._sio.connected)

    # --- connection ----------------------------------------------------------------------------------------
    async def connect(self, *, last_seq: int | None = None) -> None:
        """Connects and subscribes (idempotent). ``last_seq`` resumes a stream a previous client stopped at."""
        if self._connect_lock is None:
            self._connect_lock = asyncio.Lock()
        async with self._connect_lock:
            if last_seq is not None:
                self._last_seq = last_seq
            if self.connected and self._subscribed and self._subscribed.is_set():
                return
            self._start_worker()
            self._subscribed = asyncio.Event()
            self._subscribe_error = None
            self._refusal = None
            if self._sio is None:
                self._sio = self._make_client()
            try:
                await self._sio.connect(
                    self.base_url,
                    namespaces=[NAMESPACE],
                    auth=self._auth,
                    transports=["websocket"],
                    wait_timeout=self.timeout,
                )
            except socketio.exceptions.ConnectionError as exc:
                # The server's reason comes in the namespace's connect_error, the exception only says "failed".
                message = self._refusal or str(exc)
                if "unauthorized" in message.lower():
                    raise UnauthorizedError(message, status=401, code="unauthorized") from exc
                raise StoreSyncConnectionError(f"socket.io connection to {self.base_url}{NAMESPACE} failed: {message}", code="connection_failed") from exc
            await self._await_subscribed()

    async def disconnect(self) -> None:
        """Closes the connection (no reconnect); ``last_seq`` is kept for a later ``connect``."""
        if self._sio is not None and self._sio.connected:
            await self._sio.disconnect()
        if self._worker is not None:
            self._worker.cancel()
            try:
                await self._worker
            except asyncio.CancelledError:
                pass
            self._worker = None
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def subscribe(self, user_id: str | None = None, *, all: bool = False) -> list[str]:
        """Adds a room: one user's events, or every user's (``all=True``, admin only). Answers the socket's rooms."""
        await self.connect()
        room = "all" if all else f"user:{user_id}"
        self._rooms.add(room)
        return await self._subscribe_room(room)

    async def _subscribe_room(self, room: str) -> list[str]:
        assert self._sio is not None
        request: dict[str, Any] = {"all": True} if room == "all" else {"user_id": room.removeprefix("user:")}
        if self._last_seq is not None:
            request["last_seq"] = self._last_seq
        ack = await self._sio.call("subscribe", request, namespace=NAMESPACE, timeout=self.timeout)
        if not isinstance(ack, dict) or not ack.get("ok"):
            error = ack.get("error") if isinstance(ack, dict) else "no answer"
            raise ForbiddenError(f"subscribe refused: {error}", status=403, code="forbidden", body={"error": error})
        return list(ack.get("rooms", []))

    def _initial_rooms(self) -> set[str]:
        if self._rooms:
            return set(self._rooms)
        if self.user_id is not None:
            return {f"user:{self.user_id}"}
        return {"all"} if self.subscribe_all else set()

    async def _auth(self) -> dict[str, Any]:
        # Called on every (re)connect attempt: the replay starts after what was already received.
        auth: dict[str, Any] = {"token": self.token}
        if self._last_seq is not None:
            auth["last_seq"] = self._last_seq
        return auth

    def _make_client(self) -> socketio.AsyncClient:
        sio = socketio.AsyncClient(reconnection=True, reconnection_delay=self._reconnection_delay, reconnection_delay_max=5, logger=False, engineio_logger=False)

        @sio.on("connect", namespace=NAMESPACE)
        async def on_connect() -> None:
            # Subscribing needs an ack from the read loop: not awaited inside its own handler.
            asyncio.get_running_loop().create_task(self._resubscribe())

        @sio.on("connect_error", namespace=NAMESPACE)
        async def on_connect_error(data: Any) -> None:
            self._refusal = data.get("message") if isinstance(data, dict) else str(data)

        @sio.on("event", namespace=NAMESPACE)
        async def on_event(payload: Any) -> None:
            self._receive([payload])

        @sio.on("events", namespace=NAMESPACE)
        async def on_events(payload: Any) -> None:
            events = payload if isinstance(payload, list) else [payload]
            self.burst_sizes.append(len(events))
            self._receive(events)

        @sio.on("replay.gap", namespace=NAMESPACE)
        async def on_gap(payload: Any) -> None:
            from_seq = int(payload.get("from_seq", 0)) if isinstance(payload, dict) else 0
            self.gaps.append(from_seq)
            logger.warning("storesync: events before seq %s are gone from the server's replay buffer; refetch state", from_seq)
            assert self._queue is not None
            self._queue.put_nowait(("gap", from_seq))

        @sio.on("subscribe.error", namespace=NAMESPACE)
        async def on_subscribe_error(payload: Any) -> None:
            self._subscribe_error = payload.get("error") if isinstance(payload, dict) else str(payload)

        return sio

    async def _resubscribe(self) -> None:
        try:
            for room in sorted(self._initial_rooms()):
                await self._subscribe_room(room)
        except StoreSyncError as error:
            self._subscribe_error = error.message
        except Exception as error:  # the socket dropped again mid-subscribe: the next connect retries
            self._subscribe_error = f"subscribe failed: {error}"
        finally:
            if self._subscribed is not None:
                self._subscribed.set()

    async def _await_subscribed(self) -> None:
        assert self._subscribed is not None
        try:
            await asyncio.wait_for(self._subscribed.wait(), self.timeout)
        except asyncio.TimeoutError as exc:
            raise StoreSyncConnectionError("socket.io subscription got no answer", code="connection_failed") from exc
        if self._subscribe_error:
            raise ForbiddenError(self._subscribe_error, status=403, code="forbidden")

    # --- delivery ------------------------------------------------------------------------------------------
    def _start_worker(self) -> None:
        if self._queue is None:
            self._queue = asyncio.Queue()
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._deliver())

    def _receive(self, payloads: list[Any]) -> None:
        assert self._queue is not None
        for raw in payloads:
            if not isinstance(raw, dict) or "seq" not in raw:
                continue
            event = SyncEvent.from_wire(raw)
            if event.seq in self._seen:
                self.duplicates_dropped += 1
                continue
            self._remember(event.seq)
            if self._last_seq is None or event.seq > self._last_seq:
                self._last_seq = event.seq
            self._queue.put_nowait(("event", event))

    def _remember(self, seq: int) -> None:
        self._seen.add(seq)
        self._seen_order.append(seq)
        while len(self._seen_order) > self._dedupe_window:
            self._seen.discard(self._seen_order.popleft())

    async def _deliver(self) -> None:
        assert self._queue is not None
        while True:
            kind, value = await self._queue.get()
            if kind == "gap":
                for gap_handler in list(self._gap_handlers):
                    await _call(gap_handler, value)
                continue
            event: SyncEvent = value
            for waiter in list(self._waiters):
                matches, future = waiter
                if not future.done() and matches(event):
                    future.set_result(event)
                    self._waiters.remove(waiter)
            for handler in [*self._handlers.get(event.type, []), *self._handlers.get(None, [])]:
                await _call(handler, event)

    def expect(self, event_type: SyncEventType | str | None = None, predicate: Callable[[SyncEvent], bool] | None = None) -> "asyncio.Future[SyncEvent]":
        """A future of the next event of the type (and matching ``predicate``), registered at once: call it before
        the request that causes the event."""
        wanted = None if event_type is None else str(event_type)
        future: asyncio.Future[SyncEvent] = asyncio.get_running_loop().create_future()
        self._waiters.append((lambda e: (wanted is None or e.type == wanted) and (predicate is None or predicate(e)), future))
        return future

    async def wait_for(
        self,
        event_type: SyncEventType | str | None = None,
        predicate: Callable[[SyncEvent], bool] | None = None,
        *,
        timeout: float = 10.0,
    ) -> SyncEvent:
        """The next event of the type (and matching ``predicate``) delivered from now on."""
        future = self.expect(event_type, predicate)
        await self.connect()
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self._waiters = [w for w in self._waiters if w[1] is not future]

    # --- the design note's calls (REST, after connecting so the handlers see the result) --------------------
    def _rest(self) -> AsyncStoreSync:
        if self._http is None:
            self._http = AsyncStoreSync(self.base_url, self.token, user_id=self.user_id, timeout=self.timeout)
        return self._http

    async def handle_file_upload(self, *, user_id: str, file_id: str, file_key: str | None = None, file_name: str | None = None) -> dict[str, Any]:
        """Tells storesync the backend stored a file (``POST /api/sync/events`` ``file.uploaded``): the event is
        published at once (the registered handlers receive it) and the file is checked after the grace window."""
        await self.connect()
        return await self._rest().notify("file.uploaded", user_id=user_id, file_id=file_id, file_key=file_key, file_name=file_name)

    async def handle_file_delete(self, *, user_id: str, file_id: str, file_key: str | None = None) -> dict[str, Any]:
        """``file.deleted``: the backend removed a file itself."""
        await self.connect()
        return await self._rest().notify("file.deleted", user_id=user_id, file_id=file_id, file_key=file_key)

    async def handle_embedding_created(self, *, user_id: str, file_id: str, chunks: int | None = None, model: str | None = None) -> dict[str, Any]:
        """``embedding.created``: the backend wrote a file's vectors itself."""
        await self.connect()
        return await self._rest().notify("embedding.created", user_id=user_id, file_id=file_id, chunks=chunks, model=model)

    async def handle_embedding_deleted(self, *, user_id: str, file_id: str) -> dict[str, Any]:
        await self.connect()
        return await self._rest().notify("embedding.deleted", user_id=user_id, file_id=file_id)

    #: Other names callers use for the same two steps.
    start = connect
    stop = close = disconnect

    async def __aenter__(self) -> "RealtimeSync":
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.disconnect()


async def _call(handler: Callable[..., Any], *args: Any) -> None:
    # A failing handler is logged, never allowed to stop delivery to the others.
    try:
        result = handler(*args)
        if inspect.isawaitable(result):
            await result
    except Exception:
        logger.exception("storesync: an event handler failed")
