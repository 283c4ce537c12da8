#!/usr/bin/env python3
"""Convert AG News test.csv (class, title, description) into scan JSONL.

Usage: bench/agnews_to_jsonl.py [CSV] > ag.jsonl   (CSV defaults to ../shared/data/ag-news/test.csv)
The outlet is taken from a leading "AP - " / "Reuters - " style prefix when there is one.
"""
import csv
import json
import re
import sys

CLASSES = {"1": "World", "2": "Sports", "3": "Business", "4": "Sci/Tech"}


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/ag-news/test.csv"
    n = 0
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        for i, row in enumerate(csv.reader(f), 1):
            if len(row) != 3:
                continue
            cls, title, desc = row
            desc = desc.replace("\\", "\n")
            m = re.match(r"\s*([A-Za-z][\w.]*(?: [A-Z][\w.]*){0,3}) - ", desc)
            rec = {"id": f"ag-{i}", "text": f"{title}\n\n{desc}".strip(), "class": CLASSES.get(cls, cls)}
            if m and len(m.group(1)) < 40:
                rec["series"] = m.group(1)
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    print(f"{n} records", file=sys.stderr)


if __name__ == "__main__":
    main()
