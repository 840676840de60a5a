"""Issue 9, defect 4: the audit trail keeps who acted and the database refuses to rewrite it."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from portal.audit import audit_record
from portal.models import AuditEvent, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(org_owner, organisation):
    return audit_record(
        actor=org_owner, verb="assessment.start", obj=organisation, organisation=organisation
    )


def raw(sql, pk):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql.format(table=AuditEvent._meta.db_table), [pk])
        return cursor.rowcount


def test_an_event_copies_the_actors_address_and_name(event, org_owner):
    assert (event.actor_email, event.actor_name) == (org_owner.email, org_owner.full_name)


def test_an_anonymous_actor_is_recorded_as_nobody(organisation):
    from django.contrib.auth.models import AnonymousUser

    event = audit_record(
        actor=AnonymousUser(), verb="x.y", obj=organisation, organisation=organisation
    )
    assert (event.actor_id, event.actor_email, event.actor_label) == (None, "", "-")


def test_deleting_a_user_keeps_their_events_and_who_they_were(event, org_owner):
    user_pk, name = org_owner.pk, org_owner.full_name
    org_owner.delete()
    assert not User.objects.filter(pk=user_pk).exists()
    kept = AuditEvent.objects.get(pk=event.pk)
    assert (kept.actor_id, kept.actor_name, kept.actor_label) == (user_pk, name, name)
    assert name in str(kept)


def test_the_admin_lists_an_event_of_a_deleted_user(client, admin_user, event, org_owner):
    name = org_owner.full_name
    org_owner.delete()
    client.force_login(admin_user)
    response = client.get(reverse("admin:portal_auditevent_changelist"))
    assert response.status_code == 200
    assert name in response.content.decode()


def test_the_model_refuses_to_change_or_delete_an_event(event):
    event.verb = "rewritten"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="rewritten")
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_the_database_refuses_an_update_through_the_orm(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent._base_manager.filter(pk=event.pk).update(verb="rewritten")
    assert AuditEvent.objects.get(pk=event.pk).verb == "assessment.start"


def test_the_database_refuses_an_update_in_sql(event):
    with pytest.raises(DatabaseError):
        raw("UPDATE {table} SET verb = 'rewritten', actor_id = NULL WHERE id = %s", event.pk)
    assert AuditEvent.objects.get(pk=event.pk).actor_id is not None


def test_the_database_refuses_a_delete_on_postgresql(event):
    """On PostgreSQL a trigger refuses DELETE. On SQLite (development only) the test runner
    empties tables with DELETE, so there the model and queryset refuse it instead (above)."""
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError):
            raw("DELETE FROM {table} WHERE id = %s", event.pk)
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent._base_manager.filter(pk=event.pk).delete()
        assert AuditEvent.objects.filter(pk=event.pk).exists()
    else:
        assert connection.vendor == "sqlite"
        assert raw("DELETE FROM {table} WHERE id = %s", event.pk) == 1
