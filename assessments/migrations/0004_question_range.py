# A numeric question's range (the data file's `range: {min, max}`), checked by AnswerForm.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_invitation_expiry_and_revocation"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="range_max",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="question",
            name="range_min",
            field=models.FloatField(blank=True, null=True),
        ),
    ]
