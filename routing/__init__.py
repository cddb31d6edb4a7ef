"""Night rounds: pure planning core (types, night clock, travel times, solver, checks).

Imports go one way: ``app`` calls this package; it imports nothing from ``app`` or
``geo`` and knows nothing of HTTP or the database.
"""
