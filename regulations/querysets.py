"""Reusable reads on editions and articles."""

import datetime

from django.db import models
from django.db.models import Q


def in_force_q(on: datetime.date, prefix: str = "") -> Q:
    """Published editions (through ``prefix``) whose window contains the day ``on``."""
    return Q(
        **{
            f"{prefix}status": "published",
            f"{prefix}effective_from__lte": on,
        }
    ) & (Q(**{f"{prefix}effective_to__isnull": True}) | Q(**{f"{prefix}effective_to__gte": on}))


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def drafts(self):
        return self.filter(status="draft")

    def in_force_on(self, on: datetime.date):
        return self.filter(in_force_q(on)).order_by("-effective_from")


class ArticleQuerySet(models.QuerySet):
    def in_force_on(self, on: datetime.date):
        return self.filter(in_force_q(on, "edition__")).order_by(
            "edition__regulation__code", "-edition__effective_from", "number"
        )

    def with_structure(self):
        return self.select_related("edition__regulation", "chapter", "section")
