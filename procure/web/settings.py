"""What a worker of the web desk loads once, never per request: the catalog, the price list, the profile.

Each comes from the arguments of `create_app`, else from the environment
(PROCURE_REGISTER, PROCURE_PROFILE, PROCURE_PRICES, PROCURE_CATALOG), as the
command line reads them; a file that cannot be read stops the start with the
command line's message.
"""

import os
from pathlib import Path

from procure.core.catalog import Catalog
from procure.core.catalog_reader import load_catalog
from procure.core.prices import PriceList, read_price_list
from procure.core.profile import Profile, find_profile, read_profile
from procure.core.record import Record
from procure.core.user_files import read_bytes


class Settings(Record):
    register: str | None
    """The register target as given (an SQLite path or a postgresql:// URL); None for the default file."""
    catalog: Catalog
    prices: PriceList | None
    prices_bytes: bytes | None
    profile: Profile | None
    profile_name: str | None
    profile_bytes: bytes | None
    https_only: bool


def load_settings(register=None, profile=None, prices=None, catalog=None, https_only=False) -> Settings:
    """The settings of a worker, from the arguments, else the environment."""
    register = register if register is not None else os.environ.get("PROCURE_REGISTER") or None
    prices = prices if prices is not None else os.environ.get("PROCURE_PRICES") or None
    catalog = catalog if catalog is not None else os.environ.get("PROCURE_CATALOG") or None
    profile_file = find_profile(profile)
    return Settings(
        register=register, catalog=load_catalog(catalog),
        prices=read_price_list(prices) if prices else None,
        prices_bytes=read_bytes(Path(prices), "price list", 20_000_000) if prices else None,
        profile=read_profile(profile_file) if profile_file else None,
        profile_name=os.path.basename(profile_file) if profile_file else None,
        profile_bytes=read_bytes(profile_file, "profile") if profile_file else None,
        https_only=https_only)
