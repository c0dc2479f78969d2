"""The grid subcommands of ``gridmap``: validate-grids and propose-grids.

``gridmap validate-grids [--json]`` prints the checks of the Grids page for the
stored grids and exits 1 when there are errors (0 with warnings only), so a script
or CI can refuse a broken set of grids. ``gridmap propose-grids N [--out FILE]``
prints a proposal of N balanced grids and writes it as GeoJSON or GeoPackage, to be
opened in QGIS or uploaded on the Grids page. :mod:`geo.cli` adds the parsers with
:func:`add_parsers` and hands the parsed arguments to :func:`run`.
"""

from __future__ import annotations

import argparse
import json
import warnings
from pathlib import Path

import pyogrio

from geo.arguments import whole_number
from geo.errors import GridmapError
from geo.i18n import t

COMMANDS = ("validate-grids", "propose-grids")
WRITERS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG"}


def _grids(text: str) -> int:
    value = whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError("at least one grid")
    return value


def add_parsers(sub) -> None:
    """Add the two subcommands to ``gridmap``'s subparsers."""
    from geo.grids.validate import Rules

    check = sub.add_parser(
        "validate-grids",
        help="check the stored grids (overlaps, gaps, slivers, cut buildings, households, "
        "workers); exit 1 when there are errors",
    )
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.add_argument("--community", help="the community (default: every one)")
    check.add_argument(
        "--min-households",
        type=whole_number,
        default=Rules.min_households,
        help=f"households a grid should have at least (default {Rules.min_households})",
    )
    check.add_argument(
        "--max-households",
        type=whole_number,
        default=Rules.max_households,
        help=f"households a grid should have at most (default {Rules.max_households})",
    )

    propose = sub.add_parser(
        "propose-grids", help="propose N contiguous grids with balanced households"
    )
    propose.add_argument("n", type=_grids, help="how many grids")
    propose.add_argument("--out", help="write the proposal to FILE (.geojson or .gpkg)")
    propose.add_argument("--community", help="the community (default: the first)")
    propose.add_argument("--seed", type=int, default=0, help="random seed (default 0)")


def run(store, args, settings) -> int:
    """Run a grid subcommand; the exit status."""
    if args.command == "validate-grids":
        return _validate(store, args, settings.lang)
    return _propose(store, args, settings.lang)


def _communities(store, wanted: str | None) -> list[str]:
    known = store.community_ids()
    if wanted is None:
        return known
    if wanted not in known:
        raise GridmapError(
            "grids.cli.no_community", community=wanted, known=", ".join(known) or "—"
        )
    return [wanted]


def _validate(store, args, lang: str) -> int:
    from geo.grids.validate import Rules, validate_grids

    rules = Rules(min_households=args.min_households, max_households=args.max_households)
    reports, errors = {}, 0
    for cid in _communities(store, args.community):
        grids = store.read("grids", cid)
        result = validate_grids(
            grids, store.read("community", cid), store.read("buildings", cid), rules
        )
        errors += len(result.errors)
        reports[cid] = result
        if args.json:
            continue
        print(
            t(
                "grids.cli.summary",
                lang,
                community=cid,
                grids=len(grids),
                errors=len(result.errors),
                warnings=len(result.warnings),
            )
        )
        for issue in result.issues:
            mark = "E" if issue.severity == "error" else "W"
            print(f"  {mark} {issue.message(lang, rules)}")
        listed = ", ".join(f"{g} {n}" for g, n in result.households.items())
        print("  " + t("grids.cli.households", lang, list=listed))
    if args.json:
        payload = {cid: result.as_json() for cid, result in reports.items()}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    return 1 if errors else 0


def _propose(store, args, lang: str) -> int:
    from geo.grids.propose import propose_grids

    cid = _communities(store, args.community)[:1]
    if not cid:
        raise GridmapError("grids.cli.no_community", community="—", known="—")
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in WRITERS:
        raise GridmapError("grids.cli.bad_out", name=out.name)
    community = store.read("community", cid[0])
    proposal = propose_grids(community, store.read("buildings", cid[0]), args.n, seed=args.seed)
    print(
        t(
            "grids.cli.proposed",
            lang,
            n=len(proposal.grids),
            community=cid[0],
            low=int(proposal.households.min()),
            high=int(proposal.households.max()),
            ratio=f"{proposal.ratio:.2f}",
        )
    )
    for code in proposal.grids["grid_id"]:
        print(f"  {code}  {int(proposal.households[code])}  ({int(proposal.buildings[code])})")
    if out is not None:
        frame = proposal.grids.assign(
            households=proposal.households.reindex(proposal.grids["grid_id"]).to_numpy()
        )
        if out.exists():
            out.unlink()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pyogrio.write_dataframe(
                frame,
                out,
                driver=WRITERS[out.suffix.lower()],
                layer="grids",
                geometry_type="MultiPolygon",
                promote_to_multi=True,
            )
        print(t("grids.cli.written", lang, path=out))
    return 0
