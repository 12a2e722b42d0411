"""The register's backup as a download (admins only): the same consistent SQLite copy as `procure register backup`.

The copy is made in a temporary folder and sent from a file already unlinked, so a large register is streamed
from disk, and nothing is left behind however the download ends.
"""

import datetime
import tempfile
from pathlib import Path

from flask import Blueprint, send_file

from procure.register.accounts import ADMIN
from procure.register.copying import backup_register
from procure.web.auth import require
from procure.web.db import store

bp = Blueprint("backup", __name__)


@bp.post("/backup")
@require(ADMIN)
def download():
    name = f"procure-register-{datetime.date.today().isoformat()}.sqlite"
    with tempfile.TemporaryDirectory(prefix="procure-backup-") as folder:
        path = Path(folder) / name
        backup_register(store(), path)
        kept = path.open("rb")
    return send_file(kept, mimetype="application/vnd.sqlite3", as_attachment=True, download_name=name)
