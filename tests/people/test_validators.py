"""NHS number (modulus 11) and UPN (DfE check letter) validation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tellonce.people.validators import (
    format_nhs_number,
    upn_check_letter,
    validate_nhs_number,
    validate_upn,
)


def mod11_check_digit(nine_digits: str) -> int:
    """Worked by hand from the NHS Data Dictionary: weights 10..2, 11 - (sum mod 11)."""
    total = sum(int(d) * w for d, w in zip(nine_digits, range(10, 1, -1), strict=True))
    return (11 - total % 11) % 11


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "943-476-5919", "9990000018"])
def test_valid_nhs_numbers_pass(number: str) -> None:
    validate_nhs_number(number)


@pytest.mark.parametrize("number", ["9434765918", "9990000017"])
def test_wrong_check_digit_is_rejected_with_a_specific_message(number: str) -> None:
    with pytest.raises(ValidationError, match="check digit"):
        validate_nhs_number(number)


@pytest.mark.parametrize("number", ["", "12345", "94347659190", "943476591X"])
def test_wrong_length_or_letters_are_rejected(number: str) -> None:
    with pytest.raises(ValidationError, match="10 digits"):
        validate_nhs_number(number)


# Numbers starting 4-9 (England, Wales, Isle of Man, and the 999 test range); Scottish CHI
# numbers (010-311) also encode a date of birth, which the library checks as well.
@given(st.from_regex(r"[4-9][0-9]{8}", fullmatch=True))
def test_nhs_check_agrees_with_the_modulus_11_rule(body: str) -> None:
    check = mod11_check_digit(body)
    if check == 10:
        with pytest.raises(ValidationError):
            validate_nhs_number(body + "0")
        return
    validate_nhs_number(body + str(check))
    with pytest.raises(ValidationError):
        validate_nhs_number(body + str((check + 1) % 10))


def test_nhs_number_is_shown_in_three_groups() -> None:
    assert format_nhs_number("9990000018") == "999 000 0018"


def test_upn_check_letter_worked_example() -> None:
    # A801200001001 from the DfE's UPN guidance layout: body 801200001001.
    # Sum of digit x weight (2..13): 8*2+0*3+1*4+2*5+0*6+0*7+0*8+0*9+1*10+0*11+0*12+1*13 = 53;
    # 53 mod 23 = 7 -> the 8th letter of ABCDEFGHJKLMNPQRTUVWXYZ = H.
    assert upn_check_letter("801200001001") == "H"
    validate_upn("H801200001001")
    validate_upn("h801 2000 01001")


def test_upn_with_wrong_check_letter_is_rejected() -> None:
    with pytest.raises(ValidationError, match="check letter"):
        validate_upn("A801200001001")


@pytest.mark.parametrize("upn", ["", "1801200001001", "H8012000010", "H80120000100I"])
def test_malformed_upn_is_rejected(upn: str) -> None:
    with pytest.raises(ValidationError, match="13 characters|letter followed"):
        validate_upn(upn)
