"""Article lineage between editions: the alignment core, the stored correspondence, the
importer's proposal for the Cybersecurity Law 2016 → 2026, confirmation and correction, and
history, key points and "changed articles" following the lineage rather than the number."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from regulations import lineage, selectors, services
from regulations.lineage import AMENDED, MERGED, NEW, RENUMBERED, REPEALED, SAME, SPLIT, Link
from regulations.models import ArticleLink, Edition, Lineage
from regulations.parsing import normalise_for_comparison, parse_regulation

# The correspondence of every article of the 2016 Cybersecurity Law (79 articles) to the
# 2026 consolidated text (81 articles), checked by reading both texts side by side:
# - the amendment inserted new Art. 3 (the Party's leadership), so old 3–17 are new 4–18
#   word for word;
# - old Art. 18 kept its first paragraph as new Art. 19; its second paragraph (innovative
#   network security management) became the second paragraph of new Art. 20, which is
#   otherwise the new provision on artificial intelligence: a split;
# - old 19–60 are new 21–62 (old 21, graded protection, is new 23); old 34, 40, 59, 60 were
#   reworded;
# - the liability chapter moved irregularly: new Art. 63 (uncertified equipment) is new;
#   old 61–63 are new 64–66, old 65 is new 67, old 67 is new 68, old 68 is new 69 (which
#   also took item (一) of old 69), old 69 is new 70; old 64 (personal information), old 66
#   (critical infrastructure data stored abroad) and old 70 (prohibited information) were
#   folded into the referral clause of new Art. 71;
# - new Art. 73 (lighter penalties under the Administrative Penalty Law) is new; old 71–79
#   are new 72 and 74–81.
EXPECTED_CSL = {
    **{n: ([n], SAME) for n in (1, 2)},
    **{n: ([n + 1], RENUMBERED) for n in range(3, 18)},
    18: ([19, 20], SPLIT),
    **{n: ([n + 2], RENUMBERED) for n in range(19, 61)},
    34: ([36], AMENDED),
    40: ([42], AMENDED),
    59: ([61], AMENDED),
    60: ([62], AMENDED),
    61: ([64], AMENDED),
    62: ([65], AMENDED),
    63: ([66], AMENDED),
    64: ([71], MERGED),
    65: ([67], AMENDED),
    66: ([71], MERGED),
    67: ([68], AMENDED),
    68: ([69], AMENDED),
    69: ([70], AMENDED),
    70: ([71], MERGED),
    71: ([72], RENUMBERED),
    72: ([74], RENUMBERED),
    73: ([75], AMENDED),
    74: ([76], RENUMBERED),
    75: ([77], AMENDED),
    **{n: ([n + 2], RENUMBERED) for n in range(76, 80)},
}
NEW_IN_2026 = [3, 63, 73]


def csl_texts(shared_dir):
    parsed = [
        parse_regulation((shared_dir / name).read_bytes(), path=name)
        for name in ("cybersecurity-law-2016.md", "cybersecurity-law.md")
    ]
    return [[(a.number, normalise_for_comparison(a.text)) for a in p.articles] for p in parsed]


def as_table(links):
    table = {}
    for link in links:
        if link.old is not None:
            targets, kinds = table.setdefault(link.old, ([], set()))
            if link.new is not None:
                targets.append(link.new)
            kinds.add(link.kind)
    return {old: (sorted(targets), kinds.pop()) for old, (targets, kinds) in table.items()}


def test_the_expected_table_names_every_2016_article_once():
    assert sorted(EXPECTED_CSL) == list(range(1, 80))
    targets = sorted({n for new, _kind in EXPECTED_CSL.values() for n in new} | set(NEW_IN_2026))
    assert targets == list(range(1, 82))


def test_the_proposal_for_the_cybersecurity_law_maps_every_2016_article(shared_dir):
    old, new = csl_texts(shared_dir)
    links = lineage.propose(old, new)
    assert as_table(links) == EXPECTED_CSL
    assert sorted(link.new for link in links if link.kind == NEW) == NEW_IN_2026
    assert lineage.validate(links, range(1, 80), range(1, 82)) == []
    # The graded-protection article: 2016 Art. 21 is 2026 Art. 23, word for word.
    assert lineage.targets(links, 21) == [23]
    assert lineage.sources(links, 23) == [21]
    assert lineage.sources(links, 71) == [64, 66, 70]


def test_changed_articles_are_the_real_changes_not_the_renumbered_ones(shared_dir):
    old, new = csl_texts(shared_dir)
    changed = lineage.changed_new_numbers(lineage.propose(old, new))
    assert changed == [3, 19, 20, 36, 42, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 73, 75, 77]


# --------------------------------------------------------------------------- pure core


def test_an_identical_text_is_same_and_a_shifted_one_renumbered():
    old = [(1, "总则第一条的文字内容"), (2, "网络运营者应当履行安全保护义务")]
    new = [(1, "总则第一条的文字内容"), (2, "新增的关于人工智能发展的规定"), (3, old[1][1])]
    assert lineage.propose(old, new) == [
        Link(1, 1, SAME, 1.0),
        Link(2, 3, RENUMBERED, 1.0),
        Link(None, 2, NEW, 0.0),
    ]


def test_an_article_with_no_trace_is_repealed():
    old = [(1, "总则第一条的文字内容"), (2, "关于电报电话业务的过渡性安排")]
    new = [(1, "总则第一条的文字内容")]
    assert lineage.propose(old, new) == [Link(1, 1, SAME, 1.0), Link(2, None, REPEALED, 0.0)]


def test_validate_names_rows_that_do_not_fit():
    problems = lineage.validate([Link(1, 5, AMENDED), Link(2, None, AMENDED)], [1, 2, 3], [1])
    assert ("old-missing", 3) in problems
    assert ("new-missing", 1) in problems
    assert ("new-unknown", 5) in problems
    assert ("kind-mismatch", 2) in problems


# --------------------------------------------------------------------------- import


def run(*args):
    out = StringIO()
    call_command("import_regulation", *map(str, args), stdout=out)
    return out.getvalue()


def csl_editions():
    return list(
        Edition.objects.filter(regulation__code="CSL", status="published").order_by(
            "effective_from"
        )
    )


@pytest.mark.parametrize("order", ["old-first", "new-first"])
def test_importing_both_texts_stores_the_proposed_lineage(db, shared_dir, order):
    files = ["cybersecurity-law-2016.md", "cybersecurity-law.md"]
    outputs = [run(shared_dir / name) for name in (files if order == "old-first" else files[::-1])]
    old, new = csl_editions()
    row = Lineage.objects.get(from_edition=old, to_edition=new)
    assert row.status == Lineage.Status.PROPOSED
    stored = [Link(x.old_number, x.new_number, x.kind) for x in row.links.all()]
    assert as_table(stored) == EXPECTED_CSL
    if order == "old-first":
        # The import reports the real changes, not "3-81".
        assert (
            outputs[1]
            .strip()
            .endswith("created (changed articles: 3, 19-20, 36, 42, 61-71, 73, 75, 77)")
        )


def test_the_history_of_the_graded_protection_article_follows_the_lineage(db, shared_dir, client):
    run(shared_dir / "cybersecurity-law-2016.md")
    run(shared_dir / "cybersecurity-law.md")
    client.cookies["django_language"] = "en"
    content = client.get(
        reverse("regulations:article_history", args=["CSL", 23]) + "?on=2026-06-01"
    ).content.decode()
    assert "第二十一条" in content and "第二十三条" in content
    assert "国家实行网络安全等级保护制度" in content
    assert "Renumbered" in content
    # The same words (only a full-width colon differs), not a full delete and insert.
    assert content.count("<del>") == 1 and "<del>:</del><ins>：</ins>" in content
    # The 2016 Art. 23 (equipment certification) is reached from its own edition.
    old = client.get(
        reverse("regulations:article_history", args=["CSL", 23]) + "?on=2025-06-01"
    ).content.decode()
    assert "网络关键设备和网络安全专用产品" in old
    assert "第二十五条" in old


def test_the_key_point_follows_the_lineage_on_an_earlier_date(db, shared_dir, client):
    call_command("load_catalogue", stdout=StringIO())
    run(shared_dir / "cybersecurity-law-2016.md")
    run(shared_dir / "cybersecurity-law.md")
    page = selectors.regulation_page("CSL", datetime.date(2025, 6, 1))
    by_number = {a.number: a for a in page.articles}
    graded = by_number[21].key_point
    assert graded is not None and graded.article_number == 23
    certification = by_number[23].key_point
    assert certification is None or certification.article_number == 25


# --------------------------------------------------------------------------- admins


@pytest.fixture
def csl_lineage(db, shared_dir):
    run(shared_dir / "cybersecurity-law-2016.md")
    run(shared_dir / "cybersecurity-law.md")
    old, new = csl_editions()
    return Lineage.objects.get(from_edition=old, to_edition=new)


def test_a_content_admin_confirms_and_a_new_proposal_leaves_it_alone(csl_lineage, content_admin):
    services.lineage_confirm(row=csl_lineage, by=content_admin)
    csl_lineage.refresh_from_db()
    assert csl_lineage.status == Lineage.Status.CONFIRMED
    assert csl_lineage.confirmed_by == content_admin
    csl_lineage.links.filter(old_number=69).update(kind=SPLIT)
    services.lineage_propose(
        from_edition=csl_lineage.from_edition, to_edition=csl_lineage.to_edition
    )
    assert csl_lineage.links.get(old_number=69).kind == SPLIT


def test_a_correction_is_stored_and_history_follows_it(csl_lineage, content_admin, client):
    links = [Link(x.old_number, x.new_number, x.kind) for x in csl_lineage.links.all()]
    # Say item (一) of old Art. 69 went to new Art. 69 as well.
    links = [x for x in links if x.old != 69] + [Link(69, 69, SPLIT), Link(69, 70, SPLIT)]
    services.lineage_correct(row=csl_lineage, links=links, by=content_admin)
    assert sorted(csl_lineage.links.filter(old_number=69).values_list("new_number", flat=True)) == [
        69,
        70,
    ]
    versions = selectors.article_history(
        csl_lineage.to_edition.regulation, 69, datetime.date(2026, 6, 1)
    )
    assert versions[0].numbers == [68, 69]


def test_a_correction_that_leaves_an_article_out_writes_nothing(csl_lineage, content_admin):
    before = list(csl_lineage.links.values_list("old_number", "new_number", "kind"))
    links = [Link(x.old_number, x.new_number, x.kind) for x in csl_lineage.links.all()]
    with pytest.raises(ValidationError) as error:
        services.lineage_correct(
            row=csl_lineage, links=[x for x in links if x.old != 64], by=content_admin
        )
    assert "Earlier article 64 has no row" in " ".join(error.value.messages)
    assert list(csl_lineage.links.values_list("old_number", "new_number", "kind")) == before
    assert Lineage.objects.get(pk=csl_lineage.pk).status == Lineage.Status.PROPOSED
    assert ArticleLink.objects.filter(lineage=csl_lineage).count() == len(before)
