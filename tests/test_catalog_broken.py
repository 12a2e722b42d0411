"""A broken catalog is reported, file and line, by `catalog check` (exit 1) and stops every other command (exit 2).

Each case corrupts a copy of the shipped catalog and names the substrings the
error must hold. `{file}` is the path of the version file, `{dir}` the catalog
folder, `{line}` the line of the corrupted text.
"""

import shutil

import pytest

from conftest import SHIPPED_FILE_NAME, assert_no_traceback


def _file(folder):
    return folder / SHIPPED_FILE_NAME


def edit(old, new, mark=None):
    """Replace the first `old` by `new`; `{line}` is the line of `mark` (default: start of `new`)."""
    def mutate(folder):
        path = _file(folder)
        text = path.read_text(encoding="utf-8")
        assert old in text, f"the shipped catalog no longer holds {old!r}: update this test"
        position = text.index(old)
        line = text[:position].count("\n") + 1 + (new[:new.index(mark)].count("\n") if mark else 0)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return {"file": path, "dir": folder, "line": line}
    return mutate


def truncate(folder):
    """Cut the file in the middle of a line, as an interrupted copy would."""
    path = _file(folder)
    text = path.read_text(encoding="utf-8")
    cut = text.index('description = "Gen 2, iovera° 309') + len('description = "Gen 2, iov')
    path.write_text(text[:cut], encoding="utf-8")
    return {"file": path, "dir": folder, "line": text[:cut].count("\n") + 1}


def not_utf8(folder):
    path = _file(folder)
    data = path.read_bytes()
    path.write_bytes(data.replace("iovera°".encode(), "iovera°".encode("latin-1")))
    return {"file": path, "dir": folder, "line": None}


def empty_folder(folder):
    _file(folder).unlink()
    return {"file": None, "dir": folder, "line": None}


def missing_folder(folder):
    shutil.rmtree(folder)
    return {"file": None, "dir": folder, "line": None}


def second_file_same_version(folder):
    shutil.copy(_file(folder), folder / "copy.toml")
    return {"file": folder / "copy.toml", "dir": folder, "line": None}


CASES = [
    pytest.param(truncate, ["{file}", "not valid TOML"], id="truncated-mid-line"),
    pytest.param(edit('units_per_pack = 5\n[part.specs]\ntip_model = "309"',
                      'units_per_pack = = 5\n[part.specs]\ntip_model = "309"'),
                 ["{file}:{line}:", "not valid TOML"], id="toml-syntax-error"),
    pytest.param(edit('part = "STT0801-5"', 'part = "STT0309-5"'),
                 ["{file}:{line}:", "[[part]] #7", "STT0309-5 is listed twice"], id="duplicate-part"),
    pytest.param(edit('part = "STT2309-5"\ngeneration = 2', 'part = "STT2309-5"\ngeneration = 3', mark="generation"),
                 ["{file}:{line}:", "generation", "unknown generation 3"], id="unknown-generation"),
    pytest.param(edit('kind = "cartridge"', 'kind = "cartrige"'),
                 ["{file}:{line}:", "unknown kind 'cartrige'", "cartridge"], id="unknown-kind"),
    pytest.param(edit('units_per_pack = 10', 'units_per_pack = 0'),
                 ["{file}:{line}:", "units_per_pack", "at least 1, not 0"], id="units-per-pack-zero"),
    pytest.param(edit('"CRX2111-10"]', '"CRX2111-10", "CRX9999-10"]'),
                 ["{file}:{line}:", "[[compatibility]] #1", "CRX9999-10", "not in this catalog"],
                 id="compatibility-names-missing-part"),
    pytest.param(edit('tip_model = "190"\ncpt = "64624"', 'tip_model = "999"\ncpt = "64624"'),
                 ["{file}:{line}:", "[[target]] #9 tip_model", "'999'"], id="target-unknown-tip-model"),
    pytest.param(edit('cpt = "64640"', 'cpt = "99999"'),
                 ["{file}:{line}:", "[[target]] #1 cpt", "99999"], id="target-unknown-cpt"),
    pytest.param(edit('description = "Gen 2, iovera° Cartridges, 10-pack"\n', ''),
                 ["{file}:", "[[part]] #4", "description is required"], id="missing-required-description"),
    pytest.param(edit('units_per_pack = 10', 'units_per_pak = 10'),
                 ["{file}:{line}:", "unknown key 'units_per_pak'", "did you mean 'units_per_pack'"],
                 id="unknown-key-typo"),
    pytest.param(edit('nerve_stim = true', 'nerve_stm = true'),
                 ["{file}:{line}:", "specs.nerve_stm", "unknown key"], id="unknown-key-in-specs"),
    pytest.param(edit('number = "SPE2DE21D7004"', 'number = "SPE2DE21I7004"'),
                 ["{file}:{line}:", "[contract] number", "PIID"], id="contract-number-not-a-piid"),
    pytest.param(edit('effective = 2024-10-01', 'effective = "2024-10-01"'),
                 ["{file}:{line}:", "[catalog] effective", "date"], id="effective-date-in-quotes"),
    pytest.param(edit('"190" = 1\n', '', ), ["{file}:", "tips_per_procedure", "'190'"],
                 id="planning-default-missing-for-a-tip-model"),
    pytest.param(not_utf8, ["{file}", "UTF-8"], id="not-utf8"),
    pytest.param(second_file_same_version, ["{file}", "'2024-10-01'", SHIPPED_FILE_NAME],
                 id="two-files-same-version"),
    pytest.param(empty_folder, ["{dir}", "no *.toml"], id="empty-folder"),
    pytest.param(missing_folder, ["{dir}", "does not exist"], id="folder-does-not-exist"),
]


