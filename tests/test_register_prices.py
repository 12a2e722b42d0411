"""Contract price lists kept in the register (`procure prices ...`): a quote takes the list in force on its date,
a file of its own is refused once the register holds lists, illustrative lists only in a practice register, and
the diff of two lists; on SQLite and PostgreSQL."""

import datetime
import json

from conftest import assert_no_traceback
from orders import ILLUSTRATIVE, PRICES
from registers import REQUEST, issued

TODAY = datetime.date.today()


def day(offset: int) -> str:
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


def dated(offset: int) -> str:
    return REQUEST + f"\n[quote]\ndate = {day(offset)}\n"


def load(desk, text=PRICES, effective=-5, name="contract.csv", *more):
    path = desk.folder / name
    path.write_text(text, encoding="utf-8")
    return desk("prices", "load", path, "--effective", day(effective), *more)


def issue_from_register(desk, text):
    return desk("quote", "issue", desk.request(text), "-o", desk.out)


def shown(desk, number) -> dict:
    result = desk("quote", "show", number, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_quote_takes_the_list_in_force_on_its_date_and_not_before(desk):
    first = load(desk, PRICES, -5, "mod-11.csv", "--note", "P00011", "--by", "admin1")
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith(f"loaded price list 1 (mod-11.csv), in force from {day(-5)}: 10 parts, sha256:")
    dearer = PRICES.replace("STT2309-5,1000.00", "STT2309-5,1200.00")
    assert load(desk, dearer, -2, "mod-12.csv").exit_code == 0

    before = issue_from_register(desk, dated(-6))
    assert before.exit_code == 1 and f"no price list of {desk.target}" in before.stderr, before.stderr
    assert f"is in force on {day(-6)}: the first takes effect on {day(-5)}" in before.stderr
    assert_no_traceback(before)

    on_first = issued(issue_from_register(desk, dated(-5)))
    between = issued(issue_from_register(desk, dated(-3)))
    on_second = issued(issue_from_register(desk, dated(0)))
    ids = {n: shown(desk, n)["price_list_id"] for n in (on_first, between, on_second)}
    assert ids == {on_first: 1, between: 1, on_second: 2}
    totals = {n: shown(desk, n)["quote"]["total"] for n in (on_first, on_second)}
    assert totals == {on_first: "3800.00", on_second: "4400.00"}  # 3 x STT2309-5 at 1,000.00, then 1,200.00
    text = desk("quote", "show", on_second).stdout
    assert f"Price list  mod-12.csv (price list 2 of the register, in force from {day(-2)})" in text
    assert "mod-12.csv" in (desk.out / f"{on_second}.txt").read_text(encoding="utf-8")

    listed = json.loads(desk("prices", "list", "--json").stdout)["price_lists"]
    assert [(p["id"], p["effective"], p["parts"], p["illustrative"], p["loaded_by"]) for p in listed] == [
        (1, day(-5), 10, False, "admin1"), (2, day(-2), 10, False, listed[1]["loaded_by"])]
    assert set(listed[0]) >= {"id", "effective", "loaded_at", "loaded_by", "digest", "parts", "illustrative"}
    assert listed[0]["digest"].startswith("sha256:") and listed[0]["note"] == "P00011"
    table = desk("prices", "list").stdout.splitlines()
    assert "in force" not in table[2] and table[3].rstrip().endswith("in force")

    on_date = desk("prices", "show", "--on", day(-4), "--json")
    assert json.loads(on_date.stdout)["id"] == 1
    assert {p["part"]: p["unit_price"] for p in json.loads(desk("prices", "show", "2", "--json").stdout)["prices"]
            }["STT2309-5"] == "1200.00"


def test_a_price_list_given_with_the_quote_is_refused_once_the_register_holds_lists(desk):
    assert issued(desk.issue())  # a register without lists takes --prices as before
    assert load(desk).exit_code == 0
    refused = desk.issue()
    assert refused.exit_code == 1 and "prices load" in refused.stderr, refused.stderr
    assert refused.stderr.startswith("error: prices.csv: not used: this register keeps its own contract price lists")
    assert_no_traceback(refused)
    own = desk("quote", "issue", desk.request(REQUEST + '\n[pricing]\nprice_list = "prices.csv"\n'), "-o", desk.out)
    assert own.exit_code == 1 and "prices load" in own.stderr
    assert len(json.loads(desk("quote", "list", "--json").stdout)["quotes"]) == 1


def test_an_illustrative_list_loads_only_into_a_practice_register(desk):
    refused = load(desk, ILLUSTRATIVE)
    assert refused.exit_code == 1 and "illustrative" in refused.stderr and "practice register" in refused.stderr
    assert_no_traceback(refused)
    assert json.loads(desk("prices", "list", "--json").stdout) == {"price_lists": []}
    made = desk("register", "init", "--practice")
    assert made.exit_code == 0 and "is a practice register" in made.stdout, made.stderr
    assert load(desk, ILLUSTRATIVE).exit_code == 0
    practice = issued(issue_from_register(desk, REQUEST))  # every quote of a practice register is a practice quote
    assert shown(desk, practice)["quote"]["practice"] is True


def test_a_register_with_quotes_cannot_become_a_practice_register(desk):
    issued(desk.issue())
    late = desk("register", "init", "--practice")
    assert late.exit_code == 1 and "only a new, empty register" in late.stderr


def test_a_list_with_a_part_the_catalog_does_not_know_is_refused(desk):
    result = load(desk, PRICES + "XYZ999,5.00\n")
    assert result.exit_code != 0 and "contract.csv: line 12" in result.stderr and "XYZ999" in result.stderr
    assert_no_traceback(result)
    assert json.loads(desk("prices", "list", "--json").stdout) == {"price_lists": []}


def test_the_diff_of_two_lists_shows_every_changed_price(desk):
    load(desk, PRICES, -5, "old.csv")
    new = (PRICES.replace("STT2309-5,1000.00", "STT2309-5,1100.00").replace("CRX2111-10,400.00", "CRX2111-10,380.00")
           .replace("CRX0111-20,180.00\n", ""))
    load(desk, new, -1, "new.csv")
    result = desk("prices", "diff", "1", "2")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"From price list 1 (old.csv), in force from {day(-5)} to price list 2 (new.csv), in force " \
                       f"from {day(-1)}:"
    assert lines[1:] == ["  removed  CRX0111-20   $180.00 -> -",
                         "  changed  CRX2111-10   $400.00 -> $380.00 (-5.0%)",
                         "  changed  STT2309-5    $1,000.00 -> $1,100.00 (+10.0%)"]
    back = json.loads(desk("prices", "diff", "2", "1", "--json").stdout)
    assert {c["part"]: (c["change"], c["old"], c["new"], c["percent"]) for c in back["changes"]} == {
        "CRX0111-20": ("added", None, "180.00", None), "CRX2111-10": ("changed", "380.00", "400.00", "5.3"),
        "STT2309-5": ("changed", "1100.00", "1000.00", "-9.1")}
    unknown = desk("prices", "diff", "1", "7")
    assert unknown.exit_code == 2 and "'7' is not the id of a price list" in unknown.stderr


def test_an_output_naming_a_file_issues_into_the_register_alone(desk):
    """`-o` naming a file (here the request itself): the quote is issued and kept in the register, with a note;
    no file is written or overwritten, and `quote files` writes them."""
    request = desk.request()
    result = desk("quote", "issue", request, "-o", request, "--prices", desk.prices)
    number = issued(result)
    assert f"note: -o {request} is a file, not a folder: the quote is kept in the register only" in result.stderr
    assert request.read_text(encoding="utf-8") == REQUEST and not list(desk.folder.glob(f"{number}.*"))
    assert desk("quote", "files", number, "-o", desk.out).exit_code == 0 and (desk.out / f"{number}.pdf").is_file()
