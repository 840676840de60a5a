"""Content admins confirm or correct a proposed lineage in the admin; publishing a draft
proposes one; a correction that does not cover both editions is refused whole."""

import datetime

import pytest
from django.urls import reverse

from regulations import services
from regulations.models import ArticleLink, Lineage
from tests.regulations.factories import RegulationFactory, edition_with_articles

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, regulations_admin):
    client.cookies["django_language"] = "en"
    client.force_login(regulations_admin)
    return client


@pytest.fixture
def published(regulations_admin):
    """TST with a 2020 edition of three articles and a 2024 one where a new article 1 was
    inserted (the old ones are renumbered) and old article 3 was reworded."""
    first = edition_with_articles(
        regulation=RegulationFactory(code="TST"),
        effective_from=datetime.date(2020, 1, 1),
        articles=3,
    )
    texts = {
        1: "网络运营者应当履行网络安全保护义务，接受政府和社会的监督。",
        2: "国家建立和完善网络安全标准体系，支持企业参与标准制定。",
        3: "关键信息基础设施的运营者应当在境内存储个人信息和重要数据。",
    }
    for number, text in texts.items():
        first.articles.filter(number=number).update(text=text, fingerprint=str(number))
    draft = services.edition_create_draft(from_edition=first, by=regulations_admin)
    articles = {a.number: a for a in draft.articles.all()}
    new_texts = {
        1: "国家坚持网络安全与信息化发展并重，推进人工智能健康发展。",
        2: texts[1],
        3: texts[2],
    }
    for number, text in new_texts.items():
        services.article_revise(article=articles[number], text=text, by=regulations_admin)
    article = articles[3]
    article.pk = None
    article.number = 4
    article.text = texts[3].replace("应当", "必须")
    article.save()
    services.edition_publish(
        edition=draft, effective_from=datetime.date(2024, 1, 1), by=regulations_admin
    )
    return first, draft


def test_publishing_a_draft_proposes_the_lineage(published):
    first, second = published
    row = Lineage.objects.get(from_edition=first, to_edition=second)
    assert row.status == Lineage.Status.PROPOSED
    assert set(row.links.values_list("old_number", "new_number", "kind")) == {
        (1, 2, "renumbered"),
        (2, 3, "renumbered"),
        (3, 4, "amended"),
        (None, 1, "new"),
    }


def form_data(row, rows):
    data = {
        "links-TOTAL_FORMS": str(len(rows)),
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
    }
    existing = list(row.links.all())
    for index, link in enumerate(existing):
        data[f"links-{index}-id"] = str(link.pk)
        data[f"links-{index}-lineage"] = str(row.pk)
        data[f"links-{index}-DELETE"] = "on"
    offset = len(existing)
    data["links-TOTAL_FORMS"] = str(offset + len(rows))
    data["links-INITIAL_FORMS"] = str(offset)
    for index, (old, new, kind) in enumerate(rows, start=offset):
        data[f"links-{index}-lineage"] = str(row.pk)
        data[f"links-{index}-old_number"] = "" if old is None else str(old)
        data[f"links-{index}-new_number"] = "" if new is None else str(new)
        data[f"links-{index}-kind"] = kind
    return data


def test_an_admin_corrects_and_confirms_the_lineage(admin_client, published, regulations_admin):
    first, second = published
    row = Lineage.objects.get(from_edition=first, to_edition=second)
    url = reverse("admin:regulations_lineage_change", args=[row.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "renumbered" in page.content.decode()
    rows = [(1, 2, "renumbered"), (2, 3, "renumbered"), (3, 4, "amended"), (3, 1, "split")]
    response = admin_client.post(url, form_data(row, rows))
    assert response.status_code == 302, response.content.decode()[:3000]
    row.refresh_from_db()
    assert row.status == Lineage.Status.CONFIRMED
    assert row.confirmed_by == regulations_admin
    assert sorted(row.links.values_list("old_number", "new_number", "kind")) == sorted(rows)


def test_a_correction_leaving_an_article_out_is_refused_and_nothing_is_written(
    admin_client, published
):
    first, second = published
    row = Lineage.objects.get(from_edition=first, to_edition=second)
    before = sorted(row.links.values_list("old_number", "new_number", "kind"), key=str)
    url = reverse("admin:regulations_lineage_change", args=[row.pk])
    rows = [(1, 2, "renumbered"), (2, 3, "renumbered"), (None, 1, "new")]
    response = admin_client.post(url, form_data(row, rows))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Earlier article 3 has no row" in content
    assert "Later article 4 has no row" in content
    assert (
        sorted(
            ArticleLink.objects.filter(lineage=row).values_list("old_number", "new_number", "kind"),
            key=str,
        )
        == before
    )
    assert Lineage.objects.get(pk=row.pk).status == Lineage.Status.PROPOSED


def test_the_confirm_action(admin_client, published):
    first, second = published
    row = Lineage.objects.get(from_edition=first, to_edition=second)
    response = admin_client.post(
        reverse("admin:regulations_lineage_changelist"),
        {"action": "confirm_selected", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    assert Lineage.objects.get(pk=row.pk).status == Lineage.Status.CONFIRMED


def test_a_correction_refreshes_the_cached_public_pages(
    published, regulations_admin, client, django_capture_on_commit_callbacks
):
    first, second = published
    row = Lineage.objects.get(from_edition=first, to_edition=second)
    url = reverse("regulations:article_history", args=["TST", 4]) + "?on=2024-06-01"
    before = client.get(url).content.decode()
    assert before.count('class="card mb-3"') == 2  # 2020 Art. 3 → 2024 Art. 4
    from regulations.lineage import Link

    links = [
        Link(1, 2, "renumbered"),
        Link(2, 3, "renumbered"),
        Link(3, None, "repealed"),
        Link(None, 1, "new"),
        Link(None, 4, "new"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.lineage_correct(row=row, links=links, by=regulations_admin)
    after = client.get(url).content.decode()
    assert after != before
    assert "This provision is not in this edition." in after or "该版本中没有此条款" in after
