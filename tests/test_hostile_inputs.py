"""Generated hostile requests, price lists and catalogs: never an internal error or a traceback, never a
terminal escape on the console, JSON that is valid UTF-8, and outputs that their readers open.

Example counts are kept small so the suite stays fast; each example changes one value of a valid input.
"""

import io
import json
import shutil

import openpyxl
import pypdf
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from procure.cli import cli
from procure.core.catalog_reader import default_folder

from conftest import examples
from orders import GEN2, PRICES

HOSTILE_CHARACTERS = st.one_of(
    st.sampled_from("\x00\x07\x1b\x7f\x85\x9b\r\n\t\"',=\\<>&;[]{}#\u00a0\u2028\u202e\ufeff\ufffd\ufffe\uffff"),
    st.characters(codec=None), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF))
HOSTILE_TEXT = st.text(HOSTILE_CHARACTERS, max_size=24) | st.sampled_from(
    ["", " ", "=SUM(A1)", "@cmd", "\x1b]0;pwned\x07", "x" * 600, "9" * 5000, "-1", "1e999", "NaN"])
HOSTILE_NUMBERS = st.one_of(st.integers().map(str), st.integers(4290, 4400).map(lambda digits: "7" * digits),
                            st.sampled_from(["1.5", "-0", "inf", "nan", "0x10", "1_000", "[[[[1]]]]",
                                             "[" * 400 + "]" * 400, '"3"', "2026-01-15"]))

SETTINGS = settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"PROCURE_CATALOG": None, "PROCURE_DEBUG": None})


def toml_string(text: str) -> str:
    """`text` as a TOML basic string of ASCII: every other character an escape (surrogates make it invalid)."""
    return '"' + "".join(c if " " <= c <= "~" and c not in '"\\' else f"\\U{ord(c):08X}" for c in text) + '"'


REQUEST_FIELDS = {  # where a hostile value goes: the text it replaces in GEN2 and how it is written there
    "facility": ('"Public Example Clinic"', toml_string),
    "dodaac": ('"W91ABC"', toml_string),
    "quote number": ('"PQ-0001"', toml_string),
    "treatment name": ('"Genicular"', toml_string),
    "nerve": ('"ISN-S"', toml_string),
    "installed": ('["IST2221"]', lambda text: f"[{toml_string(text)}]"),
    "stock key": ("[[treatment]]\nname = \"Anterior", lambda text: f"[stock]\n{toml_string(text)} = 1\n\n"
                                                                   "[[treatment]]\nname = \"Anterior"),
    "line part": ("[[treatment]]\nname = \"Anterior", lambda text: f"[[line]]\npart = {toml_string(text)}\n"
                                                                   "quantity = 1\n\n[[treatment]]\nname = \"Anterior"),
}
NUMBER_FIELDS = {"procedures": "procedures = 12", "valid_days": 'date = 2026-01-15'}


def hostile_request(field: str, text: str) -> str:
    old, write = REQUEST_FIELDS[field]
    assert GEN2.count(old) == 1, old
    return GEN2.replace(old, write(text))


