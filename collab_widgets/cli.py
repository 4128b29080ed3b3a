"""The ``collab`` command: serve the workbooks, seed demo data, coaches, backups, teams."""

from __future__ import annotations

import argparse
import csv
import io
import ipaddress
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from collab_widgets.backup import store as lifecycle
from collab_widgets.core.codes import display
from collab_widgets.core.db import Store, default_url, describe, url_for
from collab_widgets.core.errors import CollabError, InvalidInput
from collab_widgets.core.model import plural
from collab_widgets.core.private_files import create_private
from collab_widgets.core.serving.serve import ABANDONED_SECONDS
from collab_widgets.team import links
from collab_widgets.team.store import teams

# The light pages `collab serve` adds to the workbooks: the workshop participants' page,
# the students' own page, the families' page and the mentors' page; and, under a hub,
# the team export a member's JupyterLab reads their team from.
LIGHT_PAGES = (
    "collab_widgets.workshops.api:WorkshopService",
    "collab_widgets.students.api:StudentService",
    "collab_widgets.families.api:FamilyService",
    "collab_widgets.community.api:MentorService",
    "collab_widgets.backup.api:TeamExportService",  # under a hub: a member's JupyterLab asks
)


DEFAULT_PORT = 8866


def _store(args) -> Store:
    return Store(url_for(args.db) if args.db else default_url())


def _under_the_hub(args) -> str:
    """The service's prefix when a JupyterHub started this server as a service (its
    address then comes from the hub), else "/"; refuses --require-hub without a hub."""
    from collab_widgets.core.serving.hub_sign_in import running_as_hub_service

    if not running_as_hub_service():
        if args.require_hub:
            raise InvalidInput(
                "--require-hub needs a JupyterHub to sign people in: run `collab serve` as "
                "one of the hub's services (docs/deployment.md shows the configuration)."
            )
        return "/"
    address = urlsplit(os.environ.get("JUPYTERHUB_SERVICE_URL", ""))
    if args.port is None and address.port:
        args.host, args.port = address.hostname or args.host, address.port
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
    return prefix if prefix.endswith("/") else prefix + "/"


def cmd_serve(args) -> int:
    from collab_widgets.core.serving.serve import ServeOptions, check_address, run

    store = _store(args)
    base_url = _under_the_hub(args)
    args.port = DEFAULT_PORT if args.port is None else args.port
    check_address(args.host, args.port)
    options = ServeOptions(
        host=args.host,
        port=args.port,
        base_url=base_url,
        require_hub=args.require_hub,
        trusted_proxies=tuple(args.trusted_proxy),
        hub_check_seconds=args.hub_check_seconds,
        db_url=store.url,
        token=args.token,
        pool_size=args.pool_size,
        pool_refill_seconds=args.pool_refill_delay,
        cull_idle_seconds=args.cull_idle,
        abandoned_seconds=args.abandoned_after,
        workshop=args.workshop,
        light_pages=LIGHT_PAGES,
    )
    if args.workbooks:
        options.workbooks = Path(args.workbooks)
    if args.protocols:
        options.protocols = Path(args.protocols).expanduser().resolve()
    _report_protocol_problems(options.protocols)
    os.environ["COLLAB_PUBLIC_URL"] = options.public_url  # for the links printed below
    if options.token:
        os.environ["COLLAB_SERVER_TOKEN"] = options.token
    if args.seed_demo_if_empty and store.is_empty():
        _seed(store)
    coach_name, coach_code, created = teams.first_coach_code(store)
    store.close()
    print(f"Database: {describe(options.db_url)}")
    print(f"Workbooks: {options.public_url}/")
    if base_url != "/":
        print("Teachers and coaches sign in through the JupyterHub (`collab hub link`).")
    if not options.require_hub:
        new = ", new" if created else ""
        print(f"Coach link ({coach_name}{new}): {links.coach_link(coach_code)}")
    if options.host not in ("127.0.0.1", "localhost", "::1") and not options.token:
        print(
            "Warning: listening beyond this computer without --token; anyone who can reach "
            "it can open the join page (codes still protect each team).",
            file=sys.stderr,
        )
    sys.stdout.flush()
    return run(options)


