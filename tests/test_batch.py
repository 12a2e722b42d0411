"""`procure batch`: many requests built as `build` builds them; failures named, summarised, never stopping others."""

import csv
import io
import json
import os
import signal
import tempfile

import openpyxl
import pytest

from procure.batch.run import INTERRUPTED, Job, find_requests, run_batch

from orders import GEN2, PRICES, write

BROKEN = GEN2.replace("PQ-0001", "PQ-0003").replace("procedures = 12", "procedures = 0")


@pytest.fixture
def inbox(tmp_path):
    """a.toml and b.toml that build, c.toml that does not."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    write(folder, "a.toml", GEN2)
    write(folder, "b.toml", GEN2.replace("PQ-0001", "PQ-0002").replace("procedures = 12", "procedures = 30"))
    write(folder, "c.toml", BROKEN)
    return folder


@pytest.fixture
def prices(tmp_path):
    return write(tmp_path, "prices.csv", PRICES)


WARNINGS = "(3 warnings: contract-period-unknown vendor-identity-incomplete fees-outdated)"
"""What the console says of a request of the inbox built without a profile."""


def summary_rows(folder) -> list[dict]:
    return list(csv.DictReader(io.StringIO((folder / "batch-summary.csv").read_text(encoding="utf-8"))))


def test_a_broken_request_among_good_ones_is_named_and_the_good_ones_are_built(run, tmp_path, inbox, prices):
    out = tmp_path / "out"
    result = run("batch", inbox, "-o", out, "--prices", prices, "--jobs", "2")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"built {inbox / 'a.toml'}: PQ-0001 {WARNINGS}", f"built {inbox / 'b.toml'}: PQ-0002 {WARNINGS}",
        f"error: {inbox / 'c.toml'}:14: [[treatment]] #1 procedures: must be a whole number of at least 1, not 0"]
    assert result.stdout == f"built 2 of 3 request(s) into {out}; summary: {out / 'batch-summary.csv'}\n"
    assert sorted(p.name for p in out.iterdir()) == [
        "PQ-0001.html", "PQ-0001.pdf", "PQ-0001.txt", "PQ-0001.xlsx", "PQ-0002.html", "PQ-0002.pdf", "PQ-0002.txt",
        "PQ-0002.xlsx", "batch-summary.csv", "batch-summary.xlsx"]
    rows = summary_rows(out)
    assert [(r["file"], r["number"], r["total"], r["status"]) for r in rows] == [
        (str(inbox / "a.toml"), "PQ-0001", "6000.00", "built"), (str(inbox / "b.toml"), "PQ-0002", "9800.00", "built"),
        (str(inbox / "c.toml"), "", "", "failed")]
    assert rows[0]["facility"] == "Public Example Clinic" and rows[0]["dodaac"] == "W91ABC"
    assert "procedures: must be a whole number of at least 1" in rows[2]["problem"]


def test_no_html_builds_every_output_but_the_html_copy(run, tmp_path, inbox, prices):
    (inbox / "c.toml").unlink()
    assert run("batch", inbox, "-o", tmp_path / "out", "--prices", prices, "--no-html").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.stem == "PQ-0001") == [
        "PQ-0001.pdf", "PQ-0001.txt", "PQ-0001.xlsx"]


def test_every_request_built_exits_0_and_the_files_are_those_build_writes(run, tmp_path, inbox, prices):
    (inbox / "c.toml").unlink()
    assert run("batch", inbox, "-o", tmp_path / "out", "--prices", prices).exit_code == 0
    for name in ("a", "b"):
        assert run("build", inbox / f"{name}.toml", "-o", tmp_path / name, "--prices", prices).exit_code == 0
        for built in (tmp_path / name).iterdir():
            assert (tmp_path / "out" / built.name).read_bytes() == built.read_bytes(), built.name


def test_the_summary_workbook_holds_the_same_rows_with_totals_as_numbers(run, tmp_path, inbox, prices):
    run("batch", inbox, "-o", tmp_path / "out", "--prices", prices)
    ws = openpyxl.load_workbook(tmp_path / "out" / "batch-summary.xlsx")["Batch"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["file", "number", "facility", "dodaac", "total", "status", "problem", "warnings",
                       "illustrative"]
    assert rows[1][4] == 6000 and ws["E2"].number_format == '"$"#,##0.00'
    assert [r[5] for r in rows[1:]] == ["built", "built", "failed"]
    assert [r[8] for r in rows[1:]] == ["no", "no", None]
    assert ws.freeze_panes == "A2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
    assert all(cell.alignment.wrap_text for row in ws.iter_rows() for cell in row)


def test_the_same_batch_gives_the_same_summary_bytes(run, tmp_path, inbox, prices):
    for out in ("one", "two"):
        run("batch", inbox, "-o", tmp_path / out, "--prices", prices, "--jobs", "1")
    for name in ("batch-summary.csv", "batch-summary.xlsx"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_json_lists_every_request(run, tmp_path, inbox, prices):
    result = run("batch", inbox, "-o", tmp_path / "out", "--prices", prices, "--json")
    data = json.loads(result.stdout)
    assert (data["built"], data["failed"]) == (2, 1)
    assert [r["status"] for r in data["requests"]] == ["built", "built", "failed"]
    assert set(data["requests"][0]) == {"file", "number", "facility", "dodaac", "total", "status", "problem",
                                        "warnings", "illustrative"}


def test_forms_and_toml_files_and_folders_mix_in_the_order_given(run, tmp_path, inbox, prices):
    assert run("form", "-o", inbox / "d.xlsx", "--from", write(tmp_path, "d.toml", GEN2.replace("PQ-0001", "PQ-0004"))
               ).exit_code == 0
    (inbox / "~$d.xlsx").write_bytes(b"Excel's lock file")
    (inbox / "notes.txt").write_text("not a request")
    found = find_requests([inbox / "b.toml", inbox])
    assert [p.name for p in found] == ["b.toml", "a.toml", "c.toml", "d.xlsx"]
    run("batch", inbox, "-o", tmp_path / "out", "--prices", prices)
    assert [r["number"] for r in summary_rows(tmp_path / "out")] == ["PQ-0001", "PQ-0002", "", "PQ-0004"]
    assert (tmp_path / "out" / "PQ-0004.pdf").exists()


def test_a_form_with_a_wrong_cell_fails_naming_the_cell(run, tmp_path, prices):
    folder = tmp_path / "inbox"
    folder.mkdir()
    run("form", "-o", folder / "f.xlsx", "--from", write(tmp_path, "f.toml", GEN2))
    book = openpyxl.load_workbook(folder / "f.xlsx")
    book["Treatments"]["B6"] = 3.5
    book.save(folder / "f.xlsx")
    result = run("batch", folder, "-o", tmp_path / "out", "--prices", prices)
    assert result.exit_code == 1
    assert result.stderr == f"error: {folder / 'f.xlsx'}: Treatments!B6 Procedures: must be a whole number, not 3.5\n"


def test_two_requests_of_one_quote_number_build_one_and_name_the_other(run, tmp_path, inbox, prices):
    write(inbox, "d.toml", GEN2.replace("procedures = 7", "procedures = 8"))
    result = run("batch", inbox, "-o", tmp_path / "out", "--prices", prices, "--jobs", "1")
    assert result.exit_code == 1
    assert (f"error: {inbox / 'd.toml'}: quote number PQ-0001 is also the number of {inbox / 'a.toml'} in this "
            f"batch") in result.stderr
    assert summary_rows(tmp_path / "out")[3]["status"] == "failed"


def test_an_existing_summary_is_kept_without_force(run, tmp_path, inbox, prices):
    out = tmp_path / "out"
    out.mkdir()
    (out / "batch-summary.csv").write_text("mine")
    result = run("batch", inbox, "-o", out, "--prices", prices)
    assert result.exit_code == 1 and "batch-summary.csv: already exists; use --force" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["batch-summary.csv"]
    assert run("batch", inbox, "-o", out, "--prices", prices, "--force").exit_code == 1
    assert len(summary_rows(out)) == 3


def test_outputs_of_an_earlier_batch_are_not_overwritten_without_force(run, tmp_path, inbox, prices):
    out = tmp_path / "out"
    run("batch", inbox / "a.toml", "-o", out, "--prices", prices)
    for name in ("batch-summary.csv", "batch-summary.xlsx"):
        (out / name).unlink()
    result = run("batch", inbox, "-o", out, "--prices", prices)
    assert "PQ-0001.xlsx: already exists; use --force" in result.stderr
    assert [r["status"] for r in summary_rows(out)] == ["failed", "built", "failed"]


@pytest.mark.parametrize("given, expected", [
    ("missing", "missing: no such request file or folder"),
    ("notes.txt", "notes.txt: is not a request file (.toml, .xlsx, .xlsm)"),
    ("empty", "empty: the folder holds no request file"),
])
def test_inputs_that_are_not_requests_stop_the_batch_before_it_starts(run, tmp_path, given, expected):
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "empty").mkdir()
    result = run("batch", tmp_path / given, "-o", tmp_path / "out")
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {tmp_path / expected}")
    assert not (tmp_path / "out").exists()


def test_a_broken_price_list_stops_the_batch_before_it_starts(run, tmp_path, inbox):
    result = run("batch", inbox, "-o", tmp_path / "out", "--prices", write(tmp_path, "p.csv", "part,price\n"))
    assert result.exit_code == 2 and "p.csv" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_unexpected_error_fails_that_request_only(tmp_path, inbox, prices, monkeypatch):
    from procure.core import build as core_build

    real = core_build.build_order

    def flaky(request, *args, **kwargs):
        if request.quote_number == "PQ-0002":
            raise ZeroDivisionError("boom")
        return real(request, *args, **kwargs)

    monkeypatch.setattr(core_build, "build_order", flaky)
    (tmp_path / "out").mkdir()
    outcomes = run_batch(Job(str(tmp_path / "out"), str(prices)), find_requests([inbox]), jobs=1,
                         done=lambda i, o: None)
    assert [o.status for o in outcomes] == ["built", "failed", "failed"]
    assert outcomes[1].problem == "internal error (ZeroDivisionError: boom); please report it"


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_finishes_what_is_being_built_and_cancels_the_rest(tmp_path, prices, jobs, monkeypatch):
    made, mkdtemp = [], tempfile.mkdtemp
    monkeypatch.setattr(tempfile, "mkdtemp", lambda **kw: made.append(mkdtemp(**kw)) or made[-1])
    folder = tmp_path / "inbox"
    folder.mkdir()
    for i in range(12):
        write(folder, f"r{i:02}.toml", GEN2.replace("PQ-0001", f"PQ-{i:04}"))
    out = tmp_path / "out"
    out.mkdir()
    before = signal.getsignal(signal.SIGINT)

    def done(index, outcome):
        if index == 0:
            os.kill(os.getpid(), signal.SIGINT)

    outcomes = run_batch(Job(str(out), str(prices)), find_requests([folder]), jobs=jobs, done=done)
    assert signal.getsignal(signal.SIGINT) is before
    built = [o for o in outcomes if o.status == "built"]
    assert 1 <= len(built) < 12
    assert all(o.problem == INTERRUPTED for o in outcomes if o.status != "built")
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{o.number}{s}" for o in built
                                                           for s in (".html", ".pdf", ".txt", ".xlsx"))
    assert made and not os.path.exists(made[0])


def test_a_batch_with_a_profile_writes_what_build_writes_with_it(run, tmp_path, inbox, prices):
    (inbox / "c.toml").unlink()
    profile = write(tmp_path, "desk.toml", '[vendor]\ncage = "1ABC2"\nuei = "ABCDEFGH1234"\n')
    assert run("batch", inbox, "-o", tmp_path / "out", "--prices", prices, "--profile", profile).exit_code == 0
    assert run("build", inbox / "a.toml", "-o", tmp_path / "one", "--prices", prices,
               "--profile", profile).exit_code == 0
    assert (tmp_path / "out" / "PQ-0001.pdf").read_bytes() == (tmp_path / "one" / "PQ-0001.pdf").read_bytes()
    assert b"1ABC2" in (tmp_path / "out" / "PQ-0001.txt").read_bytes()


def test_a_broken_profile_stops_the_batch_before_it_starts(run, tmp_path, inbox, prices):
    profile = write(tmp_path, "desk.toml", '[vendor]\ncage = "1ABC"\n')
    result = run("batch", inbox, "-o", tmp_path / "out", "--prices", prices, "--profile", profile)
    assert result.exit_code == 2 and "cage" in result.stderr
    assert not (tmp_path / "out").exists()


def test_summary_csv_fields_never_read_as_formulas(run, tmp_path, prices):
    folder = tmp_path / "inbox"
    folder.mkdir()
    write(folder, "a.toml", GEN2.replace('"Public Example Clinic"', '"=HYPERLINK(\\"http://x\\")"'))
    assert run("batch", folder, "-o", tmp_path / "out", "--prices", prices).exit_code == 0
    [row] = summary_rows(tmp_path / "out")
    assert row["facility"] == "'=HYPERLINK(\"http://x\")"
    book = openpyxl.load_workbook(tmp_path / "out" / "batch-summary.xlsx")
    assert book["Batch"]["C2"].value == '=HYPERLINK("http://x")' and book["Batch"]["C2"].data_type == "s"


def test_batch_issue_numbers_every_request_in_the_register(run, register_target, tmp_path, inbox, prices):
    import datetime

    year = datetime.date.today().year
    for name in ("a", "b", "c"):  # no numbers, dated today: the register numbers them
        text = (inbox / f"{name}.toml").read_text(encoding="utf-8")
        (inbox / f"{name}.toml").write_text(text.replace('number = "PQ-0001"\n', "").replace(
            'number = "PQ-0002"\n', "").replace('number = "PQ-0003"\n', "").replace("date = 2026-01-15\n", ""),
            encoding="utf-8")
    out = tmp_path / "out"
    result = run("batch", inbox, "-o", out, "--prices", prices, "--issue", "--register", register_target,
                 "--jobs", "2", env={"PROCURE_REGISTER": None})
    assert result.exit_code == 1, result.stderr  # c.toml is broken
    rows = summary_rows(out)
    assert [r["status"] for r in rows] == ["issued", "issued", "failed"]
    assert sorted(r["number"] for r in rows[:2]) == [f"Q-{year}-0001", f"Q-{year}-0002"]  # in the order issued
    listed = run("quote", "list", "--json", "--register", register_target, env={"PROCURE_REGISTER": None})
    assert sorted(q["number"] for q in json.loads(listed.stdout)["quotes"]) == [f"Q-{year}-0001", f"Q-{year}-0002"]
    for row in rows[:2]:
        verified = run("quote", "verify", out / f"{row['number']}.pdf", "--register", register_target,
                       env={"PROCURE_REGISTER": None})
        assert verified.exit_code == 0, verified.stdout + verified.stderr


def test_batch_issue_into_an_unreachable_register_stops_before_it_starts(run, tmp_path, inbox, prices):
    result = run("batch", inbox, "-o", tmp_path / "out", "--prices", prices, "--issue", "--register",
                 "postgresql://nobody@127.0.0.1:1/none", env={"PROCURE_REGISTER": None})
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_failed_row_has_no_total_and_every_row_says_its_warnings_and_illustrative(run, tmp_path, inbox):
    (inbox / "c.toml").unlink()
    out = tmp_path / "out"
    out.mkdir()
    (out / "PQ-0002.pdf").write_text("already here")
    illustrative = write(tmp_path, "illustrative.csv", "# illustrative = true\n" + PRICES)
    result = run("batch", inbox, "-o", out, "--prices", illustrative, "--jobs", "1")
    assert result.exit_code == 1
    rows = summary_rows(out)
    assert [(r["number"], r["status"], r["total"]) for r in rows] == [("PQ-0001", "built", "6000.00"),
                                                                      ("PQ-0002", "failed", "")]
    assert rows[0]["illustrative"] == "yes"
    assert "illustrative-prices" in rows[0]["warnings"].split()
    assert f"built {inbox / 'a.toml'}: PQ-0001 (4 warnings: illustrative-prices" in result.stderr
