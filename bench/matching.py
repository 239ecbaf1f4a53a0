"""Recommend pairings at county, province and nation scale: cunqi.matching against peers.

    .venv/bin/python bench/matching.py --scale county province nation

For each scale a synthetic instance (fixed seed) is built: villages and enterprises
spread over an area sized so that a village has about 30 enterprises within the 30 km
candidate radius, 11 resource kinds, 3 industries, enterprise capacities 1–5. Ours is
``cunqi.matching``'s pipeline end to end (candidates + scores + exact assignment). Two
variants of ours solve its candidate pairs with integer costs of 2^20 steps instead of
2^30, and on a subset proven optimal on all pairs by node prices
(``matching.certificate``). The peers solve the same candidate pairs: the same solver as ours (OR-Tools'
``SimpleMinCostFlow``), fed one arc per Python call and pushing one unit per village
where ours feeds it numpy arrays and pushes only what the capacities can take; scipy's ``min_weight_full_bipartite_matching`` (capacities
as enterprise slots, a dummy column per village so anyone may stay unmatched), scipy's
dense ``linear_sum_assignment`` where the matrix fits in 2 GiB, and greedy (best score
first). Each runs in its own process, so each peak memory is its own (the instance
included); a peer that takes longer than ``--timeout`` seconds is reported as such.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as harness

SCALES = {
    # villages, enterprises, (lat from, lat to), (lon from, lon to)
    "county": (90, 88, (38.6, 39.4), (110.0, 110.9)),
    "province": (16_000, 5_000, (35.0, 40.8), (106.0, 113.5)),
    "nation": (490_000, 100_000, (21.0, 48.0), (86.0, 126.0)),
}
KINDS, INDUSTRIES = 11, 3
MIN_SCORE = 0.0
DENSE_LIMIT_BYTES = 2 * 2**30
WORK = harness.ROOT / "var" / "bench" / "matching"


def instance(scale: str):
    from cunqi.matching.scoring import Enterprises, Villages

    n_villages, n_enterprises, lat, lon = SCALES[scale]
    rng = np.random.default_rng(2026)

    def resources(n: int, share: float) -> np.ndarray:
        present = rng.random((n, KINDS)) < share
        return np.where(present, rng.lognormal(3, 1.5, (n, KINDS)), 0.0)

    villages = Villages(
        latitude=rng.uniform(*lat, n_villages),
        longitude=rng.uniform(*lon, n_villages),
        offers=resources(n_villages, 0.3),
        needs=resources(n_villages, 0.1),
        industry_affinity=rng.random((n_villages, INDUSTRIES))
        * (rng.random((n_villages, INDUSTRIES)) < 0.5),
    )
    enterprises = Enterprises(
        latitude=rng.uniform(*lat, n_enterprises),
        longitude=rng.uniform(*lon, n_enterprises),
        needs=resources(n_enterprises, 0.25),
        offers=resources(n_enterprises, 0.15),
        industry=rng.integers(0, INDUSTRIES, n_enterprises),
    )
    capacity = rng.integers(1, 6, n_enterprises)
    return villages, enterprises, capacity


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_ours(scale: str, top_k: int | None) -> dict:
    from cunqi.matching import assign
    from cunqi.matching.scoring import Weights, candidates

    villages, enterprises, capacity = instance(scale)
    started = time.perf_counter()
    found = candidates(
        villages, enterprises, Weights(max_distance_km=30), min_score=MIN_SCORE, top_k=top_k
    )
    scored = time.perf_counter()
    result = assign(found.village, found.enterprise, found.score, capacity)
    solved = time.perf_counter()
    if top_k is None:
        WORK.mkdir(parents=True, exist_ok=True)
        np.savez(
            WORK / f"{scale}.npz",
            village=found.village,
            enterprise=found.enterprise,
            score=found.score,
            capacity=capacity,
            villages=len(villages.latitude),
        )
    return {
        "pairs": len(found),
        "candidates s": scored - started,
        "solve s": solved - scored,
        "s": solved - started,
        "objective": result.objective,
        "matched": len(result.pairs),
        "peak MB": peak_mb(),
    }


def load(scale: str):
    data = np.load(WORK / f"{scale}.npz")
    return (
        data["village"],
        data["enterprise"],
        data["score"],
        data["capacity"],
        int(data["villages"]),
    )


def run_ortools_direct(scale: str) -> dict:
    """Min-cost flow with one Python call per arc, as a straightforward use would."""
    from ortools.graph.python import min_cost_flow

    village, enterprise, score, capacity, n_villages = load(scale)
    started = time.perf_counter()
    flow = min_cost_flow.SimpleMinCostFlow()
    scale_factor = 2**30 / score.max()
    source, sink = 0, 1
    pair_arcs = []
    for v, e, s in zip(village.tolist(), enterprise.tolist(), score.tolist(), strict=True):
        pair_arcs.append(
            flow.add_arc_with_capacity_and_unit_cost(
                2 + v, 2 + n_villages + e, 1, -round(s * scale_factor)
            )
        )
    for v in range(n_villages):
        flow.add_arc_with_capacity_and_unit_cost(source, 2 + v, 1, 0)
    for e, c in enumerate(capacity.tolist()):
        flow.add_arc_with_capacity_and_unit_cost(2 + n_villages + e, sink, c, 0)
    supply = n_villages
    flow.add_arc_with_capacity_and_unit_cost(source, sink, supply, 0)
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    flow.solve()
    chosen = np.array([flow.flow(arc) > 0 for arc in pair_arcs])
    return {
        "s": time.perf_counter() - started,
        "objective": float(score[chosen].sum()),
        "peak MB": peak_mb(),
    }


def run_coarser(scale: str) -> dict:
    """Ours with integer costs of 2^20 steps instead of 2^30 (fewer cost-scaling phases)."""
    from importlib import import_module

    # The module, not the function the package exports under the same name.
    assign_module = import_module("cunqi.matching.assign")
    assign_module.COST_RESOLUTION = 2**20
    village, enterprise, score, capacity, n_villages = load(scale)
    started = time.perf_counter()
    result = assign_module.assign(village, enterprise, score, capacity, n_villages=n_villages)
    return {
        "s": time.perf_counter() - started,
        "objective": result.objective,
        "peak MB": peak_mb(),
    }


def run_subset(scale: str) -> dict:
    """Ours solved on each village's 5 best arcs and each enterprise's 4 × capacity best,
    proven on all arcs by node prices, arcs added and solved again until proven."""
    from cunqi.matching.certificate import assign_on_subset

    village, enterprise, score, capacity, n_villages = load(scale)
    started = time.perf_counter()
    result, rounds = assign_on_subset(village, enterprise, score, capacity, n_villages)
    return {
        "s": time.perf_counter() - started,
        "objective": result.objective,
        "peak MB": peak_mb(),
        "note": f"{rounds} solves",
    }


def run_scipy_sparse(scale: str) -> dict:
    from scipy.sparse import coo_array, csr_array
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    village, enterprise, score, capacity, n_villages = load(scale)
    started = time.perf_counter()
    # Enterprise j becomes capacity[j] slot columns; each village also gets its own dummy
    # column, so a full matching of the villages always exists and "unmatched" costs C.
    slot_start = np.r_[0, np.cumsum(capacity)[:-1]]
    repeats = capacity[enterprise]
    rows = np.repeat(village, repeats)
    offsets = np.arange(repeats.sum()) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    cols = np.repeat(slot_start[enterprise], repeats) + offsets
    top = score.max() + 1.0
    weights = np.repeat(top - score, repeats)
    slots = int(capacity.sum())
    dummy = np.arange(n_villages)
    matrix = csr_array(
        coo_array(
            (
                np.r_[weights, np.full(n_villages, top)],
                (np.r_[rows, dummy], np.r_[cols, slots + dummy]),
            ),
            shape=(n_villages, slots + n_villages),
        )
    )
    matched_rows, matched_cols = min_weight_full_bipartite_matching(matrix)
    real = matched_cols < slots
    objective = float((top - matrix[matched_rows[real], matched_cols[real]]).sum())
    return {"s": time.perf_counter() - started, "objective": objective, "peak MB": peak_mb()}


def run_scipy_dense(scale: str) -> dict:
    from scipy.optimize import linear_sum_assignment

    village, enterprise, score, capacity, n_villages = load(scale)
    slots = int(capacity.sum())
    if 2 * n_villages * slots * 8 > DENSE_LIMIT_BYTES:  # the matrix and its copy
        return {"skipped": f"a {n_villages:,} × {slots:,} matrix needs more than 2 GiB"}
    started = time.perf_counter()
    slot_start = np.r_[0, np.cumsum(capacity)[:-1]]
    matrix = np.zeros((n_villages, slots))
    for offset in range(int(capacity.max())):
        usable = capacity[enterprise] > offset
        matrix[village[usable], slot_start[enterprise[usable]] + offset] = score[usable]
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return {
        "s": time.perf_counter() - started,
        "objective": float(matrix[rows, cols].sum()),
        "peak MB": peak_mb(),
    }


def run_greedy(scale: str) -> dict:
    village, enterprise, score, capacity, n_villages = load(scale)
    started = time.perf_counter()
    left = capacity.copy()
    taken = np.zeros(n_villages, dtype=bool)
    objective = 0.0
    for i in np.argsort(-score, kind="stable").tolist():
        v, e = village[i], enterprise[i]
        if not taken[v] and left[e] > 0:
            taken[v] = True
            left[e] -= 1
            objective += score[i]
    return {"s": time.perf_counter() - started, "objective": float(objective), "peak MB": peak_mb()}


def run_platform(scale: str) -> dict:
    """The same villages and enterprises stored in a fresh platform database (SQLite),
    and a matching run over all of them end to end (load, candidates, solve,
    explanations, recommendations saved with their history), beside the engine's own
    time on the instance the run loaded."""
    path = WORK / f"platform-{scale}.sqlite3"
    WORK.mkdir(parents=True, exist_ok=True)
    for old in WORK.glob(path.name + "*"):
        old.unlink()
    harness.setup_django(f"sqlite:///{path}")
    from auditlog.context import disable_auditlog
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from cunqi.core.models import Industry, ResourceKind
    from cunqi.matching import assign
    from cunqi.matching.scoring import Scorer, candidates
    from cunqi.pairing import recommend
    from cunqi.pairing.models import MatchingRun
    from cunqi.registry.models import Enterprise, Resource, Town, Village, Zone

    call_command("migrate", verbosity=0)
    villages, enterprises, capacity = instance(scale)
    kinds = list(ResourceKind.objects.order_by("pk").values_list("pk", flat=True))
    industries = list(Industry.objects.order_by("pk").values_list("pk", flat=True))

    def degrees(value: float) -> Decimal:
        return Decimal(f"{value:.6f}")

    def resources(owner: str, ids, amounts, direction: str):
        for row, pk in zip(amounts, ids, strict=True):
            for kind in np.flatnonzero(row):
                yield Resource(
                    **{f"{owner}_id": pk},
                    direction=direction,
                    kind_id=kinds[kind % len(kinds)],
                    quantity=degrees(float(row[kind])),
                )

    with transaction.atomic(), disable_auditlog():
        town = Town.objects.create(zone=Zone.objects.create(name="基准片区"), name="基准镇")
        village_ids = [
            row.pk
            for row in Village.objects.bulk_create(
                Village(
                    town=town,
                    code=f"96{n:010d}",
                    name=f"基准村{n:06d}",
                    latitude=degrees(lat),
                    longitude=degrees(lon),
                )
                for n, (lat, lon) in enumerate(
                    zip(villages.latitude, villages.longitude, strict=True)
                )
            )
        ]
        enterprise_ids = [
            row.pk
            for row in Enterprise.objects.bulk_create(
                Enterprise(
                    uscc=factory_uscc(n),
                    name=f"基准企业{n:06d}",
                    ownership="private",
                    industry_id=industries[int(industry) % len(industries)],
                    village_capacity=int(slots),
                    latitude=degrees(lat),
                    longitude=degrees(lon),
                )
                for n, (lat, lon, industry, slots) in enumerate(
                    zip(
                        enterprises.latitude,
                        enterprises.longitude,
                        enterprises.industry,
                        capacity,
                        strict=True,
                    )
                )
            )
        ]
        for rows in (
            resources("village", village_ids, villages.offers, "offers"),
            resources("village", village_ids, villages.needs, "needs"),
            resources("enterprise", enterprise_ids, enterprises.offers, "offers"),
            resources("enterprise", enterprise_ids, enterprises.needs, "needs"),
        ):
            Resource.objects.bulk_create(rows, batch_size=5000)

    run = MatchingRun.objects.create(max_distance_km=30, min_score=MIN_SCORE)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        recommend.execute(run)
    platform = time.perf_counter() - started
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.DONE, run.message

    loaded = recommend.build_instance(run)
    started = time.perf_counter()
    scorer = Scorer(loaded.villages, loaded.enterprises, recommend.weights(run))
    found = candidates(
        loaded.villages, loaded.enterprises, scorer.weights, min_score=run.min_score, scorer=scorer
    )
    result = assign(
        found.village,
        found.enterprise,
        found.score,
        loaded.capacity,
        n_villages=len(loaded.village_ids),
        min_score=run.min_score,
    )
    engine = time.perf_counter() - started
    return {
        "pairs": len(found),
        "s": platform,
        "engine s": engine,
        "ratio": platform / engine,
        "queries": len(queries),
        "queries other than inserts": sum(
            not query["sql"].startswith("INSERT") for query in queries.captured_queries
        ),
        "recommendations": run.recommendations.count(),
        "objective": result.objective,
        "peak MB": peak_mb(),
    }


def factory_uscc(number: int) -> str:
    from cunqi.core import uscc

    body = f"9161088{number:010d}"
    return body + uscc.check_character(body)


METHODS = {
    "ours": lambda scale: run_ours(scale, None),
    "ours top-50": lambda scale: run_ours(scale, 50),
    "ours, costs in 2^20 steps": run_coarser,
    "ours on a subset, proven by prices": run_subset,
    "same solver, arcs one Python call each": run_ortools_direct,
    "scipy sparse matching": run_scipy_sparse,
    "scipy dense assignment": run_scipy_dense,
    "greedy": run_greedy,
    "platform run": run_platform,
}


def measure(scale: str, method: str, timeout: int) -> dict:
    try:
        output = subprocess.run(
            [sys.executable, __file__, "--run", scale, method],
            capture_output=True,
            text=True,
            check=True,
            timeout=timeout,
        ).stdout
    except subprocess.TimeoutExpired:
        return {"skipped": f"did not finish in {timeout} s"}
    except subprocess.CalledProcessError as failure:
        return {"skipped": f"failed: {failure.stderr.strip().splitlines()[-1][:200]}"}
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", nargs="+", default=["county", "province"], choices=SCALES)
    parser.add_argument("--timeout", type=int, default=180)
    parser.add_argument("--run", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        scale, method = args.run
        print(json.dumps(METHODS[method](scale)))
        return
    lines = []
    for scale in args.scale:
        methods = [m for m in METHODS if m != "ours top-50" or scale == "nation"]
        if scale == "nation":  # a nation's runs are made per province (DESIGN §4)
            methods.remove("platform run")
        figures = {method: measure(scale, method, args.timeout) for method in methods}
        print(scale, figures, flush=True)
        best = figures["ours"]["objective"]
        n_villages, n_enterprises, _lat, _lon = SCALES[scale]
        lines += [
            f"**{scale}** ({n_villages:,} villages × {n_enterprises:,} enterprises, "
            f"{figures['ours']['pairs']:,} candidate pairs within 30 km):",
            "",
            "| method | s | of which candidates + scores | of which solve | objective | vs ours | peak RSS MB |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        platform = figures.pop("platform run", None)
        for method, f in figures.items():
            if "note" in f:
                method = f"{method} ({f['note']})"
            if "skipped" in f:
                lines.append(f"| {method} | — | | | | {f['skipped']} | |")
                continue
            gap = (f["objective"] - best) / best * 100 if best else 0.0
            parts = (
                (f"{f['candidates s']:.2f}", f"{f['solve s']:.2f}") if "solve s" in f else ("", "")
            )
            lines.append(
                f"| {method} | {f['s']:.2f} | {parts[0]} | {parts[1]} | {f['objective']:,.3f} | "
                f"{gap:+.2f}% | {f['peak MB']:.0f} |"
            )
        if platform is None:
            pass
        elif "skipped" in platform:
            lines += ["", f"Platform run: {platform['skipped']}."]
        else:
            lines += [
                "",
                f"Platform run (a matching run over the same villages and enterprises stored "
                f"in SQLite: load, candidates, solve, explanations, "
                f"{platform['recommendations']:,} recommendations saved with history): "
                f"**{platform['s']:.2f} s**, the engine on the instance the run loaded "
                f"{platform['engine s']:.2f} s — **{platform['ratio']:.1f}×** (aim ≤ 3×); "
                f"{platform['queries']:,} queries, {platform['queries other than inserts']} "
                f"of them not inserts; peak RSS {platform['peak MB']:.0f} MB.",
            ]
        lines.append("")
    command = f".venv/bin/python bench/matching.py --scale {' '.join(args.scale)} --timeout {args.timeout}"
    body = "\n".join(
        [
            "## Matching (`bench/matching.py`)",
            "",
            f"Measured {harness.stamp()}; `{command}`. Ours is candidates + scores + exact",
            "assignment end to end; the peers solve ours' candidate pairs (their time excludes",
            "candidate generation). Memory is each process's peak resident size, instance included.",
            "",
            *lines,
        ]
    )
    harness.write_section(f"matching-{'-'.join(args.scale)}", body)


if __name__ == "__main__":
    main()
