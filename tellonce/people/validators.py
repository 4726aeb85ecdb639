"""Validation of the identifiers that join a child's record across agencies: NHS number and UPN.

The NHS number check (modulus 11) comes from the maintained `nhs-number` package; the UPN
check letter follows the DfE's "Unique Pupil Numbers (UPN): guidance" (check letter over the
twelve characters that follow it, weights 2 to 13, modulus 23).
"""

from __future__ import annotations

import re

import nhs_number
import phonenumbers
from django.core.exceptions import ValidationError

# Remainders 0-22 map to these 23 letters (no I, O or S). Temporary UPNs end with one of the
# same letters, which counts as its remainder value in the sum.
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_RE = re.compile(r"^[A-Z][0-9]{11}[0-9A-Z]$")


def normalise_nhs_number(value: str) -> str:
    """Digits only, so '999 000 0018' and '999-000-0018' are the same number."""
    return re.sub(r"[\s-]", "", value or "")


def validate_nhs_number(value: str) -> None:
    digits = normalise_nhs_number(value)
    if not digits.isdigit() or len(digits) != 10:
        raise ValidationError(
            "Enter a valid NHS number: it has 10 digits, like 999 123 4560",
            code="nhs_number_format",
        )
    if not nhs_number.is_valid(digits):
        raise ValidationError(
            "Enter a valid NHS number: the last digit (the check digit) does not match the others",
            code="nhs_number_check",
        )


def format_nhs_number(value: str) -> str:
    digits = normalise_nhs_number(value)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else value


def upn_check_letter(body: str) -> str:
    """The check letter for the 12 characters after it (DfE UPN guidance, annex A)."""
    total = 0
    for weight, char in enumerate(body, start=2):
        # A letter in the last position (temporary UPN) counts as its position in the alphabet.
        digit = int(char) if char.isdigit() else UPN_CHECK_LETTERS.index(char)
        total += weight * digit
    return UPN_CHECK_LETTERS[total % 23]


def normalise_upn(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def validate_upn(value: str) -> None:
    upn = normalise_upn(value)
    if not _UPN_RE.match(upn) or (not upn[-1].isdigit() and upn[-1] not in UPN_CHECK_LETTERS):
        raise ValidationError(
            "Enter a valid UPN: a letter followed by 12 characters, like A801200001001",
            code="upn_format",
        )
    if upn[0] != upn_check_letter(upn[1:]):
        raise ValidationError(
            "Enter a valid UPN: the first letter (the check letter) does not match the rest",
            code="upn_check",
        )


PHONE_REGION = "GB"  # numbers written without +44 are read as UK numbers


def clean_phone_number(value: str, what: str = "phone number") -> str:
    """A phone number checked against the numbering plan (Google's libphonenumber, through
    the `phonenumbers` package) and written the usual way: '0191 498 0123' for a UK number,
    '+1 202-555-0123' for another country's. Empty stays empty. `what` names the field in
    the error, as GOV.UK asks."""
    raw = (value or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            f"Enter a real {what}, like 0191 498 0123, or leave the {what} empty",
            code="phone_number",
        )
    style = (phonenumbers.PhoneNumberFormat.NATIONAL
             if phonenumbers.region_code_for_number(number) == PHONE_REGION
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, style)
