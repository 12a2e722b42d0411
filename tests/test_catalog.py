"""The shipped catalog holds the seed's facts, and versions are chosen by date or pin."""

import datetime
import hashlib
import json
from decimal import Decimal

import pytest

from procure.core.catalog import Catalog
from procure.core.catalog_reader import load_catalog, read_catalog_folder
from procure.core.errors import InputError, RuleError

from conftest import assert_no_traceback

# part: (generation, kind, units_per_pack, unit_of_issue, description verbatim from the seed)
SEED_PARTS = {
    "IST2221": (2, "handpiece", 1, "EA", "Gen 2, iovera° System Handpiece and Docking Station"),
    "STT2309-5": (2, "smart_tip", 5, "PK", "Gen 2, iovera° 309 Smart Tips, 5-pack 3 x 8.5 mm per Smart Tip"),
    "STT2190-5": (2, "smart_tip", 5, "PK", "Gen 2, iovera° 190 Smart Tips, 5-pack 1 x .90 mm per Smart Tip"),
    "CRX2111-10": (2, "cartridge", 10, "PK", "Gen 2, iovera° Cartridges, 10-pack"),
    "IST0221": (1, "handpiece", 1, "EA", "iovera° System Handpiece and Docking Station"),
    "STT0309-5": (1, "smart_tip", 5, "PK", "iovera° 309 Smart Tips, 5-pack 3 x 8.5 mm per Smart Tip"),
    "STT0801-5": (1, "smart_tip", 5, "PK", "iovera° 190 Smart Tips, 5-pack 1 x .90 mm per Smart Tip"),
    "STT0811-5": (1, "smart_tip", 5, "PK", "iovera° 190 Smart Tips with Nerve Stim, 5-pack 1 x .90 mm"),
    "CRX0111-10": (1, "cartridge", 10, "PK", "iovera° Cartridges, 10-pack"),
    "CRX0111-20": (1, "cartridge", 20, "PK", "iovera° Cartridges, 20-pack"),
}

# code: (region, tip model, CPT) of each nerve target the seed data gives
SEED_TARGETS = {
    "LFCN": ("anterior", "309", "64640"),
    "ILFCN": ("anterior", "309", "64640"),
    "AFCN": ("anterior", "309", "64640"),
    "MFCN": ("anterior", "309", "64640"),
    "IMFCN": ("anterior", "309", "64640"),
    "SPSN": ("anterior", "309", "64640"),
    "ISN-S": ("anterior", "309", "64640"),
    "ISN-I": ("anterior", "309", "64640"),
    "SLGN": ("posterior", "190", "64624"),
    "SMGN": ("posterior", "190", "64624"),
    "IMGN": ("posterior", "190", "64624"),
}

# cpt: (asc, hopd, pfs_nonfacility, pfs_facility, rvu_nonfacility, rvu_facility) from the seed
SEED_FEES = {
    "64640": ("175.42", "868.45", "248.32", "118.50", "7.37", "3.50"),
    "64624": ("897.67", "1839.63", "388.13", "145.13", "11.64", "4.31"),
}


@pytest.fixture(scope="module")
def shipped():
    catalog, problems = read_catalog_folder(None)
    assert problems == []
    assert len(catalog.versions) == 1
    return catalog.versions[0]


def test_shipped_catalog_loads_without_problems(shipped_catalog_dir):
    catalog, problems = read_catalog_folder(shipped_catalog_dir)
    assert problems == []
    assert [v.version for v in catalog.versions] == ["2024-10-01"]
    assert catalog.versions[0].effective == datetime.date(2024, 10, 1)


def test_catalog_check_passes_on_the_shipped_catalog(run):
    result = run("catalog", "check")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert "2024-10-01" in result.stdout


def test_shipped_catalog_has_exactly_the_ten_seed_parts_in_order(shipped):
    assert [p.part for p in shipped.parts] == list(SEED_PARTS)


@pytest.mark.parametrize("number", list(SEED_PARTS))
def test_part_facts_match_the_seed(shipped, number):
    generation, kind, per_pack, unit, description = SEED_PARTS[number]
    part = shipped.part(number)
    assert part is not None
    assert (part.generation, part.kind, part.units_per_pack, part.unit_of_issue) == (generation, kind, per_pack, unit)
    assert part.description == description
    assert part.unit_price is None  # the shipped catalog carries no prices


