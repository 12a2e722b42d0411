"""A batch under faults: a worker killed, the parent killed, too few connections, odd inputs (issue 17,
items 3, 4, 5, 19, 20)."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from procure.batch.run import Job, find_requests, run_batch

from conftest import REPO, assert_no_traceback
from orders import GEN2, PRICES, write


@pytest.fixture
def prices(tmp_path):
    return write(tmp_path, "prices.csv", PRICES)


def requests(folder, count: int):
    folder.mkdir(exist_ok=True)
    for i in range(count):
        write(folder, f"r{i:02}.toml", GEN2.replace("PQ-0001", f"PQ-{i:04}"))
    return folder


def killing(monkeypatch, number: str, times: int, marks):
    """Kill the worker that builds quote `number`, the first `times` times (as the OOM killer would)."""
    from procure.core import build as core_build

    real = core_build.build_order

    def build(request, *args, **kwargs):
        if request.quote_number == number:
            marks.mkdir(exist_ok=True)
            if len(list(marks.iterdir())) < times:
                (marks / str(time.monotonic_ns())).touch()
                os.kill(os.getpid(), signal.SIGKILL)
        return real(request, *args, **kwargs)

    monkeypatch.setattr(core_build, "build_order", build)


def ten_requests_on_two_workers(tmp_path, prices):
    out = tmp_path / "out"
    out.mkdir()
    return run_batch(Job(str(out), str(prices)), find_requests([requests(tmp_path / "in", 10)]), jobs=2,
                     done=lambda i, o: None)


@pytest.mark.slow  # kills processes
def test_a_worker_killed_once_is_retried_in_a_fresh_worker_and_the_batch_goes_on(tmp_path, prices, monkeypatch):
    killing(monkeypatch, "PQ-0003", 1, tmp_path / "marks")
    outcomes = ten_requests_on_two_workers(tmp_path, prices)
    assert [o.status for o in outcomes] == ["built"] * 10, [o.problem for o in outcomes]


@pytest.mark.slow  # kills processes
def test_a_request_whose_worker_dies_twice_fails_alone(tmp_path, prices, monkeypatch):
    killing(monkeypatch, "PQ-0003", 99, tmp_path / "marks")
    outcomes = ten_requests_on_two_workers(tmp_path, prices)
    assert [o.status for o in outcomes] == ["built"] * 3 + ["failed"] + ["built"] * 6, [o.problem for o in outcomes]
    assert "stopped" in outcomes[3].problem and "twice" in outcomes[3].problem
    assert len(list((tmp_path / "marks").iterdir())) == 2


SLOW_BATCH = textwrap.dedent("""
    import sys, time
    from procure.core import build
    real = build.build_order
    def slow(*args, **kwargs):
        time.sleep(60)
        return real(*args, **kwargs)
    build.build_order = slow
    from procure.cli import main
    sys.argv = ["procure", *sys.argv[1:]]
    main()
""")


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stream:
                    fields = stream.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stream:
            return stream.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc")
def test_workers_stop_when_the_batch_is_killed_and_the_next_batch_removes_its_folder(tmp_path, prices):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(temporary)}
    batch = subprocess.Popen([sys.executable, "-c", SLOW_BATCH, "batch", str(requests(tmp_path / "in", 4)), "-o",
                              str(tmp_path / "out"), "--prices", str(prices), "--jobs", "2"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 60
    while len(_children(batch.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = _children(batch.pid)
    assert len(workers) >= 2
    time.sleep(1)
    batch.kill()
    batch.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, workers))
    assert any(temporary.iterdir())
    again = subprocess.run([sys.executable, "-m", "procure", "batch", str(tmp_path / "in" / "r00.toml"), "-o",
                            str(tmp_path / "again"), "--prices", str(prices)], capture_output=True, text=True,
                           env=env, timeout=120)
    assert again.returncode == 0, again.stderr
    assert list(temporary.iterdir()) == []


@pytest.mark.slow  # starts a worker process per request
def test_batch_issue_with_more_workers_than_connections_issues_every_request(run, postgres_schema, tmp_path,
                                                                              prices):
    import uuid

    import psycopg

    role = f"desk_{uuid.uuid4().hex[:8]}"
    schema = postgres_schema.rsplit("%3D", 1)[1]
    with psycopg.connect(postgres_schema, autocommit=True) as connection:
        connection.execute(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 2")
        connection.execute(f"GRANT ALL ON SCHEMA {schema} TO {role}")
    target = postgres_schema.replace("postgres@", f"{role}@", 1)
    try:
        from registers import REQUEST
        folder = tmp_path / "in"
        folder.mkdir()
        for i in range(6):
            write(folder, f"r{i}.toml", REQUEST)
        result = run("batch", folder, "-o", tmp_path / "out", "--prices", prices, "--issue", "--register", target,
                     "--jobs", "6", env={"PROCURE_REGISTER_TIMEOUT": "60"})
        assert_no_traceback(result)
        assert result.exit_code == 0, result.stderr
        assert "issued 6 of 6" in result.stdout
    finally:
        with psycopg.connect(postgres_schema, autocommit=True) as connection:
            connection.execute(f"DROP OWNED BY {role} CASCADE")
            connection.execute(f"DROP ROLE {role}")


@pytest.mark.parametrize("given", ["", " "])
def test_an_empty_input_name_is_refused_not_read_as_the_current_folder(run, tmp_path, prices, given,
                                                                       monkeypatch):
    requests(tmp_path, 2)
    monkeypatch.chdir(tmp_path)
    result = run("batch", given, "-o", tmp_path / "out", "--prices", prices)
    assert result.exit_code == 2 and "empty" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_a_batch_into_its_own_input_folder_does_not_read_its_outputs_as_requests(run, tmp_path, prices):
    folder = requests(tmp_path / "in", 2)
    assert run("batch", folder, "-o", folder, "--prices", prices).exit_code == 0
    again = run("batch", folder, "-o", folder, "--prices", prices, "--force", "--json")
    assert again.exit_code == 0, again.stderr
    import json
    assert [r["file"] for r in json.loads(again.stdout)["requests"]] == [str(folder / "r00.toml"),
                                                                          str(folder / "r01.toml")]
