"""The workbook's small stylesheet, shown once per page."""

STYLE = """<style>
.collab-app h2 { margin-bottom: 0.2em; }
.collab-msg { padding: 6px 10px; border-radius: 4px; margin: 4px 0; }
.collab-error { background: #fde8e4; color: #7a1c00; border-left: 4px solid #D55E00; }
.collab-ok { background: #e3f4ee; color: #00462f; border-left: 4px solid #009E73; }
.collab-info { background: #e5f1f9; color: #003a5c; border-left: 4px solid #0072B2; }
.collab-saved-ok { color: #00664a; font-size: 90%; }
.collab-saving { color: #555; font-size: 90%; }
.collab-saved-failed { color: #7a1c00; font-weight: bold; }
.collab-note { color: #444; margin: 2px 0 8px 0; }
.collab-badge { background: #0072B2; color: white; border-radius: 8px; padding: 0 6px;
  font-size: 85%; }
.collab-who { color: #444; margin-top: 0; }
.collab-offline { position: fixed; top: 0; left: 0; right: 0; z-index: 1000; padding: 10px;
  background: #7a1c00; color: white; font-weight: bold; text-align: center; }
</style>"""
