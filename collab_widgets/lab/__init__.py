"""For the notebooks under ``lab/`` in JupyterLab: a team's own saved data, read through
:func:`collab_widgets.lab.team_data.team_data` once the team is open in the app above
them, and the tables and charts of the package's functions shown as a teacher reads them
(:mod:`collab_widgets.lab.display`). Not served: Voilà draws the workbooks, never these
notebooks."""
