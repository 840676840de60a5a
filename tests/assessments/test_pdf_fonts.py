"""Report PDFs embed the CJK fonts without their empty glyph slots (assessments.pdf_fonts)."""

import io
import shutil
import subprocess

import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from assessments import pdf_fonts

# As the report sets its fonts (templates/assessments/results/report.html), plus a phrase in
# DejaVu Serif: a TrueType font, which stays as WeasyPrint embeds it.
SAMPLE = """<html lang="zh-Hans"><body style='font-family: "Noto Sans CJK SC", sans-serif'>
<h1>网络数据安全管理条例 第三十七条</h1>
<p>处理个人信息达到一千万人以上的网络数据处理者，应当遵守重要数据处理者的规定。</p>
<p><b>重大风险</b>：个人信息出境未申报安全评估。Risk tier: <b>Critical</b>, CSL art. 21.</p>
<p style='font-family: "DejaVu Serif"'>Remediation: file the assessment.</p>
</body></html>"""


def render(html: str, finisher=None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf(finisher=finisher)


@pytest.fixture(scope="module")
def both():
    """The sample as WeasyPrint writes it, and with the fonts compacted."""
    return render(SAMPLE), render(SAMPLE, pdf_fonts.finisher)


def embedded(data: bytes) -> dict[str, dict]:
    """Each embedded font by name: its file's subtype and bytes, and the CIDs it draws (/W)."""
    fonts = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"]
            program = (descriptor.get("/FontFile3") or descriptor["/FontFile2"]).get_object()
            widths, cids, i = descendant["/W"], set(), 0
            while i < len(widths):  # [first [w1 w2 ...]] or [first last w]
                if isinstance(widths[i + 1], list):
                    cids.update(range(widths[i], widths[i] + len(widths[i + 1])))
                    i += 2
                else:
                    cids.update(range(widths[i], widths[i + 1] + 1))
                    i += 3
            fonts[str(font["/BaseFont"]).split("+")[-1]] = {
                "subtype": str(program.get("/Subtype", "TrueType")),
                "data": program.get_data(),
                "cids": cids,
            }
    return fonts


def outlines(charstrings, cids) -> dict[int, list]:
    found = {}
    for cid in cids:
        pen = RecordingPen()
        charstrings[f"cid{cid:05d}"].draw(pen)
        found[cid] = pen.value
    return found


def test_the_cjk_fonts_shrink_to_the_glyphs_drawn(both):
    plain, small = both
    before, after = embedded(plain), embedded(small)
    cjk = {"Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"}
    assert set(before) == set(after) == {*cjk, "DejaVu-Serif"}
    assert {before[name]["subtype"] for name in cjk} == {"/OpenType"}
    assert {after[name]["subtype"] for name in cjk} == {"/CIDFontType0C"}
    for name in cjk:
        assert len(after[name]["data"]) * 5 < len(before[name]["data"]), name
    assert after["DejaVu-Serif"] == before["DejaVu-Serif"]  # TrueType: left as it was
    assert len(small) * 3 < len(plain)


def test_every_glyph_drawn_keeps_its_cid_and_its_outline(both):
    plain, small = both
    before, after = embedded(plain), embedded(small)
    for name in ("Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"):
        font = after[name]
        assert font["cids"] == before[name]["cids"]  # the widths are untouched
        original = TTFont(io.BytesIO(before[name]["data"]))["CFF "].cff
        compact = CFFFontSet()
        compact.decompile(io.BytesIO(font["data"]), None)
        kept = compact.topDictIndex[0].CharStrings
        assert hasattr(compact.topDictIndex[0], "ROS")  # still CID-keyed
        assert sorted(kept.keys()) == sorted(
            [".notdef", *(f"cid{cid:05d}" for cid in font["cids"] if cid)]
        )
        drawn = outlines(kept, font["cids"])
        assert drawn == outlines(original.topDictIndex[0].CharStrings, font["cids"])
        assert sum(1 for value in drawn.values() if value) > 10, name  # real outlines


def test_the_text_layer_is_unchanged(both):
    plain, small = both

    def text(data):
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)

    assert text(small) == text(plain)
    assert "个人信息出境" in text(small) and "Critical" in text(small)


def test_poppler_draws_the_same_pages(both, tmp_path):
    """Poppler finds the glyphs of an OpenType-wrapped font by position, not by CID: the
    compact fonts must reach it as bare CFF programs or it draws the wrong characters."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (Debian package poppler-utils) is not installed")
    pages = {}
    for label, data in zip(("plain", "small"), both, strict=True):
        (tmp_path / f"{label}.pdf").write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", "72", "-png", f"{label}.pdf", label], cwd=tmp_path, check=True
        )
        pages[label] = [p.read_bytes() for p in sorted(tmp_path.glob(f"{label}-*.png"))]
    assert pages["plain"]
    assert pages["small"] == pages["plain"]


def tiny_truetype() -> bytes:
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "a"])
    builder.setupCharacterMap({ord("a"): "a"})
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 500))
    pen.lineTo((500, 0))
    pen.closePath()
    glyph = pen.glyph()
    builder.setupGlyf({".notdef": glyph, "a": glyph})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "a": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Tiny", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def test_fonts_it_cannot_shrink_are_left_alone(both):
    plain, _ = both
    regular = embedded(plain)["Noto-Sans-CJK-SC"]
    assert pdf_fonts.compact_cid_font(tiny_truetype(), {1}) is None  # TrueType outlines
    assert pdf_fonts.compact_cid_font(b"not a font", {1}) is None
    glyphs = len(TTFont(io.BytesIO(regular["data"])).getGlyphOrder())
    assert pdf_fonts.compact_cid_font(regular["data"], {glyphs + 5}) is None  # no such glyph
    assert pdf_fonts.compact_cid_font(regular["data"], regular["cids"]) is not None


def test_a_font_whose_glyph_ids_are_not_its_cids_is_left_alone(both):
    """Once compacted, glyph 1 is some CID far from 1: compacting that again must refuse."""
    plain, _ = both
    regular = embedded(plain)["Noto-Sans-CJK-SC"]
    once = TTFont(io.BytesIO(regular["data"]))
    from fontTools import subset

    subsetter = subset.Subsetter(subset.Options(retain_gids=False, notdef_outline=True))
    subsetter.populate(gids=sorted({0, *regular["cids"]}))
    subsetter.subset(once)
    out = io.BytesIO()
    once.save(out)
    assert once.getGlyphOrder()[2] != "cid00002"
    assert pdf_fonts.compact_cid_font(out.getvalue(), {2, 3}) is None
