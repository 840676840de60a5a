"""The autosave's brief answer: a save of a card that shows nothing to clear sends only what the
save changed (the revision, the "saved" line, the evidence badge, the section counter), out of
band; the section counter is read by the save's own statement."""

import re

import pytest
from django.db import connection
from django.db.models import Value
from django.db.models.fields.json import JSONField
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import answer_rows, selectors, services
from assessments.models import Answer, Question
from assessments.views import blank_form
from tests.assessments.factories import answer, load_small_questionnaire, start_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(organisation, org_owner):
    load_small_questionnaire()
    return start_assessment(organisation, org_owner, S01="domestic", S02=500)


def save(client, assessment, code, revision, *, tidy=True, htmx=True, **fields):
    data = {f"{code}-revision": revision}
    if tidy:
        data[f"{code}-tidy"] = "1"
    data.update({f"{code}-{key}": value for key, value in fields.items()})
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = reverse("assessments:answer", args=[assessment.pk, code])
    return client.post(url, data, **headers)


def stored(assessment, code):
    return Answer.objects.get(assessment=assessment, question__code=code)


class TestTheBriefAnswer:
    def test_a_tidy_save_sends_only_what_changed_out_of_band(
        self, client, org_editor, org_owner, assessment
    ):
        client.force_login(org_editor)
        first = answer(assessment, "CSL-01", org_owner, level=1)
        response = save(client, assessment, "CSL-01", first.revision, answer="2", comment="")
        assert response.status_code == 200
        assert response["HX-Reswap"] == "none"
        assert response["HX-Trigger"] == "answer-saved"
        body = response.content.decode()
        now = stored(assessment, "CSL-01")
        assert (now.level, now.revision) == (2, first.revision + 1)
        # The revision input replaces the card's own: same name and id, the new value.
        card_input = str(blank_form(now.question, now)["revision"])
        assert card_input.replace(">", ' hx-swap-oob="true">') in body
        assert '<div id="saved-CSL-01" hx-swap-oob="innerHTML">' in body
        assert "text-success saved" in body
        assert '<strong id="section-progress" hx-swap-oob="true">1/3</strong>' in body
        assert 'id="evidence-state-CSL-01" hx-swap-oob="innerHTML"' in body
        # Nothing of the card itself: no form, no header.
        assert "<form" not in body and "answer-form" not in body and "<article" not in body

    def test_the_card_has_the_ids_the_brief_answer_swaps_into(self, client, org_editor, assessment):
        client.force_login(org_editor)
        page = client.get(reverse("assessments:section", args=[assessment.pk, "CSL"]))
        html = page.content.decode()
        for code in ("CSL-01", "CSL-02", "CSL-03"):
            assert f'id="id_{code}-revision"' in html
            assert f'id="saved-{code}"' in html
            assert f'id="evidence-state-{code}"' in html
            assert f'name="{code}-tidy" value="1"' in html
        assert '<strong id="section-progress">' in html or 'id="section-progress"' in html

    def test_the_evidence_badge_follows_the_level(self, client, organisation, org_owner):
        load_small_questionnaire()
        # A grade that asks for evidence on CSL-01 ("G2-big": a million people or more).
        big = start_assessment(organisation, org_owner, S01="domestic", S02=2_000_000)
        assert big.grade == "G2"
        client.force_login(org_owner)
        full = save(client, big, "CSL-01", 0, tidy=False, answer="3")
        top = save(client, big, "CSL-01", 1, answer="3", comment="已发布")
        assert 'data-evidence="capped"' in full.content.decode()
        assert 'data-evidence="capped"' in top.content.decode()
        low = save(client, big, "CSL-01", 2, answer="1")
        assert low.status_code == 200 and "data-evidence" not in low.content.decode()

    def test_without_the_mark_or_outside_htmx_the_whole_card_comes_back(
        self, client, org_editor, assessment
    ):
        client.force_login(org_editor)
        untidy = save(client, assessment, "CSL-01", 0, tidy=False, answer="2")
        plain = save(client, assessment, "CSL-01", 1, htmx=False, answer="3")
        for response in (untidy, plain):
            assert response.status_code == 200
            assert "HX-Reswap" not in response
            body = response.content.decode()
            assert 'data-state="saved"' in body and 'class="answer-form"' in body

    def test_a_conflict_or_a_refusal_comes_back_whole_and_without_the_mark(
        self, client, org_editor, org_owner, assessment
    ):
        client.force_login(org_editor)
        answer(assessment, "CSL-01", org_owner, level=3)
        conflict = save(client, assessment, "CSL-01", 0, answer="1")
        invalid = save(client, assessment, "CSL-01", 1, answer="9")
        refused = save(client, assessment, "CSL-01", 1, na="on", na_reason="不适用")
        assert (conflict.status_code, invalid.status_code, refused.status_code) == (409, 422, 422)
        for response in (conflict, invalid, refused):
            body = response.content.decode()
            assert "HX-Reswap" not in response and 'class="answer-form"' in body
            # The card shows a message a later save must clear: that save re-renders it.
            assert "CSL-01-tidy" not in body
        assert stored(assessment, "CSL-01").level == 3

    def test_after_a_refusal_the_next_save_clears_the_message(self, client, org_editor, assessment):
        client.force_login(org_editor)
        refused = save(client, assessment, "CSL-01", 0, answer="9")
        assert refused.status_code == 422 and "CSL-01-tidy" not in refused.content.decode()
        # The browser posts the card as it now is: without the mark.
        again = save(client, assessment, "CSL-01", 0, tidy=False, answer="2")
        body = again.content.decode()
        assert again.status_code == 200 and 'data-state="saved"' in body
        assert "Not saved" not in body and "未保存" not in body
        assert "CSL-01-tidy" in body  # clean again: the next save may be brief

    def test_a_scoping_save_also_reloads_the_grade_panel(self, client, org_owner, assessment):
        client.force_login(org_owner)
        current = stored(assessment, "S02")
        response = save(client, assessment, "S02", current.revision, answer="2000000")
        assert response.status_code == 200
        assert response["HX-Trigger"] == "scoping-changed, answer-saved"
        assert 'id="evidence-state-S02"' not in response.content.decode()  # no badge on scoping

    def test_the_brief_answer_is_in_the_readers_language(self, client, org_editor, assessment):
        client.force_login(org_editor)
        client.cookies["django_language"] = "en"
        english = save(client, assessment, "CSL-01", 0, answer="2").content.decode()
        client.cookies["django_language"] = "zh-hans"
        chinese = save(client, assessment, "CSL-01", 1, answer="3").content.decode()
        assert "Saved at" in english
        assert "保存" in chinese and "Saved at" not in chinese


