from django.db import models


class AssessmentQuerySet(models.QuerySet):
    def for_organisations(self, organisations):
        return self.filter(organisation__in=organisations)

    def with_context(self):
        return self.select_related("organisation", "version__questionnaire")
