"""Parser for the official Chinese texts of regulations (pure Python, no Django).

The input format is the one of the shared regulation texts: optional YAML front matter, a
``# `` title, an info block closed by ``<!-- INFO END -->``, then ``## 第X章`` chapters,
``### 第X节`` sections, ``第X条`` articles whose following lines are paragraphs (款) or
items (项, ``（X）``). The parser keeps every line of the text exactly as found, because a
citation to 第N条第M款第K项 must point at the official wording; variants of punctuation
and whitespace are only folded by :func:`normalise_for_comparison`, for comparing and hashing.

A text that does not follow the format is rejected with a :class:`ParseError` naming the
line, rather than guessed at: a silently mis-numbered article would make every assessment
that cites it wrong.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

INFO_END_MARKER = "<!-- INFO END -->"
FRONT_MATTER_FENCE = "---"

_DIGITS = "零一二三四五六七八九"
_DIGIT_VALUES = {char: value for value, char in enumerate(_DIGITS)}
_UNIT_VALUES = {"十": 10, "百": 100}
_MAX_NUMERAL = 999

# Numerals are captured broadly (also Arabic and full-width digits, 〇, 两, 千) so that a
# malformed number is reported as such instead of turning the line into a paragraph.
_NUMERAL_CHARS = r"零〇一二两三四五六七八九十百千0-9０-９"
_ARTICLE_RE = re.compile(rf"^第(?P<numeral>[{_NUMERAL_CHARS}]+)条[ \u3000](?P<text>.*)$")
_ITEM_RE = re.compile(r"^（(?P<numeral>[零一二三四五六七八九十百]+)）")
_HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})(?:[ \t]+(?P<content>.*))?$")
_CHAPTER_RE = re.compile(r"^第(?P<numeral>\S+?)章(?P<title>.*)$")
_SECTION_RE = re.compile(r"^第(?P<numeral>\S+?)节(?P<title>.*)$")
_COMMENT_RE = re.compile(r"^<!--.*-->$")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_DATE_KEYS = ("edition_effective", "edition_until", "effective")
_COUNT_KEYS = {"article_count": "条", "chapter_count": "章", "section_count": "节"}

# Punctuation that NFKC leaves alone but that is used interchangeably in the sources.
_EXTRA_PUNCTUATION = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
_HORIZONTAL_SPACE_RE = re.compile(r"[^\S\n]+")


class ParseError(Exception):
    """A text that cannot be parsed, with the file, the 1-based line and the reason.

    ``reason`` is English (logs, the management command) and ``reason_zh`` Chinese (the
    content administrators who fix the texts read Chinese). ``line`` is None only when
    the problem has no line, such as an empty file.
    """

    def __init__(self, path: str, line: int | None, reason: str, reason_zh: str = "") -> None:
        self.path = path
        self.line = line
        self.reason = reason
        self.reason_zh = reason_zh or reason
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.reason}"
        return f"{self.path}:{self.line}: {self.reason}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keeps the error picklable (task queues, multiprocessing) despite the custom init.
        return (type(self), (self.path, self.line, self.reason, self.reason_zh))


# --------------------------------------------------------------------------- numerals


def int_to_chinese_numeral(n: int) -> str:
    """Write 0..999 the way the official texts number things (十一, 二十, 一百零五, 一百一十).

    Used for messages ("第四条 was expected") and as the canonical spelling that
    :func:`chinese_numeral_to_int` checks its input against.
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= _MAX_NUMERAL:
        raise ValueError(f"only integers 0..{_MAX_NUMERAL} are supported, not {n!r}")
    if n < 10:
        return _DIGITS[n]
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return _tens_to_chinese(rest, leading_one=False)
    prefix = _DIGITS[hundreds] + "百"
    if rest == 0:
        return prefix
    if rest < 10:
        return prefix + "零" + _DIGITS[rest]
    return prefix + _tens_to_chinese(rest, leading_one=True)


def _tens_to_chinese(n: int, *, leading_one: bool) -> str:
    """10..99; a bare 十 stands for 一十 except after 百 (十二 but 一百一十二)."""
    tens, units = divmod(n, 10)
    head = "十" if tens == 1 and not leading_one else _DIGITS[tens] + "十"
    return head + (_DIGITS[units] if units else "")


