"""Light pages: a static page and a small JSON API served by the server process itself,
with no kernel per visitor (the workshop participants' page first; students', families'
and mentors' pages next). What they share:

* :mod:`.service`: the store and worker threads the page's handlers share;
* :mod:`.handlers`: the page (with its content-security policy) and the JSON API's base,
  which refuses a body over its limit before reading it and answers every failure with a
  plain message, never a traceback;
* :mod:`.tokens`: a visitor's token lives in its browser; the database keeps its hash;
* :mod:`.limits`: wrong codes counted in the database, per network and per code.

No widgets and no pandas here: a light page must stay light.
"""
