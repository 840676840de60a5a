"""portal.rows builds model instances from plain-SQL rows exactly as the ORM does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment
from portal import access, rows
from portal.models import Organisation
from tests.assessments.factories import load_small_questionnaire, start_assessment

pytestmark = pytest.mark.django_db


def read_row(model, pk, without=frozenset()):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {rows.columns(model, 't', without)} FROM {rows.table(model)} t WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()


def test_an_instance_from_a_row_equals_the_orms(organisation, org_owner):
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    built, end = rows.take(Assessment, read_row(Assessment, assessment.pk))
    loaded = Assessment.objects.get(pk=assessment.pk)
    assert end == len(rows.fields(Assessment))
    for name in rows.fields(Assessment):
        assert getattr(built, name) == getattr(loaded, name), name
    # JSON columns come decoded and dates typed, on PostgreSQL and SQLite alike.
    assert isinstance(built.modules, list) and built.modules == loaded.modules
    assert isinstance(built.scoping, dict) and built.scoping
    assert built.created_at == loaded.created_at and built.created_at.tzinfo is not None
    assert not built._state.adding


def test_fields_left_out_are_deferred_and_read_on_first_use(organisation, org_owner):
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    without = frozenset({"scoping"})
    built, _end = rows.take(Assessment, read_row(Assessment, assessment.pk, without), 0, without)
    assert built.get_deferred_fields() == {"scoping"}
    with CaptureQueriesContext(connection) as queries:
        assert built.scoping == Assessment.objects.get(pk=assessment.pk).scoping
    assert len(queries) == 2  # the deferred field, and the comparison's own read


def test_an_attached_relation_costs_no_query(organisation, org_owner):
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    built, _end = rows.take(Assessment, read_row(Assessment, assessment.pk))
    rows.attach(built, "organisation", Organisation.objects.get(pk=organisation.pk))
    with CaptureQueriesContext(connection) as queries:
        assert built.organisation.name == organisation.name
    assert len(queries) == 0


def test_the_access_check_loads_the_assessment_as_with_context_does(organisation, org_owner):
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    with CaptureQueriesContext(connection) as queries:
        got = access.get_assessment_for_user(org_owner, assessment.pk)
        seen = (got.organisation.name, got.version.questionnaire.code, got.version.number)
    assert len(queries) == 1
    expected = Assessment.objects.with_context().get(pk=assessment.pk)
    assert seen == (
        expected.organisation.name,
        expected.version.questionnaire.code,
        expected.version.number,
    )
    assert got.version.get_deferred_fields() == {"rules", "red_line_policy", "removed"}
    assert got.current_membership.role == "owner" and got.current_membership.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_a_query_run_five_times_is_kept_prepared_on_postgresql(organisation, org_owner):
    load_small_questionnaire()
    assessment = start_assessment(organisation, org_owner, S01="domestic", S02=500)
    for _ in range(6):
        access.get_assessment_for_user(org_owner, assessment.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any("JOIN" in s and "m.role" in s for s in statements), statements
