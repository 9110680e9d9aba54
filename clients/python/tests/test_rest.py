"""The blocking client against the live server: every REST method, on data the jest side planted."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from storesync import ForbiddenError, NotFoundError, StoreSync, ValidationError


@pytest.fixture(scope="module")
def analyzed(url: str, token: str, seed: dict[str, Any]) -> dict[str, Any]:
    with StoreSync(url, token) as c:
        return c.analyze()


def test_health_live_and_ready(client: StoreSync) -> None:
    health = client.health()
    assert health["status"] == "ok"
    assert set(health["stores"]) == {"mongodb", "s3", "qdrant"}
    assert all(store["ok"] for store in health["stores"].values())
    assert client.live()["status"] == "ok"
    ready = client.ready()
    assert ready["status"] == "ok"
    assert "state" in ready["info"]


def test_metrics_are_prometheus_text(client: StoreSync) -> None:
    text = client.metrics()
    assert isinstance(text, str)
    assert "storesync_" in text


def test_analyze_finds_what_was_planted(analyzed: dict[str, Any], seed: dict[str, Any]) -> None:
    assert analyzed["state"] == "completed"
    alice = seed["alice"]
    planted = {(i["type"], i["file_id"]) for i in analyzed["issues"] if i["user_id"] == alice}
    assert ("missing_vectors", seed["alice_files"]["no_vectors"]) in planted
    assert ("missing_object", seed["alice_files"]["no_object"]) in planted


def test_status_and_every_file_through_the_cursor(client: StoreSync, analyzed: dict[str, Any], seed: dict[str, Any]) -> None:
    status = client.status(seed["alice"])
    assert status["summary"]["total_files"] == 3
    assert status["status"] in ("out_of_sync", "missing")
    first = client.status(seed["alice"], limit=1)
    assert len(first["files"]) == 1 and first["next_cursor"]
    files = list(client.iter_status_files(seed["alice"], page_size=1))
    assert sorted(f["file_id"] for f in files) == sorted(seed["alice_files"].values())


def test_issues_pages_follow_the_cursor(client: StoreSync, analyzed: dict[str, Any], seed: dict[str, Any]) -> None:
    page = client.issues(status="open", user_id=seed["alice"], limit=1)
    assert len(page["issues"]) == 1 and page["next_cursor"]
    every = list(client.iter_issues(status="open", user_id=seed["alice"], page_size=1))
    whole = client.issues(status="open", user_id=seed["alice"], limit=100)["issues"]
    assert [i["id"] for i in every] == [i["id"] for i in whole]
    assert len({i["id"] for i in every}) == len(every) >= 2
    only_vectors = list(client.iter_issues(status="open", user_id=seed["alice"], type="missing_vectors"))
    assert {i["type"] for i in only_vectors} == {"missing_vectors"}


def test_issues_as_csv(client: StoreSync, analyzed: dict[str, Any], seed: dict[str, Any]) -> None:
    text = client.issues_csv(status="open", user_id=seed["alice"])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["type"] for r in rows} >= {"missing_vectors", "missing_object"}
    assert all(r["user_id"] == seed["alice"] for r in rows)


def test_overview_users_and_runs(client: StoreSync, analyzed: dict[str, Any], seed: dict[str, Any]) -> None:
    overview = client.overview()
    assert overview["summary"]["total_files"] >= 4
    assert overview["last_run"]["run_id"]
    users = client.users(q=seed["alice"])["users"]
    assert [u["user_id"] for u in users] == [seed["alice"]]
    everyone = {u["user_id"] for u in client.iter_users(page_size=1)}
    assert {seed["alice"], seed["bob"]} <= everyone
    run_ids = [r["run_id"] for r in client.iter_runs(page_size=1)]
    assert analyzed["run_id"] in run_ids
    assert len(run_ids) == len(set(run_ids))
    assert client.runs(limit=1)["runs"][0]["run_id"] == run_ids[0]
    run = client.run(analyzed["run_id"])
    assert run["state"] == "completed" and run["summary"]["total_files"] == analyzed["summary"]["total_files"]


def test_single_file_check(client: StoreSync, analyzed: dict[str, Any], seed: dict[str, Any]) -> None:
    checked = client.check(seed["alice_files"]["no_vectors"])
    assert checked["stores"] == {"mongodb": True, "s3": True, "qdrant": False}
    assert checked["status"] != "synced"
    assert client.check(seed["alice_files"]["ok"])["status"] == "synced"


def test_fix_is_a_dry_run_unless_applied(client: StoreSync, analyzed: dict[str, Any], seed: dict[str, Any]) -> None:
    plan = client.fix(user_id=seed["alice"], types=["missing_vectors"])
    assert plan["dry_run"] is True
    assert [a["result"] for a in plan["actions"]] == ["planned"]
    # Nothing changed: the file still has no vectors.
    assert client.check(seed["alice_files"]["no_vectors"])["stores"]["qdrant"] is False

    done = client.fix(plan_id=plan["plan_id"], apply=True)
    assert done["dry_run"] is False
    assert done["summary"]["done"] == 1
    assert client.check(seed["alice_files"]["no_vectors"])["status"] == "synced"
    audit = client.actions(repair_id=done["repair_id"])["actions"]
    assert [a["result"] for a in audit] == ["done"]
    assert client.actions(file_id=seed["alice_files"]["no_vectors"], limit=10)["actions"]


def test_files_upload_list_delete(client: StoreSync, seed: dict[str, Any]) -> None:
    bob = seed["bob"]
    uploaded = client.upload_file(bob, "note.txt", b"a note from the python client", "text/plain")
    assert uploaded["steps"]["metadata"] == "done" and uploaded["steps"]["object"] == "done"
    file_id = uploaded["file_id"]
    assert file_id in {f["file_id"] for f in client.files(bob)["files"]}
    deleted = client.delete_file(file_id)
    assert deleted["file_id"] == file_id
    assert file_id not in {f["file_id"] for f in client.files(bob)["files"]}
    assert file_id in {f["file_id"] for f in client.files(bob, include_deleted=True)["files"]}
    with pytest.raises(NotFoundError):
        client.delete_file("no-such-file-anywhere")


def test_notify_and_event_stats(client: StoreSync, seed: dict[str, Any]) -> None:
    before = client.event_stats()
    accepted = client.notify("file.uploaded", user_id=seed["bob"], file_id="told-by-python", file_key=f"{seed['bob']}/told-by-python/x.txt", file_name="x.txt")
    assert accepted["accepted"] is True
    after = client.event_stats()
    assert after["seq"] > before["seq"]
    assert set(after) >= {"seq", "buffered", "capacity", "dropped"}


def test_report_of_a_user_without_files_is_empty(client: StoreSync, url: str, token: str) -> None:
    report = client.get_sync_report("user-with-nothing-stored")
    assert report["summary"]["total_files"] == 0 and report["issues"] == [] and report["status"] == "unchecked"
    # The base URL may be given with /api: the same server.
    with StoreSync(f"{url}/api/", token) as same:
        assert same.health()["status"] == "ok"


def test_user_tokens_act_for_one_user(client: StoreSync, seed: dict[str, Any]) -> None:
    issued = client.create_user_token(seed["bob"], ttl_seconds=600)
    assert issued["user_id"] == seed["bob"] and issued["token"] and issued["expires_at"]
    with client.as_user(seed["bob"]) as bob:
        assert bob.status(seed["bob"])["user_id"] == seed["bob"]
        assert {f["user_id"] for f in bob.files(seed["bob"])["files"]} <= {seed["bob"]}
        with pytest.raises(ForbiddenError) as refused:
            bob.status(seed["alice"])
        assert refused.value.status == 403 and refused.value.code == "forbidden"
        with pytest.raises(ForbiddenError):
            bob.overview()


def test_quarantine_restore_names_what_is_wrong(client: StoreSync) -> None:
    with pytest.raises(NotFoundError):
        client.restore_quarantined("quarantine/2026-01-01/nobody/never-was-here.bin")
    with pytest.raises(ValidationError) as outside:
        client.restore_quarantined("not-in-quarantine/file.bin")
    assert outside.value.status == 400
