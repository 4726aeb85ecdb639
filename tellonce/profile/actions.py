"""Saving 'About me': one action that checks for a concurrent edit, keeps the version, audits."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from tellonce.access import audit
from tellonce.access.policy import ChildAccess
from tellonce.people.models import Child, User
from tellonce.profile.models import SECTION_NAMES, SECTIONS, AboutMeVersion


class EditConflict(Exception):
    """Someone saved a newer version after this edit began, or the edit names a version
    that was never saved (`latest` is then the newest there is, or None if there is none)."""

    def __init__(self, latest: AboutMeVersion | None, base_version: int = 0) -> None:
        current = latest.number if latest else 0
        if base_version > current:
            message = (f"Version {base_version} of About me does not exist: the latest is "
                       f"{current or 'none (nothing has been written yet)'}")
        else:
            message = f"About me was changed (version {current}) while you were editing"
        super().__init__(message)
        self.latest = latest
        self.base_version = base_version


@dataclass(frozen=True)
class Change:
    """A changed section, as runs of (kind, text) where kind is 'same', 'added' or 'removed'."""

    name: str
    title: str
    runs: list[tuple[str, str]]


def latest_version(child: Child) -> AboutMeVersion | None:
    return child.about_me_versions.order_by("-number").first()


def written_by_for(child: Child, access: ChildAccess) -> str:
    if access.is_young_person:
        return AboutMeVersion.WrittenBy.YOUNG_PERSON
    if access.is_family:
        return AboutMeVersion.WrittenBy.FAMILY
    return AboutMeVersion.WrittenBy.WITH_PRACTITIONER


def do_save_about_me(
    user: User,
    child: Child,
    access: ChildAccess,
    sections: dict[str, str],
    base_version: int,
) -> AboutMeVersion:
    """Save a new version, unless someone saved one since `base_version` (0 = none existed).

    The check and the insert share a transaction; the unique (child, number) constraint
    catches the race in which two saves pass the check at once.
    """
    with transaction.atomic():
        latest = latest_version(child)
        current = latest.number if latest else 0
        if current != base_version:
            raise EditConflict(latest, base_version)
        version = AboutMeVersion(
            child=child,
            number=current + 1,
            written_by=written_by_for(child, access),
            author=user,
            author_description=audit.describe_actor(user),
            **{name: sections.get(name, "").strip() for name in SECTION_NAMES},
        )
        try:
            with transaction.atomic():
                version.save()
        except IntegrityError:
            raise EditConflict(latest_version(child), base_version) from None
        changed = [c.name for c in changes(latest, version)]
        audit.record(
            user,
            child,
            audit.Action.UPDATE if latest else audit.Action.CREATE,
            "About me",
            access.basis,
            version=version.number,
            sections_changed=changed,
        )
        return version


def _word_diff(old: str, new: str) -> list[tuple[str, str]]:
    old_words, new_words = old.split(" "), new.split(" ")
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", " ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            runs.append(("removed", " ".join(old_words[a1:a2])))
        if b2 > b1:
            runs.append(("added", " ".join(new_words[b1:b2])))
    return runs


def changes(old: AboutMeVersion | None, new: AboutMeVersion) -> list[Change]:
    """What changed in each section from `old` (None: nothing before) to `new`."""
    result = []
    for name, title, _hint in SECTIONS:
        before = getattr(old, name) if old else ""
        after = getattr(new, name)
        if before != after:
            result.append(Change(name, title, _word_diff(before, after)))
    return result
