from django.db import models


class Greeting(models.Model):
    """The one row the bare page reads (written by the migration)."""

    text = models.CharField(max_length=100)

    def __str__(self):
        return self.text
