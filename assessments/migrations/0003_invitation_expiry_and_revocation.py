# Invitations expire (INVITATION_DAYS after they were sent) and can be revoked.

import django.db.models.deletion
from datetime import timedelta

from django.conf import settings
from django.db import migrations, models


def expire_from_creation(apps, schema_editor):
    """Existing invitations expire INVITATION_DAYS after they were sent (old ones already have)."""
    Invitation = apps.get_model("assessments", "Invitation")
    days = timedelta(days=getattr(settings, "INVITATION_DAYS", 7))
    for invitation in Invitation.objects.filter(expires_at__isnull=True).only("created_at"):
        invitation.expires_at = invitation.created_at + days
        invitation.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_submission_attestation_alter_assessment_status"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(expire_from_creation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="invitation",
            name="expires_at",
            field=models.DateTimeField(),
        ),
        migrations.AddField(
            model_name="invitation",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="invitation",
            name="revoked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
