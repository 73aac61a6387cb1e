"""anzhi (安置): a policy-driven calculator for shantytown redevelopment relocation settlements."""
from .errors import InputError, InputErrors
from .household import Household
from .policy import LoadedPolicy, PolicyError, load_policy
from .result import Quote
from .settlement import Settlement, quote, quote_household, settle_frame

__all__ = ["InputError", "InputErrors", "Household", "LoadedPolicy", "PolicyError", "load_policy", "Quote",
           "Settlement", "quote", "quote_household", "settle_frame"]
