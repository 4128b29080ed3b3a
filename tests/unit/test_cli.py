"""The `collab` command, run as a person would run it."""

import json
import os
import socket
import subprocess
import sys

import pytest

from collab_widgets.cli import LIGHT_PAGES, main, parser
from collab_widgets.core.db import Store
from collab_widgets.core.serving.process import free_port
from collab_widgets.core.serving.serve import ServeOptions, voila_command, voila_environment
from collab_widgets.team.store import members, teams


def collab(*args, db=None):
    command = [sys.executable, "-m", "collab_widgets.cli"]
    if db:
        command += ["--db", str(db)]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=120)


def test_help_lists_every_command():
    result = collab("--help")
    assert result.returncode == 0
    for command in ("serve", "seed", "coach", "hub", "backup", "restore", "team", "protocols"):
        assert command in result.stdout


def test_serve_explains_a_bad_database_file_without_a_traceback(tmp_path):
    path = tmp_path / "bad.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    result = collab("serve", "--port", str(free_port()), db=path)
    assert result.returncode == 2
    assert "not a database" in result.stderr and "Traceback" not in result.stderr
    assert path.read_bytes().startswith(b"not a database at all")  # left untouched


def _serve_without_voila(monkeypatch, *args):
    """Run `collab serve` up to the point where Voilà would start; returns its options."""
    from collab_widgets.core.serving import serve

    started = []
    monkeypatch.setattr(serve, "run", lambda options: started.append(options) or 0)
    monkeypatch.setenv("COLLAB_SERVER_TOKEN", "")
    assert main(list(args)) == 0
    return started[0]


