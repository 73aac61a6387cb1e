"""The Streamlit front end's pages and view helpers; it renders results and recomputes nothing."""
