"""Admin login lockout with a limit per lockout parameter set (django-axes' handler, extended).

django-axes compares one AXES_FAILURE_LIMIT with the largest failure count among
AXES_LOCKOUT_PARAMETERS. We count per user name and address (AXES_FAILURE_LIMIT) and per
address alone (AXES_ADDRESS_FAILURE_LIMIT, higher: a newsroom shares one address), so that
password spraying (many user names, few guesses each) from one address is locked out too.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def failure_limit(parameters: str | list[str]) -> int:
    """The failures that lock out one parameter set: the address alone has its own limit."""
    if parameters in ("ip_address", ["ip_address"]):
        return settings.AXES_ADDRESS_FAILURE_LIMIT
    return settings.AXES_FAILURE_LIMIT


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures axes compares with AXES_FAILURE_LIMIT: each set's count moved by the
        difference of the limits, so that it reaches AXES_FAILURE_LIMIT when the set reaches
        its own limit."""
        sets = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        counts = [a.aggregate(n=Sum("failures_since_start"))["n"] or 0 for a in attempts]
        return max(
            0,
            *(
                count + settings.AXES_FAILURE_LIMIT - failure_limit(parameters)
                for count, parameters in zip(counts, sets, strict=True)
            ),
        )

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A right password clears that user's failures from this address only: a sprayer who
        knows one password must not wipe the address's count."""
        username = get_client_username(request, credentials)
        mine = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address)
        count, _ = mine.delete()
        return count
