"""What a team takes away: the meeting record (a self-contained HTML page and Markdown)
and exports of its actions (a spreadsheet-safe CSV, an .ics calendar of due dates)."""
