"""Every moment the register keeps as text is in one form, and a register that holds the older form keeps working:
opening it rewrites those moments (migration `0012_moments`), on either backend."""

import datetime

from procure.register import migrate, open_register
from procure.register.accounts import find_user
from procure.register.sessions import session_user, start_session
from procure.register.stored import moment_text, stored_moment

MOMENT = datetime.datetime(2026, 11, 28, 17, 30, 0, 123456, tzinfo=datetime.UTC)
ON_THE_SECOND = MOMENT.replace(microsecond=0)


def test_a_moment_reads_back_from_either_form_a_register_has_held():
    assert moment_text(MOMENT) == "2026-11-28T17:30:00.123456+00:00"
    assert stored_moment("2026-11-28T17:30:00.123456Z") == stored_moment(moment_text(MOMENT)) == MOMENT
    assert stored_moment("2026-11-28T17:30:00.000000Z") == stored_moment(moment_text(ON_THE_SECOND)) == ON_THE_SECOND


def test_moments_written_in_the_older_form_are_rewritten_when_the_register_opens(desk):
    kind = "postgres" if desk.target.startswith("postgresql") else "sqlite"
    moments = next(m for m in migrate.available(kind) if m.name == "moments")
    latest = migrate.available(kind)[-1]
    with open_register(desk.target) as store, store.writing():
        store.run("INSERT INTO users (name, role, password_hash, created_at, changed_at, disabled_at) "
                  "VALUES (?, ?, ?, ?, ?, ?)", ("lee", "desk", "not-a-hash", "2026-11-28T17:30:00.123456Z",
                                                "2026-11-28T17:30:00.000000Z", None))
        store.run("DELETE FROM procure_schema WHERE version >= ?", (moments.version,))  # as before 0012
    with open_register(desk.target) as store:
        assert store.schema_version == latest.version
        assert tuple(store.one("SELECT created_at, changed_at, disabled_at FROM users WHERE name = 'lee'")) == (
            "2026-11-28T17:30:00.123456+00:00", "2026-11-28T17:30:00+00:00", None)
        user = find_user(store, "LEE")
        assert user is not None and user.created_at == MOMENT and user.disabled_at is None
        session = start_session(store, "lee")
        assert session_user(store, session) == "lee"
