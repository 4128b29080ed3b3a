from urllib.parse import parse_qs, urlparse

from collab_widgets.team import links


def test_links_point_at_the_start_page_with_their_codes(monkeypatch):
    monkeypatch.setenv("COLLAB_PUBLIC_URL", "https://workbook.example.org/")
    monkeypatch.delenv("COLLAB_SERVER_TOKEN", raising=False)
    link = urlparse(links.personal_link("TEAMCODE2345", "MEMBER234567"))
    assert link.netloc == "workbook.example.org"
    assert link.path == "/voila/render/00_start_here.ipynb"
    assert parse_qs(link.query) == {"team": ["TEAMCODE2345"], "member": ["MEMBER234567"]}
    assert parse_qs(urlparse(links.coach_link("C")).query) == {"coach": ["C"]}


def test_links_carry_the_server_token_when_there_is_one(monkeypatch):
    monkeypatch.setenv("COLLAB_SERVER_TOKEN", "s3cret")
    assert parse_qs(urlparse(links.team_link("T")).query) == {"team": ["T"], "token": ["s3cret"]}


def test_the_workshop_link_opens_the_light_page_with_its_code_and_the_server_token(monkeypatch):
    monkeypatch.setenv("COLLAB_PUBLIC_URL", "https://workbook.example.org")
    monkeypatch.setenv("COLLAB_SERVER_TOKEN", "s3cret")
    link = urlparse(links.workshop_link("ABC234"))
    assert (link.netloc, link.path) == ("workbook.example.org", "/workshop")
    assert parse_qs(link.query) == {"code": ["ABC234"], "token": ["s3cret"]}


def test_the_family_link_carries_its_code_after_the_hash_only(monkeypatch):
    monkeypatch.setenv("COLLAB_PUBLIC_URL", "https://workbook.example.org/")
    monkeypatch.setenv("COLLAB_SERVER_TOKEN", "s3cret")
    link = urlparse(links.family_link("ABCD2345EFGH"))
    assert (link.netloc, link.path) == ("workbook.example.org", "/families")
    assert parse_qs(link.query) == {"token": ["s3cret"]}  # the code never reaches a server
    assert link.fragment == "code=ABCD2345EFGH"
    monkeypatch.delenv("COLLAB_SERVER_TOKEN")
    assert links.family_link("ABCD2345EFGH") == (
        "https://workbook.example.org/families#code=ABCD2345EFGH"
    )
