"""Planning arithmetic, worked by hand: units per treatment, spare, stock, packs, explicit lines."""

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from procure.cli import cli
from procure.core.catalog_reader import load_catalog

from orders import CUSTOMER, GEN2, PRICES, make_order, write

QUOTE = '[quote]\nnumber = "PL-1"\ndate = 2026-01-15\n'
GEN1 = '[equipment]\ninstalled = ["IST0221"]\n'
GEN2_OWNED = '[equipment]\ninstalled = ["IST2221"]\n'


def plan(tmp_path, *parts, prices=PRICES):
    """The Order of a request as `plan` builds it (missing prices are warnings)."""
    return make_order(CUSTOMER + QUOTE + "".join("\n" + p for p in parts), prices)


def treatment(name, procedures, nerves=None, **more):
    text = f'[[treatment]]\nname = "{name}"\nprocedures = {procedures}\n'
    if nerves is not None:
        text += f"nerves = {json.dumps(nerves)}\n"
    return text + "".join(f"{k} = {json.dumps(v)}\n" for k, v in more.items())


ANTERIOR = ["AFCN", "ISN-S", "ISN-I"]
GENICULAR = ["SLGN", "SMGN", "IMGN"]


def packs(order) -> dict[str, int]:
    return {line.part.part: line.quantity for line in order.lines}


def total_row(order, consumable: str):
    [row] = [r for r in order.derivation if r.is_total and r.consumable == consumable]
    return row


def treatment_rows(order, consumable: str):
    return [r for r in order.derivation if not r.is_total and r.consumable == consumable]


def test_spare_and_stock_by_hand(tmp_path):
    order = plan(tmp_path, GEN2_OWNED, "[plan]\nspare_percent = 10\n", treatment("Anterior knee", 40, ANTERIOR),
                 '[stock]\n"STT2309-5" = 1\n')
    tips = total_row(order, "Gen 2 309 Smart Tip")
    # 40 tips + 10 % spare (4) - 1 box of 5 on hand = 39 -> 8 packs of 5 (40)
    assert (tips.units, tips.spare, tips.stock, tips.net, tips.packs) == (40, 4, 5, 39, "8 x STT2309-5")
    assert tips.stock_counted == "1 PK STT2309-5 = 5"
    cartridges = total_row(order, "Gen 2 cartridge")
    # 40 cartridges + 4 spare, none on hand = 44 -> 5 packs of 10
    assert (cartridges.units, cartridges.spare, cartridges.stock, cartridges.net) == (40, 4, 0, 44)
    assert cartridges.packs == "5 x CRX2111-10"
    assert packs(order) == {"STT2309-5": 8, "CRX2111-10": 5}
    assert order.total == Decimal("10000.00")  # 8 x 1000.00 + 5 x 400.00


def test_stock_counts_packs_in_the_unit_of_issue_plus_loose_units(tmp_path):
    order = plan(tmp_path, GEN2_OWNED, treatment("Anterior knee", 40, ANTERIOR),
                 '[stock]\n"STT2309-5" = { packs = 3, loose = 2 }\n"CRX2111-10" = { loose = 7 }\n')
    tips = total_row(order, "Gen 2 309 Smart Tip")
    # 3 boxes of 5 + 2 loose = 17 tips; 40 - 17 = 23 -> 5 packs
    assert (tips.stock, tips.net, tips.packs) == (17, 23, "5 x STT2309-5")
    assert tips.stock_counted == "3 PK STT2309-5 + 2 = 17"
    cartridges = total_row(order, "Gen 2 cartridge")
    assert (cartridges.stock, cartridges.net, cartridges.stock_counted) == (7, 33, "0 PK CRX2111-10 + 7 = 7")


def test_spare_is_rounded_up_on_the_summed_units(tmp_path):
    order = plan(tmp_path, GEN2_OWNED, "[plan]\nspare_percent = 12.5\n", treatment("A", 5, ANTERIOR),
                 treatment("B", 7, ANTERIOR))
    tips = total_row(order, "Gen 2 309 Smart Tip")
    assert (tips.units, tips.spare, tips.net) == (12, 2, 14)  # 12 x 12.5 % = 1.5 -> 2
    order = plan(tmp_path, GEN2_OWNED, "[plan]\nspare_percent = 10\n", treatment("A", 5, ANTERIOR),
                 treatment("B", 5, ANTERIOR))
    assert total_row(order, "Gen 2 309 Smart Tip").spare == 1  # 10 % of 10, not 1 + 1 per treatment


