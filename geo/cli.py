"""The ``gridmap`` command: load the demo, assign, import, export, migrate.

Every failure the user can fix is a :class:`~geo.errors.GridmapError` and is
printed as one line (exit status 2), never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from geo import access
from geo.arguments import whole_number
from geo.categories import load_categories
from geo.config import load_settings
from geo.errors import GridmapError
from geo.i18n import t
from geo.model import LAYERS


def _parse_pairs(pairs: Sequence[str], option: str, form: str) -> dict[str, str]:
    """``["A=B", ...]`` as ``{"A": "B"}``; a pair without "=" is refused."""
    mapping = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise GridmapError("cli.bad_pair", option=option, form=form, pair=pair)
        mapping[name.strip()] = value.strip()
    return mapping


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gridmap",
        description="Community Grid Map: load, assign, import and export a community's layers. "
        "The store is GRIDMAP_DB (a GeoPackage path or a postgresql:// URL).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="load the synthetic demo community into the store")
    demo.add_argument(
        "--reports", type=whole_number, default=6000, help="number of reports (default 6000)"
    )
    demo.add_argument("--seed", type=int, default=None, help="random seed (default: fixed)")
    demo.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing when the store already holds a community",
    )

    sub.add_parser("assign", help="reassign every report to its grid and building")

    imp = sub.add_parser("import", help="import a layer from a file")
    imp.add_argument("layer", choices=[n for n in LAYERS if n != "report_events"])
    imp.add_argument("file")
    imp.add_argument("--crs", help="source CRS: an EPSG code, wgs84, gcj02 or bd09")
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="source column of a field",
    )
    imp.add_argument(
        "--map-status",
        action="append",
        default=[],
        metavar="WORD=STATUS",
        help="status of the file's own word, e.g. --map-status Cancelled=rejected",
    )
    imp.add_argument("--community", help="community_id for rows that carry none")
    imp.add_argument(
        "--replace",
        action="store_true",
        help="replace the community's whole layer with the file (e.g. redrawn grids)",
    )
    imp.add_argument(
        "--format",
        choices=["open311"],
        help="read the file as Open311 GeoReport v2 JSON service requests (reports only)",
    )

    exp = sub.add_parser("export", help="export a layer (.geojson, .gpkg, .zip, .csv, .xlsx)")
    exp.add_argument("layer", choices=list(LAYERS))
    exp.add_argument("file")
    exp.add_argument("--community", help="only this community")
    exp.add_argument(
        "--include-private", action="store_true", help="keep reporters' names and phones unmasked"
    )
    exp.add_argument(
        "--format",
        choices=["open311", "sheet"],
        help="reports only: Open311 GeoReport v2 JSON, or the secretary's sheet (.csv, .xlsx)",
    )

    from geo.renovation import commands as renovation

    renovation.add_parsers(sub)  # rank-buildings, hotspots, coverage

    from geo.grids import commands as grid_commands

    grid_commands.add_parsers(sub)  # validate-grids, propose-grids
    from geo import user_commands

    user_commands.add_parser(sub)  # users add/list/disable/enable/passwd

    backup = sub.add_parser(
        "backup", help="copy every table of the store into a new GeoPackage file"
    )
    backup.add_argument("file", help="the backup to write (a new .gpkg file)")
    restore = sub.add_parser(
        "restore",
        help="replace the store's content with a backup (one transaction; the audit log stays)",
    )
    restore.add_argument("file", help="a .gpkg file written by gridmap backup")

    db = sub.add_parser("db", help="database administration")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("migrate", help="create or upgrade the PostGIS schema (safe to repeat)")
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = load_settings()
    lang = settings.lang
    from geo.store import open_store

    if args.command == "db":
        if not settings.is_postgis:
            print(t("cli.migrate_gpkg", lang))
            return 0
        from geo.store.postgis import migrate

        applied = migrate(settings.db)
        print(t("cli.migrated", lang, applied=", ".join(applied) or t("none", lang)))
        return 0

    # The shell of the server is the administrator's: what a command changes is
    # logged under cli:<login> (geo/store/audit.py).
    with open_store(settings) as store, access.acting_as(access.command_line_user()):
        from geo import user_commands

        if args.command in user_commands.COMMANDS:
            return user_commands.run(store, args, lang)
        from geo.renovation import commands as renovation

        if args.command in renovation.COMMANDS:
            return renovation.run(store, args, settings)
        from geo.grids import commands as grid_commands

        if args.command in grid_commands.COMMANDS:
            return grid_commands.run(store, args, settings)
        if args.command == "demo":
            return _demo(store, args, lang)
        if args.command in ("backup", "restore"):
            return _backup_or_restore(store, args, lang)
        if args.command == "assign":
            summary = store.reassign()
            print(t("cli.assigned", lang, **summary.__dict__))
            return 0
        if args.command == "import":
            from geo.io import import_file

            _check_format(args)
            categories = load_categories(settings.categories_file)
            if args.format == "open311":
                from geo.io.open311 import import_open311

                result = import_open311(store, args.file, args.community, settings.tz, categories)
            else:
                result = import_file(
                    store,
                    args.layer,
                    args.file,
                    crs=args.crs,
                    mapping=_parse_pairs(args.map, "--map", "FIELD=COLUMN"),
                    status_map=_parse_pairs(args.map_status, "--map-status", "WORD=STATUS"),
                    community_id=args.community,
                    tz=settings.tz,
                    categories=categories,
                    replace=args.replace,
                )
            for note in result.notes:
                print(note)
            print(
                t(
                    "cli.imported",
                    lang,
                    layer=args.layer,
                    imported=result.imported,
                    skipped=result.skipped,
                    rejected=result.rejected,
                    repaired=result.repaired,
                )
            )
            if result.replaced:
                print(t("cli.replaced", lang, n=result.replaced, layer=args.layer))
            if result.reassigned is not None:
                print(t("cli.assigned", lang, **result.reassigned.__dict__))
            if result.rejects_path is not None:
                print(t("cli.rejects_written", lang, path=result.rejects_path))
            return 0
        if args.command == "export":
            from geo.exporting import export_layer

            _check_format(args)
            if args.format is not None:
                n = _export_reports(store, args, settings)
                print(t("cli.exported", lang, n=n, layer=args.layer, path=args.file))
                return 0
            n = export_layer(
                store,
                args.layer,
                args.file,
                community_id=args.community,
                include_private=args.include_private,
                tz=settings.tz,
            )
            print(t("cli.exported", lang, n=n, layer=args.layer, path=args.file))
            return 0
    return 1


def _check_format(args) -> None:
    """--format names a reports format: refuse it for another layer."""
    if args.format is not None and args.layer != "reports":
        raise GridmapError("reports.cli.format_layer", format=args.format, layer=args.layer)


def _export_reports(store, args, settings) -> int:
    """``gridmap export reports FILE --format open311|sheet``."""
    categories = load_categories(settings.categories_file)
    if args.format == "open311":
        from geo.io.open311 import export_open311

        return export_open311(store, args.file, args.community, settings.tz, categories)
    from geo.exporting import export_report_sheet

    return export_report_sheet(
        store, args.file, args.community, settings.lang, settings.tz, categories=categories
    )


def _backup_or_restore(store, args, lang: str) -> int:
    """``gridmap backup FILE.gpkg`` and ``gridmap restore FILE.gpkg``."""
    from geo.store import backup

    if args.command == "backup":
        done = backup.backup_store(store, args.file)
        rows = backup.rows_text(done.rows, lang)
        print(t("backup.cli.written", lang, store=store.url, path=done.path, rows=rows))
        return 0
    done = backup.restore_store(store, args.file)
    rows = backup.rows_text(done.rows, lang)
    print(t("backup.cli.restored", lang, store=store.url, path=done.path, rows=rows))
    if done.left_alone:
        print(t("backup.cli.left_alone", lang, tables=", ".join(done.left_alone)))
    return 0


def _demo(store, args, lang: str) -> int:
    from geo import demo

    if args.if_empty and not store.is_empty():
        print(t("cli.demo_skipped", lang, store=store.url))
        return 0
    kwargs = {"n_reports": args.reports}
    if args.seed is not None:
        kwargs["seed"] = args.seed
    layers = demo.build_demo(**kwargs)
    store.load_community(layers)
    cid = demo.DEMO_COMMUNITY_ID
    print(
        t(
            "cli.demo_loaded",
            lang,
            store=store.url,
            grids=store.count("grids", cid),
            buildings=store.count("buildings", cid),
            households=int(layers["buildings"]["households"].sum()),
            reports=store.count("reports", cid),
        )
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(argv)
    except GridmapError as exc:
        lang = "en"
        try:
            lang = load_settings().lang
        except GridmapError:
            pass
        print(t("cli.error", lang, message=exc.message(lang)), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
