"""The resubmission diff as a pure function, with exact expectations."""

from supervision.diff import (
    ADDED,
    ANSWER,
    CHANGED,
    COMMENT,
    NA_REASON,
    REMOVED,
    FieldChange,
    QuestionChange,
    snapshot_diff,
)

SHA_A, SHA_B = "a" * 64, "b" * 64


def frozen(**fields) -> dict:
    base = {"level": None, "value": None, "na_reason": "", "comment": "", "evidence": []}
    return {**base, **fields}


def test_an_unchanged_question_is_not_listed():
    snapshot = {"CSL-01": frozen(level=2, comment="见制度", evidence=[SHA_A])}
    assert snapshot_diff(snapshot, {k: dict(v) for k, v in snapshot.items()}) == []


def test_a_changed_level_is_an_answer_change():
    before = {"CSL-01": frozen(level=1), "CSL-02": frozen(value=True)}
    after = {"CSL-01": frozen(level=3), "CSL-02": frozen(value=True)}
    assert snapshot_diff(before, after) == [
        QuestionChange(
            "CSL-01",
            CHANGED,
            (FieldChange(ANSWER, {"level": 1, "value": None}, {"level": 3, "value": None}),),
        )
    ]


def test_a_changed_value_is_an_answer_change():
    before, after = {"CSL-03": frozen(value=3)}, {"CSL-03": frozen(value=6)}
    [change] = snapshot_diff(before, after)
    assert change.field(ANSWER) == FieldChange(
        ANSWER, {"level": None, "value": 3}, {"level": None, "value": 6}
    )


def test_a_changed_na_reason_is_listed_alone():
    before = {"PIPL-01": frozen(na_reason="不处理个人信息")}
    after = {"PIPL-01": frozen(na_reason="仅处理匿名化信息")}
    assert snapshot_diff(before, after) == [
        QuestionChange(
            "PIPL-01",
            CHANGED,
            (FieldChange(NA_REASON, "不处理个人信息", "仅处理匿名化信息"),),
        )
    ]


def test_whitespace_around_a_text_is_not_a_change():
    before = {"PIPL-01": frozen(na_reason="理由", comment="说明")}
    after = {"PIPL-01": frozen(na_reason=" 理由 ", comment="说明\n")}
    assert snapshot_diff(before, after) == []


def test_added_evidence_is_listed_without_a_field_change():
    before = {"CSL-01": frozen(level=2, evidence=[SHA_A])}
    after = {"CSL-01": frozen(level=2, evidence=[SHA_A, SHA_B])}
    assert snapshot_diff(before, after) == [
        QuestionChange("CSL-01", CHANGED, (), evidence_added=(SHA_B,))
    ]


def test_removed_evidence_and_a_new_comment():
    before = {"CSL-01": frozen(level=2, evidence=[SHA_A])}
    after = {"CSL-01": frozen(level=2, comment="已更新制度")}
    assert snapshot_diff(before, after) == [
        QuestionChange("CSL-01", CHANGED, (FieldChange(COMMENT, "", "已更新制度"),), (), (SHA_A,))
    ]


def test_questions_entering_and_leaving_the_scope():
    before = {"PIPL-02": frozen(level=1)}
    after = {"ALGO-01": frozen(level=3, evidence=[SHA_A])}
    changes = snapshot_diff(before, after, order=["PIPL-02", "ALGO-01"])
    assert [(c.code, c.kind) for c in changes] == [("PIPL-02", REMOVED), ("ALGO-01", ADDED)]
    assert changes[1].evidence_added == (SHA_A,)
    assert changes[0].field(ANSWER).after == {"level": None, "value": None}


def test_only_the_changed_questions_are_listed_in_questionnaire_order():
    before = {
        "CSL-01": frozen(level=1),
        "CSL-02": frozen(value=True),
        "PIPL-01": frozen(na_reason="旧"),
        "CSL-03": frozen(value=6, evidence=[SHA_A]),
    }
    after = {
        "CSL-01": frozen(level=3),
        "CSL-02": frozen(value=True),
        "PIPL-01": frozen(na_reason="新"),
        "CSL-03": frozen(value=6, evidence=[SHA_A, SHA_B]),
    }
    order = ["CSL-01", "CSL-02", "CSL-03", "PIPL-01"]
    assert [c.code for c in snapshot_diff(before, after, order)] == ["CSL-01", "CSL-03", "PIPL-01"]
