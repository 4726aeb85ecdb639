"""A school's request for an EHC needs assessment records whether the parent or young person
agreed (issue 11 item 8): the school should consult them (CFA s.36(1); SEND Code of Practice
9.9), so the question is asked of a school and the answer is on the timeline."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tellonce.ehc.models import AssessmentRequest

pytestmark = pytest.mark.django_db


def _request_url(world) -> str:  # type: ignore[no-untyped-def]
    return reverse("ehc:request", kwargs={"child_id": world.esi.pk})


def test_a_school_is_asked_whether_the_family_agrees(world, client_for) -> None:  # type: ignore[no-untyped-def]
    text = client_for("senco").get(_request_url(world)).content.decode()
    assert "Does the parent or young person agree to this request?" in text


def test_a_school_request_without_the_answer_is_refused_and_keeps_what_was_typed(
    world, client_for  # type: ignore[no-untyped-def]
) -> None:
    response = client_for("senco").post(_request_url(world), {"reasons": "Needs not met"})
    text = response.content.decode()
    assert "Say whether the parent or young person agrees to the request" in text
    assert "Needs not met" in text
    assert not AssessmentRequest.objects.exists()


@pytest.mark.parametrize(("answer", "agreed", "shown"), [
    ("yes", True, "The parent or young person agreed to this request."),
    ("no", False, "The parent or young person did not agree to this request."),
])
def test_the_answer_is_recorded_and_on_the_timeline(world, client_for, answer, agreed, shown  # type: ignore[no-untyped-def]
                                                    ) -> None:
    client_for("senco").post(_request_url(world),
                             {"reasons": "Needs not met", "family_agreed": answer})
    request = AssessmentRequest.objects.get()
    assert request.family_agreed is agreed
    timeline = client_for("parent").get(
        reverse("ehc:timeline", kwargs={"child_id": world.esi.pk})).content.decode()
    assert shown in timeline


def test_the_family_is_not_asked_whether_they_agree_with_themselves(world, client_for) -> None:  # type: ignore[no-untyped-def]
    parent = client_for("parent")
    assert "Does the parent" not in parent.get(_request_url(world)).content.decode()
    parent.post(_request_url(world), {"reasons": "Please assess"})
    request = AssessmentRequest.objects.get()
    assert request.requester == "parent" and request.family_agreed is None


def test_a_school_request_through_the_api_must_say_whether_the_family_agrees(world) -> None:  # type: ignore[no-untyped-def]
    from tellonce.api.models import ApiToken

    _token, key = ApiToken.issue(world.users["senco"], "test")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = f"/api/ehc/children/{world.esi.pk}/requests"
    refused = client.post(url, json.dumps({"reasons": "x"}), content_type="application/json")
    assert refused.status_code == 409
    assert "agrees" in refused.json()["detail"]
    made = client.post(url, json.dumps({"reasons": "x", "family_agreed": True}),
                       content_type="application/json")
    assert made.status_code == 201
    assert AssessmentRequest.objects.get().family_agreed is True
