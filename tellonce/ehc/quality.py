"""How good an EHC plan's content is: advisory checks, pure functions over its text, no database.

`ehc.completeness` decides whether the law lets a plan be issued; this module says how a
draft could be clearer, more specific and better joined up, so a caseworker can fix it as they
write. Each `Finding` names a code, the section, the words that triggered it and a suggestion.
An empty list means nothing to fix. The checks follow the SEND Code of Practice 9.61-9.69
(sections labelled, outcomes SMART and about the child, provision "specified and quantified",
preparing for adulthood from Year 9, no jargon) and the good-practice checklists councils audit
plans against (each need in B met by provision in F and aimed at by an outcome in E).

The public contract other modules and tests use: `outcome_findings(text)` and
`provision_findings(text)`. `plan_findings(facts)` runs every check over one plan.

The golden thread reads linked items from the sections' text: needs in B are written
"Need 1: ...", outcomes in E "Outcome 1 (need 1): ..." and provision in F "Provision 1 (needs
1 and 2; outcome 1): ...", so the links travel with the plan's versions, its PDF and its
family's copy. `thread_items()` turns the text into `ThreadItem`s, and
`golden_thread_findings()` checks items however they were made.

This module imports nothing from Django (an import-linter contract keeps pure modules pure).
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

# The sections of reg 12(1) in order, and those that must say "none" when there is nothing:
# a blank section cannot be told apart from one forgotten (CoP 9.69; the council checklists).
SECTION_KEYS = ("A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K")
SAY_NONE = ("C", "D", "G", "H1", "H2")
# The sections whose provision must be specified and quantified (CoP 9.69: F must be; G and
# H by the same standard, so health and care can be delivered and checked).
PROVISION_SECTIONS = ("F", "G", "H1", "H2")
# Health and social care sections compared across plans for copy-paste.
GENERIC_SECTIONS = ("C", "D", "G", "H1", "H2")


@dataclass(frozen=True)
class Finding:
    """One thing a caseworker could improve: which check (`code`), where (`section`), the
    words that triggered it (`trigger`, "" when the finding is about something missing) and
    what to do (`suggestion`)."""

    code: str
    section: str
    trigger: str
    suggestion: str

    @property
    def key(self) -> str:
        """Stable across versions while the triggering words stay: a finding marked as
        considered stays considered until its words change."""
        return f"{self.code}|{self.section}|{self.trigger[:120]}"


# ----- splitting text into statements -----

_ITEM_START = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)]|\(?[a-z]\))\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_NONE = re.compile(
    r"^\s*(none|no\b|nil\b|not applicable|n/a\b|there are no|no [a-z ]*(needs?|provision) "
    r"(were|was|have been|has been) identified)", re.I)
_HEADING = re.compile(r"^\s*from .*\):\s*$", re.I)


def statements(text: str) -> list[str]:
    """The statements of a section: each line, or each sentence of a long line, without list
    markers, blank lines or the "From <service> (advice):" headings the draft is assembled
    with."""
    found: list[str] = []
    for line in (text or "").splitlines():
        if not line.strip() or _HEADING.match(line):
            continue
        line = _ITEM_START.sub("", line).strip()
        found.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return found


def says_none(text: str) -> bool:
    """The section says explicitly that there is nothing ("None", "No health needs were
    identified")."""
    return bool(_NONE.match(text or ""))


def _excerpt(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


@cache
def _compiled(patterns: tuple[tuple[str, str], ...]) -> tuple[
        re.Pattern[str], tuple[tuple[re.Pattern[str], str], ...]]:
    """Each pattern compiled, and one for any of them: most statements match none, and one
    search says so."""
    return (re.compile("|".join(f"(?:{p})" for p, _s in patterns), re.I),
            tuple((re.compile(p, re.I), s) for p, s in patterns))


def _matches(patterns: Sequence[tuple[str, str]], text: str) -> list[tuple[str, str]]:
    any_of, each = _compiled(tuple(patterns))
    if not any_of.search(text):
        return []
    return [(m.group(0), suggestion) for pattern, suggestion in each
            for m in [pattern.search(text)] if m]


# ----- provision: specified and quantified -----

VAGUE_PROVISION: list[tuple[str, str]] = [
    (r"\baccess to\b", "Say what the child will get, not access to it: what, by whom, how "
     "often"),
    (r"\bopportunit(y|ies) (for|to)\b", "Replace opportunities with the provision itself: "
     "what happens, who does it, how often"),
    (r"\bas (and when )?(required|needed|necessary|appropriate)\b",
     "Say how often: 'as required' cannot be checked or enforced"),
    (r"\bwhere (appropriate|possible|necessary)\b", "Say when it happens, not 'where "
     "appropriate'"),
    (r"\bregular(ly)?\b", "Replace 'regular' with a frequency (for example, three times a "
     "week)"),
    (r"\bup to\b", "Give the amount the child will get, not a maximum ('up to' allows none)"),
    (r"\bsupport with\b", "Say what the support is: what the adult does, how often, for how "
     "long"),
    (r"\b(may|might|would|could) benefit\b", "Say what the child will get: provision in a "
     "plan is what will happen, not what might help"),
    (r"\bif (possible|available|resources allow)\b", "Provision must be made: remove the "
     "condition"),
    (r"\b(some|additional|extra) (support|help|time)\b", "Quantify it: how much, how often, "
     "from whom"),
]
_FREQUENCY = re.compile(
    r"\b(daily|weekly|fortnightly|monthly|termly|annually|every (day|morning|afternoon|"
    r"lesson|week|fortnight|month|term|half[- ]term)|each (day|morning|week|lesson|term|"
    r"session)|(once|twice|\w+ times) (a|per|each) \w+|(a|per) (day|week|fortnight|month|"
    r"term)|(at|during) (every|each|all) \w+|(all|full)[- ]time|throughout the (school )?day|"
    r"\d+ (sessions?|hours?|times) (a|per|each) \w+)\b", re.I)
_PROVIDER = re.compile(
    r"\b(by|from|with) (a|an|the|their|his|her)\b[^.;]*?\b(teacher|assistant|therapist|"
    r"psychologist|senco|nurse|practitioner|key ?worker|mentor|tutor|worker|coordinator|"
    r"specialist|consultant|paediatrician|physiotherapist|staff|adult|service|team|carer|"
    r"provider)s?\b|\b(teacher|teaching assistant|therapist|psychologist|senco|nurse|"
    r"key ?worker|mentor|tutor|physiotherapist|social worker|personal assistant|"
    r"support worker) (will|delivers?|provides?|runs?|leads?|works?)\b", re.I)
_DURATION = re.compile(
    r"\b(\d+|one|two|three|four|five|ten|fifteen|twenty|thirty|forty|forty-five|sixty)[- ]"
    r"(minutes?|mins?|hours?|hrs?|weeks?|months?|terms?|years?|sessions?|nights?|days?)\b|"
    r"\b(for|over|throughout|until|during) (the|a|an|this|each|every|his|her|their|key stage|"
    r"year|\d+)\b[^.;]*?\b(term|year|stage|weeks?|months?|day|placement|plan|review|course)\b|"
    r"\buntil\b|\b(all|full)[- ]time\b|\bthroughout the (school )?day\b", re.I)


def provision_findings(text: str, section: str = "F") -> list[Finding]:
    """Each statement of provision says who delivers it, how often and for how long, without
    the vague words that make provision unenforceable (CoP 9.69: "detailed, specific and
    normally quantified"). Empty: nothing to fix."""
    if says_none(text):
        return []
    found: list[Finding] = []
    for statement in statements(text):
        words = _excerpt(statement)
        for trigger, suggestion in _matches(VAGUE_PROVISION, statement):
            found.append(Finding("provision_vague", section, trigger, suggestion))
        if not _PROVIDER.search(statement):
            found.append(Finding("provision_who", section, words,
                                 "Say who will deliver it (for example, 'by a speech and "
                                 "language therapist')"))
        if not _FREQUENCY.search(statement):
            found.append(Finding("provision_how_often", section, words,
                                 "Say how often (for example, 'three times a week')"))
        if not _DURATION.search(statement):
            found.append(Finding("provision_how_long", section, words,
                                 "Say for how long (for example, '30-minute sessions' or "
                                 "'until the annual review')"))
    return found


# ----- outcomes: about the child, with a time frame and something observable -----

_SERVICE_FRAMED = re.compile(
    r"\b(will (be (given|provided|offered|supported|referred|seen|assessed)|receive|"
    r"have access|attend (sessions|therapy|appointments))|staff will|school will|"
    r"(the )?(service|team|council|school|therapist|teacher) (will )?(provide|deliver|offer|"
    r"support|monitor)s?|to (be )?(provide|continue|receive|access)\b)", re.I)
_TIMEFRAME = re.compile(
    r"\b(by (the )?(end|start|summer|autumn|spring|christmas|easter|july|june|december|"
    r"march|april|september|october|november|january|february|may|august|year|key stage|"
    r"time|age|\d)|within (\d+|one|two|three|six|twelve|a|the) |in (\d+|one|two|three|six|"
    r"twelve) (weeks?|months?|years?)|before (he|she|they|the end|leaving|moving|starting)|"
    r"by the (next )?(annual )?review|(end of|by) (key stage|year|reception|the school year|"
    r"the academic year|the phase)|\b20\d\d\b)", re.I)
# Verbs a person can see a child do (or hear them say): an outcome someone can check.
_OBSERVABLE = re.compile(
    r"\b(read|reads|write|writes|say|says|speak|speaks|tell|tells|ask|asks|answer|answers|"
    r"count|counts|name|names|use|uses|walk|walks|dress|dresses|eat|eats|feed|feeds|wash|"
    r"washes|travel|travels|join|joins|make|makes|choose|chooses|identify|identifies|"
    r"recognise|recognises|follow|follows|sit|sits|stay|stays|complete|completes|manage|"
    r"manages|take part|takes part|play|plays|share|shares|sign|signs|point|points|request|"
    r"requests|spell|spells|solve|solves|attend|attends|cook|cooks|shop|shops|pay|pays|"
    r"catch|catches|cross|crosses|swim|swims|ride|rides|calm|calms|return|returns|"
    r"describe|describes|explain|explains|greet|greets|go|goes|move|moves|work|works|"
    r"tolerate|tolerates|wait|waits|transition|transitions|toilet|toilets|apply|applies|"
    r"volunteer|volunteers|budget|budgets|order|orders|plan|plans)\b", re.I)
_VAGUE_OUTCOME: list[tuple[str, str]] = [
    (r"\b(improve|develop|increase|enhance|build)s? (his|her|their|\w+'s)? ?(confidence|"
     r"self-esteem|skills|understanding|wellbeing|resilience|independence)\b",
     "Say what the child will be able to do that shows it (for example, 'will ask an adult "
     "for help in class')"),
    (r"\b(make|makes|making) (good |expected |more )?progress\b",
     "Say what progress looks like: what the child will do, and by when"),
    (r"\bto be (happy|settled|safe)\b",
     "Say what the child will do that shows it, and by when"),
]


def outcome_findings(text: str, section: str = "E") -> list[Finding]:
    """Each outcome is about the child, not the service (CoP 9.66), with a time frame and
    something observable a reviewer can check (SMART, CoP 9.64-9.66). Empty: nothing to
    fix."""
    found: list[Finding] = []
    for statement in statements(text):
        words = _excerpt(statement)
        service = _SERVICE_FRAMED.search(statement)
        if service:
            found.append(Finding("outcome_service", section, service.group(0),
                                 "Write the outcome as what the child will achieve, not what "
                                 "a service will do (that is provision, in section F)"))
        for trigger, suggestion in _matches(_VAGUE_OUTCOME, statement):
            found.append(Finding("outcome_vague", section, trigger, suggestion))
        if not _TIMEFRAME.search(statement):
            found.append(Finding("outcome_when", section, words,
                                 "Give a time frame (for example, 'by the end of Year 6')"))
        if not _OBSERVABLE.search(statement):
            found.append(Finding("outcome_observable", section, words,
                                 "Say what someone will see the child do (for example, "
                                 "'will read a short book aloud')"))
    return found


# ----- preparing for adulthood from Year 9 -----

PFA_AREAS: list[tuple[str, str]] = [
    ("employment", r"\b(job|work|employ|career|college|training|apprentice|volunteer|"
                   r"internship|course)"),
    ("independent living", r"\b(independen|live|living|travel|cook|money|budget|shop|"
                           r"home)"),
    ("friends, relationships and community", r"\b(friend|relationship|communit|club|"
                                             r"social|leisure)"),
    ("good health", r"\b(health|doctor|gp|medicine|medication|exercise|fit|diet|wellbeing)"),
]


_PFA_PATTERNS = [(area, re.compile(pattern)) for area, pattern in PFA_AREAS]


def school_year(date_of_birth: date, on: date) -> int:
    """The National Curriculum year group on a day (Reception is 0, Year 1 is 1...): children
    start Reception in the September after their fourth birthday, so the year is the age on
    the 31 August before the school year began, less four."""
    start_year = on.year if on.month >= 9 else on.year - 1
    cutoff = date(start_year, 8, 31)
    age = cutoff.year - date_of_birth.year - (
        (cutoff.month, cutoff.day) < (date_of_birth.month, date_of_birth.day))
    return age - 4


def pfa_findings(outcomes_text: str, year: int | None) -> list[Finding]:
    """From Year 9, outcomes look towards adulthood: employment, independent living, friends
    and community, good health (CoP 8.9, 9.61). One finding per area no outcome touches."""
    if year is None or year < 9:
        return []
    return [
        Finding("pfa_missing", "E", area,
                f"From Year 9 the plan needs outcomes preparing for adulthood: add one about "
                f"{area}")
        for area, pattern in _PFA_PATTERNS if not pattern.search((outcomes_text or "").lower())
    ]


# ----- section A: the child's and family's words -----

_FIRST_PERSON = re.compile(r"\b(I|I'm|I've|me|my|we|we're|our|us)\b")
_THIRD_PERSON = re.compile(r"\b(he|she|they|his|her|their|him|them)\b", re.I)


def voice_findings(a_text: str, about_me: str = "") -> list[Finding]:
    """Section A in the child's or family's own words (CoP 9.61, 9.69): first person, and
    reusing their "About me" when there is one, not rewritten about them."""
    found: list[Finding] = []
    text = a_text or ""
    if not text.strip():
        return found
    if not _FIRST_PERSON.search(text) and _THIRD_PERSON.search(text):
        found.append(Finding("a_third_person", "A", _excerpt(text),
                             "Use the child's and family's own words ('I like...', 'We "
                             "want...'), not a description of them"))
    told = [s for s in statements(about_me) if len(s) > 20]
    if told and not any(" ".join(s.split()).lower() in " ".join(text.split()).lower()
                        for s in told):
        found.append(Finding("a_not_about_me", "A", "",
                             "Reuse what the family wrote in About me: the family should not "
                             "have to tell their story twice"))
    return found


# ----- jargon and unexplained abbreviations -----


@dataclass(frozen=True)
class Term:
    term: str
    kind: str  # "abbreviation" or "jargon"
    plain: str
    note: str = ""


JARGON_FILE = Path(__file__).with_name("jargon.csv")
# Abbreviations everyone knows, which need no explanation in a plan.
_COMMON = {"NHS", "GP", "UK", "TV", "OK", "PE", "ICT", "IT", "DVD", "PDF", "GCSE", "GCSES",
           "BTEC", "SEND", "SEN", "EHC", "CFA", "A", "B", "C", "D", "E", "F", "G", "H", "I",
           "J", "K", "AM", "PM", "MP", "DBS", "ID", "AND", "OR"}
_ABBREVIATION = re.compile(r"\b[A-Z][A-Za-z]{0,2}[A-Z]{1,4}s?\b")


@cache
def jargon_terms() -> tuple[Term, ...]:
    """The maintained list (`jargon.csv`: term, kind, plain English, note)."""
    with JARGON_FILE.open(newline="", encoding="utf-8") as handle:
        return tuple(Term(row["term"], row["kind"], row["plain English"], row.get("note") or "")
                     for row in csv.DictReader(handle))


@cache
def _term_patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, Term]]:
    """One pattern for every abbreviation (matched as written: SALT, not "salt") and one for
    every piece of jargon (in any case), longest first, so each text is read twice, not once
    a term."""
    terms = jargon_terms()

    def alternation(kind: str, lower: bool) -> re.Pattern[str]:
        words = sorted((t.term.lower() if lower else t.term for t in terms if t.kind == kind),
                       key=len, reverse=True)
        return re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words)
                          + r")(?![\w-])")

    by_name = {t.term.lower(): t for t in terms if t.kind == "jargon"}
    by_name |= {t.term: t for t in terms if t.kind == "abbreviation"}
    # Jargon is matched in the lower-cased text: quicker than a case-blind pattern.
    return alternation("abbreviation", False), alternation("jargon", True), by_name


