"""The renovation subcommands of ``gridmap``: rank-buildings, hotspots, coverage.

They print the table (or its first rows) and, with ``--out FILE``, write it as
.xlsx (every sheet) or .csv (the main one), in the language of GRIDMAP_LANG, for
the renovation team's spreadsheets. :mod:`geo.cli` adds the parsers with
:func:`add_parsers` and hands the parsed arguments to :func:`run`.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from geo.arguments import metres, whole_number
from geo.errors import GridmapError
from geo.i18n import t

COMMANDS = ("rank-buildings", "hotspots", "coverage")
LAYER_NAMES = ("community", "buildings", "chargers", "drying_areas", "reports")
FACILITY_NAMES = {"chargers": "map.layer.chargers", "drying_areas": "map.layer.drying"}


def add_parsers(sub) -> None:
    """Add the three subcommands to ``gridmap``'s subparsers."""
    from geo.renovation.hotspots import DEFAULT_ALPHA, DEFAULT_RESOLUTION, RESOLUTIONS, UNITS
    from geo.renovation.priority import PARTS

    rank = sub.add_parser(
        "rank-buildings", help="the buildings ranked by renovation priority, with the reasons"
    )
    rank.add_argument("--top", type=whole_number, help="only the first N buildings")
    rank.add_argument("--out", help="write the list to FILE (.xlsx or .csv)")
    rank.add_argument("--community", help="the community (default: the first)")
    rank.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="PART=W",
        help=f"weight of a part of the score; parts: {', '.join(PARTS)}",
    )
    rank.add_argument(
        "--min-reports", type=whole_number, help="reports in 12 months that make a need (default 3)"
    )

    hot = sub.add_parser("hotspots", help="significant hot and cold spots of reports (Gi*, FDR)")
    hot.add_argument("--out", help="write the list to FILE (.xlsx or .csv)")
    hot.add_argument("--community", help="the community (default: the first)")
    hot.add_argument("--unit", choices=UNITS, default="h3", help="count per H3 cell or building")
    hot.add_argument(
        "--resolution", type=int, choices=RESOLUTIONS, default=DEFAULT_RESOLUTION,
        help=f"H3 resolution (default {DEFAULT_RESOLUTION})",
    )  # fmt: skip
    hot.add_argument(
        "--alpha", type=float, default=DEFAULT_ALPHA, help="false discovery rate (default 0.05)"
    )
    hot.add_argument(
        "--category", action="append", default=[], help="only this category (repeatable)"
    )
    hot.add_argument("--months", type=whole_number, help="only the last N months")

    cov = sub.add_parser(
        "coverage", help="buildings and households beyond reach of a charger or drying area"
    )
    cov.add_argument("--facility", required=True, choices=("chargers", "drying_areas"))
    cov.add_argument("--radius", type=metres, help="metres (default 150 chargers, 100 drying)")
    cov.add_argument("--kind", action="append", default=[], help="charger kind (repeatable)")
    cov.add_argument(
        "--include-broken", action="store_true", help="count chargers out of service too"
    )
    cov.add_argument(
        "--sites", type=whole_number, default=0, help="suggest N new sites on open ground"
    )
    cov.add_argument("--out", help="write the table to FILE (.xlsx or .csv)")
    cov.add_argument("--community", help="the community (default: the first)")


def _community(store, wanted: str | None) -> str:
    known = store.community_ids()
    if not known:
        raise GridmapError("buildings.cli.empty", store=store.url)
    if wanted is None:
        return known[0]
    if wanted not in known:
        raise GridmapError("buildings.cli.no_community", community=wanted, known=", ".join(known))
    return wanted


def _layers(store, community_id: str) -> dict:
    return {name: store.read(name, community_id) for name in LAYER_NAMES}


def _weights(pairs: list[str]) -> dict[str, float]:
    weights = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise GridmapError("cli.bad_pair", option="--weight", form="PART=W", pair=pair)
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            raise GridmapError(
                "cli.bad_pair", option="--weight", form="PART=W", pair=pair
            ) from None
    return weights


def _emit(sheets: dict, out: str | None, lang: str, head: int | None = None) -> None:
    from geo.renovation.tables import write_tables

    main = next(iter(sheets.values()))
    shown = main if head is None else main.head(head)
    if len(shown.columns) and not shown.empty:
        print(shown.to_string(index=False))
    if out:
        path = write_tables(out, sheets)
        print(t("buildings.cli.written", lang, n=len(main), path=path))


