"""What a session holds across pages: the policy in use (a file in policies/ or an upload) and page inputs."""
from __future__ import annotations

import streamlit as st

from calculator.policy import DEFAULT_POLICY, LoadedPolicy, PolicyError, available_policies, load_policy

UPLOADED = "__uploaded__"  # the policy choice that means "the file uploaded in this session"
KEEP_PREFIXES = ("q_", "policy_choice")  # widget keys whose values survive a page switch (see keep_inputs)


def policy_choices() -> list[str]:
    choices = available_policies()
    if st.session_state.get("uploaded_policy") is not None:
        choices.append(UPLOADED)
    return choices


def current_policy() -> LoadedPolicy:
    """The policy this session uses: the uploaded one if chosen, else a file in policies/ (default tahe)."""
    choice = st.session_state.get("policy_choice", DEFAULT_POLICY)
    if choice == UPLOADED and st.session_state.get("uploaded_policy") is not None:
        return st.session_state["uploaded_policy"]
    try:
        return load_policy(choice)
    except PolicyError as exc:
        # A broken file in policies/ must not stop the counter: fall back, and say why (sidebar, policy page).
        st.session_state["policy_choice"] = DEFAULT_POLICY
        st.session_state["policy_fallback"] = (choice, exc.problems)
        return load_policy(DEFAULT_POLICY)


def keep_inputs() -> None:
    """Streamlit forgets a widget's value when its page is not shown; re-storing the value keeps the
    counter's inputs when the clerk looks at the policy page and comes back."""
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(KEEP_PREFIXES):
            st.session_state[key] = st.session_state[key]
