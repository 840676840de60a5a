"""import_regulation: the shared texts, re-imports, changed texts, and every bad input."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from regulations import selectors, services
from regulations.models import Article, Chapter, Edition, Regulation, Section

pytestmark = pytest.mark.django_db

# code, edition effective -> (articles, chapters, effective_to)
SHARED_EDITIONS = {
    ("CSL", datetime.date(2026, 1, 1)): (81, 7, None),
    ("CSL", datetime.date(2017, 6, 1)): (79, 7, datetime.date(2025, 12, 31)),
    ("DSL", datetime.date(2021, 9, 1)): (55, 7, None),
    ("PIPL", datetime.date(2021, 11, 1)): (74, 8, None),
    ("ALGO", datetime.date(2022, 3, 1)): (35, 6, None),
    ("GENAI", datetime.date(2023, 8, 15)): (24, 5, None),
    ("DEEPSYNTH", datetime.date(2023, 1, 10)): (25, 5, None),
    ("LABEL", datetime.date(2025, 9, 1)): (14, 0, None),
    ("NDSMR", datetime.date(2025, 1, 1)): (64, 9, None),
    ("DATAEXPORT", datetime.date(2022, 9, 1)): (20, 0, None),
    ("PIAUDIT", datetime.date(2025, 5, 1)): (20, 0, None),
    ("PICERT", datetime.date(2026, 1, 1)): (19, 0, None),
    ("MINORS", datetime.date(2024, 1, 1)): (60, 7, None),
}

FRONT_MATTER = [
    "---",
    'regulation_code: "TEST"',
    'title_zh: "测试管理规定"',
    'title_en: "Test Provisions"',
    'instrument_type: "departmental_rule"',
    'edition_effective: "2024-01-01"',
    "---",
    "",
]
BODY = [
    "# 测试管理规定",
    "",
    "<!-- INFO END -->",
    "",
    "## 第一章 总则",
    "",
    "第一条 为了规范测试活动，制定本规定。",
    "",
    "第二条 处理者应当履行下列义务：",
    "",
    "（一）保护个人信息；",
    "",
    "（二）留存日志。",
    "",
    "## 第二章 附则",
    "",
    "第三条 本规定自2024年1月1日起施行。",
]


def write(tmp_path, name, lines, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def run(*args):
    out = StringIO()
    call_command("import_regulation", *map(str, args), stdout=out)
    return out.getvalue()


def counts():
    return (
        Regulation.objects.count(),
        Edition.objects.count(),
        Chapter.objects.count(),
        Section.objects.count(),
        Article.objects.count(),
    )


# --------------------------------------------------------------------------- shared texts


def test_it_imports_every_shared_text_with_the_right_counts(shared_dir):
    output = run(shared_dir)
    assert len(output.strip().splitlines()) == len(SHARED_EDITIONS)
    for (code, effective), (articles, chapters, until) in SHARED_EDITIONS.items():
        edition = Edition.objects.get(
            regulation__code=code, effective_from=effective, status="published"
        )
        assert edition.articles.count() == articles, code
        assert edition.chapters.count() == chapters, code
        assert edition.effective_to == until, code
        assert f"{code} " in output


def test_the_cybersecurity_law_has_both_editions_in_order(shared_dir):
    run(shared_dir)
    old = selectors.edition_in_force("CSL", datetime.date(2025, 12, 31))
    new = selectors.edition_in_force("CSL", datetime.date(2026, 1, 1))
    assert (old.effective_from, old.effective_to) == (
        datetime.date(2017, 6, 1),
        datetime.date(2025, 12, 31),
    )
    assert old.articles.count() == 79
    assert (new.effective_from, new.effective_to) == (datetime.date(2026, 1, 1), None)
    assert new.articles.count() == 81


def test_the_order_of_import_does_not_matter(shared_dir):
    run(shared_dir / "cybersecurity-law.md")
    run(shared_dir / "cybersecurity-law-2016.md")
    editions = list(Edition.objects.filter(regulation__code="CSL").order_by("effective_from"))
    assert [(e.effective_from, e.effective_to, e.articles.count()) for e in editions] == [
        (datetime.date(2017, 6, 1), datetime.date(2025, 12, 31), 79),
        (datetime.date(2026, 1, 1), None, 81),
    ]


def test_the_export_on_a_2025_date_is_the_79_article_edition(shared_dir):
    run(shared_dir)
    out = StringIO()
    call_command("export_regulation", "CSL", "--on", "2025-06-01", stdout=out)
    document = json.loads(out.getvalue())
    assert document["effective_from"] == "2017-06-01"
    assert len(document["articles"]) == 79


def test_reimporting_the_shared_texts_changes_nothing(shared_dir):
    run(shared_dir)
    before = counts()
    output = run(shared_dir)
    assert counts() == before
    assert all(line.endswith("unchanged") for line in output.strip().splitlines())


def test_the_stored_text_keeps_ascii_punctuation_but_compares_equal(shared_dir, tmp_path):
    run(shared_dir / "cybersecurity-law-2016.md")
    article = selectors.article_in_force("CSL", 21, datetime.date(2020, 1, 1))
    assert (
        "制度的要求，履行下列安全保护义务，保障网络免受干扰、破坏或者未经授权的访问，防止网络数据泄露或者被窃取、篡改:"
        in article.text
    )
    # The same text with a full-width colon is the same edition.
    source = (shared_dir / "cybersecurity-law-2016.md").read_text(encoding="utf-8")
    fixed = tmp_path / "csl-2016-fullwidth.md"
    fixed.write_text(source.replace("篡改:", "篡改："), encoding="utf-8")
    assert run(fixed).strip().endswith("unchanged")


# --------------------------------------------------------------------------- synthetic texts


def test_it_prints_one_line_per_regulation(tmp_path):
    output = run(write(tmp_path, "test.md", FRONT_MATTER + BODY))
    assert output.strip() == (
        "TEST 测试管理规定 edition 2024-01-01: 2 chapters, 0 sections, 3 articles, created"
    )
    regulation = Regulation.objects.get(code="TEST")
    assert (regulation.title_en, regulation.kind) == ("Test Provisions", "departmental_rule")


def test_the_paragraphs_and_items_are_stored(tmp_path):
    run(write(tmp_path, "test.md", FRONT_MATTER + BODY))
    article = Article.objects.get(edition__regulation__code="TEST", number=2)
    assert article.text == "处理者应当履行下列义务：\n（一）保护个人信息；\n（二）留存日志。"
    assert article.paragraphs == [
        {"text": "处理者应当履行下列义务：", "items": ["（一）保护个人信息；", "（二）留存日志。"]}
    ]
    assert article.chapter.number == 1


def test_without_front_matter_the_options_give_the_metadata(tmp_path):
    path = write(tmp_path, "plain.md", BODY)
    output = run(path, "--code", "plain", "--effective", "2024-05-01")
    assert output.startswith("PLAIN 测试管理规定 edition 2024-05-01")
    regulation = Regulation.objects.get(code="PLAIN")
    assert regulation.title_zh == "测试管理规定"


def test_without_front_matter_or_code_it_refuses(tmp_path):
    path = write(tmp_path, "plain.md", BODY)
    with pytest.raises(CommandError, match=r"plain\.md:1: no regulation code"):
        run(path, "--effective", "2024-05-01")
    assert counts() == (0, 0, 0, 0, 0)


def test_a_changed_text_with_a_new_date_is_a_new_edition(tmp_path):
    run(write(tmp_path, "test.md", FRONT_MATTER + BODY))
    changed = [line.replace("留存日志", "留存网络日志不少于六个月") for line in BODY]
    output = run(
        write(tmp_path, "test2.md", changed), "--code", "TEST", "--effective", "2025-01-01"
    )
    assert output.strip().endswith("created (changed articles: 2)")
    old, new = Edition.objects.filter(regulation__code="TEST").order_by("effective_from")
    assert old.effective_to == datetime.date(2024, 12, 31)
    assert new.effective_to is None


def test_a_changed_text_with_the_same_date_replaces_the_edition(tmp_path):
    run(write(tmp_path, "test.md", FRONT_MATTER + BODY))
    changed = [line.replace("为了规范测试活动", "为了规范和促进测试活动") for line in BODY]
    output = run(write(tmp_path, "test.md", FRONT_MATTER + changed))
    assert output.strip().endswith("replaced (changed articles: 1)")
    statuses = sorted(Edition.objects.values_list("status", flat=True))
    assert statuses == ["published", "replaced"]
    article = selectors.article_in_force("TEST", 1, datetime.date(2024, 6, 1))
    assert article.text == "为了规范和促进测试活动，制定本规定。"


def test_an_import_fills_the_catalogue_edition_of_the_same_date(tmp_path):
    call_command("load_catalogue", stdout=StringIO())
    placeholder = Edition.objects.get(regulation__code="GENAI")
    body = ["# 生成式人工智能服务管理暂行办法", "", "第一条 测试。"]
    run(write(tmp_path, "genai.md", body), "--code", "GENAI", "--effective", "2023-08-15")
    edition = Edition.objects.get(regulation__code="GENAI")
    assert edition.pk == placeholder.pk
    assert edition.articles.count() == 1


# --------------------------------------------------------------------------- bad input

BAD_INPUTS = {
    "empty": ([""], r"empty\.md: the file is empty"),
    "skipped": (
        FRONT_MATTER + BODY[:8] + ["第三条 跳过了第二条。"],
        r"skipped\.md:17: article 第三条 found where 第二条 was expected",
    ),
    "duplicated": (
        FRONT_MATTER + BODY[:8] + ["第一条 又一个第一条。"],
        r"duplicated\.md:17: duplicate article 第一条 \(first at line 15\)",
    ),
    "before-heading": (
        FRONT_MATTER + BODY[:4] + ["第一条 在章之前。", ""] + BODY[4:5],
        r"before-heading\.md:13: 第一条 comes before the first chapter heading",
    ),
    "not-a-regulation": (
        ["# 会议纪要", "", "今天开会讨论了预算。"],
        r"not-a-regulation\.md:1: no article .* this is not the text of a regulation",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_names_file_line_and_reason_and_writes_nothing(tmp_path, name):
    lines, message = BAD_INPUTS[name]
    path = write(tmp_path, f"{name}.md", lines)
    with pytest.raises(CommandError, match=message) as raised:
        run(path)
    assert str(raised.value).startswith(str(path))
    assert counts() == (0, 0, 0, 0, 0)


def test_a_text_without_a_title_is_not_a_regulation(tmp_path):
    path = write(tmp_path, "notes.md", ["会议纪要", "", "今天开会讨论了预算。"])
    with pytest.raises(CommandError, match=r"notes\.md:1: no title"):
        run(path)
    assert counts() == (0, 0, 0, 0, 0)


def test_a_gbk_file_is_reported_as_such(tmp_path):
    path = write(tmp_path, "gbk.md", FRONT_MATTER + BODY, encoding="gbk")
    with pytest.raises(CommandError, match=r"gbk\.md:3: the file is not UTF-8 .* GBK/GB18030"):
        run(path)
    assert counts() == (0, 0, 0, 0, 0)


def test_one_bad_file_in_a_folder_writes_nothing_at_all(tmp_path):
    write(tmp_path, "a-good.md", FRONT_MATTER + BODY)
    write(tmp_path, "b-bad.md", [""])
    write(tmp_path, "README.md", ["# not a regulation"])
    with pytest.raises(CommandError, match=r"b-bad\.md: the file is empty"):
        run(tmp_path)
    assert counts() == (0, 0, 0, 0, 0)


def test_a_failure_while_writing_rolls_back_the_earlier_files(tmp_path, monkeypatch):
    write(tmp_path, "a.md", FRONT_MATTER + BODY)
    write(tmp_path, "b.md", [line.replace("TEST", "OTHER") for line in FRONT_MATTER] + BODY)
    real_import = services.edition_import

    def failing_second(parsed, **kwargs):
        if parsed.code == "OTHER":
            raise services.ValidationError("the database said no")
        return real_import(parsed, **kwargs)

    monkeypatch.setattr(services, "edition_import", failing_second)
    with pytest.raises(CommandError, match="the database said no"):
        run(tmp_path)
    assert counts() == (0, 0, 0, 0, 0)


def test_a_folder_without_texts_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="no \\*.md regulation text"):
        run(tmp_path)


def test_a_bad_effective_date_is_an_error(tmp_path):
    path = write(tmp_path, "plain.md", BODY)
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run(path, "--code", "X", "--effective", "2024-13-01")