_SPELLED_OUT = re.compile(r"\b([A-Z][A-Za-z]{0,2}[A-Z]{1,4}s?)\s*\((?!\s*\))")


def jargon_findings(text: str, section: str) -> list[Finding]:
    """Jargon from the maintained list, with its plain-English wording, and abbreviations not
    spelled out (CoP 9.61: "clear, concise, understandable and accessible")."""
    if not text:
        return []
    abbreviations, jargon, by_name = _term_patterns()
    lower = text.lower()
    spelled = set(_SPELLED_OUT.findall(text))
    found: list[Finding] = []
    seen: set[str] = set()
    for word in dict.fromkeys(m.group(1) for m in abbreviations.finditer(text)):
        term = by_name[word]
        seen.add(word.lower())
        if word in spelled or term.plain.split(" (")[0].lower() in lower:
            continue
        found.append(Finding("abbreviation", section, term.term,
                             f"Write '{term.plain}' instead of {term.term}, or spell it "
                             f"out the first time" + (f" ({term.note})" if term.note else "")))
    for word in dict.fromkeys(m.group(1) for m in jargon.finditer(lower)):
        term = by_name[word]
        seen.add(word)
        found.append(Finding("jargon", section, term.term,
                             f"Say '{term.plain}' instead of '{term.term}'"))
    listed = {t.term for t in jargon_terms()}
    for m in _ABBREVIATION.finditer(text):
        word = m.group(0)
        base = word[:-1] if word.endswith("s") and word[:-1].isupper() else word
        if (base in listed or base.upper() in _COMMON or base.lower() in seen
                or any(c.isdigit() for c in base) or base in spelled or word in spelled):
            continue
        seen.add(base.lower())
        found.append(Finding("abbreviation", section, base,
                             f"Spell out {base} the first time it is used"))
    return found


