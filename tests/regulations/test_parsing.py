"""Tests of the regulation text parser: the shared official texts, synthetic texts, errors.

Pure tests (no database). Synthetic texts are written one line per string, so the line
numbers in the expected errors can be read off the list.
"""

import datetime
import pickle
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regulations.parsing import (
    Article,
    Paragraph,
    ParsedRegulation,
    ParseError,
    chinese_numeral_to_int,
    int_to_chinese_numeral,
    normalise_for_comparison,
    parse_regulation,
)
from tests.support import REPO_ROOT, shared_regulations_dir

# file name -> (articles, chapters, sections, regulation_code, edition_effective, edition_until)
SHARED_TEXTS = {
    "cybersecurity-law.md": (81, 7, 2, "CSL", datetime.date(2026, 1, 1), None),
    "cybersecurity-law-2016.md": (
        79,
        7,
        2,
        "CSL",
        datetime.date(2017, 6, 1),
        datetime.date(2025, 12, 31),
    ),
    "data-security-law.md": (55, 7, 0, "DSL", datetime.date(2021, 9, 1), None),
    "pipl.md": (74, 8, 3, "PIPL", datetime.date(2021, 11, 1), None),
    "algorithm-recommendation.md": (35, 6, 0, "ALGO", datetime.date(2022, 3, 1), None),
    "generative-ai.md": (24, 5, 0, "GENAI", datetime.date(2023, 8, 15), None),
    "deepsynth.md": (25, 5, 0, "DEEPSYNTH", datetime.date(2023, 1, 10), None),
    "label.md": (14, 0, 0, "LABEL", datetime.date(2025, 9, 1), None),
    "ndsmr.md": (64, 9, 0, "NDSMR", datetime.date(2025, 1, 1), None),
    "data-export-assessment.md": (20, 0, 0, "DATAEXPORT", datetime.date(2022, 9, 1), None),
    "pi-audit.md": (20, 0, 0, "PIAUDIT", datetime.date(2025, 5, 1), None),
    "pi-export-certification.md": (19, 0, 0, "PICERT", datetime.date(2026, 1, 1), None),
    "minors-online.md": (60, 7, 0, "MINORS", datetime.date(2024, 1, 1), None),
}
NOT_REGULATIONS = {"README.md"}


def _shared_file_names() -> list[str]:
    """The known texts plus any other .md file in the folder, so a new text cannot be
    added without its expected counts."""
    folder = shared_regulations_dir()
    found = {p.name for p in folder.glob("*.md")} if folder else set()
    return sorted((set(SHARED_TEXTS) | found) - NOT_REGULATIONS)


def _shared(name: str) -> ParsedRegulation:
    folder = shared_regulations_dir()
    if folder is None:
        pytest.skip("the shared regulation texts are not available")
    return parse_regulation((folder / name).read_bytes(), path=name)


def _lines(*lines: str) -> bytes:
    return "\n".join(lines).encode("utf-8") + b"\n"


def _parse(*lines: str) -> ParsedRegulation:
    return parse_regulation(_lines(*lines), path="test.md")


