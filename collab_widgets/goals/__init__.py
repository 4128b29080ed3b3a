"""Goals and the cycle of inquiry: the SMART-goal builder's checks, progress and status,
the cycle timeline. Nothing here knows about widgets; the goal-setting workbook's screens
are views over these functions."""
