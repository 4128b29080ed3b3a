"""ipywidgets components: compose, bind, show errors. No SQL and no analysis here."""
