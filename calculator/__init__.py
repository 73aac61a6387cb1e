"""anzhi (安置): a policy-driven calculator for shantytown redevelopment relocation settlements."""
from .lazy import lazy_exports

# Loaded on first use, so that `python -m calculator --help` and a `quote` do not pay for what they never touch.
_LAZY = {
    "InputError": "errors", "InputErrors": "errors", "Household": "household", "LoadedPolicy": "policy",
    "PolicyError": "policy", "load_policy": "policy", "Quote": "result", "Settlement": "settlement",
    "quote": "settlement", "quote_household": "settlement", "settle_frame": "settlement",
}
__all__ = list(_LAZY)
__getattr__ = lazy_exports(__name__, globals(), _LAZY)
