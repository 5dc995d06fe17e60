from gradient_flow.app.api import ENDPOINTS


def test_openapi_describes_every_endpoint_and_parameter(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    doc = r.get_json()
    assert doc["openapi"].startswith("3.")
    for name in ("config", "losses", "gradient", "field", "trajectory", "analysis"):
        assert f"/api/{name}" in doc["paths"]
    for name, specs in ENDPOINTS.items():
        declared = {p["name"] for p in doc["paths"][f"/api/{name}"]["get"]["parameters"]}
        assert {s.name for s in specs} | {"loss", "expr", "kind", "scale", "vanish", "explode"} <= declared
    gradient = {p["name"]: p for p in doc["paths"]["/api/gradient"]["get"]["parameters"]}
    assert gradient["x"]["required"] and gradient["lr"]["schema"]["default"] == 0.1
    assert "400" in doc["paths"]["/api/field"]["get"]["responses"]
