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
.collab-conflict { border-left: 4px solid #D55E00; background: #fdf3ef; padding: 4px 8px;
  margin: 2px 0 6px 0; }
.collab-confirm-question { color: #7a1c00; font-weight: bold; margin-right: 6px; }
.collab-theirs { white-space: pre-wrap; overflow-wrap: anywhere; background: #fff;
  border: 1px solid #ddd; padding: 4px 8px; margin: 4px 0; }
.collab-badge { background: #0072B2; color: white; border-radius: 8px; padding: 0 6px;
  font-size: 85%; }
.collab-who { color: #444; margin-top: 0; }
.collab-nav { font-size: 95%; margin-bottom: 4px; }
.collab-countdown div { font: bold 30px/1.3 sans-serif; padding: 2px 10px; border-radius: 6px;
  display: inline-block; }
.collab-on-time { color: #003a5c; background: #e5f1f9; }
.collab-last-minute { color: #5c3a00; background: #fdf0d5; }
.collab-overtime { color: #7a1c00; background: #fde8e4; }
.collab-silent { margin-top: 4px; padding: 4px 8px; background: #f1ecf6; border-left: 4px solid
  #CC79A7; }
.collab-prompt { font-size: 110%; margin: 6px 0; padding: 6px 10px; border-left: 4px solid
  #0072B2; background: #f6f9fb; white-space: pre-wrap; }
.collab-sticky { background: #fff7c2; border: 1px solid #e6d77a; border-radius: 3px;
  padding: 4px 8px; margin: 3px 6px 3px 0; max-width: 520px; overflow-wrap: anywhere; }
.collab-writing { color: #777; font-style: italic; background: #fffbe3; }
.collab-tag { background: #d6eaf8; color: #003a5c; border-radius: 8px; padding: 0 6px;
  font-size: 85%; margin-left: 4px; }
.collab-dots { color: #009E73; font-size: 18px; margin: 0 6px; }
.collab-bar-row { display: flex; align-items: center; margin: 2px 0; }
.collab-bar-label { width: 40%; overflow-wrap: anywhere; }
.collab-bar { flex: 1; background: #eee; height: 14px; margin: 0 8px; max-width: 300px; }
.collab-bar span { display: block; height: 14px; }
.collab-turn-now { font-weight: bold; }
.collab-turn-done { color: #777; }
.collab-step-done { color: #777; }
.collab-step-notes-shown { white-space: pre-wrap; background: #f6f6f6; padding: 4px 8px; }
.collab-steps td, .collab-steps th { padding: 3px 8px; vertical-align: top; text-align: left;
  border-bottom: 1px solid #ddd; }
.collab-offline { position: fixed; top: 0; left: 0; right: 0; z-index: 1000; padding: 10px;
  background: #7a1c00; color: white; font-weight: bold; text-align: center; }
.collab-ws-code { font-size: 200%; margin: 6px 0; }
.collab-ws-prompt { font-size: 140%; margin: 6px 0 10px 0; white-space: pre-wrap; }
.collab-ws-kind, .collab-ws-state { color: #444; margin: 2px 0; }
.collab-ws-texts li { margin: 4px 0; white-space: pre-wrap; }
.collab-ws-room .widget-text input, .collab-ws-room textarea { font-size: 120%; }
</style>"""
