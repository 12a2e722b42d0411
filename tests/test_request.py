"""Bad request files, through `procure check`: exit 2, one clear line per problem naming file, key and line.

Every case starts from VALID (which checks cleanly) and changes one thing, so the
line a message must name is the line of that one thing.
"""

import datetime
import json
import math
import string
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from procure.cli import cli

from conftest import examples

VALID = """\
[quote]
number = "RQ-1"
date = 2026-01-15
valid_days = 30

[customer]
facility = "Test Clinic"
dodaac = "W12ABC"

[equipment]
installed = ["IST2221"]

[[treatment]]
name = "Anterior knee"
procedures = 10
nerves = ["AFCN", "ISN-S", "ISN-I"]
"""
NERVES = 'nerves = ["AFCN", "ISN-S", "ISN-I"]'


def invoke(*args):
    """Run the CLI in-process with no catalog or debug setting from the caller's environment."""
    return CliRunner().invoke(cli, [str(a) for a in args], env={"PROCURE_CATALOG": None, "PROCURE_DEBUG": None})


def check(tmp_path: Path, content, name="request.toml", *more):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path, invoke("check", path, *more)


def variant(old: str, new: str, text: str = VALID) -> str:
    """VALID with one piece replaced (the piece must be there exactly once)."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based number of the line holding the n-th occurrence of `needle`."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return found[occurrence - 1]


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def assert_clean_failure(result) -> None:
    """A problem the user caused: said in words, no traceback, no 'internal error'."""
    text = result.stdout + result.stderr
    assert "Traceback" not in text
    assert "internal error" not in text
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def test_the_base_request_checks_cleanly(tmp_path):
    _, result = check(tmp_path, VALID)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stderr == ""


# (id, request text, what the message must call the key, the line it must name (a needle of that
#  line, (needle, occurrence), or None for no line), fragments of the one expected message)
SCHEMA_CASES = [
    ("procedures-as-text", variant("procedures = 10", 'procedures = "ten"'),
     "[[treatment]] #1 procedures", "procedures =", ["must be a whole number", "'ten'"]),
    ("nerves-as-text", variant(NERVES, 'nerves = "AFCN"'),
     "[[treatment]] #1 nerves", "nerves =", ["must be a list", "'AFCN'"]),
    ("installed-as-text", variant('installed = ["IST2221"]', 'installed = "IST2221"'),
     "[equipment] installed", "installed =", ["must be a list", "'IST2221'"]),
    ("installed-holds-a-number", variant('installed = ["IST2221"]', 'installed = [2221]'),
     "[equipment] installed", "installed =", ["only text", "2221"]),
    ("spare-percent-as-text", VALID + '\n[plan]\nspare_percent = "10"\n',
     "[plan] spare_percent", "spare_percent", ["must be a number", "'10'"]),
    ("nerve-stim-as-text", variant(NERVES, NERVES + '\nnerve_stim = "yes"'),
     "[[treatment]] #1 nerve_stim", "nerve_stim", ["true or false", "'yes'"]),
    ("date-in-quotes", variant("date = 2026-01-15", 'date = "2026-01-15"'),
     "[quote] date", "date =", ["a date such as", "no quotes", "'2026-01-15'"]),
    ("date-with-a-time", variant("date = 2026-01-15", "date = 2026-01-15T09:30:00"),
     "[quote] date", "date =", ["without a time"]),
    ("procedures-negative", variant("procedures = 10", "procedures = -3"),
     "[[treatment]] #1 procedures", "procedures =", ["at least 1", "-3"]),
    ("procedures-zero", variant("procedures = 10", "procedures = 0"),
     "[[treatment]] #1 procedures", "procedures =", ["at least 1", "not 0"]),
    ("procedures-fractional", variant("procedures = 10", "procedures = 2.5"),
     "[[treatment]] #1 procedures", "procedures =", ["whole number", "2.5"]),
    ("procedures-huge", variant("procedures = 10", f"procedures = {10 ** 30}"),
     "[[treatment]] #1 procedures", "procedures =", ["at most"]),
    ("procedures-infinite", variant("procedures = 10", "procedures = inf"),
     "[[treatment]] #1 procedures", "procedures =", ["whole number"]),
    ("procedures-missing", variant("procedures = 10\n", ""),
     "[[treatment]] #1", "[[treatment]]", ["procedures is required"]),
    ("tips-per-procedure-zero", variant(NERVES, NERVES + "\ntips_per_procedure = 0"),
     "[[treatment]] #1 tips_per_procedure", "tips_per_procedure", ["at least 1"]),
    ("cartridges-per-procedure-text", variant(NERVES, NERVES + '\ncartridges_per_procedure = "1"'),
     "[[treatment]] #1 cartridges_per_procedure", "cartridges_per_procedure", ["whole number"]),
    ("spare-percent-101", VALID + "\n[plan]\nspare_percent = 101\n",
     "[plan] spare_percent", "spare_percent", ["between 0 and 100", "101"]),
    ("spare-percent-negative", VALID + "\n[plan]\nspare_percent = -1\n",
     "[plan] spare_percent", "spare_percent", ["between 0 and 100", "-1"]),
    ("generation-as-text", VALID + '\n[plan]\ngeneration = "2"\n',
     "[plan] generation", "generation", ["whole number", "'2'"]),
    ("missing-facility", variant('facility = "Test Clinic"\n', ""),
     "facility", "[customer]", ["facility is required"]),
    ("missing-dodaac", variant('dodaac = "W12ABC"\n', ""),
     "dodaac", "[customer]", ["dodaac is required"]),
    ("empty-facility", variant('facility = "Test Clinic"', 'facility = "   "'),
     "[customer] facility", "facility =", ["must not be empty"]),
    ("dodaac-of-5", variant('dodaac = "W12ABC"', 'dodaac = "W12AB"'),
     "[customer] dodaac", "dodaac =", ["'W12AB'", "not a DoDAAC", "6 characters"]),
    ("dodaac-lowercase-of-5", variant('dodaac = "W12ABC"', 'dodaac = "w12ab"'),
     "[customer] dodaac", "dodaac =", ["'W12AB'", "not a DoDAAC"]),
    ("dodaac-punctuation", variant('dodaac = "W12ABC"', 'dodaac = "W12-BC"'),
     "[customer] dodaac", "dodaac =", ["'W12-BC'", "not a DoDAAC"]),
    ("dodaac-as-number", variant('dodaac = "W12ABC"', "dodaac = 123456"),
     "[customer] dodaac", "dodaac =", ["text", "123456"]),
    ("unknown-key-typo-optional", variant(NERVES, NERVES + "\nnerve_stm = true"),
     "[[treatment]] #1 nerve_stm", "nerve_stm", ["unknown key 'nerve_stm'", "did you mean 'nerve_stim'"]),
    ("unknown-key-typo-plan", VALID + "\n[plan]\nspare_percnt = 10\n",
     "[plan] spare_percnt", "spare_percnt", ["unknown key 'spare_percnt'", "'spare_percent'"]),
    ("unknown-key-in-customer", variant('dodaac = "W12ABC"', 'dodaac = "W12ABC"\nfax = "555"'),
     "[customer] fax", "fax =", ["unknown key 'fax'", "allowed:", "facility"]),
    ("unknown-section", VALID + '\n[shipping]\nmode = "air"\n',
     "shipping", "[shipping]", ["unknown key 'shipping'", "customer", "treatment"]),
    ("section-key-at-top-level", "spare_percent = 10\n" + VALID,
     "spare_percent", "spare_percent", ["unknown key 'spare_percent'", "plan"]),
    ("treatment-as-single-table", variant("[[treatment]]", "[treatment]"),
     "treatment", "[treatment]", ["[[treatment]]"]),
    ("duplicate-treatment-names", VALID + '\n[[treatment]]\nname = "Anterior knee"\nprocedures = 2\n',
     "[[treatment]] #2 name", ('name = "Anterior knee"', 2), ["also named 'Anterior knee'"]),
    ("empty-nerves-list", variant(NERVES, "nerves = []"),
     "[[treatment]] #1 nerves", "nerves =", ["at least one nerve"]),
    ("duplicate-nerve", variant(NERVES, 'nerves = ["AFCN", "ISN-S", "AFCN"]'),
     "[[treatment]] #1 nerves", "nerves =", ["'AFCN' twice"]),
    ("quote-number-with-slash", variant('number = "RQ-1"', 'number = "RQ/1"'),
     "[quote] number", "number =", ["'RQ/1'", "quote number"]),
    ("quote-number-41-chars", variant('number = "RQ-1"', f'number = "{"Q" * 41}"'),
     "[quote] number", "number =", ["41 characters", "at most 40"]),
    ("quote-number-leading-dot", variant('number = "RQ-1"', 'number = ".RQ-1"'),
     "[quote] number", "number =", ["'.RQ-1'"]),
    ("valid-days-zero", variant("valid_days = 30", "valid_days = 0"),
     "[quote] valid_days", "valid_days", ["at least 1", "not 0"]),
    ("valid-days-huge", variant("valid_days = 30", "valid_days = 100000000000"),
     "[quote] valid_days", "valid_days", ["at most"]),
    ("stock-negative", VALID + '\n[stock]\n"STT2309-5" = -1\n',
     "[stock]", '"STT2309-5" =', ["STT2309-5", "at least 0", "-1"]),
    ("stock-as-text", VALID + '\n[stock]\n"STT2309-5" = "3"\n',
     "[stock]", '"STT2309-5" =', ["whole number", "'3'"]),
    ("line-quantity-zero", VALID + '\n[[line]]\npart = "STT2309-5"\nquantity = 0\n',
     "[[line]] #1 quantity", "quantity =", ["at least 1", "not 0"]),
    ("line-without-part", VALID + "\n[[line]]\nquantity = 1\n",
     "[[line]] #1", "[[line]]", ["part is required"]),
    ("line-with-empty-part", VALID + '\n[[line]]\npart = ""\nquantity = 1\n',
     "[[line]] #1 part", "part =", ["must not be empty"]),
    ("line-without-quantity", VALID + '\n[[line]]\npart = "STT2309-5"\n',
     "[[line]] #1", "[[line]]", ["quantity is required"]),
    ("site-not-in-fee-schedule", VALID + '\n[reimbursement]\nsite = "clinic"\n',
     "[reimbursement] site", "site =", ["'clinic'", "ASC", "HOPD", "office", "facility"]),
    ("price-list-as-number", VALID + "\n[pricing]\nprice_list = 5\n",
     "[pricing] price_list", "price_list", ["text", "5"]),
]


@pytest.mark.parametrize("text, key, line, fragments", [case[1:] for case in SCHEMA_CASES],
                         ids=[case[0] for case in SCHEMA_CASES])
def test_a_schema_problem_is_one_line_naming_file_line_and_key(tmp_path, text, key, line, fragments):
    path, result = check(tmp_path, text)
    assert_clean_failure(result)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert result.stdout == ""
    lines = error_lines(result)
    assert len(lines) == 1, lines
    message = lines[0]
    needle, occurrence = line if isinstance(line, tuple) else (line, 1)
    assert message.startswith(f"error: {path}:{line_of(text, needle, occurrence)}: "), message
    assert key in message
    for fragment in fragments:
        assert fragment in message


def test_a_typo_of_a_required_key_is_named_and_the_right_key_suggested(tmp_path):
    text = variant("procedures = 10", "procedurs = 10")
    path, result = check(tmp_path, text)
    assert_clean_failure(result)
    assert result.exit_code == 2
    lines = error_lines(result)
    typo = [line for line in lines if "procedurs" in line and "unknown key" in line]
    assert len(typo) == 1, lines
    assert typo[0].startswith(f"error: {path}:{line_of(text, 'procedurs')}: [[treatment]] #1 procedurs: ")
    assert "unknown key 'procedurs'" in typo[0] and "did you mean 'procedures'?" in typo[0]
    # at most one more line, and only to say `procedures` itself is missing
    assert len(lines) <= 2
    assert all("[[treatment]] #1" in line for line in lines)


def test_missing_customer_section_is_named(tmp_path):
    text = variant('[customer]\nfacility = "Test Clinic"\ndodaac = "W12ABC"\n', "")
    path, result = check(tmp_path, text)
    assert_clean_failure(result)
    assert result.exit_code == 2
    lines = error_lines(result)
    assert lines and lines[0] == f"error: {path}: [customer] is required"
    assert len(lines) == len(set(lines)), "the same problem is said twice"
    assert all("customer" in line for line in lines), lines


def test_toml_syntax_error_names_line_and_column(tmp_path):
    text = variant("procedures = 10", "procedures = ")
    path, result = check(tmp_path, text)
    assert_clean_failure(result)
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {path}:{line_of(text, 'procedures =')}:")
    assert "not valid TOML" in lines[0]


def test_an_unterminated_string_names_its_line(tmp_path):
    text = variant('facility = "Test Clinic"', 'facility = "Test Clinic')
    path, result = check(tmp_path, text)
    assert result.exit_code == 2
    assert_clean_failure(result)
    assert error_lines(result)[0].startswith(f"error: {path}:{line_of(text, 'facility =')}:")


def test_a_duplicate_key_is_a_toml_error_with_its_line(tmp_path):
    text = variant('dodaac = "W12ABC"', 'dodaac = "W12ABC"\ndodaac = "W12ABD"')
    path, result = check(tmp_path, text)
    assert result.exit_code == 2
    assert_clean_failure(result)
    assert error_lines(result)[0].startswith(f"error: {path}:{line_of(text, 'W12ABD')}:")


@pytest.mark.parametrize("content, fragment", [
    (b"", "empty"),
    (b"  \n\t\n   \n", "empty"),
    (b"[customer]\x00\x01\x02binary", "binary"),
    ('[customer]\nfacility = "Bürger"\ndodaac = "W12ABC"\n'.encode("latin-1"), "UTF-8"),
], ids=["empty", "whitespace-only", "binary", "latin-1"])
def test_an_unreadable_file_is_one_line_naming_it(tmp_path, content, fragment):
    path, result = check(tmp_path, content)
    assert_clean_failure(result)
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: {path}: ")
    assert fragment in lines[0]


def test_latin_1_names_the_byte_that_cannot_be_read(tmp_path):
    content = '[customer]\nfacility = "Bürger"\ndodaac = "W12ABC"\n'.encode("latin-1")
    _, result = check(tmp_path, content)
    position = content.index("ü".encode("latin-1")) + 1
    assert f"byte {position}" in result.stderr


def test_a_missing_file_is_named(tmp_path):
    path = tmp_path / "nowhere.toml"
    result = invoke("check", path)
    assert_clean_failure(result)
    assert result.exit_code == 2
    assert error_lines(result) == [f"error: {path}: no such request file"]


def test_a_folder_is_not_a_request(tmp_path):
    folder = tmp_path / "request.toml"
    folder.mkdir()
    result = invoke("check", folder)
    assert_clean_failure(result)
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith(f"error: {folder}: ") and "folder" in lines[0]


def test_several_problems_are_several_lines_each_with_its_key_and_line(tmp_path):
    text = variant('dodaac = "W12ABC"', 'dodaac = "bad"',
                   variant("procedures = 10", "procedures = 0")) + "\n[plan]\nspare_percent = 200\n"
    path, result = check(tmp_path, text)
    assert_clean_failure(result)
    assert result.exit_code == 2
    lines = error_lines(result)
    assert len(lines) == 3, lines
    expected = {"[customer] dodaac": "dodaac =", "[[treatment]] #1 procedures": "procedures =",
                "[plan] spare_percent": "spare_percent ="}
    for key, needle in expected.items():
        [line] = [line for line in lines if key in line]
        assert line.startswith(f"error: {path}:{line_of(text, needle)}: {key}: ")


def test_a_bom_and_windows_line_ends_are_accepted(tmp_path):
    _, result = check(tmp_path, b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode("utf-8"))
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("facility", ["Bürger – Zentrum", "=SUM(A1)", "+1 Clinic", "@home 'Clinic'", "軍病院"])
def test_any_text_is_accepted_as_text(tmp_path, facility):
    text = variant('facility = "Test Clinic"', f"facility = {json.dumps(facility, ensure_ascii=False)}")
    _, result = check(tmp_path, text)
    assert_clean_failure(result)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


def test_a_nerve_code_the_catalog_does_not_know_is_a_finding_not_a_schema_error(tmp_path):
    text = variant(NERVES, 'nerves = ["AFCN", "XYZ"]')
    _, result = check(tmp_path, text, "request.toml", "--json")
    assert_clean_failure(result)
    assert result.exit_code == 1
    assert result.stderr == ""
    issues = json.loads(result.stdout)["issues"]
    [issue] = [i for i in issues if i["severity"] == "error"]
    assert issue["code"] == "unknown-nerve" and issue["subject"] == "XYZ"


def test_a_part_number_the_catalog_does_not_know_is_a_finding_not_a_schema_error(tmp_path):
    text = VALID + '\n[[line]]\npart = "STT9999-5"\nquantity = 1\n'
    _, result = check(tmp_path, text, "request.toml", "--json")
    assert_clean_failure(result)
    assert result.exit_code == 1
    issues = json.loads(result.stdout)["issues"]
    [issue] = [i for i in issues if i["severity"] == "error"]
    assert issue["code"] == "unknown-part" and issue["subject"] == "STT9999-5"


def test_nerve_codes_and_part_numbers_are_read_in_any_case(tmp_path):
    text = variant(NERVES, 'nerves = ["afcn", "Isn-S", "ISN-I"]',
                   variant('installed = ["IST2221"]', 'installed = ["ist2221"]'))
    _, result = check(tmp_path, text, "request.toml", "--json")
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["reimbursement"][0]["nerves"] == ["AFCN", "ISN-S", "ISN-I"]


# ------------------------------------------------------------------ known bugs


def test_spare_percent_nan_is_a_schema_error(tmp_path):
    text = VALID + "\n[plan]\nspare_percent = nan\n"
    path, result = check(tmp_path, text)
    assert_clean_failure(result)
    assert result.exit_code == 2
    assert error_lines(result) and error_lines(result)[0].startswith(
        f"error: {path}:{line_of(text, 'spare_percent')}: [plan] spare_percent: ")


def test_a_quote_date_at_the_end_of_the_calendar_is_a_clear_error(tmp_path):
    text = variant("date = 2026-01-15", "date = 9999-12-31")
    _, result = check(tmp_path, text)
    assert_clean_failure(result)
    assert result.exit_code == 2
    assert "[quote]" in result.stderr and "date" in result.stderr


def test_the_same_nerve_in_two_cases_is_a_duplicate(tmp_path):
    text = variant(NERVES, 'nerves = ["AFCN", "afcn"]')
    path, result = check(tmp_path, text)
    assert result.exit_code == 2, result.stdout
    assert error_lines(result) == [f"error: {path}:{line_of(text, 'nerves =')}: [[treatment]] #1 nerves: "
                                   f"lists 'AFCN' twice"]


def test_the_same_stock_part_in_two_cases_is_not_silently_dropped(tmp_path):
    text = VALID + '\n[stock]\n"stt2309-5" = 3\n"STT2309-5" = 4\n'
    _, result = check(tmp_path, text, "request.toml", "--json")
    assert_clean_failure(result)
    if result.exit_code == 2:  # an error naming the duplicate is one right answer ...
        assert "[stock]" in result.stderr and "STT2309-5" in result.stderr.upper()
    else:  # ... counting both entries (7 units) is the other
        rows = json.loads(result.stdout)["derivation"]
        [tips] = [r for r in rows if r["is_total"] and "309" in r["consumable"]]
        assert tips["stock"] == 7


# ------------------------------------------------------------------ never a traceback, whatever the input

PART_NUMBERS = ["IST2221", "STT2309-5", "STT2190-5", "CRX2111-10", "IST0221", "STT0309-5", "STT0801-5",
                "STT0811-5", "CRX0111-10", "CRX0111-20", "ist2221", "STT9999-5", ""]
NERVE_CODES = ["LFCN", "ILFCN", "AFCN", "MFCN", "IMFCN", "SPSN", "ISN-S", "ISN-I", "SLGN", "SMGN", "IMGN",
               "afcn", "XYZ", " "]
KNOWN_KEYS = ("quote", "customer", "equipment", "pricing", "plan", "treatment", "stock", "line", "reimbursement",
              "number", "date", "valid_days", "facility", "dodaac", "installed", "spare_percent", "generation",
              "name", "procedures", "nerves", "nerve_stim", "part", "quantity", "site")

# Dates stop short of year 9999 and numbers exclude NaN: those two crash today and are pinned by the
# strict xfail tests above; everything else must already be handled.
scalars = st.one_of(
    st.integers(), st.integers(min_value=-3, max_value=200),
    st.floats(allow_nan=False), st.booleans(), st.text(max_size=12),
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9990, 12, 31)),
    st.datetimes(max_value=datetime.datetime(9990, 12, 31)), st.times(),
)
junk = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                    max_leaves=6)


def good_or_junk(good):
    return st.one_of(good, good, junk)


def with_extra_keys(tables):
    extra = st.dictionaries(st.one_of(st.sampled_from(KNOWN_KEYS), st.text(min_size=1, max_size=10)), junk,
                            max_size=2)
    return st.tuples(tables, extra).map(lambda pair: {**pair[0], **pair[1]} if isinstance(pair[0], dict)
                                        else pair[0])


def table(required=None, optional=None):
    return with_extra_keys(st.fixed_dictionaries(required or {}, optional=optional or {}))


treatment = table({"procedures": good_or_junk(st.integers(min_value=1, max_value=100_000))}, {
    "name": good_or_junk(st.sampled_from(["A", "B", "Knee"])),
    "nerves": good_or_junk(st.lists(st.sampled_from(NERVE_CODES), max_size=7)),
    "nerve_stim": good_or_junk(st.booleans()),
    "tips_per_procedure": good_or_junk(st.integers(min_value=1, max_value=20)),
    "cartridges_per_procedure": good_or_junk(st.integers(min_value=1, max_value=20)),
})
requests = table({"customer": good_or_junk(table({
    "facility": good_or_junk(st.text(max_size=30)),
    "dodaac": good_or_junk(st.sampled_from(["W12ABC", "w12abc", "W12AB", "N00001"]))}))}, {
    "quote": good_or_junk(table(optional={
        "number": good_or_junk(st.text(alphabet=string.ascii_letters + string.digits + "-._/ ", max_size=45)),
        "date": good_or_junk(st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2100, 1, 1))),
        "valid_days": good_or_junk(st.integers(min_value=0, max_value=400))})),
    "equipment": good_or_junk(table(optional={
        "installed": good_or_junk(st.lists(st.sampled_from(PART_NUMBERS), max_size=3))})),
    "plan": good_or_junk(table(optional={
        "spare_percent": good_or_junk(st.one_of(st.integers(-5, 120), st.floats(0, 100))),
        "generation": good_or_junk(st.integers(0, 3))})),
    "treatment": good_or_junk(st.lists(treatment, max_size=3)),
    "stock": good_or_junk(st.dictionaries(st.sampled_from(PART_NUMBERS), good_or_junk(st.integers(-2, 2_000_000)),
                                          max_size=3)),
    "line": good_or_junk(st.lists(table({"part": good_or_junk(st.sampled_from(PART_NUMBERS)),
                                         "quantity": good_or_junk(st.integers(0, 100_001))}), max_size=3)),
    "reimbursement": good_or_junk(table(optional={
        "site": good_or_junk(st.sampled_from(["ASC", "HOPD", "office", "facility", "clinic"]))})),
})


def toml_string(text: str) -> str:
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep="T")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def toml_document(data: dict) -> str:
    return "".join(f"{toml_string(key)} = {toml_value(value)}\n" for key, value in data.items())


def assert_handled(result) -> None:
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stdout, result.stderr, result.exception)
    assert_clean_failure(result)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=requests)
def test_any_request_is_checked_without_a_traceback(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("generated", numbered=True)
    path = folder / "request.toml"
    path.write_text(toml_document(data), encoding="utf-8")
    assert_handled(invoke("check", path, "--json"))


@settings(max_examples=examples(60), deadline=None)
@given(content=st.one_of(st.text(max_size=200), st.binary(max_size=200),
                         st.builds(lambda a, b: VALID[:a] + b + VALID[a:],
                                   st.integers(0, len(VALID)), st.text(max_size=12))))
def test_any_text_or_bytes_is_checked_without_a_traceback(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("raw", numbered=True)
    path = folder / "request.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    assert_handled(invoke("check", path))


@pytest.mark.parametrize("value", ['"Clinic\\u0001 bell"', '"Line one\\nLine two"', '"Tab\\there"'])
def test_control_characters_in_text_are_a_schema_error(tmp_path, value):
    text = variant('facility = "Test Clinic"', f"facility = {value}")
    path, result = check(tmp_path, text)
    assert_clean_failure(result)
    assert result.exit_code == 2
    [line] = error_lines(result)
    assert line.startswith(f"error: {path}:{line_of(text, 'facility =')}: [customer] facility: holds a control")


def test_two_identical_handpieces_may_be_installed(tmp_path):
    text = variant('installed = ["IST2221"]', 'installed = ["IST2221", "IST2221"]')
    _, result = check(tmp_path, text)
    assert result.exit_code in (0, 1), result.stderr


def test_a_lower_case_dodaac_is_taken_as_meant():
    from procure.inputs import read_request

    assert read_request(text=VALID.replace('dodaac = "W12ABC"', 'dodaac = "w12abc"')).customer.dodaac == "W12ABC"
