"""Who may open every URL of the project: the resolver's patterns against an explicit table.

Every URL pattern (the admin, i18n and the sign-in pages included) is requested with GET and
POST by eleven personas, with objects of the persona's own organisation ("own") and of another
organisation outside every persona's jurisdiction ("other"). A URL without a row in MATRIX
fails, so a new view cannot be added without deciding who may open it.

Outcomes: a status code, or where a redirect leads — "L" the sign-in page, "A" the admin's
sign-in page, "R" anywhere else (the action ran, or the page moved on).
Columns, in order: anonymous, owner, editor, viewer (of the Beijing organisation), other_org
(owner of the Shanghai one), regulator (Beijing), out_of_province (Guangdong), out_of_sector
(Beijing, finance only), content_admin (staff, seed_demo's group), superuser, platform_admin
(staff, the platform-admins group, as `createadmin` makes one: accounts, organisations,
registration requests and regulators; never an organisation's answers, evidence or results).
"""

import pytest
from django.test import override_settings
from django.urls import path

from tests.security.support import (
    PERSONAS,
    endpoints,
    outcome,
    request_as,
    url_for,
    variants_of,
    world_fixture,
)

world = pytest.fixture(scope="module")(world_fixture)


@pytest.fixture(autouse=True)
def world_files(settings, private_files, world):
    """The world's evidence lives in the module's folder (PRIVATE_MEDIA_ROOT while the world
    exists), not in the folder of its own that each test gets."""
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT


