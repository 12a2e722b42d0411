"""Shared fixtures: the shipped catalog, a CLI runner, a copy of the catalog to break."""

import gc
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.dont_write_bytecode = False
"""Keep the compiled modules (in the ignored __pycache__ folders) even when PYTHONDONTWRITEBYTECODE is set: else
every run, and each of its xdist workers, compiles procure and rewrites the asserts of every test module again
(3 s a worker); the `python -m procure` subprocesses read the kept files too. Set before procure is imported."""

from procure.cli import cli  # noqa: E402
from procure.core.catalog_reader import default_folder  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TWO_VERSIONS = FIXTURES / "two_versions"
SHIPPED_FILE_NAME = "SPE2DE21D7004-2024-10-01.toml"


TEST_HASH_METHOD = "scrypt:1024:8:1"
"""How the passwords of the tests' users are hashed: the register's own scrypt (HASH_METHOD, 32768 rounds) takes
100 ms a hash and as long a check, on purpose, and made every web test spend half a second on its users. A
stored hash names its parameters, so a desk checks these cheap ones as it would the real ones;
`test_the_register_hashes_passwords_with_the_strong_scrypt` holds the real method to its strength."""


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("procure.register.accounts.HASH_METHOD", TEST_HASH_METHOD)
        yield


@pytest.fixture
def shipped_catalog_dir() -> Path:
    """The catalog folder the program uses when no --catalog is given."""
    return Path(default_folder())


@pytest.fixture
def shipped_catalog_file(shipped_catalog_dir) -> Path:
    return shipped_catalog_dir / SHIPPED_FILE_NAME


@pytest.fixture
def two_versions_dir() -> Path:
    """A catalog folder with versions 2024-10-01 and 2025-06-01 (see the comment at the top of v2025.toml)."""
    return TWO_VERSIONS


@pytest.fixture
def run():
    """Run the CLI in-process: `run("catalog", "list", env={...})` -> click Result.

    The result has `exit_code`, `stdout` and `stderr` kept apart. PROCURE_CATALOG and
    PROCURE_DEBUG from the caller's environment are cleared unless given in `env`.
    """
    def invoke(*args, env=None, input=None):
        merged = {"PROCURE_CATALOG": None, "PROCURE_DEBUG": None, "PROCURE_PROFILE": None}
        merged.update(env or {})
        return CliRunner().invoke(cli, [str(a) for a in args], env=merged, input=input, catch_exceptions=True)
    return invoke


@pytest.fixture
def catalog_copy(tmp_path, shipped_catalog_dir) -> Path:
    """A private copy of the shipped catalog folder that a test may corrupt."""
    target = tmp_path / "catalog"
    shutil.copytree(shipped_catalog_dir, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


@pytest.fixture
def run_module():
    """Run `python [pyargs] -m procure ...` in a subprocess, from the repository root."""
    def run_(*args, python_args=(), env=None):
        environment = {k: v for k, v in os.environ.items() if k not in ("PROCURE_CATALOG", "PROCURE_DEBUG")}
        environment["PYTHONPATH"] = str(REPO) + os.pathsep + environment.get("PYTHONPATH", "")
        environment.update(env or {})
        return subprocess.run([sys.executable, *python_args, "-m", "procure", *map(str, args)],
                              capture_output=True, text=True, encoding="utf-8", cwd=REPO, env=environment,
                              timeout=60)
    return run_


def assert_no_traceback(result) -> None:
    """A user-caused failure is reported in words, never as a Python traceback."""
    text = (result.stdout or "") + (result.stderr or "")
    assert "Traceback" not in text
    exception = getattr(result, "exception", None)
    assert exception is None or isinstance(exception, SystemExit), repr(exception)


# ------------------------------------------------------------------ quote registers, on both backends


def postgres_url() -> str | None:
    """The PostgreSQL server for register tests (PROCURE_TEST_POSTGRES; `source .ci/postgres` starts one).

    None locally when it is not set (the PostgreSQL tests skip); in CI (`CI` set) a missing or unreachable
    server fails them.
    """
    url = os.environ.get("PROCURE_TEST_POSTGRES")
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail("PROCURE_TEST_POSTGRES is not set: CI must start PostgreSQL (.ci/postgres)")
    pytest.skip("no PostgreSQL for the register tests: `source .ci/postgres` starts one")


@pytest.fixture
def postgres_schema():
    """A fresh, empty schema on the test server: yields a register URL whose tables go into it; dropped after."""
    import uuid

    import psycopg

    url = postgres_url()
    schema = f"procure_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as connection:
            connection.execute(f"CREATE SCHEMA {schema}")
    except psycopg.OperationalError as e:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {url} is not reachable: {e}")
        pytest.skip(f"PostgreSQL at {url} is not reachable")
    yield url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.slow)])
def register_target(request, tmp_path) -> str:
    """A new, empty register: an SQLite file, then a PostgreSQL schema (every register test runs on both in the
    full suite; the quick loop runs the SQLite one, and the tests that name `postgres_schema` themselves)."""
    if request.param == "sqlite":
        return str(tmp_path / "register.sqlite")
    return request.getfixturevalue("postgres_schema")


@pytest.fixture(autouse=True)
def no_register_of_the_user(tmp_path, monkeypatch):
    """No test sees the register of whoever runs it (PROCURE_REGISTER, or the default one in the data folder):
    `build` notes on stderr that its quote is not registered when a register exists."""
    monkeypatch.delenv("PROCURE_REGISTER", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))


@pytest.fixture
def desk(register_target, tmp_path):
    """A desk (`registers.Desk`) on a new, empty register of each backend."""
    from registers import Desk

    return Desk(register_target, tmp_path)


MEMORY_FOLDER = Path("/dev/shm")
QUICK_LOOP_SHARE = 5
"""In the quick loop (`-m "not slow"`) a hypothesis test tries a fifth of its examples (`examples`); the full
suite, which CI runs, tries them all."""
quick_loop = False


def examples(full: int) -> int:
    """How many examples a hypothesis test tries: `full` in the full suite, fewer (10 at least) in the quick loop."""
    return max(10, full // QUICK_LOOP_SHARE) if quick_loop else full


def pytest_configure(config):
    """The collector's young generation as `procure.__main__` sets it for a short command: the tests allocate much
    and free little, and at the default 700 objects a run spent a tenth of its time collecting.

    The tests' temporary folders go to memory where the machine has a tmpfs (`/dev/shm`): every register write
    commits, and on the shared disk each commit's fsync cost more than the statement."""
    global quick_loop
    quick_loop = "not slow" in (config.option.markexpr or "")
    gc.set_threshold(200_000, 50, 100)
    if MEMORY_FOLDER.is_dir() and os.access(MEMORY_FOLDER, os.W_OK) and not os.environ.get("PYTEST_DEBUG_TEMPROOT"):
        tempfile.tempdir = str(MEMORY_FOLDER)


def pytest_collection_finish(session):
    """The objects of the collected tests live to the end: set aside, so no collection scans them again."""
    gc.freeze()
