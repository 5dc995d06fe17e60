"""Gzip by Accept-Encoding, whoever the client is: behind nginx every client is loopback."""

import gzip
import json

import pytest

LARGE = "/api/field?n=101"  # ~100 KB of JSON, over the 16 KB threshold


@pytest.mark.parametrize("remote", ["127.0.0.1", "::1", "192.0.2.7"])
def test_a_large_answer_is_gzipped_for_any_client_that_accepts_gzip(client, remote):
    resp = client.get(LARGE, headers={"Accept-Encoding": "gzip, deflate, br"}, environ_base={"REMOTE_ADDR": remote})
    assert resp.status_code == 200 and resp.headers["Content-Encoding"] == "gzip"
    plain = gzip.decompress(resp.data)
    assert len(json.loads(plain)["x"]) == 101 and len(resp.data) < len(plain) / 3
    assert resp.headers["Vary"] == "Accept-Encoding"


@pytest.mark.parametrize("accept", [None, "identity", "br", "gzip;q=0", "*;q=0"])
def test_no_gzip_unless_accepted(client, accept):
    headers = {"Accept-Encoding": accept} if accept else {}
    resp = client.get(LARGE, headers=headers)
    assert resp.status_code == 200 and "Content-Encoding" not in resp.headers and len(resp.json["x"]) == 101


def test_a_wildcard_accepts_gzip(client):
    assert client.get(LARGE, headers={"Accept-Encoding": "*"}).headers["Content-Encoding"] == "gzip"


def test_a_small_answer_is_never_gzipped(client):
    resp = client.get("/api/gradient?x=0.5&y=-0.3&derivation=0", headers={"Accept-Encoding": "gzip"})
    assert resp.status_code == 200 and "Content-Encoding" not in resp.headers and resp.json["class"] == "normal"
