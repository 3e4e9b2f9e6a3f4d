"""vpt_monitor: the indicators of the Dutch "Monitor Integriteit en Veiligheid".

The monitor measures how often civil servants and political office holders meet aggression
and violence, whether they report it, what it does to them, how they see integrity around
them, and how mature their organisations' policies are. This package recomputes and extends
those indicators from survey microdata with design-based confidence intervals.

The generic statistics live in :mod:`vpt_monitor.stats`.
"""

from vpt_monitor import stats
from vpt_monitor.stats import ConfidenceInterval

__version__ = "0.1.0"

__all__ = ["ConfidenceInterval", "__version__", "stats"]