# fmt: off
MATRIX = {
    # Columns:     anonymous, owner, editor, viewer, other_org, regulator, out_of_province,
    #              out_of_sector, content_admin, superuser, platform_admin
    "admin/onboarding/registrationrequest/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "assessments:answer": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   422 422 403 404 404 404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 422 404 404 404 404 404 404",
    },
    "assessments:article": {
        "GET -":       "200 200 200 200 200 200 200 200 200 200 200",
        "POST -":      "405 405 405 405 405 405 405 405 405 405 405",
    },
    "assessments:assign": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   R   403 403 404 404 404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 R   404 404 404 404 404 404",
    },
    "assessments:comment_reply": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   R   R   403 404 404 404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 R   404 404 404 404 404 404",
    },
    "assessments:detail": {
        "GET own":     "L   200 200 200 404 404 404 404 404 404 404",
        "POST own":    "L   200 200 200 404 404 404 404 404 404 404",
        "GET other":   "L   404 404 404 200 404 404 404 404 404 404",
        "POST other":  "L   404 404 404 200 404 404 404 404 404 404",
    },
    "assessments:evidence": {
        "GET own":     "L   200 200 200 404 200 404 404 404 404 404",
        "POST own":    "405 405 405 405 405 405 405 405 405 405 405",
        "GET other":   "L   404 404 404 200 404 404 404 404 404 404",
        "POST other":  "405 405 405 405 405 405 405 405 405 405 405",
    },
    "assessments:evidence_delete": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   R   R   403 404 404 404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 R   404 404 404 404 404 404",
    },
    "assessments:evidence_upload": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   422 422 403 404 404 404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 422 404 404 404 404 404 404",
    },
    "assessments:invitation_accept": {
        "GET own":     "200 403 403 403 403 403 403 403 403 403 403",
        "POST own":    "200 403 403 403 403 403 403 403 403 403 403",
        "GET other":   "200 403 403 403 403 403 403 403 403 403 403",
        "POST other":  "200 403 403 403 403 403 403 403 403 403 403",
    },
    "assessments:invitation_revoke": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   R   403 403 404 404 404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 R   404 404 404 404 404 404",
    },
    "assessments:invite": {
        "GET own":     "L   200 403 403 404 404 404 404 404 404 404",
        "POST own":    "L   200 403 403 404 404 404 404 404 404 404",
        "GET other":   "L   404 404 404 200 404 404 404 404 404 404",
        "POST other":  "L   404 404 404 200 404 404 404 404 404 404",
    },
    "assessments:list": {
        "GET -":       "L   200 200 200 200 200 200 200 200 200 200",
        "POST -":      "L   200 200 200 200 200 200 200 200 200 200",
    },
    "assessments:upgrade": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   R   403 403 404 404 404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 R   404 404 404 404 404 404",
    },
    "assessments:reopen": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   R   403 403 404 404 404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 R   404 404 404 404 404 404",
    },
    "assessments:report": {
        "GET own":     "L   200 200 200 404 200 404 404 404 404 404",
        "POST own":    "405 405 405 405 405 405 405 405 405 405 405",
        "GET other":   "L   404 404 404 200 404 404 404 404 404 404",
        "POST other":  "405 405 405 405 405 405 405 405 405 405 405",
    },
    "assessments:scoping_reuse": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   404 404 403 404 404 404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 404 404 404 404 404 404 404",
    },
    "assessments:section": {
        "GET own":     "L   200 200 200 404 404 404 404 404 404 404",
        "POST own":    "L   200 200 200 404 404 404 404 404 404 404",
        "GET other":   "L   404 404 404 200 404 404 404 404 404 404",
        "POST other":  "L   404 404 404 200 404 404 404 404 404 404",
    },
    "assessments:start": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   R   R   403 404 404 404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 R   404 404 404 404 404 404",
    },
    "assessments:submission": {
        "GET own":     "L   200 200 200 404 200 404 404 404 404 404",
        "POST own":    "405 405 405 405 405 405 405 405 405 405 405",
        "GET other":   "L   404 404 404 200 404 404 404 404 404 404",
        "POST other":  "405 405 405 405 405 405 405 405 405 405 405",
    },
    "assessments:submission_status": {
        "GET own":     "L   200 200 200 404 200 404 404 404 404 404",
        "POST own":    "405 405 405 405 405 405 405 405 405 405 405",
        "GET other":   "L   404 404 404 200 404 404 404 404 404 404",
        "POST other":  "405 405 405 405 405 405 405 405 405 405 405",
    },
    "assessments:submit": {
        "GET own":     "L   R   403 403 404 404 404 404 404 404 404",
        "POST own":    "L   R   403 403 404 404 404 404 404 404 404",
        "GET other":   "L   404 404 404 R   404 404 404 404 404 404",
        "POST other":  "L   404 404 404 R   404 404 404 404 404 404",
    },
    "favicon": {
        "GET -":       "R   R   R   R   R   R   R   R   R   R   R",
        "POST -":      "405 405 405 405 405 405 405 405 405 405 405",
    },
    "healthz": {
        "GET -":       "200 200 200 200 200 200 200 200 200 200 200",
        "POST -":      "405 405 405 405 405 405 405 405 405 405 405",
    },
    "home": {
        "GET -":       "200 200 200 200 200 R   R   R   200 200 200",
        "POST -":      "200 200 200 200 200 R   R   R   200 200 200",
    },
    "login": {
        "GET -":       "200 200 200 200 200 200 200 200 200 200 200",
        "POST -":      "200 200 200 200 200 200 200 200 200 200 200",
    },
    "logout": {
        "GET -":       "405 405 405 405 405 405 405 405 405 405 405",
        "POST -":      "L   L   L   L   L   L   L   L   L   L   L",
    },
    "duedates:event_date": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   R   R   403 404 404 404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 R   404 404 404 404 404 404",
    },
    "notifications:inbox": {
        "GET -":       "L   200 200 200 200 200 200 200 200 200 200",
        "POST -":      "405 405 405 405 405 405 405 405 405 405 405",
    },
    "notifications:preferences": {
        "GET -":       "L   200 200 200 200 200 200 200 200 200 200",
        "POST -":      "L   200 200 200 200 200 200 200 200 200 200",
    },
    "onboarding:import": {
        "GET -":       "L   403 403 403 403 200 200 200 403 403 403",
        "POST -":      "L   403 403 403 403 422 422 422 403 403 403",
    },
    "onboarding:register": {
        "GET -":       "200 200 200 200 200 200 200 200 200 200 200",
        "POST -":      "422 422 422 422 422 422 422 422 422 422 422",
    },
    "onboarding:regulator_change": {
        "GET own":     "L   403 403 403 403 403 403 403 403 200 200",
        "POST own":    "L   403 403 403 403 403 403 403 403 422 422",
        "GET other":   "L   403 403 403 403 403 403 403 403 200 200",
        "POST other":  "L   403 403 403 403 403 403 403 403 422 422",
    },
    "onboarding:regulator_new": {
        "GET -":       "L   403 403 403 403 403 403 403 403 200 200",
        "POST -":      "L   403 403 403 403 403 403 403 403 422 422",
    },
    "onboarding:regulators": {
        "GET -":       "L   403 403 403 403 403 403 403 403 200 200",
        "POST -":      "L   403 403 403 403 403 403 403 403 405 405",
    },
    "onboarding:request": {
        "GET own":     "L   403 403 403 403 200 404 404 403 200 200",
        "POST own":    "L   403 403 403 403 422 404 404 403 422 422",
        "GET other":   "L   403 403 403 403 404 404 404 403 200 200",
        "POST other":  "L   403 403 403 403 404 404 404 403 422 422",
    },
    "onboarding:requests": {
        "GET -":       "L   403 403 403 403 200 200 200 403 200 200",
        "POST -":      "L   403 403 403 403 405 405 405 403 405 405",
    },
    "onboarding:verify": {
        "GET -":       "200 200 200 200 200 200 200 200 200 200 200",
        "POST -":      "200 200 200 200 200 200 200 200 200 200 200",
    },
    "password_change": {
        "GET -":       "L   200 200 200 200 200 200 200 200 200 200",
        "POST -":      "L   200 200 200 200 200 200 200 200 200 200",
    },
    "password_change_done": {
        "GET -":       "L   200 200 200 200 200 200 200 200 200 200",
        "POST -":      "L   405 405 405 405 405 405 405 405 405 405",
    },
    "password_reset": {
        "GET -":       "200 200 200 200 200 200 200 200 200 200 200",
        "POST -":      "200 200 200 200 200 200 200 200 200 200 200",
    },
    "password_reset_complete": {
        "GET -":       "200 200 200 200 200 200 200 200 200 200 200",
        "POST -":      "405 405 405 405 405 405 405 405 405 405 405",
    },
    "password_reset_confirm": {
        "GET -":       "200 200 200 200 200 200 200 200 200 200 200",
        "POST -":      "200 200 200 200 200 200 200 200 200 200 200",
    },
    "password_reset_done": {
        "GET -":       "200 200 200 200 200 200 200 200 200 200 200",
        "POST -":      "405 405 405 405 405 405 405 405 405 405 405",
    },
    "regulations:article_history": {
        "GET -":       "200 200 200 200 200 200 200 200 200 200 200",
        "POST -":      "405 405 405 405 405 405 405 405 405 405 405",
    },
    "regulations:detail": {
        "GET -":       "200 200 200 200 200 200 200 200 200 200 200",
        "POST -":      "405 405 405 405 405 405 405 405 405 405 405",
    },
    "regulations:list": {
        "GET -":       "200 200 200 200 200 200 200 200 200 200 200",
        "POST -":      "405 405 405 405 405 405 405 405 405 405 405",
    },
    "oversight:dashboard": {
        "GET -":       "L   403 403 403 403 200 200 200 403 403 403",
        "POST -":      "405 405 405 405 405 405 405 405 405 405 405",
    },
    "oversight:export_csv": {
        "GET -":       "L   403 403 403 403 200 200 200 403 403 403",
        "POST -":      "405 405 405 405 405 405 405 405 405 405 405",
    },
    "oversight:export_job": {
        "GET own":     "L   403 403 403 403 200 404 404 403 403 403",
        "POST own":    "405 405 405 405 405 405 405 405 405 405 405",
        "GET other":   "L   403 403 403 403 404 404 404 403 403 403",
        "POST other":  "405 405 405 405 405 405 405 405 405 405 405",
    },
    "oversight:export_download": {
        "GET own":     "L   403 403 403 403 200 404 404 403 403 403",
        "POST own":    "405 405 405 405 405 405 405 405 405 405 405",
        "GET other":   "L   403 403 403 403 404 404 404 403 403 403",
        "POST other":  "405 405 405 405 405 405 405 405 405 405 405",
    },
    "oversight:export_xlsx": {
        "GET -":       "L   403 403 403 403 200 200 200 403 403 403",
        "POST -":      "405 405 405 405 405 405 405 405 405 405 405",
    },
    "oversight:history": {
        "GET own":     "L   200 200 200 404 200 404 404 404 404 404",
        "POST own":    "405 405 405 405 405 405 405 405 405 405 405",
        "GET other":   "L   404 404 404 200 404 404 404 404 404 404",
        "POST other":  "405 405 405 405 405 405 405 405 405 405 405",
    },
    "oversight:table_csv": {
        "GET -":       "L   403 403 403 403 200 200 200 403 403 403",
        "POST -":      "405 405 405 405 405 405 405 405 405 405 405",
    },
    "oversight:warning_acknowledge": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   404 404 404 404 404 404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 404 404 404 404 404 404 404",
    },
    "regulations:search": {
        "GET -":       "200 200 200 200 200 200 200 200 200 200 200",
        "POST -":      "405 405 405 405 405 405 405 405 405 405 405",
    },
    "set_language": {
        "GET -":       "R   R   R   R   R   R   R   R   R   R   R",
        "POST -":      "R   R   R   R   R   R   R   R   R   R   R",
    },
    "supervision:claim": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   404 404 404 404 R   404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 404 404 404 404 404 404 404",
    },
    "supervision:comment": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   404 404 404 404 R   404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 404 404 404 404 404 404 404",
    },
    "supervision:decide": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   404 404 404 404 R   404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 404 404 404 404 404 404 404",
    },
    "supervision:override": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   404 404 404 404 404 404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 404 404 404 404 404 404 404",
    },
    "supervision:queue": {
        "GET -":       "L   403 403 403 403 200 200 200 403 403 403",
        "POST -":      "405 405 405 405 405 405 405 405 405 405 405",
    },
    "supervision:review": {
        "GET own":     "L   404 404 404 404 200 404 404 404 404 404",
        "POST own":    "405 405 405 405 405 405 405 405 405 405 405",
        "GET other":   "L   404 404 404 404 404 404 404 404 404 404",
        "POST other":  "405 405 405 405 405 405 405 405 405 405 405",
    },
    "supervision:submission": {
        "GET own":     "L   404 404 404 404 200 404 404 404 404 404",
        "POST own":    "405 405 405 405 405 405 405 405 405 405 405",
        "GET other":   "L   404 404 404 404 404 404 404 404 404 404",
        "POST other":  "405 405 405 405 405 405 405 405 405 405 405",
    },
    "supervision:unclaim": {
        "GET own":     "405 405 405 405 405 405 405 405 405 405 405",
        "POST own":    "L   404 404 404 404 R   404 404 404 404 404",
        "GET other":   "405 405 405 405 405 405 405 405 405 405 405",
        "POST other":  "L   404 404 404 404 404 404 404 404 404 404",
    },
    "twofactor:disable": {
        "GET -":       "405 405 405 405 405 405 405 405 405 405 405",
        "POST -":      "L   R   R   R   R   R   R   R   R   R   R",
    },
    "twofactor:enrol": {
        "GET -":       "L   200 200 200 200 200 200 200 200 200 200",
        "POST -":      "L   200 200 200 200 200 200 200 200 200 200",
    },
    "twofactor:overview": {
        "GET -":       "L   200 200 200 200 200 200 200 200 200 200",
        "POST -":      "L   200 200 200 200 200 200 200 200 200 200",
    },
    "twofactor:recovery_codes": {
        "GET -":       "405 405 405 405 405 405 405 405 405 405 405",
        "POST -":      "L   R   R   R   R   R   R   R   R   R   R",
    },
    "twofactor:verify": {
        "GET -":       "L   L   L   L   L   L   L   L   L   L   L",
        "POST -":      "L   L   L   L   L   L   L   L   L   L   L",
    },
    "admin/(?P<url>.*)$": {
        "GET -":       "A   A   A   A   A   A   A   A   404 404 404",
        "POST -":      "A   A   A   A   A   A   A   A   404 404 404",
    },
    "admin/assessments/lawchangequestion/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/assessments/questionnaireversion/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/assessments/scoreresult/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/assessments/submission/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/auth/group/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/axes/accessattempt/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/axes/accessfailurelog/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/axes/accesslog/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/notifications/notification/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/notifications/notificationpreference/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/otp_static/staticdevice/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/otp_totp/totpdevice/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/portal/auditevent/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/portal/organisation/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/portal/regulatorprofile/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/portal/user/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/regulations/article/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/regulations/lineage/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/regulations/edition/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/regulations/regulation/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/supervision/claim/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/supervision/commentreply/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/supervision/decision/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/supervision/reviewcomment/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin/supervision/tieroverride/<path:object_id>/": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin:app_list": {
        "GET -":       "A   A   A   A   A   A   A   A   404 404 404",
        "POST -":      "A   A   A   A   A   A   A   A   404 404 404",
    },
    "admin:assessments_lawchangequestion_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:assessments_lawchangequestion_change": {  # the world has no law change; read-only
        "GET -":       "A   A   A   A   A   A   A   A   R   R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:assessments_lawchangequestion_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   200 200 403",
    },
    "admin:assessments_lawchangequestion_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:assessments_lawchangequestion_history": {  # the world has no law change
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin:assessments_questionnaireversion_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:assessments_questionnaireversion_change": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:assessments_questionnaireversion_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   200 200 403",
    },
    "admin:assessments_questionnaireversion_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:assessments_questionnaireversion_history": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   200 200 403",
    },
    "admin:assessments_scoreresult_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:assessments_scoreresult_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:assessments_scoreresult_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:assessments_scoreresult_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:assessments_scoreresult_history": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:assessments_submission_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:assessments_submission_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:assessments_submission_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:assessments_submission_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:assessments_submission_history": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:auth_group_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:auth_group_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:auth_group_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:auth_group_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:auth_group_history": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:auth_user_password_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:autocomplete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   405 405 405",
    },
    "admin:axes_accessattempt_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:axes_accessattempt_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 R   403",
    },
    "admin:axes_accessattempt_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:axes_accessattempt_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 R   403",
    },
    "admin:axes_accessattempt_history": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin:axes_accessfailurelog_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:axes_accessfailurelog_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 R   403",
    },
    "admin:axes_accessfailurelog_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:axes_accessfailurelog_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 R   403",
    },
    "admin:axes_accessfailurelog_history": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin:axes_accesslog_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:axes_accesslog_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 R   403",
    },
    "admin:axes_accesslog_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:axes_accesslog_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 R   403",
    },
    "admin:axes_accesslog_history": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin:index": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   200 200 200",
    },
    "admin:jsi18n": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   405 405 405",
    },
    "admin:login": {
        "GET -":       "L   L   L   L   L   L   L   L   R   R   R",
        "POST -":      "L   L   L   L   L   L   L   L   R   R   R",
    },
    "admin:logout": {
        "GET -":       "R   R   R   R   R   R   R   R   405 405 405",
        "POST -":      "R   R   R   R   R   R   R   R   L   L   L",
    },
    "admin:notifications_notification_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:notifications_notification_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:notifications_notification_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:notifications_notification_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 R   403",
    },
    "admin:notifications_notification_history": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin:notifications_notificationpreference_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:notifications_notificationpreference_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 R   403",
    },
    "admin:notifications_notificationpreference_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:notifications_notificationpreference_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 R   403",
    },
    "admin:notifications_notificationpreference_history": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin:onboarding_registrationrequest_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:onboarding_registrationrequest_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:onboarding_registrationrequest_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:onboarding_registrationrequest_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:onboarding_registrationrequest_history": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:otp_static_staticdevice_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:otp_static_staticdevice_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:otp_static_staticdevice_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:otp_static_staticdevice_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 R   403",
    },
    "admin:otp_static_staticdevice_history": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin:otp_totp_totpdevice_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:otp_totp_totpdevice_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:otp_totp_totpdevice_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:otp_totp_totpdevice_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 R   403",
    },
    "admin:otp_totp_totpdevice_history": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin:password_change": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   200 200 200",
    },
    "admin:password_change_done": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   405 405 405",
    },
    "admin:portal_auditevent_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:portal_auditevent_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:portal_auditevent_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:portal_auditevent_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:portal_auditevent_history": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:portal_organisation_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:portal_organisation_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:portal_organisation_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:portal_organisation_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:portal_organisation_history": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:portal_regulatorprofile_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:portal_regulatorprofile_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:portal_regulatorprofile_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:portal_regulatorprofile_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:portal_regulatorprofile_history": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:portal_user_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:portal_user_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:portal_user_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:portal_user_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:portal_user_history": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 200",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 200",
    },
    "admin:regulations_article_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:regulations_article_change": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:regulations_article_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   200 200 403",
    },
    "admin:regulations_article_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:regulations_article_history": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   200 200 403",
    },
    "admin:regulations_article_simple_history": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin:regulations_edition_add": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   200 200 403",
    },
    "admin:regulations_edition_change": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:regulations_edition_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   200 200 403",
    },
    "admin:regulations_edition_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:regulations_edition_history": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   200 200 403",
    },
    "admin:regulations_edition_new_draft": {
        "GET -":       "A   A   A   A   A   A   A   A   405 405 405",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   403",
    },
    "admin:regulations_edition_publish": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   403",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   403",
    },
    "admin:regulations_edition_simple_history": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin:regulations_lineage_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:regulations_lineage_change": {  # the world has no lineage: back to the index
        "GET -":       "A   A   A   A   A   A   A   A   R   R   403",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   403",
    },
    "admin:regulations_lineage_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   200 200 403",
    },
    "admin:regulations_lineage_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:regulations_lineage_history": {  # the world has no lineage: nothing to show
        "GET -":       "A   A   A   A   A   A   A   A   404 404 404",
        "POST -":      "A   A   A   A   A   A   A   A   404 404 404",
    },
    "admin:regulations_lineage_simple_history": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin:regulations_regulation_add": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   200 200 403",
    },
    "admin:regulations_regulation_change": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   200 200 403",
    },
    "admin:regulations_regulation_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   200 200 403",
    },
    "admin:regulations_regulation_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   200 200 403",
    },
    "admin:regulations_regulation_history": {
        "GET -":       "A   A   A   A   A   A   A   A   200 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   200 200 403",
    },
    "admin:regulations_regulation_simple_history": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin:supervision_claim_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:supervision_claim_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:supervision_claim_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:supervision_claim_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:supervision_claim_history": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:supervision_commentreply_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:supervision_commentreply_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:supervision_commentreply_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:supervision_commentreply_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:supervision_commentreply_history": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin:supervision_decision_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:supervision_decision_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:supervision_decision_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:supervision_decision_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:supervision_decision_history": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:supervision_reviewcomment_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:supervision_reviewcomment_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:supervision_reviewcomment_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:supervision_reviewcomment_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:supervision_reviewcomment_history": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:supervision_tieroverride_add": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:supervision_tieroverride_change": {
        "GET -":       "A   A   A   A   A   A   A   A   403 R   403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:supervision_tieroverride_changelist": {
        "GET -":       "A   A   A   A   A   A   A   A   403 200 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 200 403",
    },
    "admin:supervision_tieroverride_delete": {
        "GET -":       "A   A   A   A   A   A   A   A   403 403 403",
        "POST -":      "A   A   A   A   A   A   A   A   403 403 403",
    },
    "admin:supervision_tieroverride_history": {
        "GET -":       "A   A   A   A   A   A   A   A   R   R   R",
        "POST -":      "A   A   A   A   A   A   A   A   R   R   R",
    },
    "admin:view_on_site": {
        "GET own":     "A   A   A   A   A   A   A   A   404 404 404",
        "POST own":    "A   A   A   A   A   A   A   A   404 404 404",
        "GET other":   "A   A   A   A   A   A   A   A   404 404 404",
        "POST other":  "A   A   A   A   A   A   A   A   404 404 404",
    },
}
# fmt: on


