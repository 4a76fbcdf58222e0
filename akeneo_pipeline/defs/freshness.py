"""How old the Akeneo assets may get: the pipeline runs nightly, so a copy older than a day is late.

Dagster shows each asset's freshness state (pass, warn, fail) in the UI and the asset
health; the policy is metadata on the asset, evaluated by the instance. A nightly run
lands at about the same hour each day, so 24 hours after the last materialisation the
copy is one missed night from late (warn), and after 26 it is late (fail): the two
hours leave room for a slow run.
"""

from datetime import timedelta

import dagster as dg

WARN_AFTER = timedelta(hours=24)
FAIL_AFTER = timedelta(hours=26)

NIGHTLY_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=FAIL_AFTER, warn_window=WARN_AFTER)
