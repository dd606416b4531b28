#!/usr/bin/env python3
"""Write a synthetic national-registry CSV of N rows (the format: registry/demo/README.md) to stdout.

Deterministic for a given N and --seed, so benchmarks are comparable between runs.
About one row in five is a sub-service, one in fifty is retired.
"""
import argparse
import csv
import random
import sys

WORDS = ["صدور", "تمدید", "پاسخ به استعلام", "ثبت", "رسیدگی به", "تایید", "واگذاری"]
OBJECTS = ["پروانه ساختمان", "مجوز حفاری", "گواهی پایان کار", "پروانه کسب", "مجوز نصب تابلو",
           "درخواست تقسیط عوارض", "شکایت شهروندی", "مجوز دفن", "دستور نقشه", "تفکیک اراضی"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("rows", type=int)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = csv.writer(sys.stdout)
    out.writerow(["service_id", "parent_id", "title", "agency_code", "agency_name",
                  "service_type", "status", "updated_at"])
    written, parent, children, number = 0, None, 0, 0
    agency = 2000
    while written < args.rows:
        if written % 500 == 0:
            agency, number, parent = agency + 1, 0, None
        is_child = parent is not None and children < 99 and rng.random() < 0.2
        if is_child:
            children += 1
            sid = parent + children
        else:
            number += 1
            sid, children = agency * 10_000_000 + number * 100, 0
        title = f"{rng.choice(WORDS)} {rng.choice(OBJECTS)} {written}"
        status = "retired" if rng.random() < 0.02 else "approved"
        stype = rng.choice(["G2C", "G2B", "G2G", "G2C;G2B"])
        out.writerow([f"{sid:011d}", f"{parent:011d}" if is_child else "", title, str(agency),
                      f"دستگاه نمونه {agency}", stype, status, "2026-09-01T08:00:00+03:30"])
        if not is_child:
            parent = sid
        written += 1

if __name__ == "__main__":
    main()