# ----- structure -----


def structure_findings(sections: Mapping[str, str], final: bool = False) -> list[Finding]:
    """Every section A to K present (reg 12(1); CoP 9.62 "separately labelled"); C, D, G,
    H1, H2 say "none" when there is nothing; J says whether a personal budget was asked for;
    in the final plan, I names a setting or its type (a draft names none, CFA s.38(5))."""
    found: list[Finding] = []
    for key in SECTION_KEYS:
        text = (sections.get(key) or "").strip()
        if key == "I" and not final:
            continue
        if not text:
            if key in SAY_NONE:
                found.append(Finding("say_none", key, "",
                                     f"Section {key} is empty: if there is nothing, say so "
                                     "(for example, 'No health needs were identified')"))
            elif key == "J":
                found.append(Finding("budget_not_stated", "J", "",
                                     "Say whether the family asked for a personal budget, and "
                                     "if so what was agreed"))
            else:
                found.append(Finding("section_missing", key, "",
                                     f"Section {key} is empty: every section must be present "
                                     "and labelled"))
    j = sections.get("J") or ""
    if j.strip() and not re.search(r"\b(request|requested|asked|ask|did not|no personal "
                                   r"budget|not (been )?(requested|asked))", j, re.I):
        found.append(Finding("budget_not_stated", "J", _excerpt(j),
                             "Say whether a personal budget was requested"))
    return found


