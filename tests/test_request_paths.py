"""A request names files only inside its own folder; others are given on the command line (issue 17, item 15)."""

import os

import pytest
from test_form_read import make_form, problems, put

from procure.forms.layout import INPUT_COLUMN, request_rows

from conftest import assert_no_traceback
from orders import GEN2, PRICES, write

OUTSIDE = "must name a file in the request's folder"


def with_price_list(name: str) -> str:
    return GEN2 + f'\n[pricing]\nprice_list = "{name}"\n'


@pytest.mark.parametrize("name", ["/etc/passwd", "../prices.csv", "sub/../../prices.csv", "C:/prices.csv",
                                  "\\\\\\\\server\\\\share\\\\p.csv"])
def test_a_price_list_outside_the_request_folder_is_refused_unread(run, tmp_path, name):
    folder = tmp_path / "requests"
    folder.mkdir()
    write(tmp_path, "prices.csv", PRICES)
    result = run("plan", write(folder, "r.toml", with_price_list(name)))
    assert result.exit_code == 2 and OUTSIDE in result.stderr and "price_list" in result.stderr, result.stderr
    assert "root:" not in result.stderr
    assert_no_traceback(result)


def test_a_link_in_the_folder_to_a_file_outside_is_refused(run, tmp_path):
    folder = tmp_path / "requests"
    folder.mkdir()
    os.symlink("/etc/passwd", folder / "prices.csv")
    result = run("plan", write(folder, "r.toml", with_price_list("prices.csv")))
    assert result.exit_code == 2 and OUTSIDE in result.stderr and "root:" not in result.stderr, result.stderr


def test_a_price_list_in_the_folder_or_below_it_is_read(run, tmp_path):
    (tmp_path / "lists").mkdir()
    write(tmp_path / "lists", "prices.csv", PRICES)
    result = run("plan", write(tmp_path, "r.toml", with_price_list("lists/prices.csv")))
    assert result.exit_code == 0, result.stderr


def test_a_price_list_named_on_the_command_line_may_be_anywhere(run, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "requests").mkdir()
    result = run("plan", write(tmp_path / "requests", "r.toml", GEN2), "--prices",
                 write(elsewhere, "prices.csv", PRICES))
    assert result.exit_code == 0, result.stderr


def test_a_form_price_list_cell_outside_the_folder_is_refused(tmp_path):
    _, rows = request_rows()
    cell = f"{chr(64 + INPUT_COLUMN)}{rows[('pricing', 'price_list')]}"
    form = make_form(tmp_path, edit=put("Request", cell, "/etc/passwd"))
    [problem] = problems(form)
    assert OUTSIDE in problem and f"Request!{cell}" in problem
