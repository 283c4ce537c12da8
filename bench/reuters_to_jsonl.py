#!/usr/bin/env python3
"""Convert Reuters-21578 SGML (reut2-*.sgm) into scan JSONL: id, series, date, text, plus topics/places.

Usage: bench/reuters_to_jsonl.py [DIR] > reuters.jsonl   (DIR defaults to ../shared/data/reuters21578)
Never commit the output: the data stays in ../shared/data.
"""
import html
import json
import re
import sys
from datetime import datetime
from pathlib import Path

DOC = re.compile(r"<REUTERS([^>]*)>(.*?)</REUTERS>", re.S)
ATTR = re.compile(r'(\w+)="([^"]*)"')
MONTHS = {m: i + 1 for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}


def field(tag, body):
    m = re.search(rf"<{tag}>(.*?)</{tag}>", body, re.S)
    return m.group(1) if m else None


def clean(s):
    s = re.sub(r"&#\d+;", " ", s)  # control characters such as &#3; (end of story)
    s = html.unescape(s)
    s = re.sub(r"\s*\bReuter\s*$", "", s.strip())
    return s.strip()


def iso(date):
    m = re.match(r"\s*(\d+)-([A-Z]{3})-(\d{4})\s+(\d+):(\d+):(\d+)", date or "")
    if not m or m.group(2) not in MONTHS:
        return None
    d, mon, y, hh, mm, ss = m.groups()
    try:
        return datetime(int(y), MONTHS[mon], int(d), int(hh), int(mm), int(ss)).isoformat()
    except ValueError:
        return None


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/reuters21578")
    n = 0
    for path in sorted(root.glob("reut2-*.sgm")):
        raw = path.read_bytes().decode("latin-1")
        for m in DOC.finditer(raw):
            attrs = dict(ATTR.findall(m.group(1)))
            body = m.group(2)
            title = clean(field("TITLE", body) or "")
            text_body = clean(field("BODY", body) or "")
            if not text_body:
                # Some stories keep their text outside <BODY> (TYPE="UNPROC" / "BRIEF").
                t = field("TEXT", body) or ""
                t = re.sub(r"<[^>]+>.*?</[^>]+>", " ", t, flags=re.S)
                text_body = clean(t)
            text = (title + "\n\n" + text_body).strip() if text_body else title
            rec = {
                "id": "reuters-" + attrs.get("NEWID", str(n)),
                "series": "reuters",
                "date": iso(field("DATE", body)),
                "text": text,
                "topics": re.findall(r"<D>(.*?)</D>", field("TOPICS", body) or ""),
                "places": re.findall(r"<D>(.*?)</D>", field("PLACES", body) or ""),
            }
            sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    print(f"{n} records", file=sys.stderr)


if __name__ == "__main__":
    main()
