"""The SEND taxonomy of the local offer: needs, age bands, kinds of support, support while you wait.

Ids are fixed (uuid5 of the term's code), so every deployment and every ORUK consumer sees the
same term ids, and tests, the demo and a fresh database agree without a fixture.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import transaction

from tellonce.people.models import PrimaryNeed

NAMESPACE = uuid.UUID("6f1f2a52-52a4-4b8e-9d0c-7d4c8f0b7a11")
TAXONOMY_CODE = "tellonce-send"
TAXONOMY_NAME = "SEND local offer"
TAXONOMY_DESCRIPTION = (
    "Special educational needs and disabilities: the 13 SEN primary need types of the DfE "
    "school census, age bands, kinds of support, and support while you wait for a health "
    "assessment."
)
TAXONOMY_VERSION = "1.0"

NEED = "need"
AGE_BAND = "age-band"
SUPPORT_TYPE = "support-type"
WHILE_YOU_WAIT = "while-you-wait"


@dataclass(frozen=True)
class Term:
    code: str
    name: str
    description: str
    parent: str | None = None
    # For age bands: the ages the band covers, inclusive.
    ages: tuple[int, int] | None = None

    @property
    def id(self) -> uuid.UUID:
        return term_id(self.code)


def term_id(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, code)


TAXONOMY_ID = term_id(TAXONOMY_CODE)

NEED_DESCRIPTIONS = {
    "SPLD": "For example dyslexia, dyspraxia or dyscalculia.",
    "MLD": "Learning more slowly than others of the same age, across most of the curriculum.",
    "SLD": "Significant learning difficulties; may need support in all areas of the curriculum "
    "and with mobility and communication.",
    "PMLD": "Severe and complex learning difficulties with a physical disability or sensory "
    "impairment.",
    "SEMH": "Social, emotional and mental health needs, including anxiety and attention "
    "difficulties.",
    "SLCN": "Difficulty saying what they want to, understanding what is said, or with social "
    "communication.",
    "HI": "Deafness or hearing loss.",
    "VI": "Blindness or sight loss.",
    "MSI": "A combination of visual and hearing difficulties.",
    "PD": "A physical disability that means extra support or equipment is needed.",
    "ASD": "Autism, including Asperger's syndrome.",
    "OTH": "Another difficulty or disability not listed here.",
    "NSA": "SEN support without a specialist assessment of the type of need.",
}

AGE_BANDS = [
    Term("age-0-4", "Early years (0 to 4)", "Babies, toddlers and pre-school children.",
         AGE_BAND, (0, 4)),
    Term("age-5-10", "Primary school age (5 to 10)", "Children of primary school age.",
         AGE_BAND, (5, 10)),
    Term("age-11-15", "Secondary school age (11 to 15)", "Young people of secondary school age.",
         AGE_BAND, (11, 15)),
    Term("age-16-25", "Preparing for adulthood (16 to 25)",
         "Young people moving into further education, work and independent living.",
         AGE_BAND, (16, 25)),
]

SUPPORT_TYPES = [
    Term("education", "Education and learning", "Schools, nurseries, colleges and support "
         "for learning.", SUPPORT_TYPE),
    Term("health", "Health and therapy", "Health services, therapies and equipment.",
         SUPPORT_TYPE),
    Term("social-care", "Social care and short breaks", "Social care, short breaks and "
         "respite.", SUPPORT_TYPE),
    Term("family-support", "Support for families", "Advice, information and support for "
         "parents and carers.", SUPPORT_TYPE),
    Term("leisure", "Things to do", "Clubs, activities, sport and play.", SUPPORT_TYPE),
    Term("adulthood", "Preparing for adulthood", "Work, independent living, friends and "
         "community, and good health as an adult.", SUPPORT_TYPE),
    Term("advice", "Information, advice and support (SENDIASS)", "Impartial advice about "
         "SEND, EHC plans and your rights.", SUPPORT_TYPE),
]

WHILE_YOU_WAIT_TERMS = [
    Term("wait-neurodevelopmental", "Waiting for an autism or ADHD assessment",
         "Support for families while a child waits for a neurodevelopmental (autism or ADHD) "
         "assessment.", WHILE_YOU_WAIT),
    Term("wait-speech-language", "Waiting for speech and language therapy",
         "Support for families while a child waits for a speech and language therapy "
         "assessment.", WHILE_YOU_WAIT),
    Term("wait-other-health", "Waiting for another health assessment",
         "Support while a child waits for another health assessment, such as occupational "
         "therapy, physiotherapy or community paediatrics.", WHILE_YOU_WAIT),
]

# Words the health team's pathways use, mapped to the wait each belongs to.
WAIT_KEYWORDS = {
    "wait-neurodevelopmental": ("neurodevelopmental", "autism", "adhd", "asd", "nd"),
    "wait-speech-language": ("speech", "language", "slt", "salt", "slcn", "communication"),
    "wait-other-health": (
        "occupational", "ot", "physio", "physiotherapy", "paediatric", "paediatrics",
        "audiology", "camhs", "mental", "other",
    ),
}

TOP_TERMS = [
    Term(NEED, "Special educational need", "The SEN primary need types of the DfE school "
         "census and SEN2 return."),
    Term(AGE_BAND, "Age band", "Who a service is for, by age."),
    Term(SUPPORT_TYPE, "Kind of support", "What a service does."),
    Term(WHILE_YOU_WAIT, "Support while you wait", "Help for families waiting for a "
         "neurodevelopmental, speech and language or other health assessment."),
]
NEED_TERMS = [
    Term(f"need-{code.lower()}", str(label), NEED_DESCRIPTIONS[code], NEED)
    for code, label in PrimaryNeed.choices
]
ALL_TERMS = TOP_TERMS + NEED_TERMS + AGE_BANDS + SUPPORT_TYPES + WHILE_YOU_WAIT_TERMS


def need_code(primary_need: str) -> str:
    """The term code for a PrimaryNeed value: 'ASD' -> 'need-asd'."""
    return f"need-{primary_need.lower()}"


def age_band_codes(minimum_age: int | None, maximum_age: int | None) -> list[str]:
    """The age bands a service's ages overlap."""
    low = 0 if minimum_age is None else minimum_age
    high = 25 if maximum_age is None else maximum_age
    return [t.code for t in AGE_BANDS if t.ages and t.ages[0] <= high and low <= t.ages[1]]


def ensure_send_taxonomy() -> None:
    """Create or refresh the SEND taxonomy and its terms (idempotent)."""
    from tellonce.directory.models import Taxonomy, TaxonomyTerm

    with transaction.atomic():
        Taxonomy.objects.update_or_create(
            id=TAXONOMY_ID,
            defaults={"name": TAXONOMY_NAME, "description": TAXONOMY_DESCRIPTION,
                      "version": TAXONOMY_VERSION},
        )
        for position, term in enumerate(ALL_TERMS):
            TaxonomyTerm.objects.update_or_create(
                id=term.id,
                defaults={
                    "taxonomy_id": TAXONOMY_ID, "code": term.code, "name": term.name,
                    "description": term.description, "position": position,
                    "parent_id": term_id(term.parent) if term.parent else None,
                },
            )


# Which top-level group a term belongs to, by the parent's id: 'need', 'age-band'...
TOP_TERM_BY_ID = {t.id: t.code for t in TOP_TERMS}
