"""The live event stream against the live server: handlers, user tokens, reconnect with replay, de-duplication,
bursts and replay gaps."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any, Callable

import httpx
import pytest

from storesync import AsyncStoreSync, ForbiddenError, RealtimeSync, StoreSync, SyncEvent, SyncEventType, UnauthorizedError


async def until(what: str, probe: Callable[[], Any], timeout: float = 10.0) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = probe()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def fresh_user(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class Recorder:
    """Every event a RealtimeSync delivers to its handlers."""

    def __init__(self, realtime: RealtimeSync, event_type: SyncEventType | str | None = None):
        self.events: list[SyncEvent] = []
        realtime.register_event_handler(event_type, self._record)

    async def _record(self, event: SyncEvent) -> None:
        self.events.append(event)

    def uploads(self, user_id: str) -> list[SyncEvent]:
        return [e for e in self.events if e.type == "file.uploaded" and e.user_id == user_id]


async def notify_uploads(rest: AsyncStoreSync, user_id: str, names: list[str]) -> None:
    for name in names:
        await rest.notify("file.uploaded", user_id=user_id, file_id=name, file_key=f"{user_id}/{name}/{name}.txt", file_name=f"{name}.txt")


async def test_design_note_names_connect_on_first_use(url: str, token: str) -> None:
    sync_service = StoreSync(url, token)
    realtime_sync = sync_service.realtime
    assert realtime_sync is sync_service.realtime
    assert not realtime_sync.connected
    received: list[SyncEvent] = []

    async def on_upload(event: SyncEvent) -> None:
        received.append(event)

    realtime_sync.register_event_handler(SyncEventType.FILE_UPLOADED, on_upload)
    user = fresh_user("rt-note")
    try:
        accepted = await realtime_sync.handle_file_upload(user_id=user, file_id="doc-1", file_key=f"{user}/doc-1/a.pdf", file_name="a.pdf")
        assert accepted["accepted"] is True
        assert realtime_sync.connected
        event = await until("the upload event", lambda: next((e for e in received if e.user_id == user), None))
        assert event.event_type is SyncEventType.FILE_UPLOADED
        assert event["event_type"] == "file.uploaded" and event["file_id"] == "doc-1" and event.get("nope") is None
        assert event.file_id == "doc-1" and event.data["file_name"] == "a.pdf" and event.seq > 0
        # Only file.uploaded reached this handler.
        await realtime_sync.handle_file_delete(user_id=user, file_id="doc-1")
        await realtime_sync.wait_for(SyncEventType.FILE_DELETED, lambda e: e.user_id == user)
        assert {e.type for e in received} == {"file.uploaded"}
    finally:
        await realtime_sync.disconnect()
        sync_service.close()


async def test_user_token_sees_only_its_user(aclient: AsyncStoreSync, url: str) -> None:
    mine, other = fresh_user("rt-mine"), fresh_user("rt-other")
    as_user = await aclient.as_user(mine)
    realtime = as_user.realtime
    seen = Recorder(realtime)
    try:
        await realtime.connect()
        await notify_uploads(aclient, other, ["not-for-me"])
        await notify_uploads(aclient, mine, ["for-me"])
        await until("my event", lambda: seen.uploads(mine))
        await asyncio.sleep(0.3)
        assert {e.user_id for e in seen.events} == {mine}
        # A user token may not widen its subscription.
        with pytest.raises(ForbiddenError):
            await realtime.subscribe(all=True)
        with pytest.raises(ForbiddenError):
            await realtime.subscribe(other)
    finally:
        await realtime.disconnect()
        await as_user.aclose()

    with pytest.raises(ForbiddenError):
        user_token = (await aclient.create_user_token(mine))["token"]
        await RealtimeSync(url, user_token, subscribe_all=True).connect()


async def test_bad_token_is_refused(url: str) -> None:
    with pytest.raises(UnauthorizedError):
        await RealtimeSync(url, "forged-token-0123456789", timeout=5).connect()


async def test_reconnect_replays_exactly_the_missed_events(aclient: AsyncStoreSync, url: str, token: str) -> None:
    user = fresh_user("rt-replay")
    observer = RealtimeSync(url, token, user_id=user)
    subject = RealtimeSync(url, token, user_id=user)
    watched, got = Recorder(observer), Recorder(subject)
    try:
        await observer.connect()
        await subject.connect()
        await notify_uploads(aclient, user, ["before-1", "before-2", "before-3"])
        await until("the first three", lambda: len(got.uploads(user)) == 3 and len(watched.uploads(user)) == 3)
        stopped_at = subject.last_seq
        await subject.disconnect()

        await notify_uploads(aclient, user, ["missed-1", "missed-2", "missed-3"])
        await until("the observer's copy", lambda: len(watched.uploads(user)) == 6)
        assert len(got.uploads(user)) == 3

        await subject.connect()  # handshake last_seq = stopped_at: the server replays what came after
        await until("the replay", lambda: len(got.uploads(user)) == 6)
        await asyncio.sleep(0.3)
        replayed = [e for e in got.events if e.seq > stopped_at]
        assert [e.file_id for e in replayed if e.type == "file.uploaded"] == ["missed-1", "missed-2", "missed-3"]
        # Exactly what the observer saw for the user after that point, once each, in seq order.
        assert [e.seq for e in replayed] == [e.seq for e in watched.events if e.seq > stopped_at]
        assert [e.seq for e in got.events] == sorted({e.seq for e in got.events})
        assert subject.duplicates_dropped == 0
    finally:
        await observer.disconnect()
        await subject.disconnect()


async def test_dropped_connection_reconnects_by_itself_and_replays(aclient: AsyncStoreSync, url: str, token: str) -> None:
    user = fresh_user("rt-drop")
    observer = RealtimeSync(url, token, user_id=user)
    subject = RealtimeSync(url, token, user_id=user, reconnection_delay=1.0)
    watched, got = Recorder(observer), Recorder(subject)
    try:
        await observer.connect()
        await subject.connect()
        await notify_uploads(aclient, user, ["one"])
        await until("the first event", lambda: got.uploads(user))
        # The network drops the socket (the server is not told): the client must notice and reconnect itself.
        assert subject._sio is not None
        await subject._sio.eio.ws.close()
        await until("the drop", lambda: not subject.connected, timeout=5)
        await notify_uploads(aclient, user, ["two", "three"])
        await until("the reconnect and replay", lambda: len(got.uploads(user)) == 3, timeout=15)
        await asyncio.sleep(0.3)
        assert [e.file_id for e in got.uploads(user)] == ["one", "two", "three"]
        assert [e.seq for e in got.events] == [e.seq for e in watched.events]
    finally:
        await observer.disconnect()
        await subject.disconnect()


async def test_duplicates_are_dropped_by_seq(aclient: AsyncStoreSync, url: str, token: str) -> None:
    user = fresh_user("rt-dup")
    subject = RealtimeSync(url, token, user_id=user)
    got = Recorder(subject)
    try:
        await subject.connect()
        await notify_uploads(aclient, user, ["a", "b", "c"])
        await until("three events", lambda: len(got.uploads(user)) == 3)
        first_seq = got.uploads(user)[0].seq
        await subject.disconnect()
        # Resuming from before events it already has: the server replays them, the client drops them.
        await subject.connect(last_seq=first_seq - 1)
        await notify_uploads(aclient, user, ["d"])
        await until("the new event", lambda: len(got.uploads(user)) == 4)
        assert [e.file_id for e in got.uploads(user)] == ["a", "b", "c", "d"]
        assert subject.duplicates_dropped >= 3
    finally:
        await subject.disconnect()


async def test_bursts_arrive_as_one_frame_in_order(url: str, token: str, seed: dict[str, Any]) -> None:
    user = fresh_user("rt-burst")
    subject = RealtimeSync(url, token, user_id=user)
    got = Recorder(subject)
    try:
        await subject.connect()
        # The jest side publishes five events in one turn of the event loop on the server's bus.
        httpx.post(f"{seed['control_url']}/burst", json={"user_id": user, "count": 5}).raise_for_status()
        await until("the burst", lambda: len([e for e in got.events if e.user_id == user]) == 5)
        burst = [e for e in got.events if e.user_id == user]
        assert [e.file_id for e in burst] == [f"burst-{i}" for i in range(5)]
        assert [e.seq for e in burst] == sorted(e.seq for e in burst)
        assert 5 in subject.burst_sizes
    finally:
        await subject.disconnect()


async def test_replay_gap_reaches_the_gap_handlers(seed: dict[str, Any]) -> None:
    """The breaker server keeps only EVENT_QUEUE_SIZE=10 events: resuming from further back is a gap."""
    small = seed["breaker"]
    user = fresh_user("rt-gap")
    async with AsyncStoreSync(small["url"], small["token"]) as rest:
        start = (await rest.event_stats())["seq"]
        await notify_uploads(rest, user, [f"g{i}" for i in range(15)])
        subject = RealtimeSync(small["url"], small["token"], user_id=user)
        gaps: list[int] = []
        subject.on_gap(gaps.append)
        got = Recorder(subject)
        try:
            await subject.connect(last_seq=start)
            await until("the gap", lambda: gaps)
            await until("what the buffer still had", lambda: len(got.uploads(user)) == 10)
            # The first seq the client will not get: it refetches from there.
            assert gaps[0] == start + 1
            assert [e.file_id for e in got.uploads(user)] == [f"g{i}" for i in range(5, 15)]
        finally:
            await subject.disconnect()
