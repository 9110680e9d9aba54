"""Typed exceptions by error code: raised by the live servers (the main one, one whose Qdrant fails slowly, one
whose repair trips the circuit breaker), and the mapping table itself."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from storesync import (
    ERROR_CLASSES,
    AnalysisRunningError,
    CircuitBreakerError,
    ConflictError,
    NotFoundError,
    PartialRunError,
    PayloadTooLargeError,
    StoreSync,
    StoreSyncConnectionError,
    StoreSyncError,
    StoreUnavailableError,
    UnauthorizedError,
    UnsupportedMediaTypeError,
    ValidationError,
    error_for,
)
from storesync import errors as error_module


def test_unauthorized_without_or_with_a_wrong_token(url: str) -> None:
    for token in (None, "not-the-admin-token-0123456789"):
        with StoreSync(url, token) as c, pytest.raises(UnauthorizedError) as refused:
            c.overview()
        assert refused.value.status == 401
        assert refused.value.code == "unauthorized"
    # The health route needs no token.
    with StoreSync(url) as anonymous:
        assert anonymous.health()["status"] == "ok"


def test_not_found(client: StoreSync) -> None:
    with pytest.raises(NotFoundError) as unknown_user:
        client.status("nobody-ever-uploaded")
    assert (unknown_user.value.status, unknown_user.value.code) == (404, "not_found")
    with pytest.raises(NotFoundError):
        client.run("00000000-0000-4000-8000-000000000000")
    with pytest.raises(NotFoundError):
        client.check("a-file-no-store-has")


def test_validation_names_the_field(client: StoreSync) -> None:
    with pytest.raises(ValidationError) as bad_limit:
        client.issues(limit=0)
    assert bad_limit.value.status == 400
    assert bad_limit.value.code in ("validation_failed", "invalid_request")
    assert "limit" in {f["field"] for f in bad_limit.value.fields}
    with pytest.raises(ValidationError) as bad_type:
        client.fix(types=["not_an_issue_type"])
    assert "types" in str(bad_type.value)
    with pytest.raises(ValidationError):
        client.status("has a space")


def test_payload_too_large(client: StoreSync, seed: dict[str, Any]) -> None:
    with pytest.raises(PayloadTooLargeError) as too_big:
        client.upload_file(seed["bob"], "big.bin", b"x" * (seed["max_upload_bytes"] + 1))
    assert (too_big.value.status, too_big.value.code) == (413, "payload_too_large")
    assert "MAX_UPLOAD_BYTES" in too_big.value.message


def test_unsupported_media_type_and_invalid_json_map_by_code(url: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    as_text = httpx.post(f"{url}/api/sync/analyze", content="user_id=alice", headers={**headers, "Content-Type": "text/plain"})
    assert isinstance(error_for(as_text.status_code, as_text.json()), UnsupportedMediaTypeError)
    broken = httpx.post(f"{url}/api/sync/analyze", content="{not json", headers={**headers, "Content-Type": "application/json"})
    err = error_for(broken.status_code, broken.json())
    assert isinstance(err, ValidationError) and err.code == "invalid_json"


def test_analysis_running_then_partial_run(seed: dict[str, Any]) -> None:
    """The degraded server's Qdrant answers 503 after a delay: an analysis takes seconds and ends partial."""
    degraded = seed["degraded"]
    with StoreSync(degraded["url"], degraded["token"]) as c:
        assert c.health()["stores"]["qdrant"]["ok"] is False
        first = c.analyze(wait=False)
        with pytest.raises(AnalysisRunningError) as running:
            c.analyze()
        assert running.value.status == 409
        assert running.value.run_id == first["run_id"]
        assert isinstance(running.value, ConflictError)
        run = c.wait_for_run(first["run_id"])
        assert run["state"] == "partial" and run["partial"] is True

        plan = c.fix()
        assert plan["dry_run"] is True
        assert any("partial run" in (a.get("reason") or "") for a in plan["actions"])
        with pytest.raises(PartialRunError) as refused:
            c.fix(apply=True, allow_destructive=True, force=True)
        assert refused.value.status == 409
        assert refused.value.issue_ids
        # The orphan the partial run could not confirm is still there.
        assert degraded["orphan_key"] in {i.get("file_key") for i in c.iter_issues(status="open")}


def test_circuit_breaker(seed: dict[str, Any]) -> None:
    breaker = seed["breaker"]
    with StoreSync(breaker["url"], breaker["token"]) as c:
        c.analyze()
        plan = c.fix()
        assert plan["circuit_breaker"]["tripped"] is True
        with pytest.raises(CircuitBreakerError) as tripped:
            c.fix(plan_id=plan["plan_id"], apply=True, allow_destructive=True)
        assert tripped.value.status == 409
        assert "force" in tripped.value.message
        forced = c.fix(plan_id=plan["plan_id"], apply=True, allow_destructive=True, force=True)
        assert forced["summary"]["done"] == breaker["orphans"]


def test_connection_failure_is_typed() -> None:
    with StoreSync("http://127.0.0.1:9", timeout=2) as c, pytest.raises(StoreSyncConnectionError):
        c.health()


def test_every_code_of_the_contract_has_a_class(seed: dict[str, Any]) -> None:
    """libs/contract's ERROR_CATALOGUE (passed by the jest side): each code typed, by a class of its status."""
    codes: dict[str, int] = seed["error_codes"]
    assert len(codes) >= 15
    missing = sorted(set(codes) - set(ERROR_CLASSES))
    assert not missing, f"codes without an exception class: {missing}"
    for code, status in codes.items():
        cls = ERROR_CLASSES[code]
        by_status = error_module.STATUS_CLASSES.get(status, StoreSyncError)
        assert issubclass(cls, by_status), (code, status, cls, by_status)


def test_every_code_has_its_class_and_unknown_codes_fall_back() -> None:
    for code, cls in ERROR_CLASSES.items():
        err = error_for(400, {"code": code, "message": "m"})
        assert type(err) is cls, code
        assert err.code == code and err.message == "m"
    # A code newer than this client: the class of its status, the code kept.
    newer = error_for(503, {"code": "brand_new_code", "message": "m", "store": "qdrant"})
    assert type(newer) is StoreUnavailableError and newer.code == "brand_new_code" and newer.store == "qdrant"
    unknown = error_for(418, {"code": "teapot", "message": "short and stout"})
    assert type(unknown) is StoreSyncError and unknown.status == 418
    # Before codes were specific, a 409 said which conflict in `reason`.
    assert type(error_for(409, {"code": "conflict", "reason": "circuit_breaker", "message": "m"})) is CircuitBreakerError
    assert type(error_for(409, {"code": "conflict", "reason": "partial_run", "issue_ids": ["i"]})) is PartialRunError
    assert type(error_for(409, {"code": "conflict", "run_id": "r", "message": "running"})) is AnalysisRunningError
    # Not JSON at all (a proxy's page): still typed by status.
    assert type(error_for(502, "Bad Gateway")) is error_module.ServerError
    assert str(error_for(404, {"code": "not_found", "message": "user x has no files"})) == "404 not_found: user x has no files"
