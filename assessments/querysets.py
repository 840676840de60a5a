from django.db import models


class AssessmentQuerySet(models.QuerySet):
    def with_context(self):
        """With the organisation and the questionnaire version. The version's rules (some
        20 KB of JSON), red-line policy and removed list are left in the database until read
        (re-scoping and exports read them): the pages that use this do not."""
        return self.select_related("organisation", "version__questionnaire").defer(
            "version__rules", "version__red_line_policy", "version__removed"
        )