# ----- the golden thread: needs in B, outcomes in E, provision in F -----


@dataclass(frozen=True)
class ThreadItem:
    """A numbered need, outcome or provision, and the needs (and outcomes) it is linked to."""

    kind: str  # "need", "outcome" or "provision"
    number: int
    text: str
    needs: tuple[int, ...] = ()
    outcomes: tuple[int, ...] = ()


_ITEM = re.compile(
    r"^\s*(?:[-*\u2022]\s*)?(need|outcome|provision)\s+(\d+)\s*(?:\(([^)]*)\))?\s*[:.\-\u2013]"
    r"\s*(.*)$", re.I)


_LINKS = {word: re.compile(rf"\b{word}s?\s+([\d,\s]+(?:\s*(?:and|&)\s*\d+)*)", re.I)
          for word in ("need", "outcome")}


def _numbers(links: str, word: str) -> tuple[int, ...]:
    if not links:
        return ()
    found: list[int] = []
    for m in _LINKS[word].finditer(links):
        found.extend(int(n) for n in re.findall(r"\d+", m.group(1)))
    return tuple(dict.fromkeys(found))


def thread_items(text: str, kind: str) -> list[ThreadItem]:
    """The numbered items of one kind in a section's text ("Need 2: ...", "Provision 1 (needs
    1 and 2; outcome 1): ...")."""
    items = []
    for line in (text or "").splitlines():
        m = _ITEM.match(line)
        if m and m.group(1).lower() == kind:
            links = m.group(3) or ""
            items.append(ThreadItem(kind, int(m.group(2)), m.group(4).strip(),
                                    _numbers(links, "need"), _numbers(links, "outcome")))
    return items


