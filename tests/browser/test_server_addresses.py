"""Addresses nobody should use answer 400 or 404 with a plain line, and the server's log
holds no traceback for them (a real `collab serve`; no browser needed)."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from collab_widgets.core.serving.process import ServerProcess

from .conftest import make_demo_db

BAD_ADDRESSES = {
    "/voila/render/%00": 400,
    "/voila/render/00_start%00here.ipynb": 400,
    "/voila/files/%00": 400,
    "/voila/static/%00": 400,
    "/voila/templates/": 404,
    "/voila/templates/collab/index.html.j2": 404,
    "/voila/templates/../../../etc/passwd": 404,
    "/voila/templates/collab/static/missing.css": 404,
    "/voila/render/nothere.ipynb": 404,
    # the notebooks for JupyterLab are not pages: their cells never run under Voilà
    "/voila/render/../lab/02_how_the_evidence_numbers_are_made.ipynb": 404,
    "/voila/render/%2E%2E/lab/02_how_the_evidence_numbers_are_made.ipynb": 404,
    "/nothing/here": 404,
}


def answer(url: str, method: str = "GET") -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("addresses")
    url, _ = make_demo_db(folder)
    with ServerProcess(url, folder / "serve.log", pool_size=0) as running:
        yield running


def test_bad_addresses_get_400_or_404_and_leave_no_traceback(server):
    for path, status in BAD_ADDRESSES.items():
        got, body = answer(server.base + path)
        assert got == status, f"{path}: {got}"
        assert "Traceback" not in body and 'File "' not in body, path
    log = server.log_path.read_text(errors="replace")
    assert "Traceback" not in log
    assert "Uncaught exception" not in log


def test_logout_says_so_plainly_and_a_refused_post_has_no_traceback(server):
    status, body = answer(server.base + "/logout")
    assert status == 200 and "signed out" in body
    status, _ = answer(server.base + "/logout", method="POST")  # no XSRF value: refused
    assert status in (403, 405)
    assert "Traceback" not in server.log_path.read_text(errors="replace")


def test_the_templates_own_files_are_still_served(server):
    status, _ = answer(server.base + "/voila/templates/lab/static/voila.js")
    assert status == 200


def test_the_harness_chooses_another_port_when_its_free_port_was_taken(tmp_path, monkeypatch):
    """A port found free can be taken by another program before the server binds it; the
    test harness then starts the server on another port instead of failing a test."""
    import socket

    from collab_widgets.core.serving import process

    url, _ = make_demo_db(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ports = iter([taken.getsockname()[1], process.free_port()])
        monkeypatch.setattr(process, "free_port", lambda: next(ports))
        with ServerProcess(url, tmp_path / "serve.log", pool_size=0) as running:
            assert running.port != taken.getsockname()[1]
            assert answer(running.base + "/nothing/here")[0] == 404
    assert "already in use" in (tmp_path / "serve.log").read_text()


def test_an_address_cannot_choose_another_template_or_theme(server):
    """Voilà's own templates fetch an icon font from a CDN: a workbook page is always drawn
    with the workbook's template, whatever its address asks."""
    for query in ("?template=lab", "?theme=dark", "?template=classic&theme=dark"):
        status, body = answer(server.base + "/voila/render/00_start_here.ipynb" + query)
        assert status == 200, query
        assert "static/collab.css" in body, query
        assert "jsdelivr" not in body and "fontawesome" not in body.lower(), query


def test_the_list_of_workbooks_and_the_error_pages_fetch_nothing_from_outside(server):
    for path in ("/", "/voila/tree", "/voila/render/nothere.ipynb"):
        _, body = answer(server.base + path)
        assert "<html" in body.lower() or "404" in body, path
        assert "jsdelivr" not in body and "https://" not in body.split("<body")[0], path
