"""Benchmark 4: vectorised compute of N synthetic regions × Y years (no notebooks).

Each size runs in a fresh subprocess so that peak memory (max RSS) belongs to that size alone.
Prints one line per size: regions, years, records, read+validate seconds, compute seconds,
emission rows, peak RSS MiB.

    python benchmarks/bench_compute.py --sizes 300,1000,3000 --years 30
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def one(regions: int, years: int) -> dict:
    sys.path.insert(0, str(HERE))
    from synthetic import make

    from inventory.core.activity import read_activity
    from inventory.core.factors import load_factors
    from inventory.pipeline.compute import compute_records

    with tempfile.TemporaryDirectory() as folder:
        make(Path(folder), regions, years)
        started = time.perf_counter()
        activity = read_activity(folder)
        factors = load_factors(folder)
        read_seconds = time.perf_counter() - started
        started = time.perf_counter()
        emissions = compute_records(activity, factors)
        compute_seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"regions": regions, "years": years, "records": len(activity.records),
            "read_s": round(read_seconds, 2), "compute_s": round(compute_seconds, 2),
            "rows": len(emissions), "peak_mib": round(peak)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="300,1000,3000")
    parser.add_argument("--years", type=int, default=30)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.years)))
        return
    for size in [int(s) for s in args.sizes.split(",")]:
        out = subprocess.run([sys.executable, __file__, "--one", str(size), "--years", str(args.years)],
                             check=True, capture_output=True, text=True)
        print(out.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