def assert_handled(result, *, as_json=False) -> None:
    """Exit 0, 1 or 2; no traceback or internal error; nothing a terminal would run; JSON in valid UTF-8."""
    out, err = result.stdout_bytes, result.stderr_bytes or b""
    assert result.exit_code in (0, 1, 2), (result.exit_code, out, err, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    text = out.decode("utf-8") + err.decode("utf-8")
    assert "Traceback" not in text and "internal error" not in text, text
    assert not set(text) & set("\x1b\x07\x9b"), text
    if as_json and result.exit_code in (0, 1):
        json.loads(out.decode("utf-8"))


def assert_outputs_read_back(folder) -> None:
    [xlsx] = folder.glob("*.xlsx")
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames[:3] == ["Order", "Plan", "Checks"]
    [pdf] = folder.glob("*.pdf")
    assert "Page 1 of" in pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    [txt] = folder.glob("*.txt")
    txt.read_bytes().decode("utf-8")


@SETTINGS
@given(field=st.sampled_from(sorted(REQUEST_FIELDS)), text=HOSTILE_TEXT)
def test_a_hostile_text_in_a_request_is_handled(tmp_path_factory, field, text):
    folder = tmp_path_factory.mktemp("request", numbered=True)
    (folder / "r.toml").write_text(hostile_request(field, text), encoding="utf-8")
    assert_handled(invoke("plan", folder / "r.toml", "--json"), as_json=True)


@SETTINGS
@given(field=st.sampled_from(sorted(NUMBER_FIELDS)), number=HOSTILE_NUMBERS)
def test_a_hostile_number_in_a_request_is_handled(tmp_path_factory, field, number):
    folder = tmp_path_factory.mktemp("number", numbered=True)
    old = NUMBER_FIELDS[field]
    new = f"procedures = {number}" if field == "procedures" else f"{old}\nvalid_days = {number}"
    (folder / "r.toml").write_text(GEN2.replace(old, new, 1), encoding="utf-8")
    assert_handled(invoke("check", folder / "r.toml", "--json"), as_json=True)


@SETTINGS
@given(where=st.sampled_from(["title", "part", "price", "note", "header"]), text=HOSTILE_TEXT,
       ending=st.sampled_from(["\n", "\r\n", "\r"]))
def test_a_hostile_price_list_is_handled(tmp_path_factory, where, text, ending):
    folder = tmp_path_factory.mktemp("prices", numbered=True)
    quoted = '"' + text.replace('"', '""') + '"'
    rows = PRICES.replace("part,unit_price\n", "part,unit_price,note\n").splitlines()
    if where == "title":
        rows.insert(0, f"# title = {text}")
    elif where == "header":
        rows[0] = f"part,unit_price,{quoted}"
    else:
        part, price = rows[2].split(",")
        rows[2] = ",".join({"part": [quoted, price, ""], "price": [part, quoted, ""],
                            "note": [part, price, quoted]}[where])
    (folder / "p.csv").write_bytes(ending.join(rows).encode("utf-8", "surrogatepass") + ending.encode())
    (folder / "r.toml").write_text(GEN2, encoding="utf-8")
    assert_handled(invoke("plan", folder / "r.toml", "--prices", folder / "p.csv", "--json"), as_json=True)


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=HOSTILE_TEXT)
def test_a_hostile_catalog_text_is_handled(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("catalog", numbered=True)
    catalog = folder / "catalog"
    shutil.copytree(default_folder(), catalog, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    [version] = catalog.glob("*.toml")
    content = version.read_text(encoding="utf-8")
    start = content.index('description = "') + len("description = ")
    end = content.index("\n", start)
    version.write_text(content[:start] + toml_string(text) + content[end:], encoding="utf-8")
    (folder / "r.toml").write_text(GEN2, encoding="utf-8")
    assert_handled(invoke("--catalog", catalog, "catalog", "list", "--json"), as_json=True)
    assert_handled(invoke("--catalog", catalog, "plan", folder / "r.toml", "--json"), as_json=True)


@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(["facility", "treatment name", "quote number"]),
       text=st.builds(str.__add__, st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=30),
                      st.sampled_from(["", "x", "\ufffe", "\uffff", "\u202e"])))
def test_whatever_a_build_accepts_reads_back_from_every_output(tmp_path_factory, field, text):
    folder = tmp_path_factory.mktemp("build", numbered=True)
    (folder / "r.toml").write_text(hostile_request(field, text), encoding="utf-8")
    (folder / "p.csv").write_text(PRICES, encoding="utf-8")
    result = invoke("build", folder / "r.toml", "--prices", folder / "p.csv", "-o", folder / "out")
    assert_handled(result)
    if result.exit_code == 0:
        assert_outputs_read_back(folder / "out")
