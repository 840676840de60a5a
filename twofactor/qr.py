"""The enrolment QR code, drawn on the server as SVG (no script, no outside service)."""

import qrcode
from django.utils.safestring import mark_safe
from qrcode.image.svg import SvgPathImage


def qr_svg(data: str) -> str:
    """An inline SVG of `data`; markup we generate, with no text of the user's in it."""
    image = qrcode.make(data, image_factory=SvgPathImage, box_size=8, border=2)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308