def test_smart_tip_specs_are_structured_apart_from_the_description(shipped):
    tip_309 = shipped.part("STT2309-5").specs
    assert (tip_309.tip_model, tip_309.needles, tip_309.needle_length_mm) == ("309", 3, Decimal("8.5"))
    assert isinstance(tip_309.needle_length_mm, Decimal)
    tip_190 = shipped.part("STT2190-5").specs
    # the sheet prints "1 x .90 mm": the spec is one needle 90 mm long
    assert (tip_190.tip_model, tip_190.needles, tip_190.needle_length_mm) == ("190", 1, Decimal("90"))
    assert shipped.part("STT0811-5").specs.nerve_stim is True
    assert shipped.part("STT0801-5").specs.nerve_stim is False
    for number in ("STT2309-5", "STT2190-5", "STT0309-5", "STT0801-5", "STT0811-5"):
        assert shipped.part(number).specs.tip_model in ("309", "190")
    # Gen 2 has no nerve-stim tip
    assert not any(p.specs.nerve_stim for p in shipped.parts if p.generation == 2)


def test_compatibility_rows_are_flagged_assumptions_with_a_basis(shipped):
    rows = {row.handpiece: row for row in shipped.compatibility}
    assert set(rows) == {"IST2221", "IST0221"}
    assert set(rows["IST2221"].accepts) == {"STT2309-5", "STT2190-5", "CRX2111-10"}
    assert set(rows["IST0221"].accepts) == {"STT0309-5", "STT0801-5", "STT0811-5", "CRX0111-10", "CRX0111-20"}
    for row in rows.values():
        assert row.assumption is True
        assert row.basis.strip() and row.reason.strip()
    assert shipped.accepting_handpieces("STT0811-5") == ("IST0221",)
    assert shipped.accepting_handpieces("STT2309-5") == ("IST2221",)


def test_nerve_stim_tip_requires_a_third_party_stimulator(shipped):
    prerequisites = [p for p in shipped.prerequisites if p.part == "STT0811-5"]
    assert len(prerequisites) == 1
    assert "stimulator" in prerequisites[0].requires
    assert prerequisites[0].basis.strip()
    assert [p.part for p in shipped.prerequisites] == ["STT0811-5"]


def test_eleven_knee_targets_with_tip_model_and_cpt(shipped):
    assert set(shipped.targets) == set(SEED_TARGETS)
    for code, (region, model, cpt) in SEED_TARGETS.items():
        target = shipped.targets[code]
        assert (target.region, target.tip_model, target.cpt) == (region, model, cpt), code
        assert target.name.strip()
    assert shipped.targets["AFCN"].name == "Anterior Femoral Cutaneous Nerve"


def test_planning_defaults_are_data_with_a_basis(shipped):
    planning = shipped.planning
    assert planning.tips_per_procedure == {"309": 1, "190": 1}
    assert planning.cartridges_per_procedure == 1
    assert planning.default_nerves == ("AFCN", "ISN-S", "ISN-I")
    assert all(planning.tips_basis[m].strip() for m in ("309", "190"))
    assert planning.cartridges_basis.strip() and planning.default_nerves_basis.strip()


@pytest.mark.parametrize("cpt", list(SEED_FEES))
def test_fee_schedule_amounts_are_the_seeds_as_decimal(shipped, cpt):
    asc, hopd, pfs_non, pfs_fac, rvu_non, rvu_fac = SEED_FEES[cpt]
    code = shipped.fees.codes[cpt]
    assert code.rates == {"asc": Decimal(asc), "hopd": Decimal(hopd),
                          "pfs_nonfacility": Decimal(pfs_non), "pfs_facility": Decimal(pfs_fac)}
    assert all(isinstance(v, Decimal) for v in code.rates.values())
    assert (code.rvu_nonfacility, code.rvu_facility) == (Decimal(rvu_non), Decimal(rvu_fac))
    assert isinstance(code.rvu_facility, Decimal)


def test_fee_schedule_rules_and_provenance(shipped):
    fees = shipped.fees
    assert fees.as_of == datetime.date(2024, 10, 1)
    assert fees.conversion_factor == Decimal("33.2875")
    assert fees.codes["64640"].units == "per_nerve" and fees.codes["64640"].max_units == 5
    assert fees.codes["64624"].units == "per_set"
    assert set(fees.codes["64624"].set) == {"SLGN", "SMGN", "IMGN"}
    assert set(fees.sites) == {"ASC", "HOPD", "office", "facility"}
    assert fees.disclaimers and any("responsible" in d for d in fees.disclaimers)


def test_contract_number_is_stored_bare_and_shown_with_hyphens(shipped):
    assert shipped.contract.number == "SPE2DE21D7004"
    assert shipped.contract.display_number == "SPE2DE-21-D-7004"
    assert shipped.contract.vendor == "Pacira BioSciences, Inc."
    # the period is not public: it must be absent, not invented
    assert shipped.contract.period_start is None and shipped.contract.period_end is None


def test_digest_is_the_sha256_of_the_file_bytes(shipped, shipped_catalog_file):
    assert shipped.digest.startswith("sha256:")
    assert shipped.digest == "sha256:" + hashlib.sha256(shipped_catalog_file.read_bytes()).hexdigest()
    assert shipped.summary()["digest"] == shipped.digest