def _error(*lines: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        _parse(*lines)
    return caught.value


HEAD = ("# 测试规定", "", "<!-- INFO END -->", "")  # the body starts at line 5


# --------------------------------------------------------------------------- shared texts


@pytest.mark.parametrize("name", _shared_file_names())
def test_each_shared_text_parses_with_the_expected_counts_and_edition(name):
    assert name in SHARED_TEXTS, f"{name} is a new text: add its expected counts"
    articles, chapters, sections, code, effective, until = SHARED_TEXTS[name]
    parsed = _shared(name)
    assert (parsed.article_count, parsed.chapter_count, parsed.section_count) == (
        articles,
        chapters,
        sections,
    )
    assert [a.number for a in parsed.articles] == list(range(1, articles + 1))
    assert [c.number for c in parsed.chapters] == list(range(1, chapters + 1))
    assert (parsed.code, parsed.edition_effective, parsed.edition_until) == (code, effective, until)
    assert parsed.path == name


@pytest.mark.parametrize("name", sorted(SHARED_TEXTS))
def test_every_article_of_a_shared_text_is_in_a_chapter_and_has_text(name):
    """A text with chapters puts every article in one; a text without (LABEL, DATAEXPORT,
    PIAUDIT, PICERT) has none."""
    parsed = _shared(name)
    has_chapters = SHARED_TEXTS[name][1] > 0
    assert all((a.chapter is not None) == has_chapters for a in parsed.articles)
    assert all(a.text.strip() for a in parsed.articles)
    assert [a.number for a in parsed.articles if a.paragraphs[0].text.startswith("第")] == []


def test_the_pipl_title_and_metadata_come_from_the_file():
    parsed = _shared("pipl.md")
    assert parsed.title == "中华人民共和国个人信息保护法"
    assert parsed.metadata["short_name"] == "PIPL"
    assert parsed.effective == datetime.date(2021, 11, 1)


def test_pipl_article_3_has_two_paragraphs_the_second_with_three_items():
    article = _shared("pipl.md").articles[2]
    assert article.number == 3
    assert [len(p.items) for p in article.paragraphs] == [0, 3]
    assert article.paragraphs[0].text == "在中华人民共和国境内处理自然人个人信息的活动，适用本法。"
    assert article.paragraphs[1].text.endswith("有下列情形之一的，也适用本法：")
    items = article.paragraphs[1].items
    assert [i.number for i in items] == [1, 2, 3]
    assert items[0].text == "（一）以向境内自然人提供产品或者服务为目的；"
    assert items[2].text == "（三）法律、行政法规规定的其他情形。"
    assert article.text.split("\n") == [
        article.paragraphs[0].text,
        article.paragraphs[1].text,
        *(i.text for i in items),
    ]


def test_pipl_articles_carry_their_chapter_and_section():
    articles = _shared("pipl.md").articles
    assert (articles[12].chapter, articles[12].section) == (2, 1)  # 第十三条
    assert (articles[27].chapter, articles[27].section) == (2, 2)  # 第二十八条
    assert (articles[37].chapter, articles[37].section) == (3, None)  # 第三十八条


def test_pipl_sections_are_numbered_within_chapter_2():
    chapter = _shared("pipl.md").chapters[1]
    assert [(s.number, s.chapter) for s in chapter.sections] == [(1, 2), (2, 2), (3, 2)]
    assert chapter.sections[1].title == "敏感个人信息的处理规则"


def test_csl_article_71_has_a_paragraph_after_its_items():
    article = _shared("cybersecurity-law.md").articles[70]
    assert article.number == 71
    assert [len(p.items) for p in article.paragraphs] == [3, 0]
    assert article.paragraphs[1].text.startswith("违反本法第四十六条规定，窃取")


def test_cross_references_inside_a_line_are_not_articles():
    article = _shared("cybersecurity-law.md").articles[70]
    assert "本法第十三条第二款" in article.paragraphs[0].items[0].text


def test_csl_2016_article_21_keeps_its_ascii_colon_but_normalises_like_the_full_width_one():
    article = _shared("cybersecurity-law-2016.md").articles[20]
    lead_in = article.paragraphs[0].text
    assert lead_in.endswith("篡改:")
    full_width = lead_in[:-1] + "："
    assert normalise_for_comparison(lead_in) == normalise_for_comparison(full_width)
    restyled = Article(21, 3, 1, (Paragraph(full_width, article.paragraphs[0].items),), 1)
    assert restyled.fingerprint == article.fingerprint
    assert restyled.text != article.text


def test_an_unchanged_article_has_the_same_fingerprint_in_both_csl_editions():
    old = _shared("cybersecurity-law-2016.md").articles[0]
    new = _shared("cybersecurity-law.md").articles[0]
    assert old.fingerprint == new.fingerprint
    assert len(old.fingerprint) == 64


def test_chapter_titles_keep_their_inner_spaces_as_found():
    assert _shared("data-security-law.md").chapters[0].title == "总  则"
    assert _shared("pipl.md").chapters[0].title == "总 则"


def test_the_current_csl_has_141_paragraph_and_item_lines_like_its_cross_check():
    articles = _shared("cybersecurity-law.md").articles
    assert sum(len(a.text.split("\n")) for a in articles) == 141


# --------------------------------------------------------------------------- synthetic texts


def test_an_instrument_without_chapters_has_articles_without_chapter():
    parsed = _parse(
        "---",
        'regulation_code: "LABEL"',
        "article_count: 2",
        "chapter_count: 0",
        "---",
        "",
        "# 标识办法",
        "",
        "<!-- INFO END -->",
        "",
        "第一条 为了规范标识，制定本办法。",
        "",
        "第二条 本办法自公布之日起施行。",
    )
    assert parsed.chapters == ()
    assert [(a.number, a.chapter, a.section) for a in parsed.articles] == [
        (1, None, None),
        (2, None, None),
    ]
    assert parsed.code == "LABEL"


def test_a_text_without_front_matter_or_marker_treats_leading_lines_as_info():
    parsed = _parse(
        "# 测试规定",
        "",
        "2024年1月1日 通过",
        "",
        "（2024年1月1日施行）",
        "",
        "## 第一章 总则",
        "",
        "第一条 内容。",
    )
    assert parsed.metadata == {}
    assert (parsed.code, parsed.edition_effective, parsed.edition_until) == (None, None, None)
    assert parsed.title == "测试规定"
    assert parsed.articles[0].text == "内容。"
    assert parsed.articles[0].line == 9


def test_a_text_without_marker_may_start_directly_with_an_article():
    parsed = _parse("# 测试规定", "", "第一条 内容。", "", "第二条 更多内容。")
    assert [a.line for a in parsed.articles] == [3, 5]


def test_numbers_past_one_hundred_are_read():
    body = [f"第{int_to_chinese_numeral(n)}条 第{n}条的内容。" for n in range(1, 113)]
    parsed = _parse(*HEAD, *body)
    assert parsed.article_count == 112
    assert parsed.articles[100].paragraphs[0].text == "第101条的内容。"
    assert parsed.articles[111].line == 5 + 111


def test_sections_restart_in_each_chapter():
    parsed = _parse(
        *HEAD,
        "## 第一章 甲",
        "### 第一节 一",
        "第一条 a",
        "### 第二节 二",
        "第二条 b",
        "## 第二章 乙",
        "### 第一节 一",
        "第三条 c",
    )
    assert [len(c.sections) for c in parsed.chapters] == [2, 1]
    assert (parsed.articles[2].chapter, parsed.articles[2].section) == (2, 1)


def test_a_plain_line_after_items_starts_a_new_paragraph():
    parsed = _parse(*HEAD, "第一条 导语：", "（一）甲；", "（二）乙。", "后一款。", "（一）丙。")
    paragraphs = parsed.articles[0].paragraphs
    assert [(p.text, len(p.items)) for p in paragraphs] == [("导语：", 2), ("后一款。", 1)]


def test_crlf_line_endings_a_bom_and_a_full_width_space_after_the_number_are_tolerated():
    data = "\ufeff# 测试规定\r\n\r\n第一条\u3000内容。\r\n后一款。\r\n".encode()
    article = parse_regulation(data).articles[0]
    assert article.text == "内容。\n后一款。"


def test_unquoted_yaml_dates_are_read_as_dates_too():
    parsed = _parse("---", "edition_effective: 2024-03-22", "---", "# 规定", "第一条 内容。")
    assert parsed.edition_effective == datetime.date(2024, 3, 22)


# --------------------------------------------------------------------------- errors


def test_parse_error_formats_path_line_and_reason_and_survives_pickling():
    error = ParseError("x.md", 7, "bad", "坏")
    assert str(error) == "x.md:7: bad"
    assert str(ParseError("x.md", None, "bad")) == "x.md: bad"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.line, copy.reason, copy.reason_zh) == ("x.md", 7, "bad", "坏")


