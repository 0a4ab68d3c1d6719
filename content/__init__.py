"""Content as data: Markdown files with front matter, and the pure-Python code that reads them.

The folders hold the words (``guidance/``: the guidance library; ``observations/``: the counselor report's
"what needs attention" sentences), each file with the condition on the metrics that brings it up. The
modules, each one job: ``frontmatter`` (the strict front matter block), ``schema`` (how a schema of facts is
written), ``facts`` (the derived facts), ``syntax`` and ``conditions`` (the condition language: parse, check,
evaluate), ``templates`` (reasons and sentences filled from the facts), ``pieces`` (what every kind of
piece file shares), ``library`` (guidance pieces) and ``observations``. The package imports only the
standard library: the schema of the metrics object is passed in by the caller
(``projections.schema.METRICS_SCHEMA``).
"""

from pathlib import Path

CONTENT_DIR = Path(__file__).parent
GUIDANCE_DIR = CONTENT_DIR / "guidance"
OBSERVATIONS_DIR = CONTENT_DIR / "observations"
