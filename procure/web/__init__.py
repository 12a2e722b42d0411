"""The desk in a browser: a Flask application over the quote register, every page but sign-in behind a sign-in.

`create_app(...)` makes the application; `procure serve` runs it with waitress,
and a team runs it under gunicorn (`gunicorn -w 4 'procure.web:create_app()'`),
the settings then coming from PROCURE_REGISTER, PROCURE_PROFILE, PROCURE_PRICES
and PROCURE_SECRET_KEY. Modules, one job each:

- `app`: the factory; `settings`: what a worker loads once (catalog, price list, profile);
- `db`: the register each request uses; `security`: CSRF, cookies, headers, upload cap; `error_pages`: what a
  failed request answers;
- `auth`: sign-in, sign-out, who is signed in and what their role lets them do;
- `quotes`, `new`, `verify`, `catalog`, `customers`, `users`: the pages of each area;
- `sending`: Send, Mark as sent and the Due page; `reports`: the register report to download;
- `people`: the signed-in user as a quote's preparer and an e-mail's sender; `readiness`: why Issue would refuse;
- `uploads`: uploaded files read in memory through the same readers as the command line;
- `editor`: the request editor's fields, to and from a request's TOML text; `quote_view`: a quote rebuilt for its page.
"""

from procure.web.app import create_app

__all__ = ["create_app"]
