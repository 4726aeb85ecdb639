"""'About me': versions kept, concurrent edits detected, changes shown, errors clear."""

from __future__ import annotations

import pytest

from tellonce.access.models import AuditEvent
from tellonce.profile.models import AboutMeVersion


def form(base: int, **sections: str) -> dict[str, str]:
    data = {
        "base_version": str(base),
        "people_like": "",
        "matters": "",
        "support": "",
        "communication": "",
        "health": "",
        "aspirations": "",
    }
    data.update(sections)
    return data


@pytest.mark.django_db
class TestAboutMe:
    def url(self, world, suffix: str = "") -> str:  # type: ignore[no-untyped-def]
        return f"/children/{world.kofi.pk}/about-me/{suffix}"

    def test_family_writes_the_first_version(self, world, client_for) -> None:
        response = client_for("parent").post(self.url(world, "edit/"), form(0, matters="Trains"))
        assert response.status_code == 302
        version = AboutMeVersion.objects.get(child=world.kofi)
        assert (version.number, version.matters, version.written_by) == (1, "Trains", "family")
        assert (
            AuditEvent.objects.filter(child=world.kofi, action="create", subject="About me").count()
            == 1
        )

    def test_practitioner_writes_with_the_family(self, world, client_for) -> None:
        client_for("slt").post(self.url(world, "edit/"), form(0, communication="Short phrases"))
        assert AboutMeVersion.objects.get(child=world.kofi).written_by == "with_practitioner"

    def test_every_version_is_kept_and_the_change_is_shown(self, world, client_for) -> None:
        parent = client_for("parent")
        parent.post(self.url(world, "edit/"), form(0, support="Quiet room"))
        parent.post(self.url(world, "edit/"), form(1, support="Quiet room and pictures"))
        assert list(
            AboutMeVersion.objects.filter(child=world.kofi).values_list("number", "support")
        ) == [(2, "Quiet room and pictures"), (1, "Quiet room")]
        page = parent.get(self.url(world, "versions/2/")).content.decode()
        assert '<ins class="tio-diff-added">and pictures</ins>' in page
        assert "Quiet" in page

    def test_a_concurrent_edit_is_detected_and_nothing_is_lost(self, world, client_for) -> None:
        client_for("parent").post(self.url(world, "edit/"), form(0, matters="Trains"))
        # The therapist opened the form at version 0 too, and saves after the parent.
        response = client_for("slt").post(self.url(world, "edit/"), form(0, matters="Buses"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Someone else saved a new version" in page
        assert "Buses" in page  # what they typed is still in the form
        assert "Trains" in page  # and they can see what the other person saved
        assert AboutMeVersion.objects.filter(child=world.kofi).count() == 1

    def test_an_empty_form_is_refused_and_saves_nothing(self, world, client_for) -> None:
        response = client_for("parent").post(self.url(world, "edit/"), form(0))
        assert response.status_code == 200
        assert "Write something in at least one section" in response.content.decode()
        assert not AboutMeVersion.objects.exists()

    def test_too_long_text_is_refused_with_the_limit(self, world, client_for) -> None:
        response = client_for("parent").post(self.url(world, "edit/"), form(0, health="x" * 5001))
        assert "My health must be 5000 characters or fewer" in response.content.decode()
        assert not AboutMeVersion.objects.exists()

    def test_tampered_base_version_is_an_error_not_a_crash(self, world, client_for) -> None:
        response = client_for("parent").post(
            self.url(world, "edit/"), form(0, matters="x") | {"base_version": "abc"}
        )
        assert response.status_code == 200
        assert not AboutMeVersion.objects.exists()

    def test_someone_who_cannot_see_the_child_cannot_write(self, world, client_for) -> None:
        response = client_for("senco_b").post(self.url(world, "edit/"), form(0, matters="x"))
        assert response.status_code == 404
        assert not AboutMeVersion.objects.exists()

    def test_anonymous_is_sent_to_sign_in(self, world, client_for) -> None:
        response = client_for("anonymous").get(self.url(world))
        assert response.status_code == 302 and "/sign-in/" in response["Location"]

    def test_unknown_version_is_404(self, world, client_for) -> None:
        assert client_for("parent").get(self.url(world, "versions/7/")).status_code == 404

    def test_the_record_page_shows_about_me_to_every_professional(self, world, client_for) -> None:
        client_for("parent").post(
            self.url(world, "edit/"), form(0, people_like="Kofi knows every bus route")
        )
        for username in ["slt", "senco", "caseworker"]:
            page = client_for(username).get(f"/children/{world.kofi.pk}/").content.decode()
            assert "Kofi knows every bus route" in page, username


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "expected"), [
    ("slt", "Written with a practitioner: "),
    ("parent", "Written by the family: "),
])
def test_about_me_says_plainly_who_wrote_it(world, client_for, username, expected) -> None:  # type: ignore[no-untyped-def]
    url = f"/children/{world.kofi.pk}/about-me/"
    client_for(username).post(url + "edit/", form(0, matters="Trains"))
    version = AboutMeVersion.objects.get(child=world.kofi)
    text = client_for("parent").get(url).content.decode()
    assert "Written by with" not in text
    assert f"{expected}{version.author_description}" in text.replace("&#x27;", "'")


@pytest.mark.django_db
def test_saving_from_a_version_that_never_existed_keeps_the_text_and_says_why(
    world, client_for  # type: ignore[no-untyped-def]
) -> None:
    response = client_for("parent").post(
        f"/children/{world.kofi.pk}/about-me/edit/", form(5, matters="Trains"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Version 5 of About me does not exist" in page and "Trains" in page
    assert not AboutMeVersion.objects.exists()
    again = client_for("parent").post(
        f"/children/{world.kofi.pk}/about-me/edit/", form(0, matters="Trains"))
    assert again.status_code == 302 and AboutMeVersion.objects.get().number == 1
