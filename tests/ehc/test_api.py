"""The EHC API: request, advice and timeline, scoped by the policy like the pages."""

from __future__ import annotations

import json

from django.test import Client

from tellonce.api.models import ApiToken
from tellonce.ehc import actions
from tellonce.ehc.models import AdviceRequest, AssessmentRequest


def api_client(user) -> Client:  # type: ignore[no-untyped-def]
    _token, key = ApiToken.issue(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _post(client: Client, url: str, body: dict) -> object:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_school_requests_adviser_advises_and_the_timeline_shows_it(world) -> None:
    senco = api_client(world.users["senco"])
    response = _post(senco, f"/api/ehc/children/{world.esi.pk}/requests",
                     {"reasons": "Not making progress", "family_agreed": True})
    assert response.status_code == 201
    body = response.json()
    assert body["requester"] == "school" and body["decision_due"] and body["final_plan_due"]
    request = AssessmentRequest.objects.get(pk=body["id"])
    actions.do_decide_assessment(world.users["caseworker"], request, agree=True)

    ep = api_client(world.users["ep"])
    listed = ep.get("/api/ehc/advice").json()
    assert [a["kind"] for a in listed] == ["ep"]
    advice_id = listed[0]["id"]
    bad = _post(ep, f"/api/ehc/advice/{advice_id}", {"needs": "only needs"})
    assert bad.status_code == 422
    assert AdviceRequest.objects.get(pk=advice_id).status == "requested"
    ok = _post(ep, f"/api/ehc/advice/{advice_id}",
               {"needs": "n", "outcomes": "o", "provision": "p"})
    assert ok.status_code == 200 and ok.json()["status"] == "given"
    again = _post(ep, f"/api/ehc/advice/{advice_id}",
                  {"needs": "n", "outcomes": "o", "provision": "p"})
    assert again.status_code == 409

    timeline = api_client(world.users["caseworker"]).get(
        f"/api/ehc/children/{world.esi.pk}/timeline").json()
    statuses = {s["title"]: s["status"] for s in timeline["steps"]}
    assert statuses["Give psychological advice"] == "done"
    assert statuses["Give health advice"] == "waiting"
    assert "must" in timeline["what_happens_next"]


def test_another_service_cannot_give_advice_or_see_the_timeline(world) -> None:
    senco = api_client(world.users["senco"])
    body = _post(senco, f"/api/ehc/children/{world.esi.pk}/requests",
          {"reasons": "x", "family_agreed": True}).json()
    request = AssessmentRequest.objects.get(pk=body["id"])
    actions.do_decide_assessment(world.users["caseworker"], request, agree=True)
    advice = request.advice_requests.get(kind="ep")
    slt = api_client(world.users["slt"])
    response = _post(slt, f"/api/ehc/advice/{advice.pk}",
                     {"needs": "n", "outcomes": "o", "provision": "p"})
    assert response.status_code == 404
    assert slt.get(f"/api/ehc/children/{world.bea.pk}/timeline").status_code == 404
    assert senco.get("/api/ehc/worklist").status_code == 404


def test_a_request_needs_reasons(world) -> None:
    senco = api_client(world.users["senco"])
    response = _post(senco, f"/api/ehc/children/{world.esi.pk}/requests", {"reasons": ""})
    assert response.status_code == 422
    assert not AssessmentRequest.objects.exists()


def test_the_worklist_api_lists_open_steps_for_caseworkers(world) -> None:
    senco = api_client(world.users["senco"])
    _post(senco, f"/api/ehc/children/{world.esi.pk}/requests",
          {"reasons": "x", "family_agreed": True})
    page = api_client(world.users["caseworker"]).get("/api/ehc/worklist").json()
    assert page["total_items"] == 1
    assert page["items"][0]["title"] == "Decide whether to carry out an EHC needs assessment"