def golden_thread_findings(needs: Sequence[ThreadItem], outcomes: Sequence[ThreadItem],
                           provision: Sequence[ThreadItem]) -> list[Finding]:
    """Each need leads to provision and to an outcome; each outcome and each provision is
    linked to a need that exists."""
    found: list[Finding] = []
    known = {n.number for n in needs}
    met = {n for p in provision for n in p.needs}
    aimed = {n for o in outcomes for n in o.needs}
    for need in needs:
        if need.number not in met:
            found.append(Finding("need_without_provision", "B", f"Need {need.number}",
                                 f"Add provision in section F for need {need.number}, "
                                 f"written 'Provision N (need {need.number}): ...'"))
        if need.number not in aimed:
            found.append(Finding("need_without_outcome", "B", f"Need {need.number}",
                                 f"Add an outcome in section E for need {need.number}, "
                                 f"written 'Outcome N (need {need.number}): ...'"))
    for item, section in [(o, "E") for o in outcomes] + [(p, "F") for p in provision]:
        label = f"{item.kind.title()} {item.number}"
        if not item.needs:
            found.append(Finding("not_linked", section, label,
                                 f"Say which need in section B {label.lower()} is for, as "
                                 f"'{label} (need 1): ...'"))
        for n in item.needs:
            if n not in known:
                found.append(Finding("unknown_need", section, f"{label}: need {n}",
                                     f"There is no need {n} in section B: correct the link"))
    return found


