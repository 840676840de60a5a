"""The fast widget renderer writes exactly what Django's widget templates write."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.forms import AnswerForm
from portal.form_renderer import FastWidgetRenderer

TEMPLATES = DjangoTemplates()
FAST = FastWidgetRenderer()
HOSTILE = "<b>\"&'</b> 个人信息"

CHOICES = [("a", "Alpha"), ("b", HOSTILE), ("c&d", "C & D")]
GROUPED = [("Group <1>", [("x", "X"), ("y", "Y")]), ("z", "Zed")]

CASES = [
    (forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}), "n", "150"),
    (forms.TextInput(), "n", None),
    (forms.TextInput(attrs={"required": True, "disabled": False}), "n", HOSTILE),
    (forms.HiddenInput(), "revision", 3),
    (forms.CheckboxInput(attrs={"class": "form-check-input"}), "na", True),
    (forms.CheckboxInput(), "na", False),
    (forms.DateInput(attrs={"type": "date"}), "d", datetime.date(2026, 11, 30)),
    (forms.EmailInput(), "email", "a@b.example"),
    (forms.Textarea(attrs={"rows": 2, "class": "form-control"}), "c", HOSTILE),
    (forms.Textarea(), "c", ""),
    (forms.Textarea(), "c", None),
    (forms.RadioSelect(choices=CHOICES), "r", "b"),
    (forms.RadioSelect(choices=CHOICES, attrs={"id": "id_r", "class": "x"}), "r", None),
    (forms.RadioSelect(choices=GROUPED, attrs={"id": "id_g"}), "g", "y"),
    (forms.CheckboxSelectMultiple(choices=CHOICES, attrs={"id": "id_m"}), "m", ["a", "c&d"]),
    (forms.CheckboxSelectMultiple(choices=CHOICES), "m", []),
    (forms.Select(choices=[("", "—")] + CHOICES, attrs={"class": "form-select"}), "s", "c&d"),
    (forms.Select(choices=GROUPED), "s", "x"),
    (forms.SelectMultiple(choices=CHOICES), "sm", ["a", "b"]),
]


@pytest.mark.parametrize(("widget", "name", "value"), CASES)
def test_each_widget_is_written_as_the_templates_write_it(widget, name, value):
    expected = widget.render(name, value, renderer=TEMPLATES)
    assert widget.render(name, value, renderer=FAST) == expected


@settings(max_examples=200, deadline=None)
@given(
    label=st.text(max_size=20),
    value=st.text(max_size=20),
    attr=st.text(min_size=0, max_size=10),
)
def test_any_text_is_escaped_the_same_way(label, value, attr):
    for widget in (
        forms.TextInput(attrs={"data-x": attr}),
        forms.Textarea(attrs={"title": attr}),
        forms.RadioSelect(choices=[(value, label), ("k", "K")], attrs={"id": "id_q"}),
        forms.Select(choices=[(value, label)]),
    ):
        assert widget.render("f", value, renderer=FAST) == widget.render(
            "f", value, renderer=TEMPLATES
        )


@pytest.mark.django_db
def test_every_answer_form_is_written_as_the_templates_write_it():
    from assessments.loading import questionnaire_load
    from assessments.models import Question
    from tests.assessments.factories import (
        bi,
        ensure_test_regulation,
        level_question,
        small_spec,
    )

    spec = small_spec()
    choices = [
        {"value": "a", "label": bi("甲", "A"), "level": 3},
        {"value": "b<", "label": bi(HOSTILE, "B"), "level": 0},
    ]
    spec["sections"][1]["questions"] += [
        {
            **level_question("CSL-04"),
            "type": "date",
            "thresholds": [{"max_age_days": 365, "level": 3}, {"level": 0}],
        },
        {**level_question("CSL-05"), "type": "multi", "choices": choices},
        {**level_question("CSL-06"), "type": "choice", "choices": choices},
    ]
    ensure_test_regulation()
    version = questionnaire_load(spec).version
    types = set()
    for question in Question.objects.filter(version=version).prefetch_related("choices"):
        types.add(question.answer_type)
        form = AnswerForm(question=question, prefix=question.code, initial={"revision": 0})
        for field in form:
            widget = field.field.widget
            attrs = field.build_widget_attrs({}) | {"id": field.auto_id}
            slow = widget.render(field.html_name, field.value(), attrs, renderer=TEMPLATES)
            fast = widget.render(field.html_name, field.value(), attrs, renderer=FAST)
            assert fast == slow, (question.code, field.name)
    assert types == set(Question.AnswerType.values)


def test_the_project_uses_the_fast_renderer(settings):
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FastWidgetRenderer)