def cmd_lab(args) -> int:
    from collab_widgets.core.serving.lab_server import LabOptions, lab_command, lab_environment
    from collab_widgets.core.serving.serve import check_address, run_server

    store = _store(args)
    check_address("127.0.0.1", args.port)
    options = LabOptions(db_url=store.url, port=args.port, open_browser=not args.no_browser)
    if args.protocols:
        options.protocols = Path(args.protocols).expanduser().resolve()
    if args.seed_demo_if_empty and store.is_empty():
        _seed(store)
    coach_name, coach_code, _created = teams.first_coach_code(store)
    store.close()
    print(f"Database: {describe(options.db_url)}")
    print(
        "JupyterLab opens the workbooks (its address, with its token, follows). Run a "
        "workbook and type your team code in it; the code behind its numbers is in lab/."
    )
    print(f"Coach code ({coach_name}): {display(coach_code)}")
    print(
        "Anyone using this JupyterLab can read the whole database: keep it to yourself "
        "(docs/access-and-privacy.md).",
        file=sys.stderr,
    )
    sys.stdout.flush()
    return run_server(lab_command(options), lab_environment(options))


def _report_protocol_problems(folder: Path | None) -> None:
    """Say at start which protocol files will be left out, and why (serving goes on)."""
    from collab_widgets.protocols.library import load_library

    problems = load_library(folder).problems
    for problem in problems:
        print(f"Protocol file left out: {problem}", file=sys.stderr)


def cmd_analyze(args) -> int:
    """Analyse a score file: students, items, bands, subgroups (suppressed), warnings."""
    import json

    from collab_widgets.evidence.analysis import summary
    from collab_widgets.evidence.scores import read_scores

    if args.min_n < 1:
        raise InvalidInput("--min-n must be 1 or more.")
    scores = read_scores(Path(args.file), key=Path(args.key) if args.key else None)
    report = summary(scores, by=args.by, min_n=args.min_n)
    if args.format == "json":
        print(json.dumps(report, indent=2, ensure_ascii=False))
    elif args.format == "csv":
        from collab_widgets.core.spreadsheet_csv import spreadsheet_csv

        rows = [
            (item["item"], item.get("standard", ""), item["n"], item["pct_correct"])
            for item in report["items"]
        ]
        sys.stdout.write(spreadsheet_csv(("item", "standard", "n", "pct_correct"), rows))
    else:
        print(_markdown(report))
    for warning in report["warnings"]:
        print(f"Note: {warning}", file=sys.stderr)
    return 0


def _markdown(report: dict) -> str:
    lines = [
        f"# {report['assessment']}: {plural(report['students'], 'student')}",
        "",
        "| item | n | % correct |",
        "|---|---|---|",
    ]
    lines += [f"| {i['item']} | {i['n']} | {i['pct_correct']} |" for i in report["items"]]
    lines += ["", "| band | n | % |", "|---|---|---|"]
    lines += [f"| {b['band']} | {b['n']} | {b['percent']} |" for b in report["bands"]]
    if "subgroups" in report:
        lines += ["", f"| {report['subgroups']['by']} | n | mean % |", "|---|---|---|"]
        for g in report["subgroups"]["groups"]:
            shown = ("suppressed", "—") if g["suppressed"] else (g["n"], g["mean_percent"])
            lines.append(f"| {g['group']} | {shown[0]} | {shown[1]} |")
    return "\n".join(lines)


def cmd_protocols(args) -> int:
    """Check a folder of protocol files (default: COLLAB_PROTOCOLS) with the library."""
    from collab_widgets.protocols.library import load_library

    library = load_library(args.folder)
    for protocol in library.sorted():
        print(
            f"  {protocol.title} ({protocol.key}): {len(protocol.steps)} steps, "
            f"{protocol.minutes} minutes"
        )
    for problem in library.problems:
        print(f"Problem: {problem}", file=sys.stderr)
    print(f"{len(library.protocols)} protocols ready, {len(library.problems)} problems.")
    return 1 if library.problems else 0


