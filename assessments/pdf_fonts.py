"""Smaller embedded fonts in the PDF reports: a pure core (fontTools only, no Django).

WeasyPrint subsets each embedded font but keeps every glyph slot up to the last one used, so
that the glyph ids written in the pages stay valid. Noto Sans CJK has some 63,000 glyphs and
the ones a report uses are spread over all of them: a report that draws 150 glyphs in bold
still carried 150 KB of empty slots for that font alone, and fonts were about 80 % of a
report's bytes.

The CJK fonts are CID-keyed CFF fonts, in which every glyph carries its CID and a PDF reader
finds a glyph by that CID (ISO 32000-1, 9.7.4.2), not by its position. So the slots can go:
`compact_cid_font` keeps only the glyphs used, each under its own CID, and returns the bare
CFF program, which the PDF then embeds as `CIDFontType0C` (the form dvipdfmx and Ghostscript
write). The page content, the widths and the text layer (ToUnicode) address CIDs and stay as
they are. Readers that take the OpenType wrapper's glyph positions instead of the CIDs
(Poppler does) need that bare form: the tests render both ways with Poppler and compare.

Anything else is left as WeasyPrint wrote it: TrueType fonts, fonts whose glyph ids are not
their CIDs, fonts with glyphs made up for missing characters, and fonts embedded whole.
"""

import io
import logging

from fontTools import subset
from fontTools.ttLib import TTFont, TTLibError

logger = logging.getLogger(__name__)


def compact_cid_font(program: bytes, used: set[int]) -> bytes | None:
    """The CFF program of the OpenType font `program` with only the glyphs `used` (glyph ids,
    each equal to its CID) and .notdef; None when the font is not one this can shrink."""
    try:
        # The font's own box stays: the subsetter would shrink it to the glyphs kept, and
        # Poppler, which sizes its glyph cache by it, then drew the glyphs a pixel off.
        font = TTFont(io.BytesIO(program), recalcBBoxes=False)
        if "CFF " not in font or not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
            return None  # TrueType outlines, or a CFF font without CIDs
        order = font.getGlyphOrder()
        keep = sorted({0, *used})
        if keep[-1] >= len(order) or any(order[gid] != f"cid{gid:05d}" for gid in keep[1:]):
            return None  # a glyph id that is not its CID, or one past the font's glyphs
        options = subset.Options(
            retain_gids=False,  # the point: CIDs, not positions, find the glyphs
            notdef_outline=True,
            hinting=True,  # what hints WeasyPrint left (blue zones) stay: same pixels
            desubroutinize=False,
            passthrough_tables=True,
            ignore_missing_glyphs=True,
        )
        subsetter = subset.Subsetter(options)
        subsetter.populate(gids=keep)
        subsetter.subset(font)
        return font.getTableData("CFF ")
    except (TTLibError, AssertionError, KeyError, IndexError, ValueError) as error:
        logger.warning("An embedded font was left as it was: %s", error)
        return None


def finisher(document, pdf) -> None:
    """WeasyPrint's `write_pdf(finisher=...)` hook: shrink each embedded CID-keyed CFF font.

    It reads which glyphs each font file draws from WeasyPrint's fonts (`document.fonts`:
    `hash`, `file_content`, `to_unicode` with a key per glyph drawn, `missing`,
    `used_in_forms`); if they are not there, the PDF is left as WeasyPrint wrote it.
    """
    import pydyf

    fonts = getattr(document, "fonts", None)
    if not isinstance(fonts, dict):
        return
    used: dict[str, set[int]] = {}  # font file (its hash) -> the glyphs drawn with it
    unsafe: set[str] = set()
    owner: dict[int, str] = {}  # id of a font's program -> its file's hash
    try:
        for font in fonts.values():
            used.setdefault(font.hash, set()).update(font.to_unicode)
            if font.missing or font.used_in_forms:
                unsafe.add(font.hash)
            owner[id(font.file_content)] = font.hash
    except AttributeError as error:
        logger.warning("PDF fonts left as they were: %s", error)
        return
    for stream in pdf.objects:
        if not isinstance(stream, pydyf.Stream) or stream.extra.get("Subtype") != "/OpenType":
            continue
        if len(stream.stream) != 1:
            continue
        file_hash = owner.get(id(stream.stream[0]))
        if file_hash is None or file_hash in unsafe:
            continue
        program = compact_cid_font(stream.stream[0], used[file_hash])
        if program is not None:
            stream.stream = [program]
            stream.extra["Subtype"] = "/CIDFontType0C"
