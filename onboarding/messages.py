"""The sheet's problem codes in the reader's language."""

from django.utils.translation import gettext_lazy as _

PROBLEMS = {
    "empty": _("The file is empty."),
    "no_rows": _("The file has a header but no rows."),
    "too_many": _("The file has more than %(max)s rows; split it."),
    "header_missing": _("The first row must name the columns; missing: %(columns)s."),
    "header_twice": _("The column %(column)s appears twice."),
    "name_missing": _("The name is empty."),
    "name_long": _("The name is longer than 200 characters."),
    "uscc_missing": _("The credit code is empty."),
    "uscc_invalid": _("The credit code %(code)s is not valid: %(reason)s"),
    "uscc_repeated": _("The credit code %(code)s is already on row %(row)s."),
    "uscc_registered": _("An organisation with the credit code %(code)s is already registered."),
    "province_missing": _("The province is empty."),
    "province_unknown": _("Unknown province: %(value)s."),
    "sector_missing": _("The sector is empty."),
    "sector_unknown": _("Unknown sector: %(value)s."),
    "size_unknown": _("Unknown size: %(value)s (large, medium, small or micro)."),
    "outside": _("%(province)s / %(sector)s is outside your jurisdiction."),
    "email_missing": _("The contact e-mail is empty."),
    "email_invalid": _("The contact e-mail %(value)s is not an e-mail address."),
}
UNREADABLE = {
    "too_large": _("The file is too large (5 MB at most)."),
    "not_xlsx": _("The file is not an Excel workbook (.xlsx) that can be opened."),
    "not_csv": _("The file is neither an Excel workbook (.xlsx) nor a CSV file."),
    "encoding": _("The CSV file is neither UTF-8 nor GB18030 text."),
    "conflict": _("Another organisation was registered meanwhile; check the file again."),
}


def problem_text(problem) -> str:
    if problem.code.startswith("file:"):
        return str(UNREADABLE[problem.code.removeprefix("file:")])
    text = str(PROBLEMS[problem.code])
    return text % problem.params if problem.params else text
