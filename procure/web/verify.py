"""The verify page: which quote and revision each uploaded file is, and its status, or that this register did
not issue it (the same lookup as `procure quote verify`)."""

import datetime

from flask import Blueprint, render_template, request

from procure.register.verify import lookup
from procure.web.db import store
from procure.web.security import MAX_FILES, TOO_MANY_FILES
from procure.web.uploads import file_name

bp = Blueprint("verify", __name__)


@bp.route("/verify", methods=["GET", "POST"])
def verify():
    if request.method == "GET":
        return render_template("verify.html", verdicts=None, problem=None)
    sent = [f for f in request.files.getlist("files") if f.filename]
    if not sent:
        return render_template("verify.html", verdicts=None, problem="Files to verify: choose one or more files"), 422
    if len(sent) > MAX_FILES:
        return render_template("verify.html", verdicts=None,
                               problem=f"Files to verify: {len(sent):,} files sent. {TOO_MANY_FILES}"), 422
    today = datetime.date.today()
    verdicts = [lookup(store(), file_name(f.filename or ""), f.read(), today) for f in sent]
    return render_template("verify.html", verdicts=verdicts, problem=None)
