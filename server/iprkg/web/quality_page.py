"""The data-quality page at ``/quality``: per council, what the data know, what is
unknown, what is uncertain and what rests only on weaker sources, and what to add.

The report is ``services.quality``'s, read from the served store and named by the app's
labels, with dates as the pages say them; ``iprkg validate --report`` prints the same
report of the sources before they are built. The page speaks nb or en (``?lang=``, as
every page) and names things by label; what to add is said in plain words, without the
Turtle the command line shows.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from iprkg.services.quality import HEADINGS, KINDS, read_quality, summary
from iprkg.web.context import current_labels, current_store
from iprkg.web.dates import readable_date

blueprint = Blueprint("quality", __name__)


@blueprint.route("/quality")
def quality_page() -> str:
    """The data-quality report of the served data, grouped by council."""
    report = read_quality(current_store(), current_labels(), readable_date)
    return render_template(
        "quality/quality.html",
        report=report,
        kinds=KINDS,
        headings=HEADINGS,
        summary=summary(report),
    )