@pytest.mark.parametrize("data", [b"", b"  \n\n\t\n", "\u3000\n".encode()])
def test_an_empty_file_is_rejected(data):
    with pytest.raises(ParseError) as caught:
        parse_regulation(data, path="empty.md")
    assert caught.value.line is None
    assert str(caught.value) == "empty.md: the file is empty"
    assert caught.value.reason_zh == "文件为空"


def test_a_file_with_only_front_matter_is_rejected():
    error = _error("---", 'regulation_code: "X"', "---", "")
    assert error.line == 3
    assert "front matter but nothing after it" in error.reason


def test_gbk_bytes_are_reported_as_not_utf8_with_a_conversion_hint():
    data = "# 标题\n\n第一条 内容。\n".encode("gbk")
    with pytest.raises(ParseError) as caught:
        parse_regulation(data, path="gbk.md")
    assert caught.value.line == 1
    assert "not UTF-8" in caught.value.reason
    assert "looks like GBK/GB18030 and must be converted" in caught.value.reason
    assert "GB18030" in caught.value.reason_zh


def test_bytes_that_are_neither_utf8_nor_gb18030_get_no_conversion_hint():
    with pytest.raises(ParseError) as caught:
        parse_regulation(b"# title\n\nok\n\xff\xff\n")
    assert caught.value.line == 4
    assert caught.value.reason == "the file is not UTF-8 (invalid byte 0xff)"


