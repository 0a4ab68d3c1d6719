"""Export: choose the period and the options, make the counselor bundle, preview the report, download the
zip. The bundle is made by `repairtrack.services.export` (the same code as `repairtrack export`); this
page only lays it out."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import streamlit as st

from dashboard.components import chrome, report_bundle, who
from dashboard.store import couples
from repairtrack.services.export import ExportOptions, ExportRefused

MADE = "export:made"  # the last bundle made in this session: {couple, filename, zip, html, summary}
PERIOD_ENDS = (  # the two days of the form: (key, label, help)
    ("from", "First day", "Leave empty to start with your first week of entries."),
    ("to", "Last day", "The figures are taken at the end of this day. Leave empty for up to now."),
)
REFUSALS = {
    "period.reversed": "The first day comes after the last day. Please swap them.",
    "date.future": "The last day is still to come. Please choose today or an earlier day.",
}

chrome.show(key="chrome")
found, _partner, actor = who.required()
today = datetime.now(ZoneInfo(found.timezone)).date()

st.title("Export for your counselor")
st.write(
    "One zip file to hand to your counselor: a report to read (as a web page and as a PDF) and the data "
    "it was made from. Private notes never leave the app; other notes only if you include them."
)

with st.form("export:form", border=True):
    first, last, window = st.columns(3)
    from_day, to_day = (
        column.date_input(label, value=None, max_value=today, key=f"export:{end}", help=help_text)
        for column, (end, label, help_text) in zip((first, last), PERIOD_ENDS, strict=True)
    )
    window_days = window.number_input(
        "Window (days)",
        min_value=1,
        max_value=365,
        value=28,
        step=1,
        key="export:window",
        help="The headline figures cover this many days up to the end of the period.",
    )
    include_notes = st.checkbox(
        "Include notes",
        key="export:notes",
        help="Notes you both can see, and the reasons given for taking entries back. Private notes never.",
    )
    pseudonymize = st.checkbox(
        "Replace our names",
        key="export:pseudonymize",
        help='Every file then says "Partner A" and "Partner B" (A registered first) instead of your names, '
        "also inside notes, topics and promises.",
    )
    submitted = st.form_submit_button("Make the bundle", type="primary", icon=":material/folder_zip:")

if submitted:
    options = ExportOptions(
        couple=found.handle,
        from_day=from_day if isinstance(from_day, date) else None,
        to_day=to_day if isinstance(to_day, date) else None,
        window_days=int(window_days),
        include_notes=include_notes,
        pseudonymize=pseudonymize,
    )
    try:
        with st.spinner("Making the report and the PDF…", show_time=True):
            bundle = couples().export(actor, found.handle, options)
    except ExportRefused as refused:
        st.session_state.pop(MADE, None)
        message = REFUSALS.get(refused.code, f"That does not work: {refused.detail}.")
        st.error(message, icon=":material/error:")
    else:
        st.session_state[MADE] = {**report_bundle.kept(bundle, found.handle), "summary": bundle.summary()}

made = st.session_state.get(MADE)
if made is not None and made["couple"] == found.handle:
    st.success(made["summary"], icon=":material/check_circle:")
    report_bundle.download(made, key="export:download")
    st.caption(
        "The zip holds report.html, report.pdf, metrics.json, weekly.csv, weekly.parquet, events.jsonl, "
        "csi4.fhir.json and a README.txt that explains each of them."
    )
    st.header("Preview of the report")
    report_bundle.preview(made)
else:
    st.caption("Choose the period and press “Make the bundle”; the report then shows here for a look first.")
