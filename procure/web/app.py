"""The application factory: settings loaded once, the register opened per thread, the pages registered.

`create_app()` without arguments reads its settings from the environment, so that
`gunicorn -w 4 'procure.web:create_app()'` runs the same desk `procure serve` runs.
The secret key that signs sessions is PROCURE_SECRET_KEY, else the one kept in the
register (made on first start), so every worker of a team shares it. On a practice
register (`procure serve --demo`) every page says PRACTICE (`db.is_practice`).
"""

import os

from flask import Flask

from procure.web.settings import load_settings


def create_app(register=None, profile=None, prices=None, secret_key=None, *, catalog=None, https_only=None,
               testing=False) -> Flask:
    """The web desk over the register `register` (else PROCURE_REGISTER) with its price list and profile."""
    from procure.register import open_register
    from procure.register.accounts import secret_key as kept_key
    from procure.register.sessions import LIFETIME
    from procure.web import (
        auth,
        backup,
        catalog_page,
        customer_links,
        customer_pages,
        new,
        quotes,
        reports,
        requests_inbox,
        sending,
        user_pages,
        verify,
    )
    from procure.web.db import init_db
    from procure.web.error_pages import init_error_pages
    from procure.web.portal import init_portal
    from procure.web.portal_actions import bp as portal_pages
    from procure.web.security import init_security
    from procure.web.templating import init_templates

    if https_only is None:
        https_only = os.environ.get("PROCURE_HTTPS_ONLY", "") not in ("", "0", "false", "no")
    settings = load_settings(register, profile, prices, catalog, https_only)
    app = Flask(__name__)
    secret = secret_key or os.environ.get("PROCURE_SECRET_KEY")
    if not secret:
        with open_register(settings.register) as opened:
            secret = kept_key(opened)
    app.config.update(SECRET_KEY=secret, PROCURE_SETTINGS=settings, TESTING=testing,
                      PERMANENT_SESSION_LIFETIME=LIFETIME)
    init_security(app, https_only)
    init_error_pages(app)
    init_db(app)
    init_templates(app)
    for module in (auth, quotes, new, verify, catalog_page, customer_pages, customer_links, user_pages, requests_inbox,
                   sending, reports, backup):
        app.register_blueprint(module.bp)
    init_portal(app, portal_pages)

    @app.get("/healthz")
    def healthz():
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}

    @app.get("/")
    def home():
        from flask import redirect, url_for

        return redirect(url_for("quotes.listing"))

    return app