def chinese_numeral_to_int(text: str) -> int:
    """Read a Chinese numeral of 0..999 written in the canonical official form.

    Only the canonical spelling is accepted (十二, not 一十二; 一百零五, not 一百五), so
    that every number has exactly one spelling and a typo cannot pass for another number.
    Raises ValueError on anything else.
    """
    if not text or any(char not in _DIGIT_VALUES and char not in _UNIT_VALUES for char in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    value = _lenient_numeral_value(text)
    if value > _MAX_NUMERAL or int_to_chinese_numeral(value) != text:
        raise ValueError(f"not a well-formed Chinese numeral: {text!r}")
    return value


def _lenient_numeral_value(text: str) -> int:
    """Sum digit×unit pairs; the canonical round trip in the caller rejects odd forms."""
    total, pending = 0, None
    for char in text:
        if char in _UNIT_VALUES:
            total += (1 if pending is None else pending) * _UNIT_VALUES[char]
            pending = None
        elif char != "零":
            pending = _DIGIT_VALUES[char]
    return total + (pending or 0)


# --------------------------------------------------------------------------- normalising


def normalise_for_comparison(text: str) -> str:
    """Fold punctuation and whitespace variants into one form, for comparing and hashing.

    The sources mix ASCII and full-width punctuation (``:``/``：``, ``;``/``；``) without any
    change of meaning, so two editions must not look different because of them. NFKC maps
    the full-width forms and U+3000 to ASCII; curly quotes are folded too. Runs of
    horizontal whitespace become one space, but line breaks are kept (without blank lines)
    because a paragraph boundary changes how 款 are counted. Never applied to stored text.
    """
    folded = unicodedata.normalize("NFKC", text).translate(_EXTRA_PUNCTUATION)
    folded = folded.replace("\r\n", "\n").replace("\r", "\n")
    lines = (_HORIZONTAL_SPACE_RE.sub(" ", line).strip() for line in folded.split("\n"))
    return "\n".join(line for line in lines if line)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Item:
    """One item (项), ``（一）…``; ``text`` is the whole line as found, bracket included."""

    number: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """One paragraph (款) and the items under it; the first one excludes "第X条 "."""

    text: str
    items: tuple[Item, ...] = ()

    @property
    def lines(self) -> tuple[str, ...]:
        """The paragraph line followed by its item lines, as found."""
        return (self.text, *(item.text for item in self.items))


@dataclass(frozen=True)
class Article:
    """One article (条); ``line`` is where its 第X条 line is in the file."""

    number: int
    chapter: int | None
    section: int | None
    paragraphs: tuple[Paragraph, ...]
    line: int

    @property
    def text(self) -> str:
        """The full text as found, one line per paragraph and item, without "第X条 "."""
        return "\n".join(line for paragraph in self.paragraphs for line in paragraph.lines)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the normalised text: equal when only punctuation variants differ."""
        return hashlib.sha256(normalise_for_comparison(self.text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Section:
    """One section (节), numbered within its chapter."""

    number: int
    title: str
    chapter: int


@dataclass(frozen=True)
class Chapter:
    """One chapter (章) and its sections, if any."""

    number: int
    title: str
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class ParsedRegulation:
    """Everything read from one file; ``metadata`` is the front matter as loaded."""

    title: str
    metadata: dict[str, Any]
    chapters: tuple[Chapter, ...]
    articles: tuple[Article, ...]
    path: str

    @property
    def code(self) -> str | None:
        """The regulation this text is an edition of (both CSL files say ``CSL``)."""
        return self.metadata.get("regulation_code")

    @property
    def edition_effective(self) -> datetime.date | None:
        return _as_date(self.metadata.get("edition_effective"))

    @property
    def edition_until(self) -> datetime.date | None:
        return _as_date(self.metadata.get("edition_until"))

    @property
    def effective(self) -> datetime.date | None:
        return _as_date(self.metadata.get("effective"))

    @property
    def article_count(self) -> int:
        return len(self.articles)

    @property
    def chapter_count(self) -> int:
        return len(self.chapters)

    @property
    def section_count(self) -> int:
        return sum(len(chapter.sections) for chapter in self.chapters)


def _as_date(value: Any) -> datetime.date | None:
    """Front matter dates are quoted strings; unquoted YAML dates arrive as date objects."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _ISO_DATE_RE.match(value):
        return datetime.date.fromisoformat(value)
    raise ValueError(f"not a YYYY-MM-DD date: {value!r}")


# --------------------------------------------------------------------------- entry point


def parse_regulation(data: bytes, *, path: str = "<input>") -> ParsedRegulation:
    """Parse the bytes of one regulation text, or raise :class:`ParseError`.

    Takes bytes so that a file in the wrong encoding (GBK is common for Chinese texts) is
    reported as such instead of failing somewhere in the caller's ``open()``.
    """
    lines = _split_lines(_decode(data, path))
    if not any(line.strip() for line in lines):
        raise ParseError(path, None, "the file is empty", "文件为空")
    metadata, first_line = _read_front_matter(lines, path)
    title_line = _find_title_line(lines, first_line, path)
    title = _read_title(lines[title_line - 1], title_line, path)
    body_start = _find_body_start(lines, title_line, path)
    chapters, articles = _BodyParser(path).parse(_numbered(lines, body_start))
    if not articles:
        raise ParseError(
            path,
            title_line,
            f"no article (a line starting with 第X条) after the title {title!r}: "
            "this is not the text of a regulation",
            f"标题《{title}》之后没有任何条文（以“第X条”开头的行）：这不是法规文本",
        )
    parsed = ParsedRegulation(title, metadata, chapters, articles, path)
    _check_declared_counts(parsed, lines, path)
    return parsed


def _decode(data: bytes, path: str) -> str:
    """UTF-8 only (a BOM is tolerated); say so clearly when the file looks like GB18030."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _encoding_error(data, error, path) from None
    return text.removeprefix("\ufeff")


def _encoding_error(data: bytes, error: UnicodeDecodeError, path: str) -> ParseError:
    line = data.count(b"\n", 0, error.start) + 1
    reason = f"the file is not UTF-8 (invalid byte 0x{data[error.start]:02x})"
    reason_zh = f"文件不是 UTF-8 编码（无效字节 0x{data[error.start]:02x}）"
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return ParseError(path, line, reason, reason_zh)
    return ParseError(
        path,
        line,
        f"{reason}; it looks like GBK/GB18030 and must be converted to UTF-8",
        f"{reason_zh}；看起来是 GBK/GB18030 编码，必须先转换为 UTF-8",
    )


def _split_lines(text: str) -> list[str]:
    """Split on line feeds only (str.splitlines would also split on U+2028 and shift the
    line numbers) and drop a CR from CRLF endings."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def _numbered(lines: list[str], start: int) -> Iterator[tuple[int, str]]:
    """(1-based line number, line) from line number ``start`` on."""
    for index in range(start - 1, len(lines)):
        yield index + 1, lines[index]


# --------------------------------------------------------------------------- front matter


def _read_front_matter(lines: list[str], path: str) -> tuple[dict[str, Any], int]:
    """Return the front matter mapping and the line number just after it ({} and 1 if none)."""
    if lines[0].rstrip() != FRONT_MATTER_FENCE:
        return {}, 1
    closing = next(
        (number for number, line in _numbered(lines, 2) if line.rstrip() == FRONT_MATTER_FENCE),
        None,
    )
    if closing is None:
        raise ParseError(
            path,
            1,
            "the front matter opened by '---' is never closed by another '---' line",
            "以“---”开始的前置元数据没有以“---”行结束",
        )
    metadata = _load_yaml("\n".join(lines[1 : closing - 1]), path)
    _check_dates(metadata, lines, path)
    return metadata, closing + 1


def _load_yaml(source: str, path: str) -> dict[str, Any]:
    """yaml.safe_load, with the YAML error's position turned into a file line number."""
    try:
        loaded = yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for 1-based, +1 for the fence
        problem = getattr(error, "problem", None) or str(error)
        reason_zh = f"前置元数据不是有效的 YAML：{problem}"
        raise ParseError(path, line, f"invalid YAML front matter: {problem}", reason_zh) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ParseError(
            path,
            2,
            "the front matter must be a YAML mapping of keys to values",
            "前置元数据必须是键值对形式的 YAML 映射",
        )
    return loaded


def _check_dates(metadata: dict[str, Any], lines: list[str], path: str) -> None:
    """Reject bad dates now, so the convenience properties can never fail later."""
    for key in _DATE_KEYS:
        try:
            _as_date(metadata.get(key))
        except ValueError:
            raise ParseError(
                path,
                _front_matter_key_line(lines, key),
                f"front matter {key} must be a date written YYYY-MM-DD, not {metadata[key]!r}",
                f"前置元数据 {key} 必须是 YYYY-MM-DD 格式的日期，而不是 {metadata[key]!r}",
            ) from None


def _front_matter_key_line(lines: list[str], key: str) -> int:
    """The line of a top-level front matter key, for messages; 1 when not found."""
    for number, line in _numbered(lines, 2):
        if line.rstrip() == FRONT_MATTER_FENCE:
            break
        if line.startswith(f"{key}:"):
            return number
    return 1


def _check_declared_counts(parsed: ParsedRegulation, lines: list[str], path: str) -> None:
    """The compiler recorded the counts in the front matter; a mismatch means a lost or
    mangled heading or article line, which the numbering checks alone may not catch
    (a text truncated after a whole article, for instance)."""
    found = {
        "article_count": parsed.article_count,
        "chapter_count": parsed.chapter_count,
        "section_count": parsed.section_count,
    }
    for key, unit in _COUNT_KEYS.items():
        declared = parsed.metadata.get(key)
        if declared is None or declared == found[key]:
            continue
        raise ParseError(
            path,
            _front_matter_key_line(lines, key),
            f"{key} is {declared!r} in the front matter but {found[key]} in the text",
            f"前置元数据中 {key} 为 {declared!r}，但正文中有 {found[key]} {unit}",
        )


# --------------------------------------------------------------------------- title and info


def _find_title_line(lines: list[str], start: int, path: str) -> int:
    """The title must be the first non-blank line after the front matter."""
    for number, line in _numbered(lines, start):
        if not line.strip():
            continue
        if line.startswith("# "):
            return number
        raise ParseError(
            path,
            number,
            f"no title: expected a '# ' title line, found {_excerpt(line)!r}",
            f"缺少标题：此处应为以“# ”开头的标题行，实际为 {_excerpt(line)!r}",
        )
    raise ParseError(
        path,
        start - 1,
        "the file has front matter but nothing after it: no title, no article",
        "文件只有前置元数据，之后既没有标题也没有条文",
    )


def _read_title(line: str, number: int, path: str) -> str:
    title = line[2:].strip()
    if not title:
        raise ParseError(path, number, "the title line '# ' is empty", "标题行“# ”为空")
    return title


def _find_body_start(lines: list[str], title_line: int, path: str) -> int:
    """The line number where the body starts.

    After ``<!-- INFO END -->`` when present; an article or heading found before the
    marker is an error (it would otherwise vanish into the info block). Without the
    marker, the info block is whatever precedes the first heading or article line.
    """
    marker = next(
        (
            number
            for number, line in _numbered(lines, title_line + 1)
            if line.strip() == INFO_END_MARKER
        ),
        None,
    )
    info_end = marker if marker is not None else len(lines) + 1
    for number, line in _numbered(lines, title_line + 1):
        if number >= info_end:
            break
        if _starts_body(line):
            if marker is None:
                return number
            raise ParseError(
                path,
                number,
                f"{_excerpt(line)!r} comes before the {INFO_END_MARKER} marker (line {marker})",
                f"{_excerpt(line)!r} 出现在 {INFO_END_MARKER} 标记（第 {marker} 行）之前",
            )
    return info_end + 1 if marker is not None else len(lines) + 1


def _starts_body(line: str) -> bool:
    return bool(_ARTICLE_RE.match(line) or _HEADING_RE.match(line))


def _excerpt(line: str, limit: int = 40) -> str:
    line = line.strip()
    return line if len(line) <= limit else line[:limit] + "…"


# --------------------------------------------------------------------------- body


@dataclass
class _ArticleDraft:
    """An article being read; paragraphs are (text, items) lists until frozen."""

    number: int
    line: int
    chapter: int | None
    section: int | None
    paragraphs: list[tuple[str, list[Item]]] = field(default_factory=list)

    def freeze(self) -> Article:
        paragraphs = tuple(Paragraph(text, tuple(items)) for text, items in self.paragraphs)
        return Article(self.number, self.chapter, self.section, paragraphs, self.line)


@dataclass
class _ChapterDraft:
    number: int
    title: str
    line: int
    sections: list[Section] = field(default_factory=list)

    def freeze(self) -> Chapter:
        return Chapter(self.number, self.title, tuple(self.sections))


class _BodyParser:
    """A line-oriented state machine over the body: headings, articles, paragraphs, items.

    The state is the current chapter, section and article; each line kind has one handler
    that checks the numbering against that state before changing it.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.chapters: list[_ChapterDraft] = []
        self.section: Section | None = None
        self.articles: list[Article] = []
        self.article: _ArticleDraft | None = None

    def parse(
        self, lines: Iterator[tuple[int, str]]
    ) -> tuple[tuple[Chapter, ...], tuple[Article, ...]]:
        for number, line in lines:
            self._handle(number, line)
        self._close_article()
        return tuple(chapter.freeze() for chapter in self.chapters), tuple(self.articles)

    def _handle(self, number: int, line: str) -> None:
        if not line.strip() or _COMMENT_RE.match(line.strip()):
            return
        if heading := _HEADING_RE.match(line):
            self._close_article()
            self._on_heading(number, len(heading["hashes"]), (heading["content"] or "").strip())
        elif article := _ARTICLE_RE.match(line):
            self._close_article()
            self._on_article(number, article["numeral"], article["text"])
        elif item := _ITEM_RE.match(line):
            self._on_item(number, item["numeral"], line)
        else:
            self._on_paragraph(number, line)

    def _fail(self, line: int | None, reason: str, reason_zh: str) -> ParseError:
        return ParseError(self.path, line, reason, reason_zh)

    def _number(self, numeral: str, line: int, what: str, what_zh: str) -> int:
        try:
            return chinese_numeral_to_int(numeral)
        except ValueError:
            raise self._fail(
                line,
                f"invalid numeral {numeral!r} in the {what} number",
                f"{what_zh}编号中的数字 {numeral!r} 无效",
            ) from None

    # headings ----------------------------------------------------------------------

    def _on_heading(self, number: int, level: int, content: str) -> None:
        if level == 2:
            self._on_chapter(number, content)
        elif level == 3:
            self._on_section(number, content)
        else:
            raise self._fail(
                number,
                f"unexpected heading {'#' * level} {content!r}: the body only has "
                "'## 第X章' chapter and '### 第X节' section headings",
                f"意外的标题 {'#' * level} {content!r}：正文只能有“## 第X章”和“### 第X节”标题",
            )

    def _on_chapter(self, number: int, content: str) -> None:
        match = _CHAPTER_RE.match(content)
        if not match:
            raise self._fail(
                number,
                f"unrecognised chapter heading {content!r}: expected '## 第X章 title'",
                f"无法识别的章标题 {content!r}：应为“## 第X章 标题”",
            )
        chapter_number = self._number(match["numeral"], number, "chapter", "章")
        self._check_sequence(
            number, chapter_number, [(c.number, c.line) for c in self.chapters], "章", "chapter"
        )
        if self.articles and not self.chapters:
            self._article_before_chapters(number)
        title = self._heading_title(match["title"], number, "chapter", "章")
        self.chapters.append(_ChapterDraft(chapter_number, title, number))
        self.section = None

    def _article_before_chapters(self, chapter_line: int) -> None:
        first = self.articles[0]
        label = f"第{int_to_chinese_numeral(first.number)}条"
        raise self._fail(
            first.line,
            f"{label} comes before the first chapter heading (line {chapter_line}): in an "
            "instrument with chapters every article must be inside a chapter",
            f"{label}位于第一个章标题（第 {chapter_line} 行）之前："
            "分章的法规中每一条都必须属于某一章",
        )

    def _on_section(self, number: int, content: str) -> None:
        match = _SECTION_RE.match(content)
        if not match:
            raise self._fail(
                number,
                f"unrecognised section heading {content!r}: expected '### 第X节 title'",
                f"无法识别的节标题 {content!r}：应为“### 第X节 标题”",
            )
        if not self.chapters:
            raise self._fail(
                number, "section heading before any chapter heading", "节标题出现在任何章标题之前"
            )
        chapter = self.chapters[-1]
        section_number = self._number(match["numeral"], number, "section", "节")
        known = [(s.number, None) for s in chapter.sections]
        self._check_sequence(number, section_number, known, "节", "section")
        title = self._heading_title(match["title"], number, "section", "节")
        self.section = Section(section_number, title, chapter.number)
        chapter.sections.append(self.section)

    def _heading_title(self, raw: str, number: int, what: str, what_zh: str) -> str:
        """Titles are stripped but inner spaces are kept as found (DSL has 总  则)."""
        title = raw.strip()
        if not title:
            raise self._fail(number, f"the {what} heading has no title", f"{what_zh}标题缺少名称")
        return title

    # numbering ---------------------------------------------------------------------

    def _check_sequence(
        self, line: int, found: int, known: list[tuple[int, int | None]], unit: str, noun: str
    ) -> None:
        """Numbers run 1..N without gaps: say which one was expected, or where a duplicate
        was first seen."""
        expected = len(known) + 1
        if found == expected:
            return
        found_label = f"第{int_to_chinese_numeral(found)}{unit}"
        expected_label = f"第{int_to_chinese_numeral(expected)}{unit}"
        first_line = next((seen_line for seen, seen_line in known if seen == found), None)
        if any(seen == found for seen, _ in known):
            where = f" (first at line {first_line})" if first_line else ""
            where_zh = f"（首次出现在第 {first_line} 行）" if first_line else ""
            raise self._fail(
                line,
                f"duplicate {noun} {found_label}{where}; {expected_label} was expected",
                f"重复的{found_label}{where_zh}；此处应为{expected_label}",
            )
        raise self._fail(
            line,
            f"{noun} {found_label} found where {expected_label} was expected",
            f"此处应为{expected_label}，实际为{found_label}",
        )

    # articles, items, paragraphs -----------------------------------------------------

    def _on_article(self, number: int, numeral: str, text: str) -> None:
        article_number = self._number(numeral, number, "article", "条")
        known = [(a.number, a.line) for a in self.articles]
        self._check_sequence(number, article_number, known, "条", "article")
        if not text.strip():
            raise self._fail(
                number,
                f"article 第{numeral}条 has no text after its number",
                f"第{numeral}条编号之后没有正文",
            )
        chapter = self.chapters[-1].number if self.chapters else None
        section = self.section.number if self.section else None
        self.article = _ArticleDraft(article_number, number, chapter, section, [(text, [])])

    def _on_item(self, number: int, numeral: str, line: str) -> None:
        if self.article is None:
            raise self._fail(
                number,
                f"item {_excerpt(line)!r} is outside any article",
                f"项 {_excerpt(line)!r} 不属于任何条",
            )
        item_number = self._number(numeral, number, "item", "项")
        items = self.article.paragraphs[-1][1]
        expected = len(items) + 1
        if item_number != expected:
            raise self._fail(
                number,
                f"item （{numeral}） found where （{int_to_chinese_numeral(expected)}） "
                "was expected",
                f"此处应为第（{int_to_chinese_numeral(expected)}）项，实际为（{numeral}）",
            )
        items.append(Item(item_number, line))

    def _on_paragraph(self, number: int, line: str) -> None:
        if self.article is None:
            raise self._fail(
                number,
                f"text outside any article: {_excerpt(line)!r} (a paragraph must follow a "
                "第X条 line; info lines belong before the <!-- INFO END --> marker)",
                f"不属于任何条的文字：{_excerpt(line)!r}（款必须位于“第X条”行之后；"
                "说明信息应放在 <!-- INFO END --> 标记之前）",
            )
        self.article.paragraphs.append((line, []))

    def _close_article(self) -> None:
        if self.article is not None:
            self.articles.append(self.article.freeze())
            self.article = None
