"""The finding codes users' scripts rely on, and the rest, each rule both ways: it fires, and it
stays quiet."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from procure.cli import cli
from procure.core.catalog_reader import default_folder, load_catalog
from procure.core.findings import ERROR, WARNING

from orders import CUSTOMER, GEN2, ILLUSTRATIVE, PRICES, make_order, write

CONTRACT_CODES = {
    "unknown-part": ERROR, "unknown-nerve": ERROR, "no-handpiece": ERROR, "generation-mismatch": ERROR,
    "ambiguous-generation": ERROR, "no-nerve-stim-tip": ERROR, "nerve-stimulator-required": WARNING,
    "missing-price": WARNING, "illustrative-prices": WARNING, "contract-period-unknown": WARNING,
    "contract-expired": ERROR, "cpt-64640-cap": WARNING, "cpt-64624-modifier": WARNING,
}
QUOTE = '[quote]\nnumber = "RQ-1"\ndate = 2026-01-15\nvalid_days = 30\n'
GEN1 = '[equipment]\ninstalled = ["IST0221"]\n'
GEN2_OWNED = '[equipment]\ninstalled = ["IST2221"]\n'
BOTH = '[equipment]\ninstalled = ["IST2221", "IST0221"]\n'
ANTERIOR = '[[treatment]]\nname = "Anterior knee"\nprocedures = 12\nnerves = ["AFCN", "ISN-S", "ISN-I"]\n'
GENICULAR = '[[treatment]]\nname = "Genicular"\nprocedures = 7\nnerves = ["SLGN", "SMGN", "IMGN"]\n'
STIM = '[[treatment]]\nname = "Stim genicular"\nprocedures = 4\nnerves = ["SLGN", "SMGN", "IMGN"]\nnerve_stim = true\n'
SIX_ANTERIOR = ('[[treatment]]\nname = "Six nerves"\nprocedures = 2\n'
                'nerves = ["LFCN", "ILFCN", "AFCN", "MFCN", "IMFCN", "SPSN"]\n')
FIVE_ANTERIOR = ('[[treatment]]\nname = "Five nerves"\nprocedures = 2\n'
                 'nerves = ["LFCN", "ILFCN", "AFCN", "MFCN", "IMFCN"]\n')
TWO_GENICULAR = '[[treatment]]\nname = "Two genicular"\nprocedures = 3\nnerves = ["SLGN", "SMGN"]\n'
PRICES_WITHOUT_190 = "\n".join(line for line in PRICES.splitlines() if not line.startswith("STT2190-5")) + "\n"


def request_text(*parts: str) -> str:
    return CUSTOMER + QUOTE + "".join("\n" + p for p in parts)


def order_of(folder: Path, *parts: str, prices: str | None = PRICES, catalog: Path | None = None):
    """The Order of a request made of `parts`, as `check` and `plan` see it."""
    return make_order(request_text(*parts), prices, catalog=load_catalog(catalog) if catalog else None)


def issues(order, code: str):
    return [i for i in order.findings if i.code == code]


def codes(order) -> set[str]:
    return {i.code for i in order.findings}


def packs(order) -> dict[str, int]:
    return {line.part.part: line.quantity for line in order.lines}


def catalog_with_period(folder: Path, start: str, end: str) -> Path:
    """A copy of the shipped catalog whose [contract] has a period of performance."""
    target = folder / "catalog"
    target.mkdir()
    for source in Path(default_folder()).glob("*.toml"):
        text = source.read_text(encoding="utf-8")
        assert text.count("[contract]\n") == 1
        text = text.replace("[contract]\n", f"[contract]\nperiod_start = {start}\nperiod_end = {end}\n")
        (target / source.name).write_text(text, encoding="utf-8")
    return target


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"PROCURE_CATALOG": None, "PROCURE_DEBUG": None})


# ------------------------------------------------------------------ unknown-part


@pytest.mark.parametrize("part", [
    ('[equipment]\ninstalled = ["IST9999"]\n', "IST9999"),
    (GEN2_OWNED + '\n[[line]]\npart = "STT9999-5"\nquantity = 1\n', "STT9999-5"),
    (GEN2_OWNED + ANTERIOR + '\n[stock]\n"CRX9999-10" = 4\n', "CRX9999-10"),
], ids=["installed", "line", "stock"])
def test_unknown_part_fires_wherever_a_part_is_named(tmp_path, part):
    body, number = part
    order = order_of(tmp_path, body)
    [issue] = issues(order, "unknown-part")
    assert issue.severity == ERROR and issue.subject == number
    assert number in issue.message and "2024-10-01" in issue.message
    assert issue.source.startswith("request.toml:")


def test_unknown_part_is_quiet_for_catalog_parts(tmp_path):
    body = GEN2_OWNED + ANTERIOR + '\n[[line]]\npart = "IST2221"\nquantity = 1\n\n[stock]\n"STT2309-5" = 2\n'
    assert "unknown-part" not in codes(order_of(tmp_path, body))


# ------------------------------------------------------------------ unknown-nerve


def test_unknown_nerve_fires(tmp_path):
    body = GEN2_OWNED + '[[treatment]]\nname = "Odd"\nprocedures = 2\nnerves = ["AFCN", "XYZ"]\n'
    order = order_of(tmp_path, body)
    [issue] = issues(order, "unknown-nerve")
    assert issue.severity == ERROR and issue.subject == "XYZ"
    assert "'XYZ'" in issue.message and "AFCN" in issue.message  # names the nerve and lists the known ones


def test_unknown_nerve_is_quiet_for_every_catalog_nerve(tmp_path):
    nerves = ["LFCN", "ILFCN", "AFCN", "MFCN", "IMFCN", "SPSN", "ISN-S", "ISN-I", "SLGN", "SMGN", "IMGN"]
    body = GEN2_OWNED + f'[[treatment]]\nname = "All"\nprocedures = 1\nnerves = {json.dumps(nerves)}\n'
    assert "unknown-nerve" not in codes(order_of(tmp_path, body))


# ------------------------------------------------------------------ no-handpiece


@pytest.mark.parametrize("body", [ANTERIOR, '[[line]]\npart = "STT2309-5"\nquantity = 2\n'],
                         ids=["treatment", "consumable-line"])
def test_no_handpiece_fires_for_consumables_without_a_handpiece(tmp_path, body):
    order = order_of(tmp_path, body)
    [issue] = issues(order, "no-handpiece")
    assert issue.severity == ERROR
    assert "handpiece" in issue.message


@pytest.mark.parametrize("body", [
    ANTERIOR + '\n[[line]]\npart = "IST2221"\nquantity = 1\n',  # ordered, not owned
    GEN2_OWNED + ANTERIOR,
    "",  # nothing at all
    '[[line]]\npart = "IST0221"\nquantity = 1\n',
], ids=["handpiece-ordered", "handpiece-installed", "empty-order", "only-a-handpiece"])
def test_no_handpiece_is_quiet_with_a_handpiece_or_no_consumables(tmp_path, body):
    assert "no-handpiece" not in codes(order_of(tmp_path, body))


def test_no_handpiece_message_names_its_subject(tmp_path):
    order = order_of(tmp_path, '[[line]]\npart = "STT2309-5"\nquantity = 2\n')
    [issue] = issues(order, "no-handpiece")
    assert issue.subject in issue.message


# ------------------------------------------------------------------ generation-mismatch


def test_a_gen_2_tip_line_on_a_gen_1_handpiece_is_a_generation_mismatch(tmp_path):
    order = order_of(tmp_path, GEN1 + '\n[[line]]\npart = "STT2309-5"\nquantity = 2\n')
    [issue] = issues(order, "generation-mismatch")
    assert issue.severity == ERROR and issue.subject == "STT2309-5"
    assert "STT2309-5" in issue.message and "IST0221" in issue.message and "IST2221" in issue.message
    text = request_text(GEN1, '[[line]]\npart = "STT2309-5"\nquantity = 2\n')
    line = text.splitlines().index('part = "STT2309-5"') + 1
    assert issue.source == f"request.toml:{line}"


def test_a_plan_generation_no_handpiece_has_is_a_generation_mismatch(tmp_path):
    order = order_of(tmp_path, GEN2_OWNED + "[plan]\ngeneration = 1\n" + ANTERIOR)
    [issue] = issues(order, "generation-mismatch")
    assert issue.severity == ERROR and issue.subject == "Gen 1"
    assert "generation = 1" in issue.message and "IST2221" in issue.message
    assert not order.lines  # nothing is planned for a generation nobody can use


@pytest.mark.parametrize("body", [
    GEN2_OWNED + '\n[[line]]\npart = "STT2309-5"\nquantity = 2\n',
    GEN2_OWNED + "[plan]\ngeneration = 2\n" + ANTERIOR,
    GEN1 + '\n[[line]]\npart = "CRX0111-20"\nquantity = 1\n[[line]]\npart = "IST2221"\nquantity = 1\n'
    '[[line]]\npart = "STT2309-5"\nquantity = 1\n',
], ids=["matching-line", "matching-plan-generation", "each-fits-some-handpiece"])
def test_generation_mismatch_is_quiet_when_every_part_fits(tmp_path, body):
    assert "generation-mismatch" not in codes(order_of(tmp_path, body))


# ------------------------------------------------------------------ ambiguous-generation


def test_both_generations_with_treatments_and_no_plan_generation_is_ambiguous(tmp_path):
    order = order_of(tmp_path, BOTH + ANTERIOR)
    [issue] = issues(order, "ambiguous-generation")
    assert issue.severity == ERROR
    assert "[plan] generation" in issue.message and issue.subject in issue.message
    assert not order.lines


def test_plan_generation_resolves_the_ambiguity(tmp_path):
    order = order_of(tmp_path, BOTH + "[plan]\ngeneration = 2\n" + ANTERIOR)
    assert not order.errors, order.errors
    assert packs(order) == {"STT2309-5": 3, "CRX2111-10": 2}
    order = order_of(tmp_path, BOTH + "[plan]\ngeneration = 1\n" + ANTERIOR)
    assert not order.errors, order.errors
    assert packs(order) == {"STT0309-5": 3, "CRX0111-20": 1}  # 12 cartridges: one 20-pack is cheaper


def test_both_generations_without_treatments_is_not_ambiguous(tmp_path):
    assert "ambiguous-generation" not in codes(order_of(tmp_path, BOTH))


# ------------------------------------------------------------------ nerve stimulation


def test_gen_2_has_no_nerve_stim_tip(tmp_path):
    order = order_of(tmp_path, GEN2_OWNED + STIM)
    [issue] = issues(order, "no-nerve-stim-tip")
    assert issue.severity == ERROR and issue.subject == "Stim genicular"
    assert "Stim genicular" in issue.message and "190" in issue.message and "Gen 2" in issue.message
    assert "STT2190-5" not in packs(order)  # never the plain tip in place of the one asked for


def test_gen_1_nerve_stim_orders_the_nerve_stim_tip_and_warns_about_the_stimulator(tmp_path):
    order = order_of(tmp_path, GEN1 + STIM)
    assert "no-nerve-stim-tip" not in codes(order)
    assert packs(order) == {"STT0811-5": 1, "CRX0111-10": 1}
    [issue] = issues(order, "nerve-stimulator-required")
    assert issue.severity == WARNING and issue.subject == "STT0811-5"
    assert "STT0811-5" in issue.message and "stimulator" in issue.message
    assert order.errors == ()


def test_an_explicit_nerve_stim_tip_line_also_needs_the_stimulator(tmp_path):
    order = order_of(tmp_path, GEN1 + '[[line]]\npart = "STT0811-5"\nquantity = 1\n')
    assert [i.subject for i in issues(order, "nerve-stimulator-required")] == ["STT0811-5"]


def test_without_nerve_stim_neither_stim_finding_fires(tmp_path):
    order = order_of(tmp_path, GEN1 + GENICULAR)
    assert packs(order) == {"STT0801-5": 2, "CRX0111-10": 1}
    assert not codes(order) & {"nerve-stimulator-required", "no-nerve-stim-tip"}


def test_nerve_stim_on_anterior_nerves_finds_no_309_nerve_stim_tip_on_gen_1(tmp_path):
    body = GEN1 + ANTERIOR.replace("procedures = 12", "procedures = 12\nnerve_stim = true")
    [issue] = issues(order_of(tmp_path, body), "no-nerve-stim-tip")
    assert issue.subject == "Anterior knee" and "309" in issue.message


# ------------------------------------------------------------------ prices


def test_missing_price_is_a_warning_in_check(tmp_path):
    order = order_of(tmp_path, GEN2_OWNED + ANTERIOR + GENICULAR, prices=PRICES_WITHOUT_190)
    [issue] = issues(order, "missing-price")
    assert issue.severity == WARNING and issue.subject == "STT2190-5" and "STT2190-5" in issue.message
    assert order.total is None
    assert order.errors == ()


def test_missing_price_is_an_error_in_build(tmp_path):
    order = make_order(GEN2, PRICES_WITHOUT_190)
    [issue] = [i for i in order.output_findings if i.code == "missing-price"]
    assert issue.severity == ERROR and issue.subject == "STT2190-5"
    assert not order.renderable


def test_without_a_price_list_every_line_misses_its_price(tmp_path):
    order = order_of(tmp_path, GEN2_OWNED + ANTERIOR + GENICULAR, prices=None)
    assert sorted(i.subject for i in issues(order, "missing-price")) == ["CRX2111-10", "STT2190-5", "STT2309-5"]
    assert all("--prices" in i.message for i in issues(order, "missing-price"))


def test_missing_price_is_quiet_when_every_line_is_priced(tmp_path):
    order = make_order(GEN2, PRICES)
    assert "missing-price" not in codes(order)


def test_build_with_a_missing_price_exits_1_and_writes_nothing(tmp_path):
    request = write(tmp_path, "request.toml", GEN2)
    prices = write(tmp_path, "prices.csv", PRICES_WITHOUT_190)
    out = tmp_path / "out"
    result = invoke("build", request, "-o", out, "--prices", prices)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "missing-price" in result.stderr and "STT2190-5" in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_illustrative_prices_warn(tmp_path):
    order = order_of(tmp_path, GEN2_OWNED + ANTERIOR, prices=ILLUSTRATIVE)
    [issue] = issues(order, "illustrative-prices")
    assert issue.severity == WARNING and issue.subject == "prices.csv" and "prices.csv" in issue.message


def test_contract_prices_do_not_warn_as_illustrative(tmp_path):
    assert "illustrative-prices" not in codes(order_of(tmp_path, GEN2_OWNED + ANTERIOR, prices=PRICES))
    assert "illustrative-prices" not in codes(order_of(tmp_path, GEN2_OWNED + ANTERIOR, prices=None))


# ------------------------------------------------------------------ contract period


def test_the_shipped_catalog_has_no_contract_period(tmp_path):
    [issue] = issues(order_of(tmp_path, GEN2_OWNED + ANTERIOR), "contract-period-unknown")
    assert issue.severity == WARNING and issue.subject == "SPE2DE-21-D-7004"
    assert "SPE2DE-21-D-7004" in issue.message and "2026-01-15" in issue.message and "2026-02-14" in issue.message


def _check_json(tmp_path, catalog: Path, quote: str):
    request = write(tmp_path, "request.toml", CUSTOMER + quote + "\n" + GEN2_OWNED + ANTERIOR)
    prices = write(tmp_path, "prices.csv", PRICES)
    result = invoke("--catalog", catalog, "check", request, "--prices", prices, "--json")
    assert "Traceback" not in result.stdout + result.stderr
    return result, json.loads(result.stdout)


def test_a_quote_valid_past_the_contract_end_is_an_error(tmp_path):
    catalog = catalog_with_period(tmp_path, "2021-01-01", "2026-02-01")
    result, data = _check_json(tmp_path, catalog, QUOTE)  # 2026-01-15 + 30 days = 2026-02-14
    assert result.exit_code == 1
    [issue] = [i for i in data["issues"] if i["code"] == "contract-expired"]
    assert issue["severity"] == ERROR and issue["subject"] == "SPE2DE-21-D-7004"
    assert "2026-02-14" in issue["message"] and "2026-02-01" in issue["message"]
    assert "contract-period-unknown" not in {i["code"] for i in data["issues"]}


def test_a_quote_dated_before_the_contract_starts_is_an_error(tmp_path):
    catalog = catalog_with_period(tmp_path, "2026-02-01", "2030-12-31")
    result, data = _check_json(tmp_path, catalog, QUOTE)
    assert result.exit_code == 1
    [issue] = [i for i in data["issues"] if i["code"] == "contract-expired"]
    assert "2026-01-15" in issue["message"] and "2026-02-01" in issue["message"]


@pytest.mark.parametrize("quote", [QUOTE, QUOTE.replace("valid_days = 30", "valid_days = 17")],
                         ids=["well-inside", "valid-through-the-last-day"])
def test_a_quote_inside_the_contract_period_has_no_contract_finding(tmp_path, quote):
    catalog = catalog_with_period(tmp_path, "2021-01-01", "2026-02-01" if "17" in quote else "2026-12-31")
    result, data = _check_json(tmp_path, catalog, quote)
    found = {i["code"] for i in data["issues"]}
    assert not found & {"contract-expired", "contract-period-unknown"}, data["issues"]
    assert result.exit_code == 0


# ------------------------------------------------------------------ coding


def test_more_than_five_nerves_under_64640_are_capped_with_a_warning(tmp_path):
    order = order_of(tmp_path, GEN2_OWNED + SIX_ANTERIOR)
    [row] = order.coding
    assert (row.cpt, row.units) == ("64640", 5)
    [issue] = issues(order, "cpt-64640-cap")
    assert issue.severity == WARNING and issue.subject == "Six nerves"
    assert "Six nerves" in issue.message and "6" in issue.message and "5" in issue.message


def test_five_nerves_under_64640_are_not_capped(tmp_path):
    order = order_of(tmp_path, GEN2_OWNED + FIVE_ANTERIOR)
    assert [(r.cpt, r.units) for r in order.coding] == [("64640", 5)]
    assert "cpt-64640-cap" not in codes(order)


def test_fewer_than_three_genicular_nerves_need_a_modifier(tmp_path):
    order = order_of(tmp_path, GEN2_OWNED + TWO_GENICULAR)
    assert [(r.cpt, r.units) for r in order.coding] == [("64624", 1)]
    [issue] = issues(order, "cpt-64624-modifier")
    assert issue.severity == WARNING and issue.subject == "Two genicular"
    assert "IMGN" in issue.message and "52" in issue.message


def test_all_three_genicular_nerves_need_no_modifier(tmp_path):
    order = order_of(tmp_path, GEN2_OWNED + GENICULAR)
    assert [(r.cpt, r.units) for r in order.coding] == [("64624", 1)]
    assert "cpt-64624-modifier" not in codes(order)


# ------------------------------------------------------------------ all codes, order, messages

SCENARIOS = {
    "unknown-part": dict(parts=(GEN2_OWNED, '[[line]]\npart = "STT9999-5"\nquantity = 1\n')),
    "unknown-nerve": dict(parts=(GEN2_OWNED, ANTERIOR.replace('"ISN-I"', '"XYZ"'))),
    "no-handpiece": dict(parts=(ANTERIOR,)),
    "generation-mismatch": dict(parts=(GEN1, '[[line]]\npart = "STT2309-5"\nquantity = 2\n')),
    "ambiguous-generation": dict(parts=(BOTH, ANTERIOR)),
    "no-nerve-stim-tip": dict(parts=(GEN2_OWNED, STIM)),
    "nerve-stimulator-required": dict(parts=(GEN1, STIM)),
    "missing-price": dict(parts=(GEN2_OWNED, GENICULAR), prices=PRICES_WITHOUT_190),
    "illustrative-prices": dict(parts=(GEN2_OWNED, ANTERIOR), prices=ILLUSTRATIVE),
    "contract-period-unknown": dict(parts=(GEN2_OWNED, ANTERIOR)),
    "contract-expired": dict(parts=(GEN2_OWNED, ANTERIOR), period=("2021-01-01", "2026-02-01")),
    "cpt-64640-cap": dict(parts=(GEN2_OWNED, SIX_ANTERIOR)),
    "cpt-64624-modifier": dict(parts=(GEN2_OWNED, TWO_GENICULAR)),
}


def scenario_order(folder: Path, code: str):
    s = SCENARIOS[code]
    catalog = catalog_with_period(folder, *s["period"]) if "period" in s else None
    return order_of(folder, *s["parts"], prices=s.get("prices", PRICES),
                    catalog=catalog)


def test_the_scenarios_cover_every_contract_code():
    assert set(SCENARIOS) == set(CONTRACT_CODES)


@pytest.mark.parametrize("code", sorted(SCENARIOS))
def test_each_contract_code_is_produced_with_its_severity(tmp_path, code):
    order = scenario_order(tmp_path, code)
    found = issues(order, code)
    assert found, [i.code for i in order.findings]
    expected = CONTRACT_CODES[code]
    assert {i.severity for i in found} == {expected}


@pytest.mark.parametrize("code", sorted(SCENARIOS))
def test_errors_come_before_warnings(tmp_path, code):
    severities = [i.severity for i in scenario_order(tmp_path, code).findings]
    assert severities == sorted(severities, key=lambda s: s != ERROR)


@pytest.mark.parametrize("code", sorted(set(SCENARIOS) - {"no-handpiece"}))
def test_every_message_is_a_sentence_that_names_its_subject(tmp_path, code):
    for issue in scenario_order(tmp_path, code).findings:
        assert issue.message.strip() and issue.subject.strip(), issue
        assert issue.subject in issue.message, issue
        assert issue.code and issue.severity in (ERROR, WARNING)


def test_json_is_printed_even_when_the_exit_code_is_1(tmp_path):
    request = write(tmp_path, "request.toml", request_text(GEN2_OWNED, STIM, SIX_ANTERIOR))
    for command in ("check", "plan"):
        result = invoke(command, request, "--json")
        assert result.exit_code == 1
        data = json.loads(result.stdout)
        severities = [i["severity"] for i in data["issues"]]
        assert "error" in severities and "warning" in severities
        assert severities == sorted(severities, key=lambda s: s != "error")
        assert {"catalog", "lines", "total", "issues", "reimbursement"} <= set(data)


def test_check_lists_errors_before_warnings_in_text(tmp_path):
    request = write(tmp_path, "request.toml", request_text(GEN2_OWNED, STIM, SIX_ANTERIOR))
    result = invoke("check", request)
    assert result.exit_code == 1
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith(("ERROR", "WARNING"))]
    kinds = [ln.split()[0] for ln in lines]
    assert kinds == sorted(kinds) and kinds[0] == "ERROR" and kinds[-1] == "WARNING"
    assert any("no-nerve-stim-tip" in ln for ln in lines) and any("cpt-64640-cap" in ln for ln in lines)
    errors, warnings = kinds.count("ERROR"), kinds.count("WARNING")
    assert result.stdout.rstrip().endswith(f"{errors} error(s), {warnings} warning(s).")


# ------------------------------------------------------------------ not-a-handpiece, stock-not-consumable, stock-unused


def test_a_tip_listed_as_installed_equipment_is_not_a_handpiece(tmp_path):
    order = order_of(tmp_path, '[equipment]\ninstalled = ["IST2221", "STT2309-5"]\n', ANTERIOR)
    [found] = issues(order, "not-a-handpiece")
    assert found.severity == ERROR and found.subject == "STT2309-5" and "[stock]" in found.message
    assert found.source.startswith("request.toml:")
    assert "not-a-handpiece" not in codes(order_of(tmp_path, GEN2_OWNED, ANTERIOR))


def test_a_handpiece_counted_as_stock_is_not_a_consumable(tmp_path):
    order = order_of(tmp_path, GEN2_OWNED, ANTERIOR, '[stock]\n"IST2221" = 1\n')
    [found] = issues(order, "stock-not-consumable")
    assert found.severity == WARNING and found.subject == "IST2221" and "[equipment] installed" in found.message


def test_stock_of_a_part_no_treatment_uses_changes_nothing_and_says_so(tmp_path):
    order = order_of(tmp_path, GEN2_OWNED, ANTERIOR, '[stock]\n"STT2190-5" = 2\n')
    [found] = issues(order, "stock-unused")
    assert found.severity == WARNING and found.subject == "STT2190-5"
    assert packs(order) == packs(order_of(tmp_path, GEN2_OWNED, ANTERIOR))
    assert "stock-unused" not in codes(order_of(tmp_path, GEN2_OWNED, ANTERIOR, '[stock]\n"STT2309-5" = 1\n'))