def test_digest_changes_when_the_file_changes(catalog_copy):
    file = next(catalog_copy.glob("*.toml"))
    before = load_catalog(catalog_copy).versions[0].digest
    file.write_bytes(file.read_bytes() + b"\n# a comment changes the bytes\n")
    after = load_catalog(catalog_copy).versions[0].digest
    assert after != before
    assert after == "sha256:" + hashlib.sha256(file.read_bytes()).hexdigest()


# ------------------------------------------------------------------ versions


@pytest.fixture(scope="module")
def two() -> Catalog:
    from conftest import TWO_VERSIONS
    return load_catalog(TWO_VERSIONS)


def test_fixture_with_two_versions_checks_clean(run, two_versions_dir):
    result = run("--catalog", two_versions_dir, "catalog", "check")
    assert result.exit_code == 0, result.stderr
    assert "2024-10-01" in result.stdout and "2025-06-01" in result.stdout


@pytest.mark.parametrize("at, expected", [
    (datetime.date(2024, 10, 1), "2024-10-01"),   # first day of the first version
    (datetime.date(2025, 5, 31), "2024-10-01"),   # the day before the second
    (datetime.date(2025, 6, 1), "2025-06-01"),    # first day of the second
    (datetime.date(2031, 1, 1), "2025-06-01"),    # long after
])
def test_version_in_force_on_a_date(two, at, expected):
    assert two.select(at=at).version == expected


@pytest.mark.parametrize("at, expected, parts", [
    ("2024-12-31", "2024-10-01", "CRX0111-20"),
    ("2025-06-01", "2025-06-01", "CRX2111-20"),
])
def test_cli_at_selects_the_version_in_force(run, two_versions_dir, at, expected, parts):
    result = run("--catalog", two_versions_dir, "catalog", "list", "--at", at, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["catalog"]["version"] == expected
    assert parts in [p["part"] for p in data["parts"]]


def test_without_at_today_picks_the_latest_version_in_force(run, two_versions_dir):
    result = run("--catalog", two_versions_dir, "catalog", "list", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["catalog"]["version"] == "2025-06-01"


def test_pinned_version_wins_over_the_date(two, run, two_versions_dir):
    assert two.select(at=datetime.date(2030, 1, 1), version="2024-10-01").version == "2024-10-01"
    result = run("--catalog", two_versions_dir, "catalog", "list", "--catalog-version", "2024-10-01",
                 "--at", "2030-01-01", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["catalog"]["version"] == "2024-10-01"
    assert data["catalog"]["digest"] == two.versions[0].digest
    assert "CRX0111-20" in [p["part"] for p in data["parts"]]


def test_a_date_before_every_version_is_a_rule_error(two):
    with pytest.raises(RuleError) as raised:
        two.select(at=datetime.date(2024, 9, 30))
    assert raised.value.exit_code == 1
    assert "2024-09-30" in str(raised.value) and "2024-10-01" in str(raised.value)


def test_cli_date_before_every_version_exits_1_naming_date_and_earliest(run, two_versions_dir):
    result = run("--catalog", two_versions_dir, "catalog", "list", "--at", "2020-02-29")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "2020-02-29" in result.stderr and "2024-10-01" in result.stderr
    assert_no_traceback(result)


def test_unknown_pinned_version_is_an_input_error(two):
    with pytest.raises(InputError) as raised:
        two.select(version="2023-01-01")
    assert raised.value.exit_code == 2


def test_cli_unknown_pinned_version_exits_2_naming_the_versions(run, two_versions_dir):
    result = run("--catalog", two_versions_dir, "catalog", "list", "--catalog-version", "2023-01-01")
    assert result.exit_code == 2
    assert "2023-01-01" in result.stderr
    assert "2024-10-01" in result.stderr and "2025-06-01" in result.stderr
    assert_no_traceback(result)


def test_cli_rejects_a_malformed_at_date_as_usage_error(run):
    result = run("catalog", "list", "--at", "2024-13-01")
    assert result.exit_code == 2
    assert "2024-13-01" in result.stderr
    assert_no_traceback(result)


def test_versions_are_sorted_by_effective_date_whatever_the_file_names(tmp_path, two_versions_dir):
    # name the later version so it sorts first by file name
    (tmp_path / "a-later.toml").write_bytes((two_versions_dir / "v2025.toml").read_bytes())
    (tmp_path / "z-earlier.toml").write_bytes((two_versions_dir / "v2024.toml").read_bytes())
    catalog = load_catalog(tmp_path)
    assert [v.version for v in catalog.versions] == ["2024-10-01", "2025-06-01"]
    assert catalog.select(at=datetime.date(2025, 1, 1)).file == "z-earlier.toml"
