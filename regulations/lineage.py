"""Article lineage between two editions of a regulation: a pure core, free of Django.

An amendment renumbers articles (the 2025 amendment of the Cybersecurity Law inserted new
Arts. 3 and 20, so old 3–18 became 4–19 and old 19–60 became 21–62) and merges or splits
others, so "the same article" is never "the same number". ``propose`` aligns the article
texts of an earlier and a later edition and says, for each earlier article, which later
article(s) it became:

- an order-preserving alignment (dynamic programming over the two sequences, like a diff of
  lines) pairs articles whose texts are similar enough, maximising the total similarity;
  pairs never cross, so a short generic article cannot be paired with a far-away one;
- an earlier article left unpaired whose text is largely contained in a later article is
  *merged* into it (several provisions folded into one, e.g. the liability chapter);
- a later article left unpaired whose text is largely contained in an earlier article that
  was paired elsewhere is *split* from it;
- what is still unpaired is *repealed* (earlier) or *new* (later).

Similarity is measured on character bigrams (Chinese has no spaces between words), as a Dice
coefficient for pairing and as coverage (the share of one text found in the other) for
merges and splits. Texts are expected normalised (parsing.normalise_for_comparison).

A proposal is only a proposal: content admins confirm or correct it, and the stored
correspondence is what the portal follows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SAME = "same"
RENUMBERED = "renumbered"
AMENDED = "amended"
MERGED = "merged"
SPLIT = "split"
REPEALED = "repealed"
NEW = "new"
KINDS = (SAME, RENUMBERED, AMENDED, MERGED, SPLIT, REPEALED, NEW)
# Kinds under which the later article's text is not the earlier one's: a reader of a
# question citing the earlier article must look again.
CHANGED_KINDS = frozenset({AMENDED, MERGED, SPLIT, REPEALED})

PAIR_AT_LEAST = 0.5  # Dice similarity for two articles to be the same provision
MERGED_AT_LEAST = 0.15  # coverage of the distinctive words for a merge
SPLIT_AT_LEAST = 0.5  # share of what the partner did not keep found in a split-off article
LEFTOVER_AT_LEAST = 0.2  # share of an article's distinctive words its partner did not keep
RARE_IN = 4  # a bigram in at most this many articles (both editions) is distinctive
MOVED_AT_LEAST = 0.8  # Dice for pairing across the order (an article moved elsewhere)


@dataclass(frozen=True)
class Link:
    """One row of the correspondence. ``old`` is None for a new article, ``new`` is None
    for a repealed one; a merged or split article has one row per partner."""

    old: int | None
    new: int | None
    kind: str
    score: float = 1.0

    @property
    def changed(self) -> bool:
        return self.kind in CHANGED_KINDS


def _bigrams(text: str) -> Counter:
    text = "".join(text.split())
    if len(text) < 2:
        return Counter([text]) if text else Counter()
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


@dataclass(frozen=True)
class _Overlap:
    dice: float
    cover_old: float  # share of the earlier text found in the later one
    cover_new: float  # share of the later text found in the earlier one


def _overlap(a: Counter, b: Counter) -> _Overlap:
    size_a, size_b = sum(a.values()), sum(b.values())
    if not size_a or not size_b:
        return _Overlap(0.0, 0.0, 0.0)
    common = sum((a & b).values())
    return _Overlap(2 * common / (size_a + size_b), common / size_a, common / size_b)


_REFERENCE_RE = re.compile(r"第[零一二三四五六七八九十百千]+[条款项]")


def _distinctive(texts: Sequence[str]) -> list[Counter]:
    """Each text's bigrams that occur in at most RARE_IN texts of both editions, with the
    cross-references (本法第二十一条) cut out since the amendment renumbered them.

    A liability article folded into a referral clause (old Art. 64 and 66 of the
    Cybersecurity Law into new Art. 71) keeps only the words saying what the offence is;
    its penalties are boilerplate shared by a dozen articles. Coverage on the rare bigrams
    finds where the offence went; coverage on all bigrams finds the article with the most
    similar penalties."""
    grams = []
    for text in texts:
        text = "".join(_REFERENCE_RE.sub("|", text).split())
        grams.append(
            Counter(text[i : i + 2] for i in range(len(text) - 1))
            - Counter(
                gram for gram in (text[i : i + 2] for i in range(len(text) - 1)) if "|" in gram
            )
        )
    frequency: Counter = Counter()
    for counter in grams:
        frequency.update(counter.keys())
    return [
        Counter({gram: n for gram, n in counter.items() if frequency[gram] <= RARE_IN})
        for counter in grams
    ]


def _covered(part: Counter, whole: Counter) -> float:
    size = sum(part.values())
    return sum((part & whole).values()) / size if size else 0.0


def similarity(old_text: str, new_text: str) -> float:
    """Dice similarity of two article texts (0 to 1) on character bigrams, unweighted."""
    return _overlap(_bigrams(old_text), _bigrams(new_text), {}).dice


def propose(old: Sequence[tuple[int, str]], new: Sequence[tuple[int, str]]) -> list[Link]:
    """The proposed correspondence from ``old`` to ``new``, each a sequence of (number,
    normalised text) in article order. Rows are sorted by old number (new articles last)."""
    old_grams = [_bigrams(text) for _, text in old]
    new_grams = [_bigrams(text) for _, text in new]
    dice = [[_overlap(a, b).dice for b in new_grams] for a in old_grams]
    pairs = _align(dice)
    paired_old = {i for i, _ in pairs}
    paired_new = {j for _, j in pairs}
    # An article moved out of order (a clause relocated to another chapter): pair it when
    # its text is nearly unchanged, since the ordered pass had to leave it out.
    for i in range(len(old)):
        if i in paired_old:
            continue
        free = [j for j in range(len(new)) if j not in paired_new]
        best = max(free, key=lambda j: dice[i][j], default=None)
        if best is not None and dice[i][best] >= MOVED_AT_LEAST:
            pairs.append((i, best))
            paired_old.add(i)
            paired_new.add(best)
    rare = _distinctive([text for _, text in old] + [text for _, text in new])
    old_rare, new_rare = rare[: len(old)], rare[len(old) :]
    links: list[Link] = []
    merged_into: dict[int, list[tuple[int, float]]] = {}
    for i in range(len(old)):
        if i in paired_old:
            continue
        scores = [_covered(old_rare[i], new_rare[j]) for j in range(len(new))]
        j = max(range(len(new)), key=scores.__getitem__, default=None)
        if j is not None and scores[j] >= MERGED_AT_LEAST:
            merged_into.setdefault(j, []).append((i, scores[j]))
        else:
            links.append(Link(old[i][0], None, REPEALED, 0.0))
    # What of each paired earlier article its partner did not keep: a paragraph moved out
    # into an article of its own (old Art. 18's second paragraph became new Art. 20's).
    partner = dict(pairs)
    leftover = {
        i: old_rare[i] - new_rare[j]
        for i, j in partner.items()
        if sum((old_rare[i] - new_rare[j]).values())
        >= LEFTOVER_AT_LEAST * sum(old_rare[i].values())
    }
    split_from: dict[int, list[tuple[int, float]]] = {}
    for j in range(len(new)):
        if j in paired_new or j in merged_into:
            continue
        scores = {i: _covered(rest, new_rare[j]) for i, rest in leftover.items()}
        i = max(scores, key=scores.__getitem__, default=None)
        if i is not None and scores[i] >= SPLIT_AT_LEAST:
            split_from.setdefault(i, []).append((j, scores[i]))
        else:
            links.append(Link(None, new[j][0], NEW, 0.0))
    for i, j in pairs:
        (number_old, text_old), (number_new, text_new) = old[i], new[j]
        if j in merged_into:
            kind = MERGED
        elif i in split_from:
            kind = SPLIT
        elif text_old == text_new:
            kind = SAME if number_old == number_new else RENUMBERED
        else:
            kind = AMENDED
        links.append(Link(number_old, number_new, kind, round(dice[i][j], 3)))
    for j, olds in merged_into.items():
        links.extend(Link(old[i][0], new[j][0], MERGED, round(score, 3)) for i, score in olds)
    for i, news in split_from.items():
        links.extend(Link(old[i][0], new[j][0], SPLIT, round(score, 3)) for j, score in news)
    return sort_links(links)


def sort_links(links: Iterable[Link]) -> list[Link]:
    return sorted(
        links,
        key=lambda link: (
            link.old is None,
            link.old or 0,
            link.new is None,
            link.new or 0,
        ),
    )


def _align(scores: list[list[float]]) -> list[tuple[int, int]]:
    """Order-preserving pairs (i, j) with scores[i][j] >= PAIR_AT_LEAST maximising the sum
    of scores (a longest-common-subsequence table with weights)."""
    rows = len(scores)
    cols = len(scores[0]) if rows else 0
    best = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            value = max(best[i + 1][j], best[i][j + 1])
            if scores[i][j] >= PAIR_AT_LEAST:
                value = max(value, scores[i][j] + best[i + 1][j + 1])
            best[i][j] = value
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < rows and j < cols:
        if scores[i][j] >= PAIR_AT_LEAST and best[i][j] == scores[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


# --------------------------------------------------------------------------- reading


def targets(links: Iterable[Link], old_number: int) -> list[int]:
    """The later article number(s) an earlier article became (empty: repealed)."""
    return sorted({link.new for link in links if link.old == old_number and link.new})


def sources(links: Iterable[Link], new_number: int) -> list[int]:
    """The earlier article number(s) a later article came from (empty: new)."""
    return sorted({link.old for link in links if link.new == new_number and link.old})


def changed_new_numbers(links: Iterable[Link]) -> list[int]:
    """Later articles whose text is not an earlier article's as it stood: amended, merged,
    split or new. This is what an import reports as "changed articles"."""
    return sorted({link.new for link in links if link.new and link.kind not in (SAME, RENUMBERED)})


def validate(links: Iterable[Link], old_numbers: Iterable[int], new_numbers: Iterable[int]):
    """Problems of a (corrected) correspondence, as (code, number) pairs: an earlier article
    without a row, a number that is not in its edition, a kind that does not fit its row."""
    old_set, new_set = set(old_numbers), set(new_numbers)
    problems: list[tuple[str, int]] = []
    links = list(links)
    covered_old = {link.old for link in links if link.old is not None}
    covered_new = {link.new for link in links if link.new is not None}
    for number in sorted(old_set - covered_old):
        problems.append(("old-missing", number))
    for number in sorted(new_set - covered_new):
        problems.append(("new-missing", number))
    for link in links:
        if link.old is not None and link.old not in old_set:
            problems.append(("old-unknown", link.old))
        if link.new is not None and link.new not in new_set:
            problems.append(("new-unknown", link.new))
        if link.kind not in KINDS:
            problems.append(("kind-unknown", link.old or link.new or 0))
        elif (link.kind == REPEALED) != (link.new is None) or (link.kind == NEW) != (
            link.old is None
        ):
            problems.append(("kind-mismatch", link.old or link.new or 0))
    return problems