def test_serve_prints_the_database_the_coach_link_and_demo_links_on_its_port(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("COLLAB_PUBLIC_URL", "")
    db, port = tmp_path / "w.sqlite", free_port()
    options = _serve_without_voila(
        monkeypatch, "--db", str(db), "serve", "--port", str(port), "--seed-demo-if-empty"
    )
    out = capsys.readouterr().out
    assert f"Database: {db}" in out
    assert f"Coach link (Coach): http://127.0.0.1:{port}/voila/render/" in out
    team_links = [line for line in out.splitlines() if "?team=" in line]
    assert len(team_links) == 3 and all(f"127.0.0.1:{port}/" in line for line in team_links)
    assert options.db_url.endswith("w.sqlite") and options.port == port
    _serve_without_voila(monkeypatch, "--db", str(db), "serve", "--port", str(port))
    again = capsys.readouterr().out
    assert "Demo data added" not in again and f"127.0.0.1:{port}/voila/render/" in again


def test_serve_uses_the_public_address_behind_a_proxy(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COLLAB_PUBLIC_URL", "https://workbook.school.example/")
    options = _serve_without_voila(
        monkeypatch, "--db", str(tmp_path / "w.sqlite"), "serve", "--port", str(free_port())
    )
    assert "Coach link (Coach, new): https://workbook.school.example/voila/" in (
        capsys.readouterr().out
    )
    assert voila_environment(options)["COLLAB_PUBLIC_URL"] == "https://workbook.school.example"


def test_serve_explains_a_port_in_use(tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--db", str(tmp_path / "w.sqlite"), "serve", "--port", str(port)]) == 2
    assert f"Port {port} on 127.0.0.1 is already in use" in capsys.readouterr().err


def test_serve_refuses_a_port_out_of_range():
    for port in ("99999", "-1", "0", "eighty"):
        result = collab("serve", "--port", port)
        assert result.returncode == 2
        assert "use a number from 1 to 65535" in result.stderr
        assert "Traceback" not in result.stderr


def test_serve_explains_an_unknown_host(tmp_path, capsys):
    assert (
        main(["--db", str(tmp_path / "w.sqlite"), "serve", "--host", "no-such-host.invalid"]) == 2
    )
    assert "not an address of this computer" in capsys.readouterr().err


def test_serve_explains_a_read_only_database(tmp_path, monkeypatch, capsys):
    import os

    path = tmp_path / "ro.sqlite"
    Store(f"sqlite:///{path}").close()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, m: False if str(p) == str(path) else real(p, m))
    assert main(["--db", str(path), "serve"]) == 2
    assert "read-only" in capsys.readouterr().err


def test_seed_coach_backup_restore_and_team_export_import(tmp_path, capsys):
    db = tmp_path / "w.sqlite"
    assert main(["--db", str(db), "seed", "--demo"]) == 0
    assert "Grade 4 Math" in capsys.readouterr().out
    assert main(["--db", str(db), "seed", "--demo", "--if-empty"]) == 0
    assert "nothing added" in capsys.readouterr().out
    assert main(["--db", str(db), "coach", "add", "Dana Coach"]) == 0
    assert "coach=" in capsys.readouterr().out
    store = Store(f"sqlite:///{db}")
    coach = store.open_coach(teams.first_coach_code(store)[1])
    code = teams.coach_teams(coach)[0].code
    assert main(["--db", str(db), "backup", str(tmp_path / "b.sqlite")]) == 0
    members.add(coach.open_team(code), "After backup")
    assert main(["--db", str(db), "team", "export", code, str(tmp_path / "t.json")]) == 0
    assert main(["--db", str(db), "team", "import", str(tmp_path / "t.json")]) == 0
    assert len(teams.coach_teams(coach)) == 4
    assert main(["--db", str(db), "restore", str(tmp_path / "b.sqlite")]) == 0
    assert len(teams.coach_teams(coach)) == 3
    assert "After backup" not in [m.name for m in members.roster(coach.open_team(code))]
    store.close()


def test_coach_rotate_prints_a_new_link_and_the_old_one_stops(tmp_path, capsys):
    db = tmp_path / "w.sqlite"
    assert main(["--db", str(db), "coach", "add", "Dana"]) == 0
    old = capsys.readouterr().out.split("coach=")[1].split("&")[0].strip()
    assert main(["--db", str(db), "coach", "rotate", old]) == 0
    new = capsys.readouterr().out.split("coach=")[1].split("&")[0].strip()
    assert new != old
    assert main(["--db", str(db), "coach", "rotate", old]) == 2
    assert "not known" in capsys.readouterr().err


def test_team_files_that_cannot_be_read_or_written_are_messages(tmp_path, capsys):
    db = str(tmp_path / "w.sqlite")
    assert main(["--db", db, "seed", "--demo"]) == 0
    code = capsys.readouterr().out.split("team code ")[1].split()[0]
    (tmp_path / "latin1.json").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "taken.json").write_text("keep me")
    cases = [
        (["team", "import", str(tmp_path / "missing.json")], "There is no file at"),
        (["team", "import", str(tmp_path)], "is a folder"),
        (["team", "import", str(tmp_path / "latin1.json")], "is not a team file"),
        (["team", "export", code, str(tmp_path / "no" / "such" / "x.json")], "Cannot write"),
        (["team", "export", code, str(tmp_path / "taken.json")], "already exists"),
    ]
    for args, message in cases:
        assert main(["--db", db, *args]) == 2
        assert message in capsys.readouterr().err
    assert (tmp_path / "taken.json").read_text() == "keep me"


def test_protocols_check_lists_the_library_and_each_problem(tmp_path, capsys):
    assert main(["protocols", "check", str(tmp_path)]) == 0
    assert "10 protocols ready, 0 problems." in capsys.readouterr().out
    (tmp_path / "ours.yaml").write_text("title: Ours\nminutes: lots\n")
    assert main(["protocols", "check", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "Problem: ours.yaml, line 2, field 'minutes'" in captured.err
    assert "10 protocols ready" in captured.out


def test_serve_passes_a_protocols_folder_and_reports_its_problems(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COLLAB_PUBLIC_URL", "")
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "bad.yaml").write_text("steps: []\n")
    options = _serve_without_voila(
        monkeypatch,
        "--db",
        str(tmp_path / "w.sqlite"),
        "serve",
        "--port",
        str(free_port()),
        "--protocols",
        str(folder),
    )
    assert voila_environment(options)["COLLAB_PROTOCOLS"] == str(folder)
    assert "Protocol file left out: bad.yaml" in capsys.readouterr().err


def test_a_wrong_team_code_on_the_command_line_is_a_message(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "x.sqlite"), "team", "export", "NOPE", "f.json"]) == 2
    assert "not known" in capsys.readouterr().err


def test_serve_runs_standalone_voila_safely(monkeypatch):
    from collab_widgets.core.serving.voila_app import CollabVoila

    options = ServeOptions(db_url="sqlite:///x.sqlite", pool_size=3, token="s3cret")
    command = voila_command(options)
    # standalone Voilà (not a Jupyter server extension) with the workshop page added
    assert command[1:3] == ["-m", "collab_widgets.core.serving.voila_app"]
    monkeypatch.setattr(sys, "argv", ["voila"])
    voila = CollabVoila()
    voila.initialize(command[3:])  # what Voilà makes of the command line and voila.json
    settings = voila.voila_configuration
    assert voila.ip == "127.0.0.1" and voila.port == 8866 and voila.token == "s3cret"
    assert settings.template == "collab"
    assert settings.show_tracebacks is False and settings.strip_sources is True
    assert settings.preheat_kernel is True and settings.default_pool_size == 3
    assert voila.tornado_settings["websocket_max_message_size"] == 100 * 1024 * 1024
    assert command.count("--MappingKernelManager.cull_idle_timeout=3600") == 1
    pools = voila.config["VoilaKernelManager"]["kernel_pools_config"]
    assert pools["default"] == {"pool_size": 3}  # the team workbooks
    assert pools["07_workshop_presenter.ipynb"] == {"pool_size": 0}
    assert pools["10_community.ipynb"] == {"pool_size": 0}  # a school's few, now and then
    assert len(pools) == 3  # participants', students', families' and mentors' pages need none
    env = voila_environment(options)
    assert env["COLLAB_DB_URL"] == "sqlite:///x.sqlite"
    assert env["JUPYTER_PATH"].split(":")[0].endswith("jupyter_data")


def test_serve_defaults_to_loopback(tmp_path, monkeypatch):
    args = parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.port is None  # 8866, or the hub's
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    options = _serve_without_voila(monkeypatch, "--db", str(tmp_path / "w.sqlite"), "serve")
    assert (options.host, options.port, options.base_url) == ("127.0.0.1", 8866, "/")
    assert "--VoilaKernelManager.fill_delay=1" in voila_command(options)  # Voilà's own


def test_a_staff_meeting_can_defer_the_pools_refills(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    db = str(tmp_path / "w.sqlite")
    options = _serve_without_voila(
        monkeypatch, "--db", db, "serve", "--pool-size", "33", "--pool-refill-delay", "900"
    )
    command = voila_command(options)
    assert "--VoilaKernelManager.fill_delay=900" in command
    assert "--VoilaConfiguration.default_pool_size=33" in command
    for wrong in ("-1", "soon", str(2 * 24 * 3600)):
        with pytest.raises(SystemExit):
            parser().parse_args(["serve", "--pool-refill-delay", wrong])
    assert "number of seconds up to a day" in capsys.readouterr().err


def test_the_page_template_loads_nothing_from_outside():
    from collab_widgets.core.serving.serve import JUPYTER_DATA

    template = (JUPYTER_DATA / "voila/templates/collab/index.html.j2").read_text()
    assert 'replace(\'<link rel="stylesheet" href="https://cdn.jsdelivr.net' in template
    assert "html_head_js_mermaidjs" in template


def test_analyze_prints_items_bands_and_suppressed_subgroups(tmp_path, capsys):
    rows = "".join(f"s{i},{'X' if i < 12 else 'Y'},{i % 2},1\n" for i in range(15))
    (tmp_path / "scores.csv").write_text("id,group,Q1,Q2\n" + rows)
    (tmp_path / "key.csv").write_text("item,standard,max points\nQ1,4.NF.1,1\nQ2,4.NF.2,1\n")
    code = main(
        [
            "analyze",
            str(tmp_path / "scores.csv"),
            "--key",
            str(tmp_path / "key.csv"),
            "--by",
            "group",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["students"] == 15
    assert report["items"][0] == {"item": "Q1", "n": 15, "pct_correct": 46.7, "standard": "4.NF.1"}
    groups = {g["group"]: g for g in report["subgroups"]["groups"]}
    assert groups["Y"] == {"group": "Y", "n": None, "mean_percent": None, "suppressed": True}
    assert groups["X"]["suppressed"] and groups["All students"]["n"] == 15
    assert sum(b["n"] for b in report["bands"]) == 15


def test_analyze_explains_a_bad_file_without_a_traceback(tmp_path, capsys):
    (tmp_path / "bad.csv").write_text("id,Q1\n1,1\n1,0\n")
    assert main(["analyze", str(tmp_path / "bad.csv")]) == 2
    err = capsys.readouterr().err
    assert "appears twice" in err and "Traceback" not in err
    assert main(["analyze", str(tmp_path / "bad.csv"), "--format", "md", "--min-n", "0"]) == 2
    assert "--min-n must be 1 or more" in capsys.readouterr().err


def test_serve_with_a_workshop_keeps_the_presenters_kernel_warm(monkeypatch, tmp_path):
    from voila.app import Voila

    from collab_widgets.core.serving.voila_app import CollabVoila

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    args = parser().parse_args(["serve", "--workshop", "30", "--pool-size", "1"])
    assert args.workshop == 30
    options = ServeOptions(
        db_url="sqlite:///x.sqlite",
        pool_size=1,
        workshop=30,
        port=8899,
        token="s3cret",
        light_pages=LIGHT_PAGES,  # as `collab serve` gives them
    )
    command = voila_command(options)
    monkeypatch.setattr(sys, "argv", ["voila"])
    voila = CollabVoila()
    voila.initialize(command[3:])
    pools = voila.config["VoilaKernelManager"]  # what the kernel manager is made with
    assert pools["kernel_pools_config"] == {
        "default": {"pool_size": 1},
        "07_workshop_presenter.ipynb": {"pool_size": 1},
        "10_community.ipynb": {"pool_size": 0},
    }
    # the participants' page and API come before Voilà's own routes, which would take them
    voila.server_url = "/"  # set by Voilà's settings step, which starts its kernel manager
    monkeypatch.setattr(Voila, "init_handlers", lambda self: [("/voila/render/(.*)", None)])
    routes = [route[0] for route in voila.init_handlers()]
    assert routes == [
        "/workshop",
        "/workshop/api/(join|room|answer|leave)",
        "/students",
        "/students/api/(join|page|survey|rate)",
        "/families",
        "/families/api/(open|page|goal|slot|unslot|signup|feedback|texts)",
        "/mentors",
        "/mentors/api/(open|page|log)",
        "/api/team-export",
        "/voila/render/(.*)",
    ]
    for service in voila.light_services.values():
        assert service.server_token == "s3cret"  # as Voilà's own pages
        service.close()
    assert voila.tornado_settings["websocket_max_message_size"] == 100 * 1024 * 1024
    with pytest.raises(SystemExit):
        parser().parse_args(["serve", "--workshop", "lots"])


@pytest.mark.skipif(os.name != "posix", reason="Unix sockets: Linux and macOS")
def test_kernels_use_unix_sockets_in_a_folder_short_enough_for_one(monkeypatch):
    from collab_widgets.core.serving import serve

    # what is printed must be where the server is: never another port than the one asked
    assert "--Voila.port_retries=0" in voila_command(ServeOptions(db_url="sqlite:///x.sqlite"))
    monkeypatch.setattr(serve.os, "access", lambda folder, mode: True)
    monkeypatch.setattr(serve.sys, "platform", "linux")
    monkeypatch.setattr(serve.tempfile, "gettempdir", lambda: "/tmp")
    assert serve.kernel_transport() == [
        "--KernelManager.transport=ipc",
        "--Voila.connection_dir_root=/tmp",
    ]
    # macOS's temporary folder leaves a socket's path over its limit: /tmp instead
    monkeypatch.setattr(serve.sys, "platform", "darwin")
    monkeypatch.setattr(serve.tempfile, "gettempdir", lambda: "/var/folders/x1/" + "y" * 30 + "/T")
    assert serve.kernel_transport()[1] == "--Voila.connection_dir_root=/tmp"
    monkeypatch.setattr(serve.os, "access", lambda folder, mode: False)  # nowhere fits
    assert serve.kernel_transport() == []


def _lab_without_jupyterlab(monkeypatch, *args):
    """Run `collab lab` up to the point where JupyterLab would start: (command, env)."""
    from collab_widgets.core.serving import serve

    started = []
    monkeypatch.setattr(
        serve, "run_server", lambda command, env: started.append((command, env)) or 0
    )
    assert main(list(args)) == 0
    return started[0]


def test_lab_runs_jupyterlab_on_loopback_behind_its_token_against_the_same_database(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("QUERY_STRING", "team=ABCD&member=EFGH")  # a stray one, never passed on
    db, port = tmp_path / "w.sqlite", free_port()
    command, env = _lab_without_jupyterlab(
        monkeypatch,
        "--db",
        str(db),
        "lab",
        "--port",
        str(port),
        "--no-browser",
        "--seed-demo-if-empty",
    )
    out = capsys.readouterr()
    assert f"Database: {db}" in out.out and "Coach code (Coach): " in out.out
    assert "can read the whole database" in out.err
    assert command[1:3] == ["-m", "jupyterlab"]
    assert "--ServerApp.ip=127.0.0.1" in command and f"--ServerApp.port={port}" in command
    assert not any("token" in part.lower() for part in command)  # Jupyter's own token stays
    assert "--LabApp.news_url=None" in command and "--no-browser" in command
    assert "--VoilaConfiguration.template=collab" in command
    assert any(part.startswith("--LabApp.default_url=/lab/tree/workbooks") for part in command)
    assert env["COLLAB_DB_URL"].endswith("w.sqlite") and "QUERY_STRING" not in env
    assert env["JUPYTER_PATH"].split(os.pathsep)[0].endswith("jupyter_data")


def test_lab_explains_a_port_in_use(tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--db", str(tmp_path / "w.sqlite"), "lab", "--port", str(port)]) == 2
    assert f"Port {port} on 127.0.0.1 is already in use" in capsys.readouterr().err


def test_the_operator_links_hub_users_one_by_one_or_from_a_list(tmp_path, capsys):
    from collab_widgets.core.db import hub
    from collab_widgets.demo.sample import seed_demo

    db = tmp_path / "w.sqlite"
    store = Store(f"sqlite:///{db}")
    demo = seed_demo(store)
    team_name, team_code = next(iter(demo.team_codes.items()))
    [(coach_name, coach_code)] = teams.coach_codes(store)[:1]
    names = list(demo.member_tokens[team_name])[:2]
    assert main(["--db", str(db), "hub", "link", "dana", "--coach", coach_code]) == 0
    assert f"dana is now coach {coach_name}" in capsys.readouterr().out
    listing = tmp_path / "district.csv"
    listing.write_text(
        "hub_user,team_code,member,coach_code\n"
        f"ana,{team_code},{names[0]},\n"
        f"ben,{team_code},{names[1]},\n"
        f"zed,{team_code},Nobody Here,\n"
        "eve,,,\n"
    )
    assert main(["--db", str(db), "hub", "import", str(listing)]) == 1
    out, err = capsys.readouterr()
    assert "2 hub user links made" in out
    assert "line 4: Nobody called 'Nobody Here'" in err and "line 5: give team_code" in err
    assert main(["--db", str(db), "hub", "list"]) == 0
    listed = capsys.readouterr().out
    assert "dana: coach" in listed and f"ana: {names[0]} on" in listed
    assert main(["--db", str(db), "hub", "unlink", "ana"]) == 0
    assert "1 link removed" in capsys.readouterr().out
    assert [link.hub_user for link in hub.links(store)] == ["ben", "dana"]
    assert main(["--db", str(db), "hub", "link", "x", "--team", team_code]) == 2
    assert "--member NAME" in capsys.readouterr().err
    store.close()