def test_a_text_without_title_is_rejected():
    error = _error("", "第一条 内容。")
    assert error.line == 2
    assert error.reason.startswith("no title")


def test_an_empty_title_is_rejected():
    error = _error("#   ", "第一条 内容。")
    assert (error.line, error.reason) == (1, "the title line '# ' is empty")


def test_a_text_without_any_article_is_not_a_regulation():
    error = _error("# 一份说明", "", "这里只有文字。")
    assert error.line == 1
    assert "not the text of a regulation" in error.reason
    assert "这不是法规文本" in error.reason_zh


def test_a_skipped_article_names_the_expected_number():
    error = _error(*HEAD, "第一条 a", "第二条 b", "第三条 c", "", "第五条 e")
    assert error.line == 9
    assert error.reason == "article 第五条 found where 第四条 was expected"
    assert error.reason_zh == "此处应为第四条，实际为第五条"


def test_a_first_article_other_than_one_is_rejected():
    error = _error(*HEAD, "第二条 b")
    assert (error.line, error.reason) == (5, "article 第二条 found where 第一条 was expected")


def test_a_duplicated_article_says_where_it_first_appeared():
    error = _error(*HEAD, "第一条 a", "第二条 b", "第二条 b again")
    assert error.line == 7
    assert error.reason == "duplicate article 第二条 (first at line 6); 第三条 was expected"


def test_chapters_out_of_order_are_rejected():
    error = _error(*HEAD, "## 第一章 甲", "第一条 a", "## 第三章 丙", "第二条 b")
    assert (error.line, error.reason) == (7, "chapter 第三章 found where 第二章 was expected")


def test_a_duplicated_chapter_is_rejected():
    error = _error(*HEAD, "## 第一章 甲", "第一条 a", "## 第一章 甲", "第二条 b")
    assert (error.line, error.reason) == (
        7,
        "duplicate chapter 第一章 (first at line 5); 第二章 was expected",
    )


def test_sections_out_of_order_are_rejected():
    error = _error(*HEAD, "## 第一章 甲", "### 第一节 一", "第一条 a", "### 第三节 三", "第二条 b")
    assert (error.line, error.reason) == (8, "section 第三节 found where 第二节 was expected")


def test_a_section_before_any_chapter_is_rejected():
    error = _error(*HEAD, "### 第一节 一", "第一条 a")
    assert (error.line, error.reason) == (5, "section heading before any chapter heading")