def _seed(store: Store) -> None:
    from collab_widgets.demo.sample import seed_demo

    demo = seed_demo(store)
    print("Demo data added:")
    for team, code in demo.team_codes.items():
        print(f"  {team}: team code {display(code)}  {links.team_link(code)}")
    for role, code in demo.school_codes.items():
        print(f"  The school's {role}: {links.school_link(code)}")


def cmd_seed(args) -> int:
    store = _store(args)
    if args.if_empty and not store.is_empty():
        print("The database already has teams; nothing added.")
        return 0
    _seed(store)
    return 0


def cmd_coach(args) -> int:
    store = _store(args)
    if args.coach_command == "add":
        code = teams.add_coach(store, args.name)
        print(f"Coach link for {args.name}: {links.coach_link(code)}")
    elif args.coach_command == "rotate":
        coach = store.open_coach(args.code, operator=True)
        code = teams.rotate_coach_code(coach)
        print(f"New coach link for {coach.name} (the old one stops working now):")
        print(f"  {links.coach_link(code)}")
    elif args.coach_command == "assign":
        team, coach = teams.give_team(store, args.team, args.coach)
        print(f"{coach} now follows “{team}” (on the coach page and the dashboard).")
    else:
        for name, code in teams.coach_codes(store):
            print(f"{name}: {links.coach_link(code)}")
    return 0


def cmd_school(args) -> int:
    from collab_widgets.community.store import schools

    store = _store(args)
    if args.school_command == "add":
        school_id = schools.create_school(store, args.name)
        print(f"School {school_id}: {args.name}. Give it a coordinator with `collab school link`.")
    elif args.school_command == "link":
        code = schools.add_person(store, args.school, args.role, args.name)
        print(f"The {args.role}'s link for {args.name} (shown once; keep it private):")
        print(f"  {links.school_link(code)}")
    elif args.school_command == "coach":
        name = schools.move_coach(store, args.school, args.coach)
        print(f"{name} and the teams they made now belong to school {args.school}.")
    elif args.school_command == "rotate":
        code = schools.rotate_person(store, args.person)
        print("New link (the old one stops working now):")
        print(f"  {links.school_link(code)}")
    else:
        for school_id, name in schools.schools(store):
            print(f"School {school_id}: {name}")
            for person in schools.people(store, school_id):
                print(f"  person {person.id}: {person.name}, {person.role}")
    return 0


def cmd_hub(args) -> int:
    from collab_widgets.core.db import hub

    store = _store(args)
    if args.hub_command == "link":
        if bool(args.coach) == bool(args.team):
            raise InvalidInput("Give either --coach CODE, or --team CODE with --member NAME.")
        if args.coach:
            who = hub.link_coach(store, args.user, args.coach)
        elif not args.member:
            raise InvalidInput("Say who on the team: --member NAME, as on its roster.")
        else:
            who = hub.link_member(store, args.user, args.team, args.member)
        print(f"The hub user {args.user} is now {who}; they sign in through the hub.")
    elif args.hub_command == "import":
        rows = list(csv.DictReader(io.StringIO(_read_text_file(Path(args.file)))))
        linked, problems = hub.link_many(store, rows)
        print(f"{plural(linked, 'hub user link')} made from {args.file}.")
        for problem in problems:
            print(f"  not linked, {problem}", file=sys.stderr)
        return 1 if problems else 0
    elif args.hub_command == "unlink":
        count = hub.forget_user(store, args.user, "was unlinked by the server's operator")
        print(f"{args.user}: {plural(count, 'link')} removed, their open pages end.")
    else:
        for link in hub.links(store):
            print(f"{link.hub_user}: {link.who} (by {link.how}, {link.linked_at:%Y-%m-%d})")
    return 0


