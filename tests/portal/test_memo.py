"""portal.memo.ProcessMemo: the least recently used entry goes first; a missing one is made once."""

from portal.memo import ProcessMemo


def test_the_least_recently_used_entry_goes_first():
    memo = ProcessMemo(2)
    memo.put("a", 1)
    memo.put("b", 2)
    assert memo.get("a") == 1  # "b" is now the least recently used
    memo.put("c", 3)
    assert memo.get("b") is None and memo.get("a") == 1 and memo.get("c") == 3
    assert len(memo) == 2


def test_a_missing_entry_is_made_once_and_kept():
    memo = ProcessMemo(4)
    made = []
    for _ in range(3):
        assert memo.get_or_make("k", lambda: made.append(1) or "value") == "value"
    assert made == [1]
    memo.clear()
    assert memo.get("k", "gone") == "gone"