def thread_findings(sections: Mapping[str, str]) -> list[Finding]:
    """The golden thread over a plan's text; B with needs not numbered is itself a finding,
    since its needs cannot be traced to provision and outcomes."""
    b, e, f = (sections.get(k) or "" for k in ("B", "E", "F"))
    needs = thread_items(b, "need")
    if b.strip() and not needs:
        return [Finding("needs_not_itemised", "B", "",
                        "Number each need ('Need 1: ...') and link provision in F and "
                        "outcomes in E to it, so each need can be followed through the plan")]
    return golden_thread_findings(needs, thread_items(e, "outcome"), thread_items(f, "provision"))


# ----- copy-paste across plans -----

_NAMES = re.compile(r"\b[A-Z][a-z]+\b")


def fingerprint(text: str) -> str:
    """The same for two sections that differ only in spacing, case or the capitalised words
    (the child's name) a template is filled in with."""
    normal = _NAMES.sub("~", " ".join((text or "").split())).lower()
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()[:16]


# A health or care section the same in this many plans is a template, not this child's.
GENERIC_THRESHOLD = 5


def generic_findings(sections: Mapping[str, str], counts: Mapping[tuple[str, str], int],
                     threshold: int = GENERIC_THRESHOLD) -> list[Finding]:
    """A health or social care section identical (by `fingerprint`) in `threshold` or more
    plans is flagged as generic. `counts` maps (section, fingerprint) to how many plans have
    it (this one included). "None" sections are alike by design and not flagged."""
    found = []
    for key in GENERIC_SECTIONS:
        text = sections.get(key) or ""
        if not text.strip() or says_none(text) or len(text) < 40:
            continue
        n = counts.get((key, fingerprint(text)), 0)
        if n >= threshold:
            found.append(Finding("generic_section", key, _excerpt(text),
                                 f"The same words are in {n} plans: describe this child's "
                                 "needs and provision"))
    return found


