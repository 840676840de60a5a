"""Factories for the regulation library (tests only)."""

import datetime

import factory
from django.contrib.auth.models import Permission

from regulations.models import Article, Chapter, Edition, KeyPoint, Regulation, Section
from regulations.services import paragraphs_from_text, text_fingerprint
from tests.factories import UserFactory


class RegulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regulation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"REG{n}")
    title_zh = factory.Sequence(lambda n: f"测试管理规定{n}")
    title_en = factory.Sequence(lambda n: f"Test Provisions {n}")
    kind = Regulation.Kind.DEPARTMENTAL_RULE
    issuer_zh = "国家互联网信息办公室"
    issuer_en = "Cyberspace Administration of China"
    effective = datetime.date(2020, 1, 1)


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    regulation = factory.SubFactory(RegulationFactory)
    status = Edition.Status.PUBLISHED
    effective_from = datetime.date(2020, 1, 1)
    title = factory.LazyAttribute(lambda o: o.regulation.title_zh)


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter

    edition = factory.SubFactory(EditionFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "总则"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    chapter = factory.SubFactory(ChapterFactory)
    number = 1
    title = "一般规定"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    edition = factory.SubFactory(EditionFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.LazyAttribute(lambda o: f"第{o.number}条的测试条文，涉及个人信息的处理。")
    paragraphs = factory.LazyAttribute(lambda o: paragraphs_from_text(o.text))
    fingerprint = factory.LazyAttribute(lambda o: text_fingerprint(o.text))


class KeyPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyPoint

    regulation = factory.SubFactory(RegulationFactory)
    article_number = 1
    zh = "要点（中文）"
    en = "Key point (English)"


def edition_with_articles(
    *, regulation=None, effective_from=datetime.date(2020, 1, 1), articles=5, chapters=1, **kwargs
):
    """A published edition with `chapters` chapters and `articles` articles spread over them."""
    edition = EditionFactory(
        regulation=regulation or RegulationFactory(), effective_from=effective_from, **kwargs
    )
    made = [
        ChapterFactory(edition=edition, number=n + 1, title=f"第{n + 1}章") for n in range(chapters)
    ]
    for n in range(articles):
        ArticleFactory(edition=edition, number=n + 1, chapter=made[n * chapters // articles])
    return edition


def content_admin_with_permissions(user=None):
    """A staff user holding every permission of the regulations app."""
    user = user or UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="regulations"))
    return user
