"""A township clerk, a village cadre, a neighbouring county's bureau and an auditor each try the API as a new user would."""

from __future__ import annotations

import httpx

from tests.auth.conftest import COUNTY, OTHER_COUNTY, OTHER_TOWNSHIP, SIBLING_VILLAGE, TOWNSHIP, VILLAGE, post
from tests.conftest import ClientFactory

EVERYTHING = """
{
  counties { code }
  county(code: "522728") { code townships { code } }
  township(code: "%s") { code county { code } villages { code township { code } } meetings { totalCount } cases { totalCount } }
  other: township(code: "%s") { code }
  meetings(first: 100) { totalCount edges { node { extId township { code } } } }
  cases(first: 100) { totalCount edges { node { number township { code } village { code } meetings { extId } } } }
}
""" % (TOWNSHIP, OTHER_TOWNSHIP)


async def _ids(admin: httpx.AsyncClient) -> dict[str, str]:
    """Global ids of a few objects, read with the ADMIN token."""
    body = await post(admin, """{
      meetings(first: 100) { edges { node { id extId } } }
      cases(first: 100) { edges { node { id number } } }
      counties { id code townships { id code villages { id code grids { id code } } } }
    }""")
    ids = {m["node"]["extId"]: m["node"]["id"] for m in body["data"]["meetings"]["edges"]}
    ids |= {c["node"]["number"]: c["node"]["id"] for c in body["data"]["cases"]["edges"]}
    for county in body["data"]["counties"]:
        ids[county["code"]] = county["id"]
        for township in county["townships"]:
            ids[township["code"]] = township["id"]
            for village in township["villages"]:
                ids[village["code"]] = village["id"]
                for grid in village["grids"]:
                    ids[grid["code"]] = grid["id"]
    return ids


async def test_township_token_sees_only_its_township(clients: dict[str, httpx.AsyncClient]) -> None:
    body = await post(clients["TOWNSHIP"], EVERYTHING)
    assert "errors" not in body, body
    data = body["data"]
    assert data["counties"] == []
    assert data["county"] is None
    assert data["other"] is None
    township = data["township"]
    assert township["code"] == TOWNSHIP and township["county"] is None
    assert {v["code"] for v in township["villages"]} == {VILLAGE, SIBLING_VILLAGE}
    assert all(v["township"] == {"code": TOWNSHIP} for v in township["villages"])
    assert township["meetings"]["totalCount"] == 1 and township["cases"]["totalCount"] == 1
    assert data["meetings"]["totalCount"] == 1
    assert [m["node"] for m in data["meetings"]["edges"]] == [{"extId": f"M{TOWNSHIP}", "township": {"code": TOWNSHIP}}]
    assert data["cases"]["totalCount"] == 1
    case = data["cases"]["edges"][0]["node"]
    assert case["number"] == f"C{TOWNSHIP}" and case["township"] == {"code": TOWNSHIP}
    assert case["meetings"] == [{"extId": f"M{TOWNSHIP}"}]


async def test_township_token_filters_and_ids_cannot_reach_other_townships(clients: dict[str, httpx.AsyncClient]) -> None:
    ids = await _ids(clients["ADMIN"])
    clerk = clients["TOWNSHIP"]
    asked = await post(clerk, """query($t: String!, $c: String!) {
      meetings(filter: {townshipCode: $t}) { totalCount edges { node { extId } } }
      cases(filter: {countyCode: $c}) { totalCount }
      village(code: "522728107201") { code }
      grid(code: "52272810720101") { code }
    }""", t=OTHER_TOWNSHIP, c=COUNTY)
    assert asked["data"] == {
        "meetings": {"totalCount": 0, "edges": []}, "cases": {"totalCount": 1}, "village": None, "grid": None,
    }
    outside = [f"M{OTHER_TOWNSHIP}", f"C{OTHER_TOWNSHIP}", OTHER_TOWNSHIP, COUNTY, "522728107201", OTHER_COUNTY]
    inside = [f"M{TOWNSHIP}", f"C{TOWNSHIP}", TOWNSHIP, VILLAGE, "52272810920101"]
    for key in outside + inside:
        body = await post(clerk, "query($id: ID!) { node(id: $id) { id } }", id=ids[key])
        assert "errors" not in body
        assert (body["data"]["node"] is not None) == (key in inside), key


async def test_village_token_sees_its_village_only(clients: dict[str, httpx.AsyncClient]) -> None:
    body = await post(clients["VILLAGE"], """{
      township(code: "%s") { code }
      village(code: "%s") { code township { code } grids { code householdGroups { code head { name } } } cases { totalCount } }
      sibling: village(code: "%s") { code }
      meetings { totalCount }
      cases { totalCount edges { node { number township { code } village { code } meetings { extId } parties { name } } } }
    }""" % (TOWNSHIP, VILLAGE, SIBLING_VILLAGE))
    assert "errors" not in body, body
    data = body["data"]
    assert data["township"] is None and data["sibling"] is None
    assert data["village"]["township"] is None
    assert data["village"]["grids"][0]["householdGroups"][0]["head"] == {"name": "联户长0"}
    assert data["meetings"]["totalCount"] == 0
    case = data["cases"]["edges"][0]["node"]
    assert data["cases"]["totalCount"] == 1 and case["number"] == f"C{TOWNSHIP}"
    assert case["township"] is None and case["village"] == {"code": VILLAGE} and case["meetings"] == []
    assert case["parties"] == [{"name": "王小明"}]  # its own case: clear