def test_an_article_before_the_first_chapter_of_a_chaptered_text_is_rejected():
    error = _error(*HEAD, "第一条 a", "", "## 第一章 总则", "第二条 b")
    assert error.line == 5
    assert error.reason.startswith("第一条 comes before the first chapter heading (line 7)")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("第十十条 a", "invalid numeral '十十' in the article number"),
        ("第3条 a", "invalid numeral '3' in the article number"),
        ("第一十条 a", "invalid numeral '一十' in the article number"),
        ("## 第二二章 a", "invalid numeral '二二' in the chapter number"),
        ("## 第X章 a", "invalid numeral 'X' in the chapter number"),
    ],
)
def test_an_invalid_numeral_is_rejected(line, reason):
    error = _error(*HEAD, line)
    assert (error.line, error.reason) == (5, reason)


def test_invalid_yaml_front_matter_reports_the_file_line():
    error = _error("---", 'slug: "x"', "title: [unclosed", "broken: : :", "---", "# 规定")
    assert error.line == 4
    assert error.reason.startswith("invalid YAML front matter:")


def test_front_matter_that_is_not_a_mapping_is_rejected():
    error = _error("---", "- a list", "---", "# 规定", "第一条 a")
    assert error.reason == "the front matter must be a YAML mapping of keys to values"


def test_unclosed_front_matter_is_rejected():
    error = _error("---", "slug: x", "# 规定", "第一条 a")
    assert error.line == 1
    assert "never closed" in error.reason


def test_a_malformed_front_matter_date_is_rejected_at_its_line():
    error = _error("---", 'slug: "x"', 'edition_until: "31.12.2025"', "---", "# 规定", "第一条 a")
    assert error.line == 3
    assert "edition_until must be a date written YYYY-MM-DD" in error.reason


def test_a_paragraph_between_the_marker_and_the_first_article_is_rejected():
    error = _error(*HEAD, "一段不属于任何条的文字。", "第一条 a")
    assert error.line == 5
    assert error.reason.startswith("text outside any article: '一段不属于任何条的文字。'")


def test_a_paragraph_between_a_chapter_heading_and_its_first_article_is_rejected():
    error = _error("# 规定", "", "## 第一章 总则", "章的说明。", "第一条 a")
    assert error.line == 4
    assert error.reason.startswith("text outside any article")


def test_an_article_before_the_info_end_marker_is_rejected():
    error = _error("# 规定", "第一条 a", "<!-- INFO END -->", "第二条 b")
    assert error.line == 2
    assert error.reason == "'第一条 a' comes before the <!-- INFO END --> marker (line 3)"


@pytest.mark.parametrize(
    ("key", "line", "reason"),
    [
        ("article_count: 3", 2, "article_count is 3 in the front matter but 2 in the text"),
        ("chapter_count: 2", 2, "chapter_count is 2 in the front matter but 1 in the text"),
        ("section_count: 1", 2, "section_count is 1 in the front matter but 0 in the text"),
    ],
)
def test_declared_counts_must_match_the_text(key, line, reason):
    error = _error("---", key, "---", "# 规定", "## 第一章 总则", "第一条 a", "第二条 b")
    assert (error.line, error.reason) == (line, reason)


def test_item_numbers_must_run_in_order_within_a_paragraph():
    error = _error(*HEAD, "第一条 导语：", "（一）甲；", "（三）丙。")
    assert (error.line, error.reason) == (7, "item （三） found where （二） was expected")


def test_an_item_outside_any_article_is_rejected():
    error = _error(*HEAD, "（一）甲；")
    assert (error.line, error.reason) == (5, "item '（一）甲；' is outside any article")


def test_an_article_number_without_text_is_rejected():
    error = _error(*HEAD, "第一条 ")
    assert (error.line, error.reason) == (5, "article 第一条 has no text after its number")


@pytest.mark.parametrize("heading", ["#### 第一目 x", "# 第二个标题", "## 附件"])
def test_an_unexpected_heading_in_the_body_is_rejected(heading):
    error = _error(*HEAD, "第一条 a", heading)
    assert error.line == 6
    assert heading.lstrip("# ").split()[0] in error.reason