def _expected(templates, where):
    return [t.format(**where) for t in templates]


@pytest.mark.parametrize("mutate, expected", CASES)
def test_catalog_check_exits_1_naming_file_and_place(run, catalog_copy, mutate, expected):
    where = mutate(catalog_copy)
    result = run("--catalog", catalog_copy, "catalog", "check")
    assert result.exit_code == 1
    assert_no_traceback(result)
    assert "ok" not in result.stdout
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines)
    wanted = _expected(expected, where)
    assert any(all(w in line for w in wanted) for line in lines), (wanted, result.stderr)


@pytest.mark.parametrize("mutate, expected", CASES)
def test_other_commands_exit_2_with_the_same_messages(run, catalog_copy, mutate, expected):
    mutate(catalog_copy)
    check = run("--catalog", catalog_copy, "catalog", "check")
    for command in (["catalog", "list"], ["catalog", "versions", "--json"], ["catalog", "show", "IST2221"]):
        result = run("--catalog", catalog_copy, *command)
        assert result.exit_code == 2, command
        assert_no_traceback(result)
        assert result.stdout == ""
        assert result.stderr == check.stderr, command


def test_env_var_procure_catalog_selects_the_broken_folder(run, catalog_copy):
    where = edit('part = "STT2309-5"\ngeneration = 2', 'part = "STT2309-5"\ngeneration = 3',
                 mark="generation")(catalog_copy)
    wanted = f"{where['file']}:{where['line']}:"
    check = run("catalog", "check", env={"PROCURE_CATALOG": str(catalog_copy)})
    assert check.exit_code == 1
    assert wanted in check.stderr and "unknown generation 3" in check.stderr
    listing = run("catalog", "list", env={"PROCURE_CATALOG": str(catalog_copy)})
    assert listing.exit_code == 2
    assert listing.stderr == check.stderr
    assert_no_traceback(listing)


def test_catalog_option_overrides_the_env_var(run, catalog_copy, shipped_catalog_dir):
    edit('generation = 2', 'generation = 3')(catalog_copy)
    result = run("--catalog", shipped_catalog_dir, "catalog", "check", env={"PROCURE_CATALOG": str(catalog_copy)})
    assert result.exit_code == 0, result.stderr


def test_every_problem_of_a_file_is_reported_not_just_the_first(run, catalog_copy):
    edit('kind = "cartridge"', 'kind = "cartrige"')(catalog_copy)
    edit('units_per_pack = 20', 'units_per_pack = 0')(catalog_copy)
    edit('cpt = "64640"', 'cpt = "99999"')(catalog_copy)
    result = run("--catalog", catalog_copy, "catalog", "check")
    assert result.exit_code == 1
    assert "unknown kind 'cartrige'" in result.stderr
    assert "at least 1, not 0" in result.stderr
    assert "CPT 99999" in result.stderr


def test_a_good_copy_checks_clean(run, catalog_copy):
    # the baseline of every case above: the copy itself is not broken
    result = run("--catalog", catalog_copy, "catalog", "check")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("mutate", [
    edit('description = "Gen 2, iovera° Cartridges, 10-pack"\n', ''),
    edit('units_per_pack = 10', 'units_per_pak = 10'),
], ids=["missing-description", "typo-hides-required-key"])
def test_each_problem_is_reported_once(run, catalog_copy, mutate):
    mutate(catalog_copy)
    result = run("--catalog", catalog_copy, "catalog", "check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == len(set(lines)), result.stderr


def test_truncated_file_names_the_line_where_it_ends(run, catalog_copy):
    where = truncate(catalog_copy)
    result = run("--catalog", catalog_copy, "catalog", "check")
    assert result.exit_code == 1
    assert f"{where['file']}:{where['line']}" in result.stderr


def test_two_versions_taking_effect_on_one_day_are_a_problem(run, catalog_copy):
    original = next(catalog_copy.glob("*.toml"))
    text = original.read_text(encoding="utf-8").replace('version = "2024-10-01"', 'version = "2024-10-01b"')
    (catalog_copy / "second.toml").write_text(text, encoding="utf-8")
    result = run("--catalog", catalog_copy, "catalog", "check")
    assert result.exit_code == 1
    assert "second.toml: takes effect on 2024-10-01, the same day as" in result.stderr
