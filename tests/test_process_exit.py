"""The command line ends its process without the interpreter's teardown (procure.cli.main): whatever it printed
reaches a pipe whole, the exit codes are those of the contract, and files are complete when it exits."""

import json
import subprocess
import sys

from orders import GEN2, PRICES, write


def procure(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "procure", *map(str, args)], capture_output=True, text=True,
                          timeout=120, **kwargs)


def test_a_long_output_reaches_a_pipe_whole(tmp_path):
    many = GEN2 + "".join(f'\n[[treatment]]\nname = "T{i}"\nprocedures = 3\nnerves = ["AFCN"]\n' for i in range(400))
    request, prices = write(tmp_path, "many.toml", many), write(tmp_path, "prices.csv", PRICES)
    done = procure("plan", request, "--prices", prices, "--json")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout) > 200_000  # several pipe buffers
    assert len(json.loads(done.stdout)["derivation"]) > 400


def test_the_exit_codes_are_the_contracts(tmp_path):
    prices = write(tmp_path, "prices.csv", PRICES)
    good = write(tmp_path, "good.toml", GEN2)
    mismatch = write(tmp_path, "mix.toml", '[customer]\nfacility = "A clinic"\ndodaac = "W91ABC"\n[equipment]\n'
                                           'installed = ["IST0221"]\n[[line]]\npart = "STT2309-5"\nquantity = 1\n')
    broken = write(tmp_path, "broken.toml", "[customer\n")
    assert procure("check", good, "--prices", prices).returncode == 0
    assert procure("check", mismatch, "--prices", prices).returncode == 1
    bad = procure("check", broken)
    assert bad.returncode == 2 and "broken.toml" in bad.stderr and "Traceback" not in bad.stderr
    assert procure("no-such-command").returncode == 2
    assert procure("--version").stdout.startswith("procure ")


def test_built_files_are_whole_when_the_process_has_ended(tmp_path):
    request, prices = write(tmp_path, "good.toml", GEN2), write(tmp_path, "prices.csv", PRICES)
    done = procure("build", request, "--prices", prices, "-o", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert {p.suffix for p in (tmp_path / "out").iterdir()} == {".html", ".pdf", ".txt", ".xlsx"}
    assert (tmp_path / "out" / "PQ-0001.pdf").read_bytes().rstrip().endswith(b"%%EOF")


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    first = subprocess.Popen([sys.executable, "-m", "procure", "catalog", "list"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    assert first.stdout is not None
    first.stdout.readline()
    first.stdout.close()
    _, err = first.communicate(timeout=60)
    assert b"Traceback" not in err and first.returncode in (0, 1)
