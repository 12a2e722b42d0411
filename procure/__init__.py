"""procure: turn a DoD facility's iovera° treatment plan into a priced DLA ECAT order.

The Python API (the command line is an adapter over it; see docs/architecture.md)::

    import procure
    catalog = procure.shipped_catalog()                 # or procure.load_catalog(folder)
    request = procure.read_request("request.toml")      # or a filled form.xlsx, or text=..., name=...
    prices  = procure.read_price_list("prices.csv")     # or text=... (CSV), data=... (XLSX), name=...
    order   = procure.build_order(request, catalog, prices=prices)
    files   = procure.render(order)                     # {".xlsx": bytes, ".pdf": bytes, ".txt": bytes, ".html": bytes}
    procure.write_outputs(order, "out", force=False)

Names are imported on first use, so `import procure` stays cheap for the light commands.
"""

import importlib

__version__ = "0.2.0"

_WHERE = {
    "shipped_catalog": "procure.core.catalog_reader", "load_catalog": "procure.core.catalog_reader",
    "read_request": "procure.inputs", "read_price_list": "procure.core.prices",
    "price_list_for": "procure.core.prices", "build_order": "procure.core.build",
    "render": "procure.renderers.outputs", "write_outputs": "procure.renderers.outputs",
    "read_profile": "procure.core.profile", "profile_for": "procure.core.profile", "Profile": "procure.core.profile",
    "Catalog": "procure.core.catalog", "CatalogVersion": "procure.core.catalog", "Request": "procure.core.request",
    "PriceList": "procure.core.prices", "Order": "procure.core.order", "Finding": "procure.core.findings",
    "ProcureError": "procure.core.errors", "InputError": "procure.core.errors", "CatalogError": "procure.core.errors",
    "RuleError": "procure.core.errors", "RegisterError": "procure.core.errors",
    "open_register": "procure.register", "NotInForce": "procure.core.errors", "OrderHasErrors": "procure.core.errors",
}

__all__ = ["__version__", *_WHERE]


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'procure' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(__all__)
