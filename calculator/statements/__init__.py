"""Printable documents for residents: settlement statements (PDF) and public notices (xlsx, PDF)."""
from ..lazy import lazy_exports

# reportlab and xlsxwriter load on first use: registering the document commands costs nothing.
_LAZY = {
    "FontMissing": "fonts", "cjk_font": "fonts", "font_status": "fonts", "mask_id_number": "masking",
    "mask_name": "masking", "Notice": "notice", "build_notice": "notice", "notice_pdf": "notice_pdf",
    "notice_xlsx": "notice_xlsx", "statement_pdf": "statement_pdf",
}
__all__ = list(_LAZY)
__getattr__ = lazy_exports(__name__, globals(), _LAZY)
