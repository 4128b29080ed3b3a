"""The classroom screens."""