class TestTheCounterReadWithTheSave:
    def test_a_tidy_save_costs_the_same_queries_whatever_the_section_size(
        self, client, org_owner, organisation
    ):
        from tests.assessments.factories import start_on_a_new_version

        load_small_questionnaire()  # version 1, and the regulation the questions cite
        counts = {}
        client.force_login(org_owner)
        for version, extra in ((2, 2), (3, 27)):
            drafted = start_on_a_new_version(organisation, org_owner, version, extra)
            save(client, drafted, "CSL-01", 0, answer="1")
            with CaptureQueriesContext(connection) as captured:
                response = save(client, drafted, "CSL-01", 1, answer="2")
            assert response.status_code == 200
            assert response.content.decode().count("hx-swap-oob") == 4
            # The counter is read by the UPDATE itself: no other statement reads answers.
            answers = [q["sql"] for q in captured if "assessments_answer" in q["sql"]]
            assert len(answers) == 1 and answers[0].startswith("UPDATE"), answers
            counts[extra + 3] = len(captured)
        assert counts[30] == counts[5], counts

    @pytest.mark.parametrize("read_by", ["save", "query"])
    def test_the_counter_agrees_with_is_answered_for_every_kind_of_answer(
        self, organisation, org_owner, read_by
    ):
        """Answers of every shape (levels, values that count and values that do not, reasons
        with and without text, JSON null): the counter read by the save's statement and the
        one read on its own agree with models.is_answered."""
        load_small_questionnaire(extra_csl_questions=9)
        drafted = start_assessment(organisation, org_owner, S01="domestic", S02=5)
        shapes = {
            "CSL-02": {"value": True},
            "CSL-03": {"value": 0},
            "CSL-04": {"value": ""},
            "CSL-05": {"value": []},
            "CSL-06": {"value": ["a"]},
            "CSL-07": {"value": Value(None, JSONField())},  # JSON null, not SQL NULL
            "CSL-08": {"na_reason": "无此业务"},
            "CSL-09": {"comment": "只有备注"},
            "CSL-10": {"value": False},
            "CSL-11": {"level": 0},
        }
        for code, fields in shapes.items():
            row = answer(drafted, code, org_owner, level=1)
            Answer.objects.filter(pk=row.pk).update(**{"level": None, **fields})
        expected = {
            code
            for code in shapes
            if stored(drafted, code).is_answered  # the model's own rule, row by row
        }
        assert expected == {"CSL-02", "CSL-03", "CSL-06", "CSL-08", "CSL-10", "CSL-11"}
        questions = selectors.section_questions(
            drafted, Question.objects.get(version=drafted.version, code="CSL-01").section
        )
        ids = [q.pk for q in questions]
        first = answer(drafted, "CSL-01", org_owner, level=1)
        question = Question.objects.get(version=drafted.version, code="CSL-01")
        saved = services.answer_save(
            assessment=drafted,
            question=question,
            data=services.AnswerInput(level=2),
            base_revision=first.revision,
            by=org_owner,
            read_answered=ids if read_by == "save" else (),
        )
        by_code = {q.pk: q.code for q in questions}
        if read_by == "save":
            got = {by_code[pk] for pk, yes in saved.answered_among.items() if yes}
        else:
            assert not hasattr(saved, "answered_among")
            got = {by_code[pk] for pk in answer_rows.answered(drafted.pk, ids)}
        assert got == expected | {"CSL-01"}
        counted = selectors.section_progress(drafted, question.section, saved=saved)
        assert counted == (len(expected) + 1, len(ids))

    def test_a_save_that_takes_the_locked_path_counts_by_query(
        self, organisation, org_owner, assessment
    ):
        """The first save of an answer has no row to update in one statement: the counter is
        then read on its own, and still right."""
        question = Question.objects.get(version=assessment.version, code="CSL-02")
        ids = [q.pk for q in selectors.section_questions(assessment, question.section)]
        saved = services.answer_save(
            assessment=assessment,
            question=question,
            data=services.AnswerInput(value=True),
            base_revision=0,
            by=org_owner,
            read_answered=ids,
        )
        assert not hasattr(saved, "answered_among")
        with CaptureQueriesContext(connection) as captured:
            counted = selectors.section_progress(assessment, question.section, saved=saved)
        assert counted == (1, 3) and len(captured) == 1


