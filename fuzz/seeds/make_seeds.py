#!/usr/bin/env python3
"""Writes the committed seed corpora for the fuzz targets (fuzz/seeds/<target>/).

Every seed text here is written for reprint; the two harbour fixtures of the repository
are used as one realistic pair. Run from anywhere: python3 fuzz/seeds/make_seeds.py
"""
import gzip
import hashlib
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

ESC = "\x1b]0;PWNED\x07\x1b[2J"
TEXTS = [
    "The river rose two metres on Monday. Officials closed three bridges.\n",
    "Storm Hits Coast\n\nThe U.S. Navy said on Jan. 5 that Mr. Hale had left. \"We are ready,\" he said.\n",
    "A hard-wrapped line that goes on\nand on until it is hyphen-\nated across lines, then a page\n\n\n12\n\n\nbreak closes the sentence.\n",
    "<p>Markup &amp; entities &#39;quoted&#39; #39; &lt;b&gt;bold&lt;/b&gt; <a href=\"x\">link</a></p>\n",
    "caf\xe9 au lait, na\xefve r\xe9sum\xe9 \u2014 \u201cquoted\u201d \u2018single\u2019 \u2026 ellipsis\n",
    "\u0627\u0644\u0633\u0644\u0627\u0645 \u0639\u0644\u064a\u0643\u0645. \u4f60\u597d\u4e16\u754c\u3002 \u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440!\n",
    "Prices rose 7-5/8 pct to 1,234.5 mln dlrs in 1986/87, up from $3.2 billion.\n",
    "emoji only \U0001F389\U0001F389 and RTL \u202etxt.exe\u202c and zero\u200bwidth\n",
    ESC + " escape bytes in a text " + ESC + "\n",
    "!!! ... ??? --- ***\n",
    "word " * 300 + "\n",
    "Sentence one. " * 200,
    "x" * 5000,
    "\r\nWindows line ends.\r\nSecond line.\r\n",
    "\ufeffA text with a byte order mark.\n",
]
RAW = [
    b"caf\xe9 invalid \xff\xfe UTF-8 \xc3 bytes\n",
    b"\xef\xbb\xbfBOM then text.\n",
    "UTF-16 text here.".encode("utf-16"),
    b"PK\x03\x04\x00\x00binary",
    b"",
    b" \n\t ",
]


def write(target, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    blobs = [t.encode("utf-8", "surrogatepass") for t in TEXTS] + RAW
    for b in blobs:
        write("normalize_tokens", b)
    harbour = [
        open(os.path.join(REPO, "crates/reprint/tests/fixtures", n), "rb").read()
        for n in ("harbour_source.txt", "harbour_rewrite.txt")
    ]
    pairs = [(harbour[0], harbour[1])]
    for i in range(len(blobs) - 1):
        pairs.append((blobs[i], blobs[i + 1]))
    pairs.append((blobs[0], blobs[0]))
    for a, b in pairs:
        write("compare_pair", a + b"\xff\x00" + b)

    lines = [
        b'{"id":"a","text":"The river rose two metres on Monday.","series":"s1","date":"2024-02-29"}',
        b'{"id":7,"text":"Officials closed three bridges.","date":"2024-02-30","url":"u","n":[1,2]}',
        b'{"id":123456789012345678901234567890,"text":"Long numeric id."}',
        b'{"id":"bad","text":"Caf\xe9 invalid byte."}',
        b'{"id":"esc\\u001b]0;x\\u0007","text":"Escape \\u001b[2J in text.","date":"abc"}',
        b'{"id":"nl\\nfake line","text":"Newline in id."}',
        b'{"id":"a","text":"Duplicate id."}',
        b'{"id":"","text":"Empty id."}',
        b'{"text":"No id."}',
        b'{"id":"x"}',
        b'{not json',
        b'{"id":"e","text":"   "}',
        b'{"id":"p","text":"!!! ..."}',
        b'',
    ]
    body = b"\n".join(lines) + b"\n"
    write("jsonl_reader", b"\x00" + body)
    write("jsonl_reader", b"\x00\xef\xbb\xbf" + body)
    write("jsonl_reader", b"\x00" + lines[0])
    write("jsonl_reader", b"\x01" + gzip.compress(body))
    gz = gzip.compress(body)
    write("jsonl_reader", b"\x01" + gz[: len(gz) // 2])
    write("jsonl_reader", b"\x01" + gzip.compress(lines[0]) + gzip.compress(lines[1]))

    xss = [
        '<script>alert(1)</script>|<img src=x onerror=alert(1)>',
        '"><svg onload=alert(1)>|\'; alert(1); //',
        "&lt;already escaped&gt; &amp;|</textarea></style></script><b>",
        "The river rose two metres on Monday.|The river rose two metres on Monday.",
        ESC + " text " + ESC + "|" + ESC,
        "javascript:alert(1)|data:text/html,<script>x</script>",
    ]
    for x in xss:
        write("html_escape", x.encode())
    write("html_escape", harbour[0] + b"|" + harbour[1])


if __name__ == "__main__":
    main()
