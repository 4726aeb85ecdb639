"""About 300 local offer services for the demo area, across the whole SEND taxonomy, and a
year and a half of comments on them (reg 56), most answered on "You said, we did".

Built from templates of the kinds of service a real local offer lists (therapies, short
breaks, clubs, parent support, SENDIASS, support while you wait...), placed at the area's
invented postcodes, reproducible from the area's seed, and written with bulk_create.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from tellonce.access import audit
from tellonce.demo.area import Area
from tellonce.directory import postcodes, stored, taxonomy
from tellonce.directory.actions import sender_hash
from tellonce.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Feedback,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    SearchWord,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceChange,
    TaxonomyTerm,
)
from tellonce.directory.queries import index_words, search_text_for
from tellonce.people.models import PrimaryNeed

TARGET = 300
ALL_NEEDS = [code for code, _ in PrimaryNeed.choices]

# (name, description, support types, needs ('*' = all), ages, free, waits, online)
TEMPLATES: list[tuple[str, str, list[str], list[str], tuple[int, int], bool, list[str], bool]] = [
    ("Autism family support group", "A friendly monthly group for parents and carers of "
     "autistic children, with visiting speakers and time to share what works.",
     ["family-support"], ["ASD"], (2, 18), True, ["wait-neurodevelopmental"], False),
    ("Understanding autism workshops", "Four evening sessions for families on communication, "
     "sensory needs and managing change, before or after a diagnosis.",
     ["family-support"], ["ASD", "SLCN"], (2, 16), True, ["wait-neurodevelopmental"], False),
    ("ADHD parent course", "A six-week course on routines, attention and behaviour for parents "
     "of children with ADHD traits, diagnosed or not.",
     ["family-support"], ["SEMH"], (4, 16), True, ["wait-neurodevelopmental"], False),
    ("Talk and play drop-in", "Speech and language therapists give ideas to help young "
     "children's talking and listening. No referral needed.",
     ["health", "family-support"], ["SLCN"], (0, 5), True, ["wait-speech-language"], False),
    ("Early language groups", "Small groups for toddlers and their parents to build first "
     "words through songs, stories and play.",
     ["education", "family-support"], ["SLCN"], (1, 4), True, ["wait-speech-language"], False),
    ("Communication advice line", "Phone a speech and language therapist for advice while you "
     "wait for an appointment.", ["health"], ["SLCN", "ASD"], (0, 18), True,
     ["wait-speech-language"], True),
    ("Sensory and movement advice sessions", "Occupational therapists share strategies for "
     "sensory needs, handwriting and everyday skills while you wait.",
     ["health"], ["PD", "ASD", "OTH"], (3, 16), True, ["wait-other-health"], False),
    ("Sleep support for families", "Practical help with sleep for children with additional "
     "needs, from trained sleep practitioners.",
     ["family-support", "health"], ["ASD", "SEMH", "SLD", "PMLD"], (1, 18), True,
     ["wait-neurodevelopmental", "wait-other-health"], False),
    ("Emotional wellbeing drop-in", "Young people can talk to a mental health practitioner "
     "about worries, low mood or anxiety.", ["health"], ["SEMH"], (11, 25), True,
     ["wait-other-health"], False),
    ("Speech and language therapy", "Assessment and therapy for children with speech, language, "
     "communication or swallowing needs.", ["health"], ["SLCN"], (0, 18), True, [], False),
    ("Children's occupational therapy", "Helps children take part in everyday activities: "
     "self-care, play and learning.", ["health"], ["PD", "PMLD", "OTH"], (0, 18), True, [],
     False),
    ("Children's physiotherapy", "Assessment and treatment for children with movement "
     "difficulties.", ["health"], ["PD", "PMLD", "MSI"], (0, 18), True, [], False),
    ("Sensory support team", "Qualified teachers of deaf and visually impaired children "
     "support families and settings.", ["education"], ["HI", "VI", "MSI"], (0, 25), True, [],
     False),
    ("Specialist teaching service", "Advice and training for schools on literacy, numeracy and "
     "learning difficulties.", ["education"], ["SPLD", "MLD", "NSA"], (4, 16), True, [], False),
    ("Dyslexia drop-in", "Advice for parents on spotting and supporting specific learning "
     "difficulties at home.", ["education", "family-support"], ["SPLD"], (5, 16), True, [],
     False),
    ("Short breaks club", "After-school and holiday club for disabled children, with trained "
     "staff and a high ratio of staff to children.", ["social-care", "leisure"],
     ["SLD", "PMLD", "ASD", "PD"], (5, 17), False, [], False),
    ("Inclusive holiday activities", "Sport, arts and days out in the school holidays, "
     "adapted so every child can join in.", ["leisure"], ["*"], (5, 16), True, [], False),
    ("Disability swimming sessions", "Quiet, warm-water swimming sessions with extra support "
     "in the pool.", ["leisure"], ["PD", "ASD", "SLD", "PMLD"], (3, 25), False, [], False),
    ("Youth club for young people with SEND", "A weekly youth club with games, cooking and "
     "trips, run with young people.", ["leisure", "adulthood"], ["*"], (11, 25), False, [],
     False),
    ("Supported internships", "A year of learning at work with a job coach, for young people "
     "with an EHC plan.", ["adulthood", "education"], ["MLD", "SLD", "ASD"], (16, 25), True,
     [], False),
    ("Travel training", "Learn to travel independently to college or work, one step at a "
     "time.", ["adulthood"], ["MLD", "SLD", "ASD", "VI"], (14, 25), True, [], False),
    ("Independent living skills course", "Cooking, money and managing a home, for young people "
     "preparing for adulthood.", ["adulthood"], ["MLD", "SLD", "PD"], (16, 25), False, [],
     False),
    ("SEND information, advice and support service (SENDIASS)", "Free, impartial and "
     "confidential advice about SEND, EHC needs assessments, plans and appeals.",
     ["advice"], ["*"], (0, 25), True, [], True),
    ("Parent carer forum", "Parents and carers working with the council and the NHS to "
     "improve services. Join to have your say.", ["family-support", "advice"], ["*"],
     (0, 25), True, [], False),
    ("Early years SEND inclusion team", "Support for nurseries and childminders to include "
     "children with SEND, and advice for families.", ["education"], ["*"], (0, 5), True, [],
     False),
    ("Portage home visiting", "A home-visiting educational service for pre-school children "
     "with additional needs and their families.", ["education", "family-support"],
     ["SLD", "PMLD", "PD", "MSI", "SLCN"], (0, 5), True, [], False),
    ("Sibling support group", "Time out and fun for brothers and sisters of disabled "
     "children.", ["family-support", "leisure"], ["*"], (6, 17), True, [], False),
    ("Wheelchair and equipment service", "Assessment for wheelchairs, seating and equipment "
     "at home.", ["health"], ["PD", "PMLD"], (0, 25), True, [], False),
    ("Children's audiology clinic", "Hearing tests and hearing aids for children.", ["health"],
     ["HI", "MSI"], (0, 18), True, ["wait-other-health"], False),
    ("Online autism support for parents", "An online course and forum for parents of children "
     "waiting for an autism assessment.", ["family-support"], ["ASD"], (2, 18), True,
     ["wait-neurodevelopmental"], True),
]
PROVIDERS = [
    ("Rivermouth Parent Carer Forum", "voluntary"),
    ("Rivermouth Autism Support", "voluntary"),
    ("Rivermouth Community Health", "health"),
    ("Rivermouth Borough Council SEND Services", "council"),
    ("Northbank Youth and Play", "voluntary"),
    ("Rivermouth Leisure Trust", "voluntary"),
    ("Rivermouth SENDIASS", "council"),
    ("Rivermouth College", "education"),
]
# Who runs each kind of service: an NHS service (a key of Area.health_services) or one of
# PROVIDERS by name. A family reading "Talk and play drop-in" expects the speech and language
# therapists to run it, not the leisure trust.
PROVIDER_OF = {
    "Autism family support group": "Rivermouth Autism Support",
    "Understanding autism workshops": "Rivermouth Autism Support",
    "Online autism support for parents": "Rivermouth Autism Support",
    "ADHD parent course": "neurodevelopmental",
    "Talk and play drop-in": "slt",
    "Early language groups": "slt",
    "Communication advice line": "slt",
    "Speech and language therapy": "slt",
    "Sensory and movement advice sessions": "ot",
    "Children's occupational therapy": "ot",
    "Children's physiotherapy": "physio",
    "Wheelchair and equipment service": "Rivermouth Community Health",
    "Sleep support for families": "paediatrics",
    "Emotional wellbeing drop-in": "camhs",
    "Children's audiology clinic": "audiology",
    "Sensory support team": "Rivermouth Borough Council SEND Services",
    "Specialist teaching service": "Rivermouth Borough Council SEND Services",
    "Dyslexia drop-in": "Rivermouth Borough Council SEND Services",
    "Travel training": "Rivermouth Borough Council SEND Services",
    "Early years SEND inclusion team": "Rivermouth Borough Council SEND Services",
    "Portage home visiting": "Rivermouth Borough Council SEND Services",
    "Short breaks club": "Northbank Youth and Play",
    "Inclusive holiday activities": "Northbank Youth and Play",
    "Youth club for young people with SEND": "Northbank Youth and Play",
    "Sibling support group": "Northbank Youth and Play",
    "Disability swimming sessions": "Rivermouth Leisure Trust",
    "Supported internships": "Rivermouth College",
    "Independent living skills course": "Rivermouth College",
    "SEND information, advice and support service (SENDIASS)": "Rivermouth SENDIASS",
    "Parent carer forum": "Rivermouth Parent Carer Forum",
}
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA"]
DAY_NAMES = {"MO": "Mondays", "TU": "Tuesdays", "WE": "Wednesdays", "TH": "Thursdays",
             "FR": "Fridays", "SA": "Saturdays"}
STREETS = ["High Street", "Church Road", "Station Road", "Park Lane", "Mill Street",
           "Victoria Road", "Riverside Walk", "Market Place", "School Lane", "Bridge Street"]
VENUES = ["Community Centre", "Family Hub", "Library", "Leisure Centre", "Health Centre",
          "Children's Centre", "Youth Centre"]


# Comments families and professionals make about local offers (local area SEND inspection
# letters quote many like them): what was said, the editor's published summary, and the
# response. The first few are about one service; the rest about the local offer.
FEEDBACK = [
    ("The swimming session said it was for all ages but they told us my son at 17 was too old.",
     "A session listed the wrong ages.",
     "We asked the provider, corrected the ages to 5 to 16 and added a session for 16 to 25."),
    ("The phone number for this group does not work any more.",
     "A group's phone number was out of date.",
     "The provider has given us its new number and the entry now shows it."),
    ("It would help to know if the venue has a quiet room before we go.",
     "Families want to know about quiet spaces before visiting.",
     "We asked every provider to describe their venue's access, including quiet rooms, and "
     "we check it at each yearly review."),
    ("We have been waiting over a year for an autism assessment and did not know there was "
     "any help in the meantime.",
     "Families waiting for an assessment did not know about support while they wait.",
     "We added 'Waiting for an assessment' to the search, and the health trust now sends the "
     "link with every referral letter."),
    ("I could not find anything about short breaks for a teenager with complex needs.",
     "Short breaks for older children with complex needs were hard to find.",
     "We listed the three providers that offer them and added the short breaks statement "
     "to the local offer."),
    ("Our school did not know the local offer existed.",
     "Schools did not know about the local offer.",
     "We wrote to every SENCO, and the local offer is now in the schools' termly bulletin."),
    ("The website is hard to use on my phone.",
     "The local offer was hard to use on a phone.",
     "We changed the search so that on a phone a link at the top takes you straight to the "
     "results."),
    ("Please include what things cost; we cannot afford to turn up and find out.",
     "Families need to know the cost before they go.",
     "Every entry now says whether it is free, and the search can show free services only."),
    ("There is nothing listed for young people over 19 in Westhaven.",
     "Little was listed for young adults in Westhaven.",
     "We are working with the college and adult services to list what there is; two new "
     "services have been added so far."),
    ("Information about EHC plans is full of jargon.",
     "Information about EHC plans used jargon.",
     "SENDIASS and the parent carer forum rewrote the pages in plain English with families."),
    ("Can you add services in Polish and Urdu?",
     "Families asked for services in other languages.",
     "Each entry now shows the languages a service is offered in, and we have asked every "
     "provider which languages they can offer."),
    ("Thank you, I found a sensory play group near us through the search.",
     "A parent found a group through the search.",
     "Thank you for telling us. We share comments like this with providers."),
]


def _domain(name: str) -> str:
    """A provider's made-up web domain: its name as letters, digits and hyphens, under
    example.org (reserved for examples, so never a real organisation's)."""
    return f"{slugify(name)[:30].strip('-')}.example.org"


def _aware(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=UTC)


def generate(area: Area) -> None:
    rng, today = area.rng, area.today
    taxonomy.ensure_send_taxonomy()
    terms = {t.code: t for t in TaxonomyTerm.objects.filter(taxonomy_id=taxonomy.TAXONOMY_ID)}
    locality_by_name = {loc.name: loc for loc in area.localities}
    provider_for_kind = {"health": area.trust, "council": area.local_authority,
                         "education": area.colleges[0] if area.colleges else None}

    orgs: list[Organization] = []
    for name, kind in PROVIDERS:
        provider = provider_for_kind.get(kind)
        orgs.append(Organization(
            id=area.uuid(), name=name, description=f"{name} provides support for children and "
            "young people with SEND and their families in Rivermouth.",
            email=f"hello@{_domain(name)}",
            website=f"https://{_domain(name)}",
            provider=provider,
        ))
    # Each NHS service keeps its own entry: its clinicians are its providers (policy.py).
    for service_org in area.health_services.values():
        orgs.append(Organization(id=area.uuid(), name=service_org.name,
                                 description=f"{service_org.name}, part of the NHS trust.",
                                 provider=service_org))
    Organization.objects.bulk_create(orgs)
    by_provider: dict[str, Organization] = {
        name: org for (name, _kind), org in zip(PROVIDERS, orgs, strict=False)
    }
    for key, org in zip(area.health_services, orgs[len(PROVIDERS):], strict=True):
        by_provider[key] = org
    trust_entry = by_provider["Rivermouth Community Health"]
    # Providers were once drawn at random from these groups; the draws are still made, so the
    # waiting lists and EHC cases generated after the local offer (from the same random
    # numbers) stay as they were.
    kinds_of = [kind for _name, kind in PROVIDERS]
    former_choices = {
        "health": len(area.health_services) or kinds_of.count("health"),
        "council": kinds_of.count("council") + kinds_of.count("education"),
        "voluntary": kinds_of.count("voluntary"),
    }

    places = postcodes.all_places()
    services: list[Service] = []
    locations: list[Location] = []
    addresses: list[Any] = []
    accessibility: list[Any] = []
    sals: list[Any] = []
    phones: list[Any] = []
    schedules: list[Any] = []
    areas: list[Any] = []
    attributes: list[Attribute] = []
    languages: list[Any] = []
    costs: list[Any] = []
    contacts: list[Any] = []
    counter = 0
    while len(services) < TARGET:
        name, description, kinds, needs, ages, free, waits, online = TEMPLATES[
            counter % len(TEMPLATES)
        ]
        round_number = counter // len(TEMPLATES)
        counter += 1
        place = rng.choice(places)
        locality = locality_by_name.get(place.locality)
        org = by_provider.get(PROVIDER_OF[name], trust_entry)
        rng.randrange(former_choices["health"] if "health" in kinds else
                      former_choices["council"] if "advice" in kinds or "education" in kinds
                      else former_choices["voluntary"])
        venue_kind = rng.choice(VENUES)  # named in the title, and the place it meets
        title = name if round_number == 0 else f"{name} ({place.locality})"
        if round_number > 1 and not online:
            title = f"{name} ({place.locality}, {venue_kind.lower()})"
        low, high = ages
        reviewed = today - timedelta(days=rng.choice([rng.randrange(0, 330)] * 5
                                                     + [rng.randrange(370, 900)]))
        status = Service.Status.ACTIVE if rng.random() > 0.04 else (
            Service.Status.TEMPORARILY_CLOSED)
        service = Service(
            id=area.uuid(), organization=org, name=title[:200], description=description,
            status=status, free=free, fees="" if free else rng.choice(
                ["£3 a session", "£5 a session; ask about help with costs",
                 "Funded through a personal budget or short breaks funding", "£2 entry"]),
            minimum_age=low, maximum_age=high,
            eligibility_description=f"Children and young people aged {low} to {high}"
            + (" and their families." if "family-support" in kinds else "."),
            application_process=rng.choice([
                "Just turn up: no referral needed.",
                "Phone or email to book a place.",
                "Ask your GP, health visitor or school to refer you, or refer yourself by phone.",
                "Fill in the online form on our website and we will call you back.",
            ]),
            url=f"https://{_domain(org.name)}/services/{len(services) + 1}",
            email=org.email, reviewed_on=reviewed, assured_date=reviewed,
            last_modified=_aware(reviewed), version=1,
        )
        services.append(service)
        codes = list(kinds) + list(waits)
        codes += [taxonomy.need_code(n) for n in (ALL_NEEDS if needs == ["*"] else needs)]
        codes += taxonomy.age_band_codes(low, high)
        for code in dict.fromkeys(codes):
            attributes.append(Attribute(service=service, taxonomy_term=terms[code],
                                        link_type="service"))
        area_locality = None if online or rng.random() < 0.5 else locality
        areas.append(ServiceArea(
            service=service, locality=area_locality,
            name=area_locality.name if area_locality else "All of Rivermouth",
            service_area=area_locality.name if area_locality else "All of Rivermouth"))
        # Ofcom keeps 0191 498 0000-0999 for drama: a real format that reaches nobody. (The
        # draw is the one the demo always made, for the same reason as the providers'.)
        last = rng.randrange(0, 10000) % 1000
        phones.append(Phone(service=service, number=f"0191 498 0{last:03d}"))
        day = rng.choice(DAYS)
        opens = rng.choice([9, 10, 13, 16])
        schedules.append(Schedule(
            service=service, freq="WEEKLY", interval=1, byday=day,
            opens_at=time(opens), closes_at=time(opens + 2),
            description=f"{DAY_NAMES[day]}, {opens % 12 or 12}{'am' if opens < 12 else 'pm'} "
            f"to {(opens + 2) % 12 or 12}{'am' if opens + 2 < 12 else 'pm'}"
            + (", term time only" if rng.random() < 0.3 else ""),
        ))
        if rng.random() < 0.25:
            contacts.append(Contact(service=service, name="Duty worker",
                                    title="First point of contact", email=org.email))
        if rng.random() < 0.15:
            languages.append(Language(service=service, name=rng.choice(
                ["Polish", "Urdu", "Arabic", "British Sign Language"]),
                code=rng.choice(["pl", "ur", "ar", "bfi"])))
        if not free:
            costs.append(CostOption(service=service, option="Per session",
                                    amount=rng.choice([2, 3, 5]), amount_description="each visit"))
        if not online:
            venue = f"{place.locality} {venue_kind}"
            location = Location(id=area.uuid(), name=venue, latitude=place.latitude,
                                longitude=place.longitude, locality=locality)
            locations.append(location)
            addresses.append(Address(
                location=location, address_1=f"{rng.randrange(1, 120)} {rng.choice(STREETS)}",
                city="Rivermouth",
                state_province="England", postal_code=place.postcode, country="GB"))
            accessibility.append(Accessibility(
                location=location, description=rng.choice([
                    "Step-free access and an accessible toilet.",
                    "Ground floor, hearing loop at reception, quiet room available.",
                    "Lift to all floors; changing places toilet.",
                ])))
            sals.append(ServiceAtLocation(service=service, location=location))

    Service.objects.bulk_create(services, batch_size=1000)
    Location.objects.bulk_create(locations, batch_size=1000)
    related: tuple[tuple[Any, list[Any]], ...] = (
                        (Address, addresses), (Accessibility, accessibility),
                        (ServiceAtLocation, sals), (Phone, phones), (Schedule, schedules),
                        (ServiceArea, areas), (Attribute, attributes), (Language, languages),
                        (CostOption, costs), (Contact, contacts))
    for model, rows in related:
        model.objects.bulk_create(rows, batch_size=2000)
    names: dict[object, list[str]] = {}
    for attribute in attributes:
        names.setdefault(attribute.service.id, []).append(attribute.taxonomy_term.name)
    for service in services:
        service.search_text = search_text_for(service, service.organization.name,
                                              names.get(service.id, []))
        stored.fill(service)
    Service.objects.bulk_update(services, ["search_text", *stored.FIELDS], batch_size=1000)
    SearchWord.objects.bulk_create(
        [SearchWord(service=s, word=w) for s in services for w in index_words(s.search_text)],
        batch_size=5000,
    )
    waits_count = sum(1 for a in attributes if a.taxonomy_term.code.startswith("wait-"))
    answered = _feedback(area, services)
    changes = _recent_changes(area, services)
    area.progress(f"local offer: {len(services)} services from {len(orgs)} organisations, "
                  f"{len(locations)} places; {waits_count} 'support while you wait' tags; "
                  f"{len(FEEDBACK)} comments, {answered} answered; {changes} recent changes")


# What editors change most often when they review an entry, as actions._snapshot names it.
CHANGED_FIELDS = [["opening_hours"], ["phone"], ["fees"], ["description"],
                  ["application_process", "phone"], ["minimum_age", "maximum_age"]]


def _recent_changes(area: Area, services: list[Service]) -> int:
    """The 'recent changes' history of the last four months: each service reviewed in that
    time, by the local offer editor, either checked and still correct or changed a little.
    (History only: the entries already hold what these changes left.) Returns the count."""
    rng, editor = area.rng, area.users.get("editor")
    if editor is None:
        return 0
    actor = audit.describe_actor(editor)
    since, now = area.today - timedelta(days=120), timezone.now()
    rows = []
    for service in services:
        if service.reviewed_on is None or service.reviewed_on < since:
            continue
        fields = rng.choice(CHANGED_FIELDS) if rng.random() < 0.3 else []
        rows.append(ServiceChange(
            at=min(_aware(service.reviewed_on), now),  # as its last_modified says
            service=service, service_name=service.name, user=editor, actor_description=actor,
            kind=ServiceChange.Kind.UPDATED if fields else ServiceChange.Kind.REVIEWED,
            fields=fields or ["reviewed_on"],
            summary="Changed: " + ", ".join(fields) if fields else "Checked and still correct",
        ))
    ServiceChange.objects.bulk_create(rows)
    return len(rows)


def _feedback(area: Area, services: list[Service]) -> int:
    """The comments in FEEDBACK, received over the last eighteen months, the oldest first;
    all but the latest few answered by the local offer editor a fortnight or so later.
    Anonymous, as most comments are: no names or addresses. Returns how many are answered."""
    rng, today = area.rng, area.today
    editor = area.users.get("editor")
    rows = []
    answered = 0
    for i, (comment, summary, response) in enumerate(FEEDBACK):
        received = _aware(today - timedelta(days=540 - i * 540 // len(FEEDBACK)))
        responded = i < len(FEEDBACK) - 3 and editor is not None
        answered += responded
        rows.append(Feedback(
            received_at=received, service=rng.choice(services) if i < 3 else None,
            comment=comment, sender_hash=sender_hash(f"demo-family-{i}"),
            status=Feedback.Status.RESPONDED if responded else Feedback.Status.NEW,
            published_comment=summary if responded else comment,
            response=response if responded else "",
            responded_at=received + timedelta(days=rng.randrange(7, 21)) if responded else None,
            responded_by=editor if responded else None,
        ))
    Feedback.objects.bulk_create(rows)
    return answered
