from django.db import models


class AssessmentQuerySet(models.QuerySet):
    def with_context(self):
        return self.select_related("organisation", "version__questionnaire")
