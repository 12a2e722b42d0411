"""`procure build`: three files whole or none, no overwrite without --force, reproducible bytes."""

import hashlib
import os

import pytest

from procure.files import whole as files
from procure.renderers import outputs

from orders import GEN2, ILLUSTRATIVE, PRICES, write

NAMES = ["PQ-0001.html", "PQ-0001.pdf", "PQ-0001.txt", "PQ-0001.xlsx"]


def build(run, tmp_path, request_text=GEN2, prices_text=PRICES, *more):
    request = write(tmp_path, "request.toml", request_text)
    prices = write(tmp_path, "prices.csv", prices_text)
    return run("build", request, "-o", tmp_path / "out", "--prices", prices, *more)


def digests(folder):
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(folder.iterdir())}


def test_build_writes_the_four_files_named_by_the_quote_number(run, tmp_path):
    result = build(run, tmp_path)
    assert result.exit_code == 0, result.stderr
    assert sorted(f.name for f in (tmp_path / "out").iterdir()) == NAMES
    assert "wrote" in result.stdout and "PQ-0001.pdf" in result.stdout


def test_a_missing_output_folder_is_created(run, tmp_path):
    request = write(tmp_path, "request.toml", GEN2)
    prices = write(tmp_path, "prices.csv", PRICES)
    result = run("build", request, "-o", tmp_path / "a" / "b", "--prices", prices)
    assert result.exit_code == 0, result.stderr
    assert sorted(f.name for f in (tmp_path / "a" / "b").iterdir()) == NAMES


def test_existing_files_are_not_overwritten_without_force(run, tmp_path):
    assert build(run, tmp_path).exit_code == 0
    before = digests(tmp_path / "out")
    (tmp_path / "out" / "PQ-0001.txt").write_text("the facility's own notes")
    result = build(run, tmp_path, GEN2, ILLUSTRATIVE)
    assert result.exit_code == 1
    assert "PQ-0001.txt" in result.stderr and "--force" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "out" / "PQ-0001.txt").read_text() == "the facility's own notes"
    assert digests(tmp_path / "out")["PQ-0001.pdf"] == before["PQ-0001.pdf"]


def test_force_overwrites(run, tmp_path):
    assert build(run, tmp_path).exit_code == 0
    before = digests(tmp_path / "out")
    result = build(run, tmp_path, GEN2, ILLUSTRATIVE, "--force")
    assert result.exit_code == 0, result.stderr
    after = digests(tmp_path / "out")
    assert after.keys() == before.keys() and after["PQ-0001.pdf"] != before["PQ-0001.pdf"]


def test_two_builds_are_byte_identical(run, tmp_path):
    assert build(run, tmp_path).exit_code == 0
    first = digests(tmp_path / "out")
    assert build(run, tmp_path, GEN2, PRICES, "--force").exit_code == 0
    assert digests(tmp_path / "out") == first


