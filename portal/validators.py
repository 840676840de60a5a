"""The 统一社会信用代码 (unified social credit code) check of GB 32100-2015."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The standard's alphabet: digits and upper-case letters without I, O, Z, S and V,
# which are too easily confused with 1, 0, 2, 5 and U.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_LENGTH = 18


def uscc_check_character(first17: str) -> str:
    """The 18th character for 17 valid leading characters (weights 3^i mod 31)."""
    total = sum(
        USCC_ALPHABET.index(char) * w for char, w in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    """Raise ValidationError with a reason a clerk can act on, or return for a valid code."""
    if len(value) != USCC_LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d.")
            % {"n": len(value)},
            code="length",
        )
    if value != value.upper():
        raise ValidationError(_("Write the code in capital letters."), code="lower_case")
    bad = sorted({char for char in value if char not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _(
                "The code contains characters that are not allowed: %(chars)s "
                "(the letters I, O, Z, S and V are never used)."
            )
            % {"chars": " ".join(bad)},
            code="alphabet",
        )
    if not value[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 must be the digits of the administrative division code."),
            code="division",
        )
    expected = uscc_check_character(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("The check character is wrong: the code may have a typing mistake."),
            code="check",
        )
