"""'About me' (the 'Knowing Me' profile): the child's story, every version kept."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from tellonce.people.models import Child, User

# The sections, in the child's and family's own words. Their order is the page's order and
# the order of section A of an EHC plan, which reuses them.
SECTIONS: list[tuple[str, str, str]] = [
    ("people_like", "What people like and admire about me", "Things I'm good at, what makes me me"),
    ("matters", "What is important to me", "People, places, things and routines that matter"),
    ("support", "How best to support me", "What helps, what doesn't, what to avoid"),
    ("communication", "How I communicate", "How I tell people things and how to talk with me"),
    ("health", "My health", "Conditions, medicines, and what people should know"),
    ("aspirations", "What I want to achieve", "My hopes for now and for the future"),
]
SECTION_NAMES = [name for name, _title, _hint in SECTIONS]


class AboutMeVersion(models.Model):
    """One saved version of a child's 'About me'. Versions are never changed: a new save is a
    new version, numbered from 1, so every earlier story is kept and can be compared."""

    class WrittenBy(models.TextChoices):
        FAMILY = "family", "The family"
        YOUNG_PERSON = "young_person", "The young person"
        WITH_PRACTITIONER = "with_practitioner", "With a practitioner"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="about_me_versions")
    number = models.PositiveIntegerField()
    people_like = models.TextField(blank=True)
    matters = models.TextField(blank=True)
    support = models.TextField(blank=True)
    communication = models.TextField(blank=True)
    health = models.TextField(blank=True)
    aspirations = models.TextField(blank=True)
    written_by = models.CharField(max_length=20, choices=WrittenBy.choices)
    author = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    author_description = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["child", "number"], name="unique_about_me_version")
        ]

    def __str__(self) -> str:
        return f"About me v{self.number} for {self.child}"

    @property
    def byline(self) -> str:
        """Who wrote this version, as a sentence starts: 'Written with a practitioner: ...'."""
        leads: dict[str, str] = {
            self.WrittenBy.FAMILY: "Written by the family",
            self.WrittenBy.YOUNG_PERSON: "Written by the young person",
            self.WrittenBy.WITH_PRACTITIONER: "Written with a practitioner",
        }
        lead = leads.get(self.written_by, "Written")
        return f"{lead}: {self.author_description}" if self.author_description else lead

    def sections(self) -> list[tuple[str, str, str]]:
        """(name, title, text) for each section, in order."""
        return [(name, title, getattr(self, name)) for name, title, _hint in SECTIONS]

    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in SECTION_NAMES)
