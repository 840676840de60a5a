"""Seed a scratch database for the load test and write the accounts as JSON (argv[1]).

Run by loadtest/run.sh after migrate, load_catalogue and load_questionnaire, without a broker
(scoring runs in-process, so every submission already has its result). Every write goes through
the services, as a member's would.
"""

import datetime as dt
import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402

from assessments import selectors, services  # noqa: E402
from assessments.models import Question  # noqa: E402
from portal.models import Membership, Organisation, RegulatorProfile, User  # noqa: E402
from portal.validators import uscc_check_character  # noqa: E402

ORGANISATIONS = 10
MEMBERS = 5  # editors per organisation, besides its owner
REGULATORS = 5
PASSWORD = "loadtest-password-2026"
SECTION = "PIPL"  # the section the members open and autosave in
# A domestic platform with personal information at scale: most modules apply. One set of
# scoping answers per questionnaire version (the codes were renumbered in version 2).
SCOPING_V1 = {
    "S01": "domestic",
    "S02": "not_designated",
    "S03": "level3",
    "S04": "important",
    "S05": 12_000_000,
    "S06": ["biometric"],
    "S16": 600_000,
    "S07": ["none"],
    "S08": ["personalised_recommendation"],
    "S09": 200_000,
    "S17": 5_000,
    "S18": True,
    "S19": ["none"],
    "S10": ["personalised_push", "ranking"],
    "S11": ["comments"],
    "S12": ["service_provider"],
    "S21": ["none"],
    "S13": "fine_tuned",
    "S14": ["generation_provider"],
    "S15": False,
    "S22": ["sells_to_consumers"],
}
SCOPING_V2 = {
    "S01": "domestic",
    "S02": "not_designated",
    "S03": "level3",
    "S04": "important",
    "S05": 12_000_000,
    "S06": ["biometric"],
    "S07": 600_000,
    "S08": ["personalised_recommendation"],
    "S09": ["sells_to_consumers"],
    "S10": False,
    "S11": ["personal_information", "important_data"],
    "S12": 200_000,
    "S13": 5_000,
    "S14": ["none"],
    "S15": ["info_publishing"],
    "S16": ["comments"],
    "S17": ["personalised_push", "ranking"],
    "S18": ["service_provider"],
    "S19": "fine_tuned",
    "S20": ["none"],
    "S21": ["generation_provider"],
    "S22": ["none"],
}
SCOPING = {1: SCOPING_V1, 2: SCOPING_V2}
ATTESTATION = services.Attestation(
    name="压测员", role="法定代表人", statement="本人确认，所填内容真实、准确、完整。"
)


def answer_for(question: Question, level: int, scoping: dict) -> services.AnswerInput:
    if question.is_scoping:
        return services.AnswerInput(value=scoping.get(question.code))
    kind = question.answer_type
    if kind == Question.AnswerType.LEVEL:
        return services.AnswerInput(level=level)
    if kind == Question.AnswerType.YESNO:
        return services.AnswerInput(value=level >= 2)
    if kind == Question.AnswerType.NUMBER:
        return services.AnswerInput(value=level * 3)
    if kind == Question.AnswerType.DATE:
        return services.AnswerInput(value=(dt.date.today() - dt.timedelta(days=30)).isoformat())
    first = question.choices.all()[0].value
    return services.AnswerInput(value=[first] if kind == Question.AnswerType.MULTI else first)


def answer_all(assessment, by, level: int) -> None:
    """Answer the scoping first (it decides what applies), then every applicable question."""
    scoping = SCOPING[assessment.version.number]
    for _ in range(3):
        assessment.refresh_from_db()
        missing = selectors.missing_answers(assessment)
        if not missing:
            return
        for question in sorted(missing, key=lambda q: not q.is_scoping):
            current = assessment.answers.filter(question=question).first()
            services.answer_save(
                assessment=assessment,
                question=question,
                data=answer_for(question, level, scoping),
                base_revision=current.revision if current else 0,
                by=by,
            )
            assessment.refresh_from_db()


def user(email: str, name: str, password_hash: str) -> User:
    return User.objects.create(email=email, full_name=name, password=password_hash)


def organisation_seed(n: int, password_hash: str) -> dict:
    first17 = f"9111010{n:02d}MA01LT00"[:17]
    organisation = Organisation.objects.create(
        name=f"压测示范企业{n:02d}有限公司",
        uscc=first17 + uscc_check_character(first17),
        sector="internet",
        province="110000",
        size="medium",
    )
    owner = user(f"owner{n}@load.example.com", f"负责人{n}", password_hash)
    Membership.objects.create(user=owner, organisation=organisation, role="owner")
    members = []
    for m in range(MEMBERS):
        member = user(f"editor{n}-{m}@load.example.com", f"填报人{n}-{m}", password_hash)
        Membership.objects.create(user=member, organisation=organisation, role="editor")
        members.append(member.email)
    submitted = services.assessment_start(organisation=organisation, by=owner)
    answer_all(submitted, owner, level=n % 4)
    submission = services.assessment_submit(assessment=submitted, by=owner, attestation=ATTESTATION)
    draft = services.assessment_start(organisation=organisation, by=owner)
    answer_all(draft, owner, level=1)
    draft.refresh_from_db()
    section = draft.version.sections.get(module=SECTION)
    codes = [
        q.code for q in selectors.section_questions(draft, section) if q.answer_type == "level"
    ]
    return {
        "members": members,
        "draft": draft.pk,
        "section": SECTION,
        "questions": codes,
        "submitted": submitted.pk,
        "submission": submission.pk,
    }


def main(out: Path) -> None:
    password_hash = make_password(PASSWORD)  # hashed once, shared by every account
    with transaction.atomic():
        organisations = [organisation_seed(n, password_hash) for n in range(1, ORGANISATIONS + 1)]
        regulators = []
        for r in range(REGULATORS):
            regulator = user(f"regulator{r}@load.example.com", f"审查员{r}", password_hash)
            RegulatorProfile.objects.create(
                user=regulator, authority="北京市（压测）", provinces=["110000"], sectors=[]
            )
            regulators.append(regulator.email)
    reviews = [o["submitted"] for o in organisations]
    data = {"password": PASSWORD, "organisations": organisations, "regulators": regulators}
    out.write_text(json.dumps({**data, "reviews": reviews}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
