"""The PDF report of a submission: the result page's content, laid out for print (WeasyPrint).

Rendered in the active language; Chinese text uses the Noto CJK fonts installed on the host.
The chart is the same server-rendered SVG as on the page.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from assessments import results, selectors


def report_html(submission, stored) -> str:
    context = results.result_context(submission, stored)
    context.update(selectors.submission_review(submission))  # a tier override, beside the tier
    context.update(for_pdf=True, generated_at=timezone.now())
    return render_to_string("assessments/results/report.html", context)


def report_pdf(submission, stored, *, base_url: str | None = None) -> bytes:
    """The report as PDF bytes; `base_url` makes the article links absolute."""
    from weasyprint import HTML  # imported here: it is slow to import and only needed here

    return HTML(string=report_html(submission, stored), base_url=base_url).write_pdf()


def report_filename(submission) -> str:
    return f"hegui-assessment-{submission.assessment_id}-submission-{submission.number}.pdf"
