"""Page 批量测算 (batch run): placeholder until calculator.batch lands."""
import streamlit as st

from ui.i18n import t

if __name__ == "__main__":
    st.title(t("b.title"))
