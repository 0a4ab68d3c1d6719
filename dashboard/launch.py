"""`python -m dashboard.launch [repairtrack dashboard options]`: the same as `repairtrack dashboard`.

The dashboard is no longer started with `streamlit run`: `repairtrack.server` serves it as Streamlit's
`st.App` under uvicorn, beside the sign-in routes and the HTTP API, and applies the dashboard's
Streamlit settings (`repairtrack.server.streamlit_setup.SETTINGS`) through `streamlit.config`.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> None:
    from repairtrack.cli import main as cli_main

    cli_main(["dashboard", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
