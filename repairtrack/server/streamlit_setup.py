"""Streamlit's settings for the dashboard, applied through `streamlit.config` before the `st.App` is built
(the server runs the dashboard in its own process; there is no `streamlit run`).

- The light theme's accent and text colors are darker than Streamlit's defaults so that captions,
  shortcut hints and selected options read at WCAG AA contrast (4.5:1; checked by axe-core in
  tests/dashboard/test_browser_walk.py).
- The server does not watch source files (nothing is edited under a running dashboard, and a re-import
  of a changed module would register the domain's event classes twice).
- An unexpected error never shows a traceback to the couple; no usage statistics; headless.

`dashboard/app.py` declares its pages with `st.navigation`. Streamlit still honours an older
convention: a folder named `pages/` beside the entry script is a list of auto-discovered pages until
`st.navigation` has run once, so a first request naming a page (say `/log`) would run that page alone,
without the app's navigation and set-up. Telling Streamlit up front that the folder is not such a list
avoids that.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path
from typing import Any, Final

SETTINGS: Final[dict[str, Any]] = {
    "theme.light.primaryColor": "#b3303f",  # 5:1 on its own 10 % tint (selected options), 6:1 under white
    "theme.light.textColor": "#141312",  # its 60 % shade (captions, hints) stays above 4.5:1
    "server.fileWatcherType": "none",
    "server.runOnSave": False,
    "server.headless": True,
    "client.showErrorDetails": "none",  # an unexpected error never shows a traceback to the couple
    "client.toolbarMode": "minimal",
    "browser.gatherUsageStats": False,
    "global.developmentMode": False,
}


def dashboard_script() -> Path | None:
    """`dashboard/app.py` where the dashboard package is installed (found, not imported: nothing
    outside the dashboard imports it)."""
    spec = find_spec("dashboard")
    places = list(spec.submodule_search_locations or []) if spec else []
    return next((Path(p) / "app.py" for p in places if (Path(p) / "app.py").is_file()), None)


def configure(
    *, host: str, port: int, tls_cert: Path | None, tls_key: Path | None, cookie_secret: str | None = None
) -> None:
    """Apply SETTINGS (and where we listen) to Streamlit's configuration, once, before `st.App`; with
    external sign-in, the secret that signs Streamlit's cookies (`repairtrack.server.oidc`)."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import bootstrap

    options: dict[str, Any] = {**SETTINGS, "server.address": host, "server.port": port}
    if tls_cert is not None and tls_key is not None:
        options |= {"server.sslCertFile": str(tls_cert), "server.sslKeyFile": str(tls_key)}
    if cookie_secret is not None:
        options["server.cookieSecret"] = cookie_secret
    bootstrap.load_config_options(options)
    PagesManager.uses_pages_directory = False
