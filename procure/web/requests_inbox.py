"""The desk's Requests inbox (`/requests`): what officers sent through their facility's link, each checked as
`procure plan` checks a request, with "Prepare quote" opening it in the desk's editor. Nothing is issued by itself."""

from flask import Blueprint, abort, current_app, render_template

from procure.core.errors import ProcureError, RegisterError
from procure.register.accounts import DESK
from procure.register.customer_side import Received, inbox, received as received_request
from procure.register.facility_directory import directory_of
from procure.web.auth import require
from procure.web.db import store
from procure.web.uploads import Upload, source_of

bp = Blueprint("requests", __name__)


def checked(received: Received) -> tuple[Upload, list[str], list]:
    """The request as the editor takes it, the problems that stop it being read, and its findings."""
    from procure.web.new import plan

    upload = Upload(received.request_name, received.request_bytes)
    try:
        order = plan(source_of(upload, None, current_app.config["PROCURE_SETTINGS"], directory_of(store())))
    except RegisterError:
        raise
    except ProcureError as e:
        return upload, list(e.problems), []
    return upload, [], list(order.findings)


@bp.get("/requests")
@require(DESK)
def listing():
    rows = [(received, *checked(received)) for received in inbox(store())]
    return render_template("requests.html", rows=rows)


@bp.post("/requests/<int:request_id>/prepare")
@require(DESK)
def prepare(request_id):
    """"Prepare quote": the request opened in the desk's editor, its bad values marked; nothing is issued."""
    from procure.web.new import load_into_editor

    found = received_request(store(), request_id)
    if found is None:
        abort(404)
    return load_into_editor(Upload(found.request_name, found.request_bytes))
