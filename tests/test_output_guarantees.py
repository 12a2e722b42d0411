"""What `build` promises about its files: they read back, they are the same bytes wherever and whenever
they are built, they appear whole, and one build never overwrites another without --force."""

import hashlib
import io
import os
import resource
import subprocess
import sys
import threading
import time

import openpyxl
import pypdf
import pytest

import procure
from procure.core.errors import RuleError
from procure.files import whole as files
from procure.renderers import outputs

from orders import GEN2, ILLUSTRATIVE, PRICES, make_order, write

NAMES = ["PQ-0001.html", "PQ-0001.pdf", "PQ-0001.txt", "PQ-0001.xlsx"]
UNUSUAL = "Clínica \u05e9\u05dc\u05d5\u05dd \u202eevil\u202c \U0001f600 =SUM(A1) <b>&amp;</b> \u00a0\u2028x"
"""Text every output must hold: right-to-left, a bidi override, an emoji, markup, a formula, odd spaces."""


def read_back(files: dict[str, bytes]) -> dict[str, str]:
    """Each output opened as its reader opens it; the text they hold."""
    book = openpyxl.load_workbook(io.BytesIO(files[".xlsx"]))
    cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    pdf = pypdf.PdfReader(io.BytesIO(files[".pdf"]))
    return {".xlsx": cells, ".pdf": " ".join(page.extract_text() for page in pdf.pages),
            ".txt": files[".txt"].decode("utf-8")}


def test_unusual_text_reads_back_from_every_output():
    text = GEN2.replace("Public Example Clinic", UNUSUAL.replace("\u2028", ""))
    shown = read_back(outputs.render(make_order(text)))
    assert "=SUM(A1)" in shown[".xlsx"] and "\u202eevil" in shown[".xlsx"] and "\U0001f600" in shown[".xlsx"]
    assert "Clínica" in shown[".pdf"] and "PQ-0001" in shown[".pdf"]
    assert UNUSUAL.replace("\u2028", "")[:20] in shown[".txt"]


@pytest.mark.parametrize("title", ["Example\uffff", "Example\ufffe"])
def test_a_price_list_title_xml_forbids_never_reaches_a_workbook(run, tmp_path, title):
    prices = write(tmp_path, "p.csv", f"# title = {title}\n" + PRICES)
    result = run("build", write(tmp_path, "r.toml", GEN2), "-o", tmp_path / "out", "--prices", prices)
    assert result.exit_code == 2 and "p.csv: line 1: holds a character no document may hold" in result.stderr
    assert not (tmp_path / "out").exists()