def test_a_missing_price_stops_the_build_and_writes_nothing(run, tmp_path):
    result = build(run, tmp_path, GEN2, "part,unit_price\nSTT2309-5,1000.00\n")
    assert result.exit_code == 1
    assert "missing-price" in result.stderr and "STT2190-5" in result.stderr
    assert "Nothing was written" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_error_finding_stops_the_build(run, tmp_path):
    result = build(run, tmp_path, GEN2.replace('installed = ["IST2221"]', 'installed = ["IST0221"]')
                   + '\n[[line]]\npart = "STT2309-5"\nquantity = 1\n')
    assert result.exit_code == 1
    assert "generation-mismatch" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_failing_renderer_leaves_no_file_at_all(run, tmp_path, monkeypatch):
    def broken(order, templates):
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(outputs.RENDERERS, ".txt", broken)
    (tmp_path / "out").mkdir()
    result = build(run, tmp_path)
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize("call, more", [("link", ()), ("replace", ("--force",))])
def test_a_failed_rename_leaves_no_partial_or_temporary_file(run, tmp_path, monkeypatch, call, more):
    calls = []
    real = getattr(os, call)

    def fail_second(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        real(source, target)

    monkeypatch.setattr(files.os, call, fail_second)
    result = build(run, tmp_path, GEN2, PRICES, *more)
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr
    left = sorted(f.name for f in (tmp_path / "out").iterdir())
    assert not [name for name in left if name.endswith(".part")]
    assert all(name in NAMES for name in left)
    if not more:  # a new set is taken back whole
        assert left == []


def test_output_path_that_is_a_file_is_a_clear_error(run, tmp_path):
    request = write(tmp_path, "request.toml", GEN2)
    prices = write(tmp_path, "prices.csv", PRICES)
    blocker = write(tmp_path, "out", "not a folder")
    result = run("build", request, "-o", blocker, "--prices", prices)
    assert result.exit_code == 2
    assert f"{blocker}: is a file, not a folder" in result.stderr and "Traceback" not in result.stderr


def test_the_quote_number_is_derived_from_the_date_and_the_request_digest(run, tmp_path):
    text = GEN2.replace('number = "PQ-0001"\n', "")
    request = write(tmp_path, "request.toml", text)
    prices = write(tmp_path, "prices.csv", PRICES)
    result = run("build", request, "-o", tmp_path / "out", "--prices", prices)
    assert result.exit_code == 0, result.stderr
    digest = hashlib.sha256(text.encode()).hexdigest()[:6].upper()
    stem = f"Q-20260115-{digest}"
    assert sorted(f.name for f in (tmp_path / "out").iterdir()) == [f"{stem}{s}" for s in (".html", ".pdf", ".txt",
                                                                                           ".xlsx")]


def test_the_text_summary_is_the_quote_in_plain_text(run, tmp_path):
    assert build(run, tmp_path, GEN2, ILLUSTRATIVE).exit_code == 0
    text = (tmp_path / "out" / "PQ-0001.txt").read_text(encoding="utf-8")
    for needle in ("QUOTATION PQ-0001", "SPE2DE-21-D-7004", "Public Example Clinic", "W91ABC", "STT2309-5",
                   "STT2190-5", "CRX2111-10", "$6,000.00", "ILLUSTRATIVE PRICES", "2026-02-14",
                   "All treatments", "delivery orders placed through DLA ECAT"):
        assert needle in text, needle


def test_user_templates_take_precedence(run, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    write(mine, "summary.txt.j2", "Quote {{ quote.number }} for {{ customer.facility }}: {{ order.total | money }}\n")
    result = build(run, tmp_path, GEN2, PRICES, "--templates", mine)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "PQ-0001.txt").read_text() == "Quote PQ-0001 for Public Example Clinic: $6,000.00\n"


@pytest.mark.parametrize("template, message", [
    ("{{ order.nothing_here }}", "template error"),
    ("{% for x in %}", "template error"),
])
def test_a_broken_user_template_is_one_clear_line(run, tmp_path, template, message):
    mine = tmp_path / "mine"
    mine.mkdir()
    write(mine, "summary.txt.j2", template)
    result = build(run, tmp_path, GEN2, PRICES, "--templates", mine)
    assert result.exit_code == 2
    assert message in result.stderr and "summary.txt.j2" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_templates_option_that_is_not_a_folder_is_a_clear_error(run, tmp_path):
    result = build(run, tmp_path, GEN2, PRICES, "--templates", tmp_path / "nowhere")
    assert result.exit_code == 2 and "--templates" in result.stderr


def test_an_order_with_nothing_to_order_is_not_built(run, tmp_path):
    covered = GEN2 + '\n[stock]\n"STT2309-5" = 12\n"STT2190-5" = 7\n"CRX2111-10" = 19\n'
    result = build(run, tmp_path, covered)
    assert result.exit_code == 1
    assert "nothing-to-order" in result.stderr and "stock on hand covers" in result.stderr
    assert not (tmp_path / "out").exists()
    checked = run("check", tmp_path / "request.toml", "--prices", tmp_path / "prices.csv")
    assert checked.exit_code == 0 and "nothing-to-order" in checked.stdout


def test_output_file_names_taken_by_folders_are_named(run, tmp_path):
    (tmp_path / "out" / "PQ-0001.xlsx").mkdir(parents=True)
    result = build(run, tmp_path, GEN2, PRICES, "--force")
    assert result.exit_code == 1
    assert "PQ-0001.xlsx: is a folder" in result.stderr
    assert sorted(f.name for f in (tmp_path / "out").iterdir()) == ["PQ-0001.xlsx"]


@pytest.mark.slow
def test_an_unusable_template_cache_only_costs_time(run_module, tmp_path):
    blocked = write(tmp_path, "not-a-folder", "x")  # the cache folder cannot be made under a file
    request, prices = write(tmp_path, "r.toml", GEN2), write(tmp_path, "p.csv", PRICES)
    results = [run_module("build", request, "-o", tmp_path / name, "--prices", prices,
                          env={"XDG_CACHE_HOME": str(cache)})
               for name, cache in (("blocked", blocked), ("cached", tmp_path / "cache"), ("again", tmp_path / "cache"))]
    assert [r.returncode for r in results] == [0, 0, 0], results[0].stderr
    assert list((tmp_path / "cache" / "procure" / "templates").iterdir())
    assert digests(tmp_path / "blocked") == digests(tmp_path / "cached") == digests(tmp_path / "again")
