"""The async client: the same surface as coroutines, against the live server."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import pytest

from storesync import AsyncStoreSync, ForbiddenError, NotFoundError, StoreSync, UnauthorizedError, ValidationError
from storesync._api import Endpoints


def test_both_clients_have_every_endpoint() -> None:
    routes = [name for name, member in vars(Endpoints).items() if inspect.isfunction(member) and not name.startswith("_")]
    assert len(routes) >= 22
    for name in routes + ["get_sync_report", "wait_for_run", "iter_issues", "iter_runs", "iter_users", "iter_status_files", "as_user", "realtime"]:
        assert hasattr(StoreSync, name) and hasattr(AsyncStoreSync, name), name


async def test_reads_and_pages(aclient: AsyncStoreSync, seed: dict[str, Any]) -> None:
    health, overview, stats = await asyncio.gather(aclient.health(), aclient.overview(), aclient.event_stats())
    assert health["status"] == "ok"
    assert "summary" in overview and "seq" in stats
    run = await aclient.analyze(seed["alice"])
    assert run["scope"] == {"user_id": seed["alice"]} and run["state"] == "completed"
    issues = [i async for i in aclient.iter_issues(status="open", user_id=seed["alice"], page_size=1)]
    assert issues and {i["user_id"] for i in issues} == {seed["alice"]}
    files = [f async for f in aclient.iter_status_files(seed["alice"], page_size=2)]
    assert len(files) == 3
    runs = [r async for r in aclient.iter_runs(page_size=2)]
    assert run["run_id"] in {r["run_id"] for r in runs}
    users = [u async for u in aclient.iter_users(q=seed["bob"])]
    assert [u["user_id"] for u in users] == [seed["bob"]]
    assert (await aclient.run(run["run_id"]))["run_id"] == run["run_id"]
    assert (await aclient.check(seed["alice_files"]["ok"]))["status"] == "synced"
    assert "type" in (await aclient.issues_csv(user_id=seed["alice"])).splitlines()[0]


async def test_report_fix_and_files(aclient: AsyncStoreSync, seed: dict[str, Any]) -> None:
    report = await aclient.get_sync_report(seed["alice"])
    assert report["summary"]["total_files"] == 3
    assert {i["type"] for i in report["issues"]} >= {"missing_object"}
    plan = await aclient.fix(user_id=seed["alice"])
    assert plan["dry_run"] is True and plan["plan_id"]
    uploaded = await aclient.upload_file(seed["bob"], "async.txt", b"written by the async client", "text/plain")
    assert uploaded["file_id"] in {f["file_id"] for f in (await aclient.files(seed["bob"]))["files"]}
    assert (await aclient.delete_file(uploaded["file_id"]))["file_id"] == uploaded["file_id"]
    assert (await aclient.actions(user_id=seed["alice"], limit=5))["actions"] is not None
    accepted = await aclient.notify("file.deleted", user_id=seed["bob"], file_id=uploaded["file_id"])
    assert accepted["type"] == "file.deleted"


async def test_typed_errors(aclient: AsyncStoreSync, url: str, seed: dict[str, Any]) -> None:
    with pytest.raises(NotFoundError):
        await aclient.status("nobody-async")
    with pytest.raises(ValidationError):
        await aclient.runs(limit=-1)
    async with AsyncStoreSync(url, "wrong-token-for-async-0123") as stranger:
        with pytest.raises(UnauthorizedError):
            await stranger.users()
    bob = await aclient.as_user(seed["bob"])
    try:
        assert (await bob.status(seed["bob"]))["user_id"] == seed["bob"]
        with pytest.raises(ForbiddenError):
            await bob.issues()  # a user token lists only with its own user_id
        assert (await bob.issues(user_id=seed["bob"]))["issues"] is not None
    finally:
        await bob.aclose()