def cmd_backup(args) -> int:
    path = lifecycle.backup(_store(args), args.file)
    print(f"Backup written to {path}")
    return 0


def cmd_restore(args) -> int:
    store = _store(args)
    safety = lifecycle.restore(store, args.file)
    if safety:
        print(f"What was there before is saved in {safety}")
    print(f"Restored {args.file} into {describe(store.url)}")
    return 0


def cmd_team(args) -> int:
    store = _store(args)
    if args.team_command == "export":
        coach = teams.coach_of_team(store, args.code)
        text = lifecycle.export_team(coach.open_team(args.code))
        _write_new_file(Path(args.file), text)
        print(f"Team exported to {args.file}")
    else:
        coach = (
            store.open_coach(args.coach, operator=True)
            if args.coach
            else store.open_coach(teams.first_coach_code(store)[1], operator=True)
        )
        scope = lifecycle.import_team(coach, _read_text_file(Path(args.file)))
        print(f"Imported “{scope.team_name}”: {links.team_link(teams.team_code(scope))}")
    return 0


def cmd_export(args) -> int:
    from collab_widgets.reports.collect import (
        collect,
    )  # pandas and matplotlib only for this command
    from collab_widgets.reports.record import file_stem
    from collab_widgets.reports.render import record_html, record_markdown

    store = _store(args)
    coach = teams.coach_of_team(store, args.team)
    record = collect(coach.open_team(args.team), args.meeting)
    folder = Path(args.out)
    if not folder.is_dir():
        raise InvalidInput(f"{folder} is not a folder; create it or choose another with --out.")
    name = file_stem(record)
    files = {folder / f"{name}.html": record_html, folder / f"{name}.md": record_markdown}
    taken = [path for path in files if path.exists()]
    if taken:  # both or neither: a half-written pair would block the next run
        raise InvalidInput(f"{taken[0]} already exists; choose another folder with --out.")
    for path, render in files.items():
        _write_new_file(path, render(record))
        print(f"Written {path}")
    store.close()
    return 0


def _read_text_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InvalidInput(f"There is no file at {path}.") from exc
    except IsADirectoryError as exc:
        raise InvalidInput(f"{path} is a folder; give the .json file the export made.") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path} is not a team file exported by the workbook.") from exc
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from exc


