"""The live server these tests run against: started and seeded by test/e2e/python-client.e2e-spec.ts (jest), which
passes its address, token and what it planted in the environment. Run through `npm test -- test/e2e/python-client`."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from storesync import AsyncStoreSync, StoreSync


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: these tests run against the server test/e2e/python-client.e2e-spec.ts starts (npm test -- test/e2e/python-client)", pytrace=False)
    return value


@pytest.fixture(scope="session")
def url() -> str:
    return _env("STORESYNC_URL")


@pytest.fixture(scope="session")
def token() -> str:
    return _env("STORESYNC_TOKEN")


@pytest.fixture(scope="session")
def seed() -> dict[str, Any]:
    """What the jest side planted: users, file ids per planted issue, the degraded and breaker servers."""
    return json.loads(_env("STORESYNC_SEED"))


@pytest.fixture
def client(url: str, token: str):
    with StoreSync(url, token) as c:
        yield c


@pytest.fixture
async def aclient(url: str, token: str):
    async with AsyncStoreSync(url, token) as c:
        yield c
