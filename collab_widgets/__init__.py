"""Collaboration Workbook: widgets and a team store for Professional Learning Communities."""

__version__ = "0.1.0"
