"""Monitor data: the container, the parsing of columns, and records to columns and back.

- :mod:`vpt_monitor.data.container`: :class:`MonitorData` itself and its survey designs;
- :mod:`vpt_monitor.data.columns`: parsing and checking the four tables' columns;
- :mod:`vpt_monitor.data.convert`: records to columns and back;
- :mod:`vpt_monitor.data.errors`: :class:`MonitorDataError`.
"""

from vpt_monitor.data.columns import MAX_EMPLOYEES, MAX_INCIDENTS
from vpt_monitor.data.container import MonitorData
from vpt_monitor.data.convert import Records
from vpt_monitor.data.errors import MonitorDataError

__all__ = ["MAX_EMPLOYEES", "MAX_INCIDENTS", "MonitorData", "MonitorDataError", "Records"]
