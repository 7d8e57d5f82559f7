"""Settings shared by every test folder."""

from __future__ import annotations

from hypothesis import settings

# Hypothesis fails an example that takes longer than its deadline (200 ms by default). Speed is measured in
# bench/, never asserted in tests, and a loaded machine (CI on two cores, servers started by other tests) can
# slow any example past it, so the suite runs without deadlines. A test that sets its own keeps it.
settings.register_profile("prakerja-tests", deadline=None)
settings.load_profile("prakerja-tests")
