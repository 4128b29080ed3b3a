"""One module per workbook, building the widget tree its notebook shows."""
