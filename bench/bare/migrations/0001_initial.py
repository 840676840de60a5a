from django.db import migrations, models


def greeting_create(apps, schema_editor):
    apps.get_model("bare", "Greeting").objects.create(text="Hello from the bare page")


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Greeting",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("text", models.CharField(max_length=100)),
            ],
        ),
        migrations.RunPython(greeting_create, migrations.RunPython.noop),
    ]
