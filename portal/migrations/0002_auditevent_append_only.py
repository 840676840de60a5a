"""Audit events keep who acted after the account is deleted, and cannot be rewritten.

The actor's e-mail address and name are copied into each event (existing events are filled in
from the users table before the trigger exists). The actor and organisation references lose
their foreign-key constraint so deleting a user or an organisation leaves the events as they
were. Then the database refuses to change events: on PostgreSQL a row trigger raises on UPDATE
and DELETE; on SQLite (development only) a trigger raises on UPDATE; DELETE stays possible
there because the test runner empties tables with DELETE between transactional tests.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION portal_auditevent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER portal_auditevent_append_only
    BEFORE UPDATE OR DELETE ON portal_auditevent
    FOR EACH ROW EXECUTE FUNCTION portal_auditevent_append_only();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS portal_auditevent_append_only ON portal_auditevent;
DROP FUNCTION IF EXISTS portal_auditevent_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER IF NOT EXISTS portal_auditevent_append_only
    BEFORE UPDATE ON portal_auditevent
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS portal_auditevent_append_only;"
TRIGGERS = {
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
}


def copy_actor_identity(apps, schema_editor):
    AuditEvent = apps.get_model("portal", "AuditEvent")
    User = apps.get_model("portal", "User")
    events = AuditEvent.objects.filter(actor_id__isnull=False, actor_email="")
    for user in User.objects.filter(pk__in=events.values("actor_id")).iterator():
        events.filter(actor_id=user.pk).update(
            actor_email=user.email, actor_name=(user.full_name or "")[:150]
        )


def run_for_vendor(direction):
    def run(apps, schema_editor):
        statements = TRIGGERS.get(schema_editor.connection.vendor)
        if statements:
            schema_editor.execute(statements[direction], params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="actor_email",
            field=models.EmailField(blank=True, max_length=254),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_name",
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="portal.organisation",
            ),
        ),
        migrations.RunPython(copy_actor_identity, migrations.RunPython.noop),
        migrations.RunPython(run_for_vendor(0), run_for_vendor(1)),
    ]
