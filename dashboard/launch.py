"""`python -m dashboard.launch [streamlit options]`: Streamlit on `dashboard/app.py`, as `repairtrack
dashboard` starts it.

`app.py` declares its pages with `st.navigation`. Streamlit still honours an older convention: a folder
named `pages/` beside the entry script is a list of auto-discovered pages until `st.navigation` has run
once, so a first request naming a page (say `/log`) would run that page alone, without the app's
navigation and set-up. Telling Streamlit up front that the folder is not such a list avoids that.

The web server under Streamlit (uvicorn) would by default take a client's address from
`X-Forwarded-For` when the peer is this machine; we trust no proxy (SPEC section 8), so the address the
access gate throttles is always the socket's peer.

`SETTINGS` come first, so options given on the command line still win: the light theme's accent and
text colors are darker than Streamlit's defaults so that captions, shortcut hints and selected options
read at WCAG AA contrast (4.5:1; checked by axe-core in tests/dashboard/test_browser_walk.py), and the
server does not watch source files (nothing is edited under a running dashboard, and a re-import of a
changed module would register the domain's event classes twice).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
SETTINGS = {
    "theme.light.primaryColor": "#b3303f",  # 5:1 on its own 10 % tint (selected options), 6:1 under white
    "theme.light.textColor": "#141312",  # its 60 % shade (captions, hints) stays above 4.5:1
    "server.fileWatcherType": "none",
    "client.showErrorDetails": "none",  # an unexpected error never shows a traceback to the couple
}


def main(argv: list[str]) -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    os.environ["FORWARDED_ALLOW_IPS"] = ""  # no trusted proxy: X-Forwarded-For never names the client
    sys.argv = [
        "streamlit",
        "run",
        str(APP),
        *(f"--{name}={value}" for name, value in SETTINGS.items()),
        *argv,
    ]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
