"""Printable documents for residents: settlement statements (PDF) and public notices (xlsx, PDF)."""
from .fonts import FontMissing, cjk_font, font_status
from .masking import mask_id_number, mask_name
from .notice import Notice, build_notice
from .notice_pdf import notice_pdf
from .notice_xlsx import notice_xlsx
from .statement_pdf import statement_pdf

__all__ = ["FontMissing", "Notice", "build_notice", "cjk_font", "font_status", "mask_id_number", "mask_name",
           "notice_pdf", "notice_xlsx", "statement_pdf"]