def _write_new_file(path: Path, text: str) -> None:
    try:
        with open(create_private(path), "w", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError as exc:
        raise InvalidInput(f"{path} already exists; choose a new file name.") from exc
    except OSError as exc:
        raise InvalidInput(
            f"Cannot write {path}: {exc.strerror}. Choose a folder you can write to."
        ) from exc


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port; use a number from 1 to 65535")
    return port


MAX_WORKSHOP = 200  # a sanity bound on what was typed


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 24 * 3600:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds up to a day")
    return seconds


def _network(text: str) -> str:
    """An address or a network (10.42.0.0/16), as the light pages will read it."""
    try:
        ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an address or a network") from None
    return text.strip()


def _check_seconds(text: str) -> int:
    """At least a second: every open page checks its sign-in this often."""
    try:
        seconds = int(text)
    except ValueError:
        seconds = 0
    if seconds < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of seconds, 1 or more")
    return seconds


def _participants(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = -1
    if not 0 <= count <= MAX_WORKSHOP:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of participants; use a number from 1 to "
            f"{MAX_WORKSHOP} (or 0 for no workshop)"
        )
    return count


def _data_options(command: argparse.ArgumentParser) -> None:
    """What `collab serve` and `collab lab` both read: a coach's protocols, the demo data."""
    command.add_argument(
        "--protocols", help="folder of your own protocol files (default: COLLAB_PROTOCOLS)"
    )
    command.add_argument(
        "--seed-demo-if-empty",
        action="store_true",
        help="add demo teams when the database has none",
    )


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="collab",
        description="Collaboration Workbook: Voilà workbooks for teacher teams (PLCs).",
    )
    top.add_argument(
        "--db", help="database file or URL (default: COLLAB_DB_URL or a file in your data folder)"
    )
    sub = top.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the workbooks (http://127.0.0.1:8866)")
    serve.add_argument("--db", help="database file or URL", default=argparse.SUPPRESS)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument(
        "--port", type=_port, default=None, help=f"port (default {DEFAULT_PORT}, or the hub's)"
    )
    serve.add_argument("--token", help="require this token in links (for shared servers)")
    serve.add_argument("--pool-size", type=int, default=2, help="preheated kernels per workbook")
    serve.add_argument(
        "--pool-refill-delay",
        type=_seconds,
        default=1.0,
        metavar="SECONDS",
        help="wait this long before replacing a preheated kernel a visitor took (default 1); "
        "for a staff meeting, a pool as large as the wave and a delay past its end let "
        "every page open at once (docs/deployment.md, Capacity)",
    )
    serve.add_argument(
        "--cull-idle", type=int, default=3600, help="seconds before an idle kernel is stopped"
    )
    serve.add_argument(
        "--abandoned-after",
        type=int,
        default=ABANDONED_SECONDS,
        metavar="SECONDS",
        help="stop a page's kernel once its page has been gone this long without saying so "
        f"(a closed laptop, a lost network; default {ABANDONED_SECONDS})",
    )
    serve.add_argument(
        "--workshop",
        type=_participants,
        default=0,
        metavar="N",
        help="expect a workshop of N participants: keep the presenter's kernel warm "
        "(participants' pages need no kernel)",
    )
    serve.add_argument("--workbooks", help="folder of workbooks (default: ./workbooks)")
    serve.add_argument(
        "--require-hub",
        action="store_true",
        help="under a JupyterHub: teachers' and coaches' pages open only by the hub's "
        "sign-in, never by a code in a link",
    )
    serve.add_argument(
        "--trusted-proxy",
        type=_network,
        action="append",
        default=[],
        metavar="ADDRESS",
        help="a proxy in front of this server (the hub's proxy, nginx), or their network "
        "(10.42.0.0/16), whose X-Forwarded-For is believed; repeat for several",
    )
    serve.add_argument(
        "--hub-check-seconds",
        type=_check_seconds,
        default=60,
        metavar="SECONDS",
        help="under a JupyterHub: how often to ask the hub whether the people signed in "
        "still have an account (their pages end when not; default 60)",
    )
    _data_options(serve)
    serve.set_defaults(run=cmd_serve)

    lab = sub.add_parser(
        "lab", help="JupyterLab on the workbooks and the same database (http://127.0.0.1:8888)"
    )
    lab.add_argument("--db", help="database file or URL", default=argparse.SUPPRESS)
    lab.add_argument("--port", type=_port, default=8888, help="port (default 8888)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser")
    _data_options(lab)
    lab.set_defaults(run=cmd_lab)

    protocols = sub.add_parser(
        "protocols", help="check protocol files: the library plus a folder of your own"
    )
    protocols_sub = protocols.add_subparsers(dest="protocols_command", required=True)
    check = protocols_sub.add_parser("check", help="load the library and list any problems")
    check.add_argument("folder", nargs="?", help="your folder (default: COLLAB_PROTOCOLS)")
    protocols.set_defaults(run=cmd_protocols)

    seed = sub.add_parser("seed", help="add synthetic demo data")
    seed.add_argument("--demo", action="store_true", required=True, help="the demo teams")
    seed.add_argument("--if-empty", action="store_true", help="only when there are no teams")
    seed.set_defaults(run=cmd_seed)

    coach = sub.add_parser("coach", help="coaches and their links")
    coach_sub = coach.add_subparsers(dest="coach_command", required=True)
    add = coach_sub.add_parser("add", help="create a coach and print the coach link")
    add.add_argument("name")
    coach_sub.add_parser("list", help="print every coach link")
    assign = coach_sub.add_parser("assign", help="let a coach follow a team too")
    assign.add_argument("team", help="the team code")
    assign.add_argument("coach", help="the coach code")
    rotate = coach_sub.add_parser(
        "rotate", help="give a coach a new code; the old coach link stops working"
    )
    rotate.add_argument("code", help="the coach's current code")
    coach.set_defaults(run=cmd_coach)

    school = sub.add_parser("school", help="schools and their coordinator's and principal's links")
    school_sub = school.add_subparsers(dest="school_command", required=True)
    school_add = school_sub.add_parser("add", help="create a school")
    school_add.add_argument("name")
    school_sub.add_parser("list", help="every school and who has a link (the links are not kept)")
    school_link = school_sub.add_parser("link", help="give a coordinator or principal a link")
    school_link.add_argument("school", type=int, help="the school's number (`collab school list`)")
    school_link.add_argument("role", choices=("coordinator", "principal"))
    school_link.add_argument("name")
    school_coach = school_sub.add_parser(
        "coach", help="move a coach and the teams they made to a school"
    )
    school_coach.add_argument("school", type=int, help="the school's number (`collab school list`)")
    school_coach.add_argument("coach", help="the coach code")
    school_rotate = school_sub.add_parser(
        "rotate", help="give a person a new link; their old one stops working"
    )
    school_rotate.add_argument(
        "person", type=int, help="the person's number (`collab school list`)"
    )
    school.set_defaults(run=cmd_school)

    hub = sub.add_parser("hub", help="link the district's JupyterHub users to coaches and members")
    hub_sub = hub.add_subparsers(dest="hub_command", required=True)
    hub_link = hub_sub.add_parser("link", help="link a hub user to a coach or a team member")
    hub_link.add_argument("user", help="the hub user's name, as the hub shows it")
    hub_link.add_argument("--coach", help="the coach's code")
    hub_link.add_argument("--team", help="the team's code (with --member)")
    hub_link.add_argument("--member", help="the member's name on that team's roster")
    hub_import = hub_sub.add_parser(
        "import",
        help="link many from a CSV file: hub_user,team_code,member (or hub_user,coach_code)",
    )
    hub_import.add_argument("file")
    hub_unlink = hub_sub.add_parser("unlink", help="take a hub user's links away")
    hub_unlink.add_argument("user")
    hub_sub.add_parser("list", help="every hub user's links")
    hub.set_defaults(run=cmd_hub)

    backup = sub.add_parser("backup", help="consistent copy of the database (safe while serving)")
    backup.add_argument("file")
    backup.set_defaults(run=cmd_backup)
    restore = sub.add_parser("restore", help="replace the database with a backup file")
    restore.add_argument("file")
    restore.set_defaults(run=cmd_restore)

    analyze = sub.add_parser("analyze", help="analyse a score file (CSV, TSV or XLSX)")
    analyze.add_argument("file")
    analyze.add_argument("--key", help="item map / answer key: item, standard, max points, answer")
    analyze.add_argument("--by", help="break results down by this column (small groups hidden)")
    analyze.add_argument("--min-n", type=int, default=10, help="smallest group shown (10)")
    analyze.add_argument("--format", choices=("json", "csv", "md"), default="json")
    analyze.set_defaults(run=cmd_analyze)

    record = sub.add_parser("export", help="write a meeting's record (HTML and Markdown)")
    record.add_argument("--team", required=True, help="the team code")
    record.add_argument("--meeting", required=True, type=int, help="the meeting's number")
    record.add_argument("--out", default=".", help="folder to write into (default: here)")
    record.set_defaults(run=cmd_export)

    team = sub.add_parser("team", help="export or import one team as JSON")
    team_sub = team.add_subparsers(dest="team_command", required=True)
    export = team_sub.add_parser("export")
    export.add_argument("code", help="the team code")
    export.add_argument("file")
    imp = team_sub.add_parser("import")
    imp.add_argument("file")
    imp.add_argument("--coach", help="coach code (default: the first coach)")
    team.set_defaults(run=cmd_team)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except CollabError as exc:
        print(f"collab: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