def test_builds_racing_for_one_quote_number_leave_one_whole_set(tmp_path):
    orders = [make_order(GEN2.replace("Public Example Clinic", f"Facility {i}")) for i in range(4)]
    results, start = {}, threading.Barrier(len(orders))

    def build(i):
        start.wait()
        try:
            results[i] = procure.write_outputs(orders[i], tmp_path / "out")
        except RuleError as e:
            results[i] = e

    threads = [threading.Thread(target=build, args=(i,)) for i in range(len(orders))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    [winner] = [i for i, found in results.items() if not isinstance(found, RuleError)]
    assert all("already exists; use --force" in str(results[i]) for i in results if i != winner)
    assert sorted(f.name for f in (tmp_path / "out").iterdir()) == NAMES
    shown = read_back({f.suffix: f.read_bytes() for f in (tmp_path / "out").iterdir()})
    assert all(f"Facility {winner}" in text for text in shown.values())


def test_temporary_files_a_killed_build_left_are_removed_by_the_next(run, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    litter = [out / ".PQ-0001.xlsx.k2j3h4.part", out / ".PQ-0001.pdf.zz9.part"]
    other = out / ".Q-OTHER.pdf.abc.part"
    for path in (*litter, other):
        path.write_bytes(b"half")
    result = run("build", write(tmp_path, "r.toml", GEN2), "-o", out, "--prices", write(tmp_path, "p.csv", PRICES))
    assert result.exit_code == 0, result.stderr
    assert sorted(f.name for f in out.iterdir()) == sorted([*NAMES, other.name])


@pytest.mark.slow  # kills processes
def test_a_build_killed_at_its_first_temporary_file_leaves_only_that_and_the_next_build_cleans_it(tmp_path):
    request, prices = write(tmp_path, "r.toml", GEN2), write(tmp_path, "p.csv", PRICES)
    slow = ("import os, sys, time\nfrom procure.files import whole as files\nreal = files._write_temporary\n"
            "def stop(target, data):\n    name = real(target, data)\n    print('written', flush=True)\n"
            "    time.sleep(60)\n    return name\nfiles._write_temporary = stop\n"
            "from procure.cli import main\nsys.argv = ['procure'] + sys.argv[1:]\nmain()\n")
    build = subprocess.Popen([sys.executable, "-c", slow, "build", str(request), "-o", str(tmp_path / "out"),
                              "--prices", str(prices)], stdout=subprocess.PIPE, text=True)
    assert build.stdout.readline() == "written\n"
    build.kill()
    build.wait()
    left = [f.name for f in (tmp_path / "out").iterdir()]
    assert len(left) == 1 and left[0].startswith(".PQ-0001.xlsx.") and left[0].endswith(".part")
    done = subprocess.run([sys.executable, "-m", "procure", "build", str(request), "-o", str(tmp_path / "out"),
                           "--prices", str(prices)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert sorted(f.name for f in (tmp_path / "out").iterdir()) == NAMES


@pytest.mark.slow
def test_the_request_path_does_not_change_a_byte(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "r.toml", GEN2 + '\n[[treatment]]\nname = "One genicular"\nprocedures = 2\nnerves = ["SLGN"]\n')
    write(tmp_path, "p.csv", ILLUSTRATIVE)
    (tmp_path / "sub").mkdir()
    found = []
    for i, given in enumerate(["r.toml", str(tmp_path / "r.toml"), "sub/../r.toml"]):
        done = subprocess.run([sys.executable, "-m", "procure", "build", given, "-o", f"out{i}", "--prices",
                               "p.csv"], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        found.append({f.name: f.read_bytes() for f in (tmp_path / f"out{i}").iterdir()})
    assert found[0] == found[1] == found[2]
    checks = openpyxl.load_workbook(io.BytesIO(found[0]["PQ-0001.xlsx"]))["Checks"]
    assert "r.toml:25" in [c.value for row in checks.iter_rows() for c in row]  # a customer finding with its source


@pytest.mark.parametrize("environment", [{"SOURCE_DATE_EPOCH": "0"}, {"SOURCE_DATE_EPOCH": "1700000000"},
                                         {"SOURCE_DATE_EPOCH": "not a number"}, {"TZ": "Asia/Kathmandu"},
                                         {"TZ": "America/St_Johns", "SOURCE_DATE_EPOCH": "86400"}])
def test_no_environment_variable_changes_a_byte(monkeypatch, environment):
    order = make_order(GEN2, ILLUSTRATIVE)
    plain = {k: hashlib.sha256(v).hexdigest() for k, v in outputs.render(order).items()}
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    time.tzset()
    try:
        assert {k: hashlib.sha256(v).hexdigest() for k, v in outputs.render(order).items()} == plain
        assert os.environ.get("SOURCE_DATE_EPOCH") == environment.get("SOURCE_DATE_EPOCH")
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_file_size_limit_is_one_clear_line_and_leaves_nothing(tmp_path):
    request, prices = write(tmp_path, "r.toml", GEN2), write(tmp_path, "p.csv", PRICES)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    limit = 8_000

    def small_files():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run([sys.executable, "-m", "procure", "build", str(request), "-o", str(tmp_path / "out"),
                           "--prices", str(prices)], capture_output=True, text=True, timeout=60,
                          preexec_fn=small_files, env={**os.environ, "TMPDIR": str(scratch)})
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"error: {tmp_path / 'out'}: cannot write the outputs: File too large"]
    assert list((tmp_path / "out").iterdir()) == [] and list(scratch.iterdir()) == []


def test_a_failed_write_takes_back_the_new_files_already_in_place(tmp_path, monkeypatch):
    calls = []
    real = os.link

    def link(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise FileExistsError(17, "File exists")
        real(source, target)

    monkeypatch.setattr(files.os, "link", link)
    with pytest.raises(RuleError, match=r"PQ-0001\.txt: already exists"):
        procure.write_outputs(make_order(), tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []
