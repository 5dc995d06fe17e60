"""The page and its files: same-origin plotly, cache-forever versioned URLs, gzip, conditional requests."""

import gzip
import json
import re

from gradient_flow.app.assets import PLOTLY_URL


def test_index_embeds_its_data_and_refers_only_to_same_origin_files(client):
    r = client.get("/")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    bootstrap = json.loads(re.search(r'id="bootstrap"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert bootstrap["config"]["thresholds"] == {"vanish": 0.01, "explode": 10.0}
    assert bootstrap["losses"][0]["id"] == "toy-discriminator"
    assert re.search(r'src="/vendor/plotly\.min\.js\?v=[0-9a-f]{16}"', html)
    assert "cdn" not in html.lower() and "https://" not in html
    importmap = json.loads(re.search(r'type="importmap"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert all(target.startswith("/static/js/") and "?v=" in target for target in importmap["imports"].values())


def test_plotly_is_served_from_the_installed_package_gzipped_and_cacheable(app, client):
    url = app.extensions["assets"].url(PLOTLY_URL)
    r = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
    assert "immutable" in r.headers["Cache-Control"] and "max-age=31536000" in r.headers["Cache-Control"]
    body = gzip.decompress(r.data)
    assert len(body) > 1_000_000 and b"plotly" in body[:2000].lower()
    assert len(r.data) < len(body) / 3


def test_unversioned_static_requests_revalidate_with_etags(app, client):
    url = app.extensions["assets"].url(PLOTLY_URL).split("?")[0]
    first = client.get(url)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache"
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data


def test_missing_static_file_is_404(client):
    assert client.get("/static/js/nope.js").status_code == 404
    assert client.get("/static/../app/api.py").status_code == 404


def test_the_network_view_embeds_the_labs_config_and_refers_only_to_same_origin_files(client):
    r = client.get("/network")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    bootstrap = json.loads(re.search(r'id="bootstrap"[^>]*>(.*?)</script>', html, re.S).group(1))
    net = bootstrap["config"]["network"]
    assert [p["name"] for p in net["params"]][:2] == ["task", "samples"] and net["presets"]
    assert bootstrap["config"]["thresholds"] == {"vanish": 0.01, "explode": 10.0}  # the bars' lines, from the server
    importmap = json.loads(re.search(r'type="importmap"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert "/static/js/network/main.js" in importmap["imports"] and "/static/js/hash.js" in importmap["imports"]
    assert re.search(r'src="/static/js/network/main\.js\?v=[0-9a-f]{16}"', html)
    assert "cdn" not in html.lower() and "https://" not in html
    assert 'href="/#loss=deep-chain"' in html and 'href="/"' in html


def test_the_gan_view_embeds_the_gan_config_and_refers_only_to_same_origin_files(client):
    r = client.get("/gan")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    bootstrap = json.loads(re.search(r'id="bootstrap"[^>]*>(.*?)</script>', html, re.S).group(1))
    gan = bootstrap["config"]["gan"]
    assert {"data", "loss", "unroll", "seed"} <= {p["name"] for p in gan["parameters"]} and len(gan["presets"]) == 4
    assert gan["capture"]["stds"] == 3  # the capture rule the page quotes, from the server
    importmap = json.loads(re.search(r'type="importmap"[^>]*nonce="[^"]+"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert "/static/js/gan/main.js" in importmap["imports"]
    assert re.search(r'src="/static/js/gan/main\.js\?v=[0-9a-f]{16}"', html)
    assert "cdn" not in html.lower() and "https://" not in html
    assert 'href="/"' in html and 'href="/network"' in html
    for page in ("/", "/network"):
        assert 'href="/gan"' in client.get(page).get_data(as_text=True)
