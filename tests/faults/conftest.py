"""Fixtures of the fault tests: the committed tenant gamma (its demo catalogue), a threaded
local Kavenegar (a gateway that hangs must not hold up the others' requests), a throw-away
Redis, and a stack started on them and stopped after the test."""

from __future__ import annotations

import pytest
from django.db import connection
from pytest_httpserver import HTTPServer

from tests.kavenegar import FakeKavenegar
from tests.outages import Stack, ThrowawayRedis
from tests.workers import database_url_for


@pytest.fixture
def sms_gateway():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield FakeKavenegar(server)
    server.clear()
    server.stop()


@pytest.fixture
def redis_box(tmp_path):
    redis = ThrowawayRedis(tmp_path / "redis").start()
    yield redis
    redis.kill()


@pytest.fixture
def test_database_url(_gamma) -> str:
    """The session's test database, with gamma and its published cards committed."""
    return database_url_for(connection.settings_dict["NAME"])


@pytest.fixture
def make_stack(tmp_path):
    stacks = []

    def make(**kwargs) -> Stack:
        stack = Stack(tmp_path, **kwargs)
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        stack.stop()
