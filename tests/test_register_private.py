"""The register file and its folder are private to their owner (issue 26, F9): a new SQLite register is 0600,
the default folder 0700, the copy saved before a migration 0600; `register check` warns about a register other
accounts can read."""

import os
import stat
import sys

import pytest

from procure.register import open_register
from procure.register.target import default_path

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_register_is_readable_by_its_owner_only_whatever_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        with open_register(tmp_path / "shared" / "register.sqlite"):
            pass
        with open_register(None):
            pass
    finally:
        os.umask(old)
    assert mode(tmp_path / "shared" / "register.sqlite") == 0o600
    assert mode(default_path()) == 0o600 and mode(default_path().parent) == 0o700


def test_register_check_warns_about_a_register_others_can_read(run, tmp_path):
    register = tmp_path / "register.sqlite"
    assert run("register", "init", "--register", str(register)).exit_code == 0
    quiet = run("register", "check", "--register", str(register))
    assert quiet.exit_code == 0 and "warning" not in quiet.stderr
    register.chmod(0o644)
    loud = run("register", "check", "--register", str(register))
    assert loud.exit_code == 0
    assert "other accounts on this computer may read it (permissions 644)" in loud.stderr
    assert f"chmod 600 {register}" in loud.stderr


def test_the_copy_saved_before_a_migration_is_private_too(tmp_path, monkeypatch):
    from procure.register import migrate

    register = tmp_path / "register.sqlite"
    with open_register(register):
        pass
    later = migrate.Migration(len(migrate.available("sqlite")) + 1, "note", "ALTER TABLE quotes ADD COLUMN n TEXT;\n")
    known = migrate.available
    monkeypatch.setattr(migrate, "available", lambda backend: (*known(backend), later))
    old = os.umask(0o022)
    try:
        with open_register(register):
            pass
    finally:
        os.umask(old)
    assert mode(f"{register}.schema{later.version - 1}.bak") == 0o600
