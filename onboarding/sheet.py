"""The pure core of a regulator's pre-registration spreadsheet: headers, then every row checked.

No Django and no clock: the caller passes what the check needs to know (the names a province
or sector may be written as, the credit codes already registered, the regulator's
jurisdiction, a credit-code and an e-mail check). Problems are codes with parameters; the
caller words them in the reader's language. Row numbers are the spreadsheet's own (the header
is row 1), so the regulator finds each one in the file.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

# The columns, by the header names a clerk may use (compared without spaces, any case).
HEADERS = {
    "name": ("名称", "单位名称", "企业名称", "组织名称", "机构名称", "name"),
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "creditcode", "uscc"),
    "province": ("省份", "省", "所在省份", "省级行政区", "province"),
    "sector": ("行业", "所属行业", "sector"),
    "email": (
        "联系邮箱",
        "联系人邮箱",
        "联系人电子邮箱",
        "电子邮箱",
        "邮箱",
        "contactemail",
        "email",
    ),
    "size": ("规模", "企业规模", "size"),
}
REQUIRED = ("name", "uscc", "province", "sector", "email")
MAX_ROWS = 5000


@dataclass(frozen=True)
class Problem:
    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    number: int
    name: str
    uscc: str
    province: str
    sector: str
    email: str
    size: str = ""


@dataclass
class Checked:
    """The outcome: the good rows, every bad row's problems, or a problem with the file."""

    rows: list[Row] = field(default_factory=list)
    problems: dict[int, list[Problem]] = field(default_factory=dict)
    file_problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.file_problems and bool(self.rows)


@dataclass(frozen=True)
class Rules:
    provinces: dict[str, str]  # how a province may be written (normalised) → its code
    sectors: dict[str, str]
    sizes: dict[str, str]
    registered: frozenset[str]  # credit codes of organisations that exist already
    uscc_problem: Callable[[str], str | None]  # the reason a code is invalid, or None
    email_ok: Callable[[str], bool]
    covers: Callable[[str, str], bool]  # (province, sector) inside the regulator's jurisdiction


def normalise(text) -> str:
    return "".join(str(text or "").split()).lower().replace("-", "").replace("_", "")


def column_map(header: list[str]) -> tuple[dict[str, int], list[Problem]]:
    aliases = {normalise(a): key for key, names in HEADERS.items() for a in names}
    found: dict[str, int] = {}
    problems = []
    for index, cell in enumerate(header):
        key = aliases.get(normalise(cell))
        if key is None:
            continue
        if key in found:
            problems.append(Problem("header_twice", {"column": str(cell).strip()}))
        found.setdefault(key, index)
    missing = [HEADERS[key][0] for key in REQUIRED if key not in found]
    if missing:
        problems.append(Problem("header_missing", {"columns": "、".join(missing)}))
    return found, problems


def check_table(table: list[list], rules: Rules) -> Checked:
    """Every row of `table` (its first row the header) checked against `rules`."""
    checked = Checked()
    if not any(any_value(row) for row in table):
        checked.file_problems.append(Problem("empty"))
        return checked
    columns, problems = column_map(table[0])
    if problems:
        checked.file_problems.extend(problems)
        return checked
    body = [(number, row) for number, row in enumerate(table[1:], start=2) if any_value(row)]
    if not body:
        checked.file_problems.append(Problem("no_rows"))
        return checked
    if len(body) > MAX_ROWS:
        checked.file_problems.append(Problem("too_many", {"max": MAX_ROWS}))
        return checked
    first_row_of: dict[str, int] = {}
    for number, cells in body:
        values = {key: cell_text(cells, index) for key, index in columns.items()}
        row, row_problems = check_row(number, values, rules, first_row_of)
        if row_problems:
            checked.problems[number] = row_problems
        else:
            checked.rows.append(row)
    return checked


def check_row(number: int, values: dict, rules: Rules, first_row_of: dict):
    problems = []
    name = values.get("name", "")
    if not name:
        problems.append(Problem("name_missing"))
    elif len(name) > 200:
        problems.append(Problem("name_long"))
    uscc = values.get("uscc", "").upper()
    reason = rules.uscc_problem(uscc) if uscc else None
    if not uscc:
        problems.append(Problem("uscc_missing"))
    elif reason:
        problems.append(Problem("uscc_invalid", {"code": uscc, "reason": reason}))
    elif uscc in first_row_of:
        problems.append(Problem("uscc_repeated", {"code": uscc, "row": first_row_of[uscc]}))
    elif uscc in rules.registered:
        problems.append(Problem("uscc_registered", {"code": uscc}))
    if uscc and not reason:
        first_row_of.setdefault(uscc, number)
    province = lookup(values.get("province", ""), rules.provinces, "province", problems)
    sector = lookup(values.get("sector", ""), rules.sectors, "sector", problems)
    size = ""
    if values.get("size"):
        size = lookup(values["size"], rules.sizes, "size", problems)
    if province and sector and not rules.covers(province, sector):
        problems.append(
            Problem(
                "outside",
                {"province": values.get("province", ""), "sector": values.get("sector", "")},
            )
        )
    email = values.get("email", "").lower()
    if not email:
        problems.append(Problem("email_missing"))
    elif not rules.email_ok(email):
        problems.append(Problem("email_invalid", {"value": email}))
    row = Row(number, name, uscc, province, sector, email, size)
    return row, problems


def lookup(value: str, names: dict[str, str], kind: str, problems: list) -> str:
    if not value:
        problems.append(Problem(f"{kind}_missing"))
        return ""
    code = names.get(normalise(value))
    if code is None:
        problems.append(Problem(f"{kind}_unknown", {"value": value}))
        return ""
    return code


def cell_text(cells: list, index: int) -> str:
    if index >= len(cells) or cells[index] is None:
        return ""
    value = cells[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def any_value(cells: list) -> bool:
    return any(str(cell).strip() for cell in cells if cell is not None)