def test_the_oob_input_matches_the_form_widget_for_every_question(client, org_owner, assessment):
    """Every kind of question's card names its revision input as the brief answer does."""
    client.force_login(org_owner)
    for code, fields in (("CSL-01", {"answer": "2"}), ("CSL-02", {"answer": "yes"})):
        first = save(client, assessment, code, 0, tidy=False, **fields)
        assert first.status_code == 200
        revision = stored(assessment, code).revision
        body = save(client, assessment, code, revision, **fields).content.decode()
        found = re.search(rf'<input type="hidden" name="{code}-revision" value="(\d+)"', body)
        assert found and int(found.group(1)) == revision + 1
        assert f'id="id_{code}-revision" hx-swap-oob="true"' in body


def test_the_scoping_outcome_is_made_once_per_instance_until_scoping_changes(assessment):
    from assessments.scoping import outcome_for

    first = outcome_for(assessment)
    assert outcome_for(assessment) is first
    assessment.modules = [*assessment.modules, "ALGO"]  # as a scoping save replaces them
    second = outcome_for(assessment)
    assert second is not first and "ALGO" in second.modules
    assessment.scoping = {**assessment.scoping, "facts": {"S01": "abroad"}}
    third = outcome_for(assessment)
    assert third is not second and third.facts["S01"] == "abroad"
    assessment.grade = "G3"
    assert outcome_for(assessment).grade == "G3"


def test_a_sections_questions_come_from_the_version_in_order(assessment):
    from assessments import content_cache

    everything = content_cache.version_questions(assessment.version)
    for section in assessment.version.sections.all():
        expected = tuple(q for q in everything if q.section_id == section.pk)
        assert content_cache.section_questions(assessment.version, section.pk) == expected
        assert expected  # every section of the small questionnaire has questions
    assert content_cache.section_questions(assessment.version, -1) == ()


class TestCardParts:
    """The parts a save changes, written once in assessments/card_parts.py for the card and for
    the brief answer."""

    def test_who_saved_is_escaped_and_the_time_is_the_readers(self, org_owner, assessment):
        import datetime

        from django.utils import translation

        from assessments import card_parts

        org_owner.full_name = '<img src=x onerror="alert(1)">'
        org_owner.save(update_fields=["full_name"])
        saved = answer(assessment, "CSL-01", org_owner, level=2)
        saved.updated_at = datetime.datetime(2026, 3, 1, 2, 5, 9, tzinfo=datetime.UTC)
        with translation.override("en"):
            line = card_parts.saved_line("", saved)
            now = card_parts.saved_line("saved", saved)
        assert "<img" not in line and "&lt;img src=x" in line
        assert "Last saved by" in line and "2026-03-01 10:05" in line  # Asia/Shanghai
        assert now == '<span class="text-success saved">✓ Saved at 10:05:09</span>'
        with translation.override("zh-hans"):
            assert "未保存" in card_parts.saved_line("invalid", saved)

    def test_the_card_and_the_brief_answer_show_the_same_parts(
        self, client, org_owner, organisation
    ):
        """The card rendered after a full save and the brief answer to the next save carry the
        same "saved" line and badge markup (only the time may differ)."""
        load_small_questionnaire()
        big = start_assessment(organisation, org_owner, S01="domestic", S02=2_000_000)
        client.force_login(org_owner)
        full = save(client, big, "CSL-01", 0, tidy=False, answer="3").content.decode()
        brief = save(client, big, "CSL-01", 1, answer="3").content.decode()

        def part(html, start, end):
            begin = html.index(start) + len(start)
            return re.sub(r"\d\d:\d\d:\d\d", "T", html[begin : html.index(end, begin)])

        assert part(full, 'aria-live="polite">', "</div>") == part(
            brief, 'id="saved-CSL-01" hx-swap-oob="innerHTML">', "</div>"
        )
        assert part(full, '<span id="evidence-state-CSL-01">', "</span></span>") == part(
            brief, '<span id="evidence-state-CSL-01" hx-swap-oob="innerHTML">', "</span></span>"
        )
