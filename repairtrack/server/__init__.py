"""The web server of `repairtrack dashboard` (SPEC sections 8 and 9): Streamlit's `st.App` serving
`dashboard/app.py`, the sign-in routes (`auth`), the HTTP API (`api`, described by `openapi`), TLS and a
trusted reverse proxy (`options`), run by uvicorn (`app.serve`)."""