def missing_rows(urlconf=None) -> list[str]:
    """The URL names (or unnamed routes) of `urlconf` that MATRIX does not cover."""
    return [
        f"add a row for {endpoint.key}"
        for endpoint in endpoints(urlconf)
        if endpoint.key not in MATRIX
    ]


def expected_cells(key: str) -> dict[tuple[str, str, str], str]:
    """{(method, variant, persona): outcome} from the row of `key`."""
    cells = {}
    for heading, line in MATRIX[key].items():
        method, variant = heading.split()
        outcomes = line.split()
        assert len(outcomes) == len(PERSONAS), f"{key} {heading}: one outcome per persona"
        cells.update({(method, variant, p): o for p, o in zip(PERSONAS, outcomes, strict=True)})
    return cells


def test_every_url_of_the_project_has_a_row():
    assert missing_rows() == []


def test_a_row_without_a_url_is_removed_too():
    keys = {endpoint.key for endpoint in endpoints()}
    assert sorted(set(MATRIX) - keys) == []


def throwaway_view(request):  # pragma: no cover - never requested
    raise AssertionError


urlpatterns = [path("throwaway/", throwaway_view, name="throwaway")]


@override_settings(ROOT_URLCONF=__name__)
def test_a_new_view_without_a_row_makes_the_matrix_fail():
    assert missing_rows() == ["add a row for throwaway"]


@pytest.mark.parametrize("endpoint", endpoints(), ids=lambda endpoint: endpoint.key)
def test_each_persona_gets_the_expected_outcome(db, client, settings, world, endpoint):
    # The world's evidence files are in its own folder, not in this test's (conftest).
    settings.MEDIA_ROOT = world.extra["private_root"]
    assert endpoint.key in MATRIX, f"add a row for {endpoint.key}"
    expected = expected_cells(endpoint.key)
    got = {}
    for variant in variants_of(endpoint):
        url = url_for(endpoint, world, variant)
        for method in ("GET", "POST"):
            for persona in PERSONAS:
                response = request_as(client, world.people[persona], method, url)
                assert response.status_code != 500, f"{method} {url} as {persona}"
                got[(method, variant, persona)] = outcome(response)
    wrong = [
        f"{method} {variant} as {persona}: expected {expected.get(cell)}, got {value}"
        for cell, value in got.items()
        for method, variant, persona in [cell]
        if expected.get(cell) != value
    ]
    assert wrong == [], f"{endpoint.key}:\n" + "\n".join(wrong)
