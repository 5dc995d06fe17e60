"""Shared fixtures, after Flask's tutorial: an app per test, and a client for it."""

import pytest

from app import create_app


@pytest.fixture
def app():
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()
