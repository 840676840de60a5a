"""The PDF report of a submission: the result page's content, laid out for print (WeasyPrint).

Rendered in the active language; Chinese text uses the Noto CJK fonts installed on the host.
The chart is the same server-rendered SVG as on the page.

A scored submission's report can only change with the language and with a regulator's tier
override, so it is rendered once per (language, override) and kept beside the evidence files,
outside any public path: `report_file` returns the stored file, rendering it the first time.
With REPORTS_PRERENDER on, the worker renders both languages right after scoring (task
`render_reports`, on the "reports" queue), so the first download is already a stored file.
"""

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from assessments import results, selectors

LANGUAGES = ("zh-hans", "en")


def report_html(submission, stored) -> str:
    context = results.result_context(submission, stored)
    context.update(selectors.submission_review(submission))  # a tier override, beside the tier
    context.update(for_pdf=True, generated_at=timezone.now())
    if stored is not None:
        from assessments.appendix import appendix_context

        context.update(appendix_context(submission))
    return render_to_string("assessments/results/report.html", context)


def report_pdf(submission, stored, *, base_url: str | None = None) -> bytes:
    """The report as PDF bytes; `base_url` makes the article links absolute."""
    from weasyprint import HTML  # imported here: it is slow to import and only needed here

    from assessments.pdf_fonts import finisher  # the CJK fonts without their empty slots

    html = HTML(string=report_html(submission, stored), base_url=base_url)
    return html.write_pdf(finisher=finisher)


def report_filename(submission) -> str:
    return f"hegui-assessment-{submission.assessment_id}-submission-{submission.number}.pdf"


def report_path(submission, override, language: str) -> Path:
    """Where the report of `submission` in `language` under `override` is kept."""
    return path_for(submission.pk, override.pk if override else None, language)


def path_for(submission_id: int, override_id: int | None, language: str) -> Path:
    stamp = f"override-{override_id}" if override_id else "computed"
    folder = Path(settings.MEDIA_ROOT) / "reports" / str(submission_id)
    return folder / f"{language}-{stamp}.pdf"


def stored_report_path(submission, override_id: int | None) -> Path:
    """Where the report in the active language under the override `override_id` (None: the
    computed tier) is kept, whether or not it has been rendered yet."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return path_for(submission.pk, override_id, language)


def report_file(submission, stored) -> Path:
    """The stored PDF for the active language and the override in force, rendered if missing.

    Written to a temporary file and renamed into place, so a concurrent download never reads
    a half-written report; two concurrent first renders both write the same content.
    """
    from supervision.selectors import override_for

    language = translation.get_language() or settings.LANGUAGE_CODE
    path = report_path(submission, override_for(submission.pk), language)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = report_pdf(submission, stored, base_url=settings.SITE_URL)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(pdf)
    os.replace(temporary, path)
    return path


def prerender(submission_id: int) -> int:
    """Render the reports of a scored submission in every language; how many were rendered."""
    from assessments.models import ScoreResult

    stored = (
        ScoreResult.objects.select_related("submission__assessment__organisation")
        .filter(submission_id=submission_id)
        .first()
    )
    if stored is None:
        return 0
    rendered = 0
    for language in LANGUAGES:
        with translation.override(language):
            before = report_path(stored.submission, None, language).exists()
            report_file(stored.submission, stored)
            rendered += not before
    return rendered
