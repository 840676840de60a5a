import pytest
from django.core.exceptions import ValidationError

from portal.validators import uscc_check_character, validate_uscc

VALID = [
    "91350100M000100Y43",  # the example printed in GB 32100-2015 guidance
    "91110108MA01HG0105",
    "91310115MA1KHG020C",
    "11100000000013127D",  # 机构编制 registration authority (1)
]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    validate_uscc(code)


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("91350100M000100Y44", "check"),  # wrong check character
        ("91350100M000100Y4", "length"),  # 17 characters
        ("91350100M000100Y433", "length"),  # 19 characters
        ("", "length"),
        ("91350100m000100y43", "lower_case"),
        ("91350100I000100Y43", "alphabet"),  # I never used
        ("91350100O000100Y43", "alphabet"),  # O never used
        ("91350100Z000100Y43", "alphabet"),  # Z never used
        ("91350100S000100Y43", "alphabet"),  # S never used
        ("91350100V000100Y43", "alphabet"),  # V never used
        ("9135010-M000100Y43", "alphabet"),
        ("913501A0M000100Y4X", "division"),  # division code must be digits
    ],
)
def test_invalid_codes_are_refused_with_a_reason(code, error_code):
    with pytest.raises(ValidationError) as raised:
        validate_uscc(code)
    assert raised.value.code == error_code
    assert raised.value.messages[0]


def test_every_single_character_typo_is_caught():
    code = VALID[0]
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for position in range(17):
        for char in alphabet:
            if char == code[position] or (2 <= position < 8 and not char.isdigit()):
                continue
            typo = code[:position] + char + code[position + 1 :]
            assert uscc_check_character(typo[:17]) != typo[17], typo


def test_the_message_is_translated(settings):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as raised:
        validate_uscc("91350100M000100Y44")
    assert "校验码" in raised.value.messages[0]
