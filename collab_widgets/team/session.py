"""What a visitor's kernel learns from the page address (``?team=…&member=…``)."""

from __future__ import annotations

import os
from urllib.parse import parse_qs


def request_params() -> dict[str, str]:
    """Query parameters of the page that started this kernel; empty in JupyterLab.

    Under Voilà with preheated kernels the notebook runs before anyone asked for it;
    ``wait_for_request`` pauses until the visitor's request (and its query string) arrives.
    """
    try:
        from voila.utils import wait_for_request
    except ImportError:  # plain Jupyter without Voilà
        pass
    else:
        wait_for_request()
    query = os.environ.get("QUERY_STRING", "")
    return {key: values[-1] for key, values in parse_qs(query).items()}