def test_no_spare_unless_asked(tmp_path):
    order = plan(tmp_path, GEN2_OWNED, treatment("A", 10, ANTERIOR))
    tips = total_row(order, "Gen 2 309 Smart Tip")
    assert (tips.units, tips.spare, tips.stock, tips.net) == (10, 0, 0, 10)
    assert packs(order) == {"STT2309-5": 2, "CRX2111-10": 1}


def test_more_stock_than_need_orders_nothing_of_it(tmp_path):
    order = plan(tmp_path, GEN2_OWNED, treatment("A", 10, ANTERIOR), '[stock]\n"STT2309-5" = 20\n')
    tips = total_row(order, "Gen 2 309 Smart Tip")
    assert (tips.units, tips.stock, tips.net, tips.packs) == (10, 100, 0, "none")  # 20 boxes of 5
    assert "STT2309-5" not in packs(order)
    assert packs(order) == {"CRX2111-10": 1}


def test_stock_under_any_pack_size_counts_toward_gen_1_cartridges(tmp_path):
    order = plan(tmp_path, GEN1, treatment("A", 25, ["AFCN"]), '[stock]\n"CRX0111-20" = { loose = 5 }\n')
    cartridges = total_row(order, "Gen 1 cartridge")
    assert (cartridges.units, cartridges.stock, cartridges.net) == (25, 5, 20)
    assert packs(order) == {"STT0309-5": 5, "CRX0111-20": 1}
    order = plan(tmp_path, GEN1, treatment("A", 25, ["AFCN"]), '[stock]\n"CRX0111-10" = 3\n"CRX0111-20" = 2\n')
    assert total_row(order, "Gen 1 cartridge").stock == 70  # 3 packs of 10 + 2 packs of 20
    assert not [i for i in order.findings if i.code.startswith("stock-")]


def test_per_procedure_overrides(tmp_path):
    order = plan(tmp_path, GEN2_OWNED, treatment("A", 10, ANTERIOR + GENICULAR, tips_per_procedure=2,
                                                 cartridges_per_procedure=3))
    by_consumable = {r.consumable: r for r in order.derivation if not r.is_total}
    assert by_consumable["Gen 2 309 Smart Tip"].per_procedure == 2
    assert by_consumable["Gen 2 190 Smart Tip"].per_procedure == 2
    assert by_consumable["Gen 2 cartridge"].per_procedure == 3
    # 20 of each tip model -> 4 packs each; 30 cartridges -> 3 packs
    assert packs(order) == {"STT2309-5": 4, "STT2190-5": 4, "CRX2111-10": 3}


def test_one_tip_of_each_model_a_procedure_needs_and_one_cartridge(tmp_path):
    order = plan(tmp_path, GEN2_OWNED, treatment("Whole knee", 6, ANTERIOR + GENICULAR))
    assert [(r.consumable, r.procedures, r.per_procedure, r.units) for r in order.derivation if not r.is_total] == [
        ("Gen 2 309 Smart Tip", 6, 1, 6), ("Gen 2 190 Smart Tip", 6, 1, 6), ("Gen 2 cartridge", 6, 1, 6)]


def test_nerve_stim_picks_the_nerve_stim_tip(tmp_path):
    order = plan(tmp_path, GEN1, treatment("Stim", 6, GENICULAR, nerve_stim=True))
    assert packs(order) == {"STT0811-5": 2, "CRX0111-10": 1}
    assert total_row(order, "Gen 1 190 nerve-stim Smart Tip").net == 6
    order = plan(tmp_path, GEN1, treatment("Plain", 6, GENICULAR))
    assert packs(order) == {"STT0801-5": 2, "CRX0111-10": 1}


def test_an_explicit_line_adds_to_the_planned_packs_of_the_same_part(tmp_path):
    order = plan(tmp_path, GEN2_OWNED, treatment("A", 12, ANTERIOR), '[[line]]\npart = "STT2309-5"\nquantity = 2\n')
    [line] = [ln for ln in order.lines if ln.part.part == "STT2309-5"]
    assert (line.quantity, line.planned, line.explicit) == (5, 3, 2)
    assert line.extended_price == Decimal("5000.00")
    # the derivation shows both sources: the plan's total row and a row for the explicit line
    [explicit] = [r for r in order.derivation if not r.is_total and r.procedures is None]
    assert explicit.packs == "2 x STT2309-5" and explicit.units == 10
    assert "1" in explicit.treatment  # names the [[line]] it comes from
    assert total_row(order, "Gen 2 309 Smart Tip").packs == "3 x STT2309-5"