async def test_bureau_token_of_another_county_sees_nothing_here(world: None, client_for: ClientFactory) -> None:
    neighbour = await client_for("BUREAU", OTHER_COUNTY)
    body = await post(neighbour, EVERYTHING)
    assert "errors" not in body, body
    data = body["data"]
    assert data["counties"] == [{"code": OTHER_COUNTY}]
    assert data["county"] is None and data["township"] is None
    assert all(e["node"]["township"]["code"].startswith(OTHER_COUNTY) for e in data["meetings"]["edges"])
    assert data["meetings"]["totalCount"] == 2 and data["cases"]["totalCount"] == 2
    own = await post(neighbour, '{ county(code: "%s") { townships { code } } }' % OTHER_COUNTY)
    assert [t["code"] for t in own["data"]["county"]["townships"]] == ["522701001", "522701107"]


async def test_auditor_reads_the_whole_county_with_personal_data_masked(clients: dict[str, httpx.AsyncClient]) -> None:
    document = """{
      county(code: "522728") { townships { code } bureau { name phone } }
      cases(first: 100) { totalCount edges { node { number parties { name phone idNumber } } } }
    }"""
    audited = await post(clients["AUDITOR"], document)
    clear = await post(clients["BUREAU"], document)
    assert "errors" not in audited and "errors" not in clear
    assert len(audited["data"]["county"]["townships"]) == 4
    assert audited["data"]["cases"]["totalCount"] == 4
    for edge in audited["data"]["cases"]["edges"]:
        assert edge["node"]["parties"] == [{"name": "王**", "phone": "139****0000", "idNumber": "5227**********1234"}]
    assert {p["phone"] for p in audited["data"]["county"]["bureau"]} == {"138****0000", "138****0001", "138****0002"}
    for edge in clear["data"]["cases"]["edges"]:
        assert edge["node"]["parties"] == [{"name": "王小明", "phone": "13912340000", "idNumber": "522728199001011234"}]
    assert "13800000000" in {p["phone"] for p in clear["data"]["county"]["bureau"]}
    # The unmasked values appear nowhere in the auditor's answer.
    raw = (await clients["AUDITOR"].post("/graphql", json={"query": document})).text
    assert "王小明" not in raw and "13912340000" not in raw and "199001011234" not in raw


async def test_auditor_and_out_of_scope_tokens_cannot_change_anything(clients: dict[str, httpx.AsyncClient]) -> None:
    run = 'mutation { runCompliance(countyCode: "522728", asOf: "2023-07-01T00:00:00+08:00") { run { id } userErrors { code message } } }'
    for role in ("AUDITOR", "TOWNSHIP", "VILLAGE"):
        body = await post(clients[role], run)
        assert body["data"]["runCompliance"]["run"] is None, role
        assert [e["code"] for e in body["data"]["runCompliance"]["userErrors"]] == ["FORBIDDEN"], role
    assert (await post(clients["ADMIN"], "{ ruleRuns { edges { node { id } } } }"))["data"]["ruleRuns"]["edges"] == []
    other = await post(clients["BUREAU"], run.replace(COUNTY, OTHER_COUNTY))
    missing = await post(clients["BUREAU"], run.replace(COUNTY, "522799"))
    assert other["data"]["runCompliance"]["userErrors"] == [{"code": "NOT_FOUND", "message": "no county with this code"}]
    assert missing["data"]["runCompliance"]["userErrors"] == [{"code": "NOT_FOUND", "message": "no county with this code"}]


async def test_alerts_are_scoped_to_the_jurisdiction(clients: dict[str, httpx.AsyncClient]) -> None:
    run = 'mutation($c: String!) { runCompliance(countyCode: $c, asOf: "2023-07-01T00:00:00+08:00") { userErrors { code } } }'
    for county in (COUNTY, OTHER_COUNTY):
        assert (await post(clients["ADMIN"], run, c=county))["data"]["runCompliance"]["userErrors"] == []
    alerts = "{ alerts(first: 100) { totalCount edges { node { id subjectCode township { code } } } } }"
    everything = (await post(clients["ADMIN"], alerts))["data"]["alerts"]
    county = (await post(clients["BUREAU"], alerts))["data"]["alerts"]
    township = (await post(clients["TOWNSHIP"], alerts))["data"]["alerts"]
    assert everything["totalCount"] > county["totalCount"] > township["totalCount"] > 0
    assert all((e["node"]["township"] or {"code": TOWNSHIP})["code"] == TOWNSHIP for e in township["edges"])
    sneaky = await post(clients["TOWNSHIP"], '{ alerts(filter: {townshipCode: "%s"}) { totalCount } }' % OTHER_TOWNSHIP)
    assert sneaky["data"]["alerts"]["totalCount"] == 0
    refused = await post(clients["VILLAGE"], alerts)
    assert refused["data"] is None and "not available to VILLAGE tokens" in refused["errors"][0]["message"]
    alert_id = everything["edges"][0]["node"]["id"]
    ack = 'mutation($id: ID!) { acknowledgeAlert(id: $id) { alert { status } userErrors { code } } }'
    for role in ("AUDITOR", "TOWNSHIP"):
        assert (await post(clients[role], ack, id=alert_id))["data"]["acknowledgeAlert"]["userErrors"] == [{"code": "FORBIDDEN"}]
    assert (await post(clients["BUREAU"], ack, id=alert_id))["data"]["acknowledgeAlert"] == {"alert": {"status": "ACKNOWLEDGED"}, "userErrors": []}
