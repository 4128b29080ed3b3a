"""Protocols: structured team conversations as data files, and the runner's state machine."""
