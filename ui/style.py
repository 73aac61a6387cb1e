"""Page CSS: money columns aligned right, and a clean printed quote (no sidebar, toolbar or input widgets)."""
from __future__ import annotations

import streamlit as st

CSS = """
<style>
.anzhi-table { width: 100%; border-collapse: collapse; font-size: 0.95rem; }
.anzhi-table th { text-align: left; border-bottom: 2px solid #888; padding: 6px 8px; white-space: nowrap; }
.anzhi-table td { border-bottom: 1px solid #ddd; padding: 6px 8px; vertical-align: top; }
.anzhi-table td:first-child { min-width: 9em; }
/* Less empty space above the page title on a laptop screen. */
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
/* Amount columns are right-aligned so the decimals line up. */
.anzhi-table .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
/* Clauses are there to check against the text, in small print. */
.anzhi-table td.src { font-size: 0.8rem; color: #555; min-width: 12rem; overflow-wrap: anywhere; }
.anzhi-capital { font-size: 1.15rem; letter-spacing: 0.05em; }
.anzhi-total td { font-weight: 700; border-top: 2px solid #444; }
.anzhi-after td { color: #555; }
@media print {
  /* Browser print of the quote page: only the result, on white, without the app's chrome. */
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDecoration"], [data-testid="stStatusWidget"], .st-key-quote_inputs,
  .st-key-no_print, [data-testid="stDownloadButton"], [data-testid="stBaseButton-secondary"] { display: none !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
  /* the inputs' column goes, and the result column takes the whole width */
  [data-testid="stColumn"]:has(.st-key-quote_inputs) { display: none !important; }
  [data-testid="stColumn"] { width: auto !important; flex: 1 1 0 !important; min-width: 0 !important; }
  .stApp { background: white !important; }
  table { page-break-inside: auto; } tr { page-break-inside: avoid; }
}
</style>
"""


def inject_css() -> None:
    st.html(CSS)
