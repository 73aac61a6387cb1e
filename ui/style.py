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
/* A formula breaks only between its factors; the note of a floor, cap or tier sits below it. */
.anzhi-factor { white-space: nowrap; }
.anzhi-note { font-size: 0.8rem; color: #8a4b00; margin-top: 2px; }
/* The clause of a line, under its label, in small print to check against the text. */
.anzhi-sub { font-size: 0.8rem; color: #555; margin-top: 2px; overflow-wrap: anywhere; }
.anzhi-items td:first-child { width: 38%; }
.anzhi-items td:nth-child(2) { width: 50%; }
.anzhi-items td.num { width: 1%; }
/* A wide table (the comparison) scrolls sideways on a narrow screen instead of being cut off. */
.anzhi-scroll { overflow-x: auto; max-width: 100%; }
.anzhi-phone-only { display: none; }
.anzhi-print-only { display: none; }
/* The heating fee is not part of the settlement: ordinary type in its own box, never headline figures. */
.st-key-quote_heating .anzhi-table { font-size: 0.85rem; }
.st-key-quote_inputs h3 { font-size: 1.5rem; white-space: nowrap; }
/* Three totals side by side in a narrow column: a smaller figure rather than one cut short with "…". */
.st-key-quote_totals [data-testid="stColumn"] [data-testid="stMetricValue"] { font-size: 1.6rem; }
/* A resident's own file is read on a phone: one column in large type. */
.st-key-resident [data-testid="stMarkdown"] p, .st-key-resident [data-testid="stMarkdown"] li {
  font-size: 1.05rem; line-height: 1.55; }
/* To pay, paid, still to pay: side by side even on a phone, each figure large. */
.st-key-resident_totals [data-testid="stHorizontalBlock"] { flex-wrap: nowrap !important; gap: 0.5rem; }
.st-key-resident_totals [data-testid="stColumn"] { min-width: 0 !important; width: auto !important; flex: 1 1 0 !important; }
.st-key-resident_totals [data-testid="stMetricValue"], .st-key-resident_totals [data-testid="stMetricValue"] * {
  font-size: 1.3rem !important; }
.st-key-resident .anzhi-table { font-size: 1rem; }
.st-key-resident [data-testid="stDownloadButton"] button { min-height: 3rem; }
.st-key-resident [data-testid="stDownloadButton"] button p { font-size: 1.05rem; }
@media (min-width: 641px) and (max-width: 1500px) {
  /* A laptop screen: less margin beside the page, more room for the breakdown. */
  [data-testid="stMainBlockContainer"] { padding-left: 2.5rem; padding-right: 2.5rem; }
}
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-left: 0.75rem; padding-right: 0.75rem; padding-top: 3.5rem; }
  /* A resident's phone: the result first; the inputs (a fold-away box) below it. */
  [data-testid="stColumn"]:has(.st-key-quote_result) { order: -1; }
  .st-key-quote_intro { display: none; }
  h1 { font-size: 1.6rem !important; padding-bottom: 0 !important; }
  .anzhi-table { font-size: 0.9rem; }
  .anzhi-table td:first-child { min-width: 6em; }
  .anzhi-table td.src { min-width: 0; }
  /* On a phone each line item is a card: label and amount on top, the clause, then the formula. */
  .anzhi-items thead { display: none; }
  .anzhi-items, .anzhi-items tbody { display: block; width: 100%; }
  .anzhi-items tr { display: grid; grid-template-columns: 1fr auto; column-gap: 8px;
                    border-bottom: 1px solid #ddd; padding: 6px 0; }
  .anzhi-items td { display: block; border: none; padding: 1px 2px; min-width: 0 !important; width: auto !important; }
  .anzhi-items td:empty { display: none; }
  .anzhi-items td:nth-child(1) { grid-column: 1; grid-row: 1; font-weight: 600; }
  .anzhi-items .anzhi-sub { font-weight: 400; }
  .anzhi-items td:nth-child(3) { grid-column: 2; grid-row: 1; }
  .anzhi-items td:nth-child(2) { grid-column: 1 / span 2; }
  .anzhi-items tr.anzhi-total { border-top: 2px solid #444; }
  .anzhi-items tr.anzhi-total td { border-top: none; }
  /* The comparison keeps every column: it scrolls sideways with the item names held in place. */
  .anzhi-compare { font-size: 0.8rem; }
  .anzhi-compare th, .anzhi-compare td { padding: 5px 6px; }
  .anzhi-compare th:first-child, .anzhi-compare td:first-child { position: sticky; left: 0; background: #fff;
                                                                z-index: 1; box-shadow: 2px 0 2px -1px #ccc; }
  .anzhi-phone-only { display: block; font-size: 0.8rem; color: #555; margin: 0; }
}
@media print {
  /* Browser print of the quote page: the result on one A4 page (the comparison on a second, when asked for),
     on white, without the app's chrome, the inputs or buttons; with the date and signature lines. */
  @page { size: A4; margin: 10mm 12mm 12mm 12mm; }
  html { font-size: 11px !important; }
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], [data-testid="stSidebarCollapsedControl"], .st-key-quote_inputs, .st-key-no_print,
  .st-key-quote_intro,
  [data-testid="stDownloadButton"], [data-testid="stBaseButton-secondary"],
  [data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"], .stVegaLiteChart { display: none !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
  [data-testid="stAppViewContainer"], [data-testid="stMain"] { overflow: visible !important; position: static !important; }
  /* the inputs' column goes, and the result column takes the whole width */
  [data-testid="stColumn"]:has(.st-key-quote_inputs) { display: none !important; }
  [data-testid="stColumn"] { width: auto !important; flex: 1 1 0 !important; min-width: 0 !important; }
  .stApp { background: white !important; }
  h1 { font-size: 1.6rem !important; padding: 0 0 0.2rem 0 !important; }
  h2, h3 { font-size: 1.15rem !important; padding: 0.4rem 0 0.1rem 0 !important; break-after: avoid; }
  [data-testid="stVerticalBlock"] { gap: 0.35rem !important; }
  [data-testid="stMetricValue"] { font-size: 1.6rem !important; }
  .anzhi-table { font-size: 0.9rem; }
  .anzhi-table td, .anzhi-table th { padding: 2px 6px; }
  [data-testid="stAlert"] { padding: 0.3rem 0.6rem !important; }
  table { page-break-inside: auto; } tr, [data-testid="stAlert"], .anzhi-sign { break-inside: avoid; }
  .st-key-quote_compare { display: none !important; }
  .st-key-quote_compare_printed { break-before: page; }
  .anzhi-print-only { display: block !important; }
  .anzhi-sign { margin-top: 0.8rem; font-size: 1rem; }
  .anzhi-sign table { width: 100%; margin-top: 1.6rem; }
  .anzhi-sign td { padding-right: 1rem; white-space: nowrap; }
}
</style>
"""


def inject_css() -> None:
    st.html(CSS)