# ----- contributions and the age of advice -----

# The regulations set no fixed age for advice: reg 6(4) lets advice already given be used
# only if the adviser, the council and the family agree it is sufficient. Partnerships set
# their own limit; this is the default (see docs/plan-quality.md).
ADVICE_MAX_AGE_DAYS = 365


@dataclass(frozen=True)
class Contribution:
    """Advice asked for: who (`label`), its status ("requested", "given", "nil_return"),
    when given, and the reason for a nil return."""

    label: str
    status: str
    given_on: date | None = None
    nil_reason: str = ""


def contribution_findings(contributions: Sequence[Contribution], on: date,
                          max_age_days: int = ADVICE_MAX_AGE_DAYS) -> list[Finding]:
    """Every contribution asked for is present or its nil return is recorded with a reason;
    advice older than the partnership's limit is flagged (section K lists the advice)."""
    found = []
    for c in contributions:
        if c.status == "requested":
            found.append(Finding("contribution_missing", "K", c.label,
                                 f"{c.label}: no advice and no nil return yet: chase it, or "
                                 "record a nil return with its reason"))
        elif c.status == "nil_return" and not c.nil_reason.strip():
            found.append(Finding("nil_return_no_reason", "K", c.label,
                                 f"{c.label}: record why nothing was added"))
        elif c.status == "given" and c.given_on and (on - c.given_on).days > max_age_days:
            found.append(Finding("advice_old", "K", c.label,
                                 f"{c.label} is {(on - c.given_on).days // 30} months old: ask "
                                 "whether it is still accurate, or ask for new advice"))
    return found


# ----- the whole plan -----


@dataclass(frozen=True)
class PlanFacts:
    """What the checks read: the sections, whether this is a final plan, the child's year
    group, their About me text, the copy-paste counts and the contributions."""

    sections: Mapping[str, str]
    on: date
    final: bool = False
    year: int | None = None
    about_me: str = ""
    generic_counts: Mapping[tuple[str, str], int] = field(default_factory=dict)
    contributions: Sequence[Contribution] = ()


def plan_findings(facts: PlanFacts) -> list[Finding]:
    """Every check over one plan, in the plan's section order."""
    s = facts.sections
    found = structure_findings(s, final=facts.final)
    found += voice_findings(s.get("A") or "", facts.about_me)
    found += thread_findings(s)
    found += outcome_findings(s.get("E") or "")
    found += pfa_findings(s.get("E") or "", facts.year)
    for key in PROVISION_SECTIONS:
        found += provision_findings(s.get(key) or "", key)
    for key in SECTION_KEYS:
        if key != "K":  # K lists the advisers' titles, which are theirs
            found += jargon_findings(s.get(key) or "", key)
    found += generic_findings(s, facts.generic_counts)
    found += contribution_findings(facts.contributions, facts.on)
    order = {k: i for i, k in enumerate(SECTION_KEYS)}
    return sorted(found, key=lambda f: order.get(f.section, 99))


def counts_by_section(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings each section has (every section present, 0 for none)."""
    counts = dict.fromkeys(SECTION_KEYS, 0)
    for f in findings:
        counts[f.section] = counts.get(f.section, 0) + 1
    return counts