def test_explicit_lines_alone_make_lines_without_planning(tmp_path):
    order = plan(tmp_path, GEN2_OWNED, '[[line]]\npart = "IST2221"\nquantity = 1\n[[line]]\npart = "CRX2111-10"\n'
                                       'quantity = 4\n[[line]]\npart = "CRX2111-10"\nquantity = 1\n')
    assert [(ln.line, ln.part.part, ln.quantity, ln.planned, ln.explicit) for ln in order.lines] == [
        ("0001", "IST2221", 1, 0, 1), ("0002", "CRX2111-10", 5, 0, 5)]
    assert order.total == Decimal("11000.00")


def test_the_catalog_default_nerves_when_none_are_named(tmp_path):
    defaults = load_catalog(None).versions[-1].planning.default_nerves
    assert tuple(defaults) == ("AFCN", "ISN-S", "ISN-I")
    order = plan(tmp_path, GEN2_OWNED, treatment("Default", 8))
    assert packs(order) == {"STT2309-5": 2, "CRX2111-10": 1}
    [row] = order.coding
    assert row.nerves == tuple(defaults) and (row.cpt, row.units) == ("64640", 3)


def test_the_acceptance_quantities_for_gen_2(tmp_path):
    order = make_order(GEN2, PRICES)
    assert packs(order) == {"STT2309-5": 3, "STT2190-5": 2, "CRX2111-10": 2}
    assert order.total == Decimal("6000.00")
    assert [ln.line for ln in order.lines] == ["0001", "0002", "0003"]


def test_the_acceptance_quantities_for_gen_1(tmp_path):
    order = plan(tmp_path, GEN1, treatment("AFCN only", 25, ["AFCN"]))
    assert packs(order) == {"STT0309-5": 5, "CRX0111-20": 1, "CRX0111-10": 1}
    assert total_row(order, "Gen 1 cartridge").packs == "1 x CRX0111-20 + 1 x CRX0111-10"
    assert order.total == Decimal("5030.00")  # 5 x 950 + 180 + 100


def test_without_prices_the_pack_mix_wastes_least(tmp_path):
    order = plan(tmp_path, GEN1, treatment("A", 25, ["AFCN"]), prices=None)
    cartridges = [(ln.part.part, ln.quantity) for ln in order.lines if ln.part.kind == "cartridge"]
    # 30 units either way (3 x 10 or 1 x 20 + 1 x 10): then fewest packs
    assert cartridges == [("CRX0111-10", 1), ("CRX0111-20", 1)]


@pytest.mark.parametrize("parts", [
    (GEN2_OWNED, "[plan]\nspare_percent = 7\n", treatment("A", 12, ANTERIOR), treatment("B", 7, GENICULAR),
     treatment("C", 3, ANTERIOR + GENICULAR, tips_per_procedure=2), '[stock]\n"CRX2111-10" = 4\n'),
    (GEN1, treatment("A", 25, ["AFCN"]), treatment("S", 9, GENICULAR, nerve_stim=True),
     treatment("P", 4, ["SLGN"]), '[stock]\n"CRX0111-20" = 6\n"STT0801-5" = 1\n'),
], ids=["gen2", "gen1"])
def test_total_rows_sum_their_treatment_rows_and_packs_cover_the_net(tmp_path, parts):
    order = plan(tmp_path, *parts)
    consumables = {r.consumable for r in order.derivation if r.is_total}
    assert consumables
    for name in consumables:
        total, shares = total_row(order, name), treatment_rows(order, name)
        assert total.treatment == "All treatments"
        assert total.units == sum(r.units for r in shares)
        assert total.procedures == sum(r.procedures for r in shares)
        assert all(r.units == r.procedures * r.per_procedure for r in shares)
        assert total.net == max(0, total.units + total.spare - total.stock)
        covered = 0
        for term in total.packs.split(" + "):
            if term != "none":
                count, part = term.split(" x ")
                covered += int(count) * order.catalog.part(part).units_per_pack
        assert covered >= total.net and covered - total.net < 20


def test_derivation_in_json_has_every_column(tmp_path):
    request = write(tmp_path, "request.toml", GEN2)
    result = CliRunner().invoke(cli, ["plan", str(request), "--json"], env={"PROCURE_CATALOG": None})
    rows = json.loads(result.stdout)["derivation"]
    assert rows
    for row in rows:
        assert {"treatment", "consumable", "procedures", "per_procedure", "units", "spare", "stock", "net",
                "packs"} <= set(row)
    totals = [r for r in rows if r["is_total"]]
    assert [(r["consumable"], r["units"], r["net"], r["packs"]) for r in totals] == [
        ("Gen 2 309 Smart Tip", 12, 12, "3 x STT2309-5"), ("Gen 2 190 Smart Tip", 7, 7, "2 x STT2190-5"),
        ("Gen 2 cartridge", 19, 19, "2 x CRX2111-10")]
