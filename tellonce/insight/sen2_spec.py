"""The SEN2 person-level return's code sets and structure, and everything about it that is
UNVERIFIED, in one place.

Sources: the DfE's SEN2 guide (2025 v1.4) and technical specification as quoted in public
code (MastodonC witan.sen2; data-to-insight ssd-data-model); the 2026 guide, specification,
XSD and validation-rule list were not read. Every point below marked in UNVERIFIED is how
the code does it until someone checks it against the 2026 specification.
"""

from __future__ import annotations

from datetime import date

UNVERIFIED: dict[str, str] = {
    "root_elements": "The XML's root and container element names (Message, Header, Persons, "
                     "Person): not read from the 2026 XSD.",
    "element_case": "Exact element names and case (e.g. SENsetting vs SENSetting), taken from "
                    "the COLLECT Blade CSV headings.",
    "within_20_weeks": "That 'within 20 weeks' is no later than 140 days after the request was "
                       "received (the day received not counted), as the issue and the clock "
                       "both read it.",
    "six_weeks_exceptions": "Whether the DfE's 6-week measure leaves out exceptions: the code "
                            "counts every decision.",
    "upn_unknown_un1": "UPNunknown UN1 (under 6, no UPN) is derived from the date of birth; the "
                       "record keeps no other UPN-unknown reason, so any other child without a "
                       "UPN fails validation.",
    "cease_reason": "The record keeps no cease reason: a ceased plan fails validation until it "
                    "is recorded (CeaseReason 1-9).",
    "ethnicity_codes": "The CBDS ethnicity code list (insight.models.ETHNICITY).",
    "request_source": "RequestSource (new 2025): the integer code list was not read; the "
                      "record's requester is mapped as REQUEST_SOURCE says.",
    "setting_codes": "SENsetting for a plan that names a type but no setting (OTH) and for "
                     "education otherwise than at school (OLA), inferred from the code "
                     "descriptions.",
    "postcode": "Person Postcode: the record keeps no address, so it is left out.",
    "header_items": "SourceLevel, SoftwareCode, Release, SerialNo: values not confirmed.",
}

REQUEST_OUTCOME = {"assess": "Y", "refuse": "N", "pending": "A", "withdrawn": "W"}
ASSESSMENT_OUTCOME = {"issue": "Y", "not_issue": "N", "pending": "A", "withdrawn": "W"}
REVIEW_OUTCOME = {"amend": "A", "cease": "C", "maintain": "M"}
# requester -> RequestSource (UNVERIFIED codes: see above)
REQUEST_SOURCE = {"parent": "1", "young_person": "2", "school": "3"}
SEN_TYPES = ("SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD",
             "DS", "OTH")
CEASE_REASONS = tuple(str(i) for i in range(1, 10))
SEN_SETTINGS = ("OLA", "OPA", "EHE", "EYP", "OTH", "NEET", "NIEC", "NIEO")


def flow_year(census: date) -> tuple[date, date]:
    """The flow: the calendar year before the census."""
    return date(census.year - 1, 1, 1), date(census.year - 1, 12, 31)
