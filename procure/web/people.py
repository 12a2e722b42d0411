"""The signed-in user as the person a quote and its e-mail come from: "Prepared by" on the quotes they issue and
the From and Reply-To of what they send, falling back to the profile's preparer.

A user with a full name prepares in their own name (with their title, phone and e-mail); a user without one
leaves the profile's preparer as it is. The profile a quote is issued with is stored with it, so the one the
user prepared under is stored: its `[preparer]` table rewritten, the rest of the file byte for byte.
"""

import json
import re

from procure.core.errors import ProcureError
from procure.core.profile import Preparer, Profile, read_profile
from procure.register.accounts import User
from procure.register.issuing import Source

TABLE = re.compile(r"^\s*\[\s*(\"?)preparer\1\s*\]")
ANY_TABLE = re.compile(r"^\s*\[")


def preparer_of(user: User | None, profile: Profile | None) -> Preparer | None:
    """Who prepares a quote the user issues: the user when they have a full name, else the profile's preparer."""
    if user is not None and user.full_name:
        return Preparer(name=user.full_name, title=user.title, phone=user.phone, email=user.email)
    return profile.preparer if profile else None


def sender_profile(user: User | None, profile: Profile | None) -> Profile | None:
    """The profile an e-mail the user sends is composed with: From and Reply-To the user's when they have an
    e-mail, else the preparer's."""
    if profile is None or user is None or not user.email:
        return profile
    return profile._replace(preparer=Preparer(name=user.full_name or user.name, title=user.title,
                                              phone=user.phone, email=user.email))


def prepared_by(source: Source, user: User | None) -> Source:
    """The source of a quote the user issues, its profile's preparer the user's (profile and stored bytes)."""
    profile, data = source.profile, source.profile_bytes
    preparer = preparer_of(user, profile)
    if profile is None or data is None or preparer == profile.preparer or preparer is None:
        return source
    text = _with_preparer(data.decode("utf-8"), preparer)
    try:
        rewritten = read_profile(text=text, name=source.profile_name or profile.name)
    except ProcureError:
        return source  # a profile this cannot rewrite keeps its own preparer
    if rewritten.preparer != preparer:
        return source
    return source._replace(profile=rewritten, profile_bytes=text.encode("utf-8"))


def _with_preparer(text: str, preparer: Preparer) -> str:
    """Profile TOML `text` with its `[preparer]` table replaced by `preparer`'s (placed last)."""
    kept, inside = [], False
    for line in text.splitlines():
        if TABLE.match(line):
            inside = True
        elif ANY_TABLE.match(line):
            inside = False
        if not inside:
            kept.append(line)
    values = [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in preparer._asdict().items()
              if value]
    return "\n".join([*kept, "", "[preparer]", *values]).strip("\n") + "\n"