# --------------------------------------------------------------------------- numerals


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("零", 0),
        ("一", 1),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("十九", 19),
        ("二十", 20),
        ("二十一", 21),
        ("八十一", 81),
        ("九十九", 99),
        ("一百", 100),
        ("一百零一", 101),
        ("一百零五", 105),
        ("一百一十", 110),
        ("一百一十二", 112),
        ("二百", 200),
        ("三百零九", 309),
        ("九百九十九", 999),
    ],
)
def test_chinese_numerals_convert_both_ways(text, number):
    assert chinese_numeral_to_int(text) == number
    assert int_to_chinese_numeral(number) == text


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "十十",
        "一十",
        "二二",
        "百",
        "零五",
        "一百五",
        "一百十",
        "十百",
        "一千",
        "3",
        "abc",
        "一 十",
        "零零",
    ],
)
def test_malformed_numerals_raise_value_error(junk):
    with pytest.raises(ValueError):
        chinese_numeral_to_int(junk)


@pytest.mark.parametrize("bad", [-1, 1000, True, 1.0, "1"])
def test_int_to_chinese_numeral_rejects_what_it_cannot_write(bad):
    with pytest.raises(ValueError):
        int_to_chinese_numeral(bad)


@given(st.integers(min_value=1, max_value=999))
def test_numerals_round_trip(number):
    assert chinese_numeral_to_int(int_to_chinese_numeral(number)) == number


# --------------------------------------------------------------------------- normalising


@pytest.mark.parametrize(
    ("ascii_form", "full_width"),
    [
        (":", "："),
        (";", "；"),
        (",", "，"),
        ("(a)", "（a）"),
        ("!", "！"),
        ("?", "？"),
        ('"a"', "“a”"),
        ("a b", "a\u3000b"),
        ("a b", "a   b"),
        ("12", "１２"),
    ],
)
def test_punctuation_and_space_variants_normalise_alike(ascii_form, full_width):
    assert normalise_for_comparison(ascii_form) == normalise_for_comparison(full_width)


def test_normalising_keeps_line_breaks_but_drops_blank_lines_and_edge_spaces():
    assert normalise_for_comparison("  甲 ：\r\n\n\u3000乙； ") == "甲 :\n乙;"
    assert normalise_for_comparison("甲\n乙") != normalise_for_comparison("甲 乙")


def test_normalising_keeps_chinese_enumeration_comma_and_full_stop():
    assert normalise_for_comparison("甲、乙。") == "甲、乙。"


@given(st.text())
def test_normalising_is_idempotent(text):
    once = normalise_for_comparison(text)
    assert normalise_for_comparison(once) == once


def test_the_parser_does_not_import_django():
    code = (
        "import sys, regulations.parsing; print(any(m.startswith('django') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# --------------------------------------------------------------------------- robustness

_LINE_KINDS = [
    "",
    "---",
    "# 规定",
    "<!-- INFO END -->",
    "## 第一章 总则",
    "## 第二章 附则",
    "### 第一节 一般规定",
    "第一条 内容：",
    "第二条 内容。",
    "第三条 内容。",
    "（一）甲；",
    "（二）乙。",
    "一段文字。",
    "article_count: 2",
    'edition_effective: "2024-01-01"',
    "key: [",
]


@given(st.lists(st.sampled_from(_LINE_KINDS), max_size=20))
def test_any_arrangement_of_lines_parses_or_raises_parse_error(lines):
    try:
        parsed = parse_regulation(_lines(*lines))
    except ParseError as error:
        assert error.reason and error.reason_zh
        return
    assert [a.number for a in parsed.articles] == list(range(1, parsed.article_count + 1))


@given(st.binary(max_size=200))
def test_arbitrary_bytes_parse_or_raise_parse_error(data):
    try:
        parse_regulation(data)
    except ParseError:
        pass