def run(store, args: argparse.Namespace, settings, now: datetime | None = None) -> int:
    """Run one of :data:`COMMANDS` against ``store``; return the exit status."""
    lang = settings.lang
    now = now or datetime.now(UTC)
    community_id = _community(store, args.community)
    layers = _layers(store, community_id)
    if args.command == "rank-buildings":
        return _rank(layers, args, lang, now)
    if args.command == "hotspots":
        return _hotspots(layers, args, lang, now, settings)
    return _coverage(layers, args, lang)


def _rank(layers: dict, args, lang: str, now: datetime) -> int:
    from geo.renovation import needs, priority, tables

    rules = needs.NeedRules()
    if args.min_reports is not None:
        rules = needs.NeedRules(min_reports=max(1, args.min_reports))
    weights = priority.checked_weights(_weights(args.weight))
    facts = needs.building_facts(layers, now, rules)
    found = needs.derive_needs(facts, rules)
    ranked = priority.rank(facts, found, weights, rules)
    table = tables.ranked_table(ranked, facts, found, lang, top=args.top)
    sheets = {
        t("buildings.sheet.ranking", lang): table,
        t("buildings.sheet.weights", lang): tables.weights_table(weights, lang),
    }
    for building_id, row in (ranked if args.top is None else ranked.head(args.top)).iterrows():
        parts = " + ".join(
            f"{t(priority.PART_KEYS[p], lang)} {row[f'contrib_{p}']:.1f}"
            for p in priority.PARTS
            if row[f"contrib_{p}"] > 0
        )
        name = facts.at[building_id, "name"]
        print(
            t(
                "buildings.cli.rank_line",
                lang,
                rank=int(row["rank"]),
                building=building_id,
                name="" if name is None else name,
                score=f"{row['score']:.1f}",
                parts=parts or "0",
            )
        )
        for words in needs.needs_text(found, building_id, lang):
            print(f"    - {words}")
    _emit(sheets, args.out, lang, head=0)
    return 0


def _hotspots(layers: dict, args, lang: str, now: datetime, settings) -> int:
    from geo.categories import load_categories
    from geo.renovation import hotspots, needs, tables

    reports = layers["reports"]
    if args.category:
        reports = reports[reports["category"].isin(args.category)]
    if args.months:
        reports = reports[reports["created_at"] >= needs.window_start(now, args.months)]
    result = hotspots.find_hotspots(reports, layers, args.unit, args.resolution, args.alpha)
    units = result.units
    print(
        t(
            "buildings.cli.hotspots",
            lang,
            hot=int((units["kind"] == "hot").sum()),
            cold=int((units["kind"] == "cold").sum()),
            units=len(units),
            reports=len(reports),
            q=args.alpha,
        )
    )
    table = tables.hotspot_table(result, lang, load_categories(settings.categories_file))
    _emit({t("buildings.sheet.hotspots", lang): table}, args.out, lang)
    return 0


def _coverage(layers: dict, args, lang: str) -> int:
    from geo.renovation import coverage, tables

    radius = args.radius if args.radius is not None else coverage.DEFAULT_RADIUS_M[args.facility]
    epsg = coverage.metric_epsg(layers)
    facilities = coverage.facilities_of(
        layers, args.facility, args.kind or None, working_only=not args.include_broken
    )
    table = coverage.coverage_table(layers["buildings"], facilities, radius, epsg)
    summary = coverage.summarise(table)
    print(
        t(
            "buildings.cli.coverage",
            lang,
            facility=t(FACILITY_NAMES[args.facility], lang),
            ub=summary.uncovered_buildings,
            b=summary.buildings,
            uh=summary.uncovered_households,
            h=summary.households,
            m=f"{radius:g}",
        )
    )
    sheets = {t("buildings.sheet.coverage", lang): tables.coverage_export(table, lang)}
    if args.sites:
        candidates = coverage.candidate_sites(layers["community"], layers["buildings"], epsg)
        sites = coverage.suggest_sites(
            layers["buildings"], table, candidates, radius, args.sites, epsg
        )
        for row in sites.itertuples():
            print(
                t(
                    "buildings.cli.site",
                    lang,
                    site=row.site,
                    lat=f"{row.geometry.y:.6f}",
                    lon=f"{row.geometry.x:.6f}",
                    n=row.households,
                    buildings=", ".join(row.buildings),
                )
            )
        if len(sites):
            sheets[t("buildings.sheet.sites", lang)] = tables.sites_export(sites, lang)
    _emit(sheets, args.out, lang, head=int((~table["covered"]).sum()))  # farthest first
    return 0
