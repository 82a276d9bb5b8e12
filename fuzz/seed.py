#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ for the cargo-fuzz targets, from what the project's tests use.

Run by scripts/fuzz before fuzzing; standard library only. The JPEG seeds are checked in under
fuzz/seeds/image_header/ (made by fuzz/seeds/make_jpegs.py, which needs Pillow).

- mrz_parse: the MRZ lines of the engine's MRZ tests (the ICAO 9303 specimens and the other
  MRZs quoted there), as OCR might return them, with and without visual-zone lines.
- aamva_parse: the AAMVA specimens of the engine's barcode tests (re-laid out as its generate.rs
  does: header, designators with true offsets, subfiles) and the barcode texts quoted in
  parse_tests.rs.
- pdf_inspect: small PDFs like the server tests' (one page made by lopdf), with the structures
  lopdf and the engine's inflation check read: xref tables, Flate streams, object and
  cross-reference streams, incremental updates.
- image_header: small PNGs (every colour type, interlaced, 16-bit) and the checked-in JPEGs,
  most just over the 300-pixel minimum, and a few refused shapes.
- multipart_body: multipart/form-data bodies as reqwest makes them in the server tests.
- json_bodies: the JSON bodies of the server's API tests, and the token form.

Every seed is written as seed-<name>, so seeding again overwrites its own files and leaves the
fuzzers' finds alone. Files under fuzz/seeds/<target>/ and fuzz/regressions/<target>-* are
copied in as they are.
"""

import io
import json
import re
import shutil
import struct
import sys
import zlib
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
ROOT = FUZZ.parent
ENGINE = ROOT / "crates" / "engine" / "src"

TARGETS = [
    "mrz_parse",
    "aamva_parse",
    "pdf_inspect",
    "pdf_pages",
    "image_header",
    "multipart_body",
    "json_bodies",
]


def warn(message):
    print(f"seed: {message}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Rust string literals

_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|[nrt0\\'\"]|\n\s*)")


def rust_unescape(body, byte_string=False):
    """The value of a Rust (byte) string literal's body: bytes."""

    def one(match):
        escape = match.group(1)
        if escape.startswith("x"):
            value = int(escape[1:], 16)
            return chr(value) if not byte_string else chr(0xDC00 + value)
        if escape.startswith("u{"):
            return chr(int(escape[2:-1], 16))
        if escape[0] == "\n":
            return ""  # line continuation
        return {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "\\": "\\", "'": "'", '"': '"'}[
            escape
        ]

    text = _ESCAPE.sub(one, body)
    out = bytearray()
    for char in text:
        code = ord(char)
        if byte_string and 0xDC00 <= code <= 0xDCFF:
            out.append(code - 0xDC00)
        else:
            out.extend(char.encode("utf-8"))
    return bytes(out)


_LITERAL = re.compile(r'(b?)"((?:[^"\\]|\\.|\\\n)*)"', re.S)


def string_literals(source):
    """Every plain (not raw) string or byte-string literal in `source`, as bytes."""
    for match in _LITERAL.finditer(source):
        yield rust_unescape(match.group(2), byte_string=match.group(1) == "b")


# ---------------------------------------------------------------------------------------------
# MRZ

MRZ_CHARS = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")
REFERENCE_YEAR = bytes([2025 - 1900])


def mrz_seeds():
    seeds = {}
    sources = sorted((ENGINE / "documents" / "mrz").glob("*tests*.rs"))
    sources += sorted((ENGINE / "documents" / "mrz" / "scan").glob("*tests*.rs"))
    if not sources:
        warn("no MRZ tests found")
    mrzs = []
    for path in sources:
        source = path.read_text(encoding="utf-8")
        # const NAME: [&str; N] = ["line", "line", ...];
        for name, body in re.findall(
            r"const (\w+): \[&str; \d\] = \[(.*?)\];", source, re.S
        ):
            lines = [line.decode() for line in string_literals(body)]
            mrzs.append((name.lower(), lines))
        # Whole MRZ lines quoted on their own.
        for literal in string_literals(source):
            if len(literal) in (30, 36, 44) and set(literal) <= MRZ_CHARS:
                mrzs.append((f"line{len(mrzs)}", [literal.decode()]))
            elif b"\n" in literal and set(literal.replace(b"\n", b"")) <= MRZ_CHARS | set(b" "):
                mrzs.append((f"text{len(mrzs)}", literal.decode().split("\n")))
    whole = [(name, lines) for name, lines in mrzs if len(lines) > 1]
    # Quoted single lines: pair each first line with second lines of the same length.
    singles = [lines[0] for _, lines in mrzs if len(lines) == 1]
    for first in singles:
        if first[0] in "PIVAC" and not first[1:2].isdigit():
            for second in singles:
                if len(second) == len(first) and second != first and second[0] not in "PIVAC<":
                    whole.append((f"pair{len(whole)}", [first, second]))
                    break
    visual = "\n".join(
        [
            "PASSPORT / PASSEPORT",
            "Surname / Nom",
            "ERIKSSON",
            "Given names / Prenoms",
            "ANNA MARIA",
            "Passport No. / No du passeport",
            "L898902C3",
            "Date of birth / Date de naissance",
            "12 AUG / AOUT 74",
            "Date of expiry / Date d'expiration",
            "15 APR / AVR 12",
        ]
    )
    for name, lines in whole:
        text = "\n".join(lines)
        seeds[f"{name}"] = REFERENCE_YEAR + text.encode()
        # As OCR returns it: lower case, spaces, '«' for '<', CRLF.
        ocr = "\r\n".join(" ".join([line[:10], line[10:]]) for line in lines)
        seeds[f"{name}-ocr"] = REFERENCE_YEAR + ocr.lower().replace("<<", "«<").encode()
        seeds[f"{name}-visual"] = REFERENCE_YEAR + (text + "\x1e" + visual).encode()
        seeds[f"{name}-1999"] = bytes([99]) + text.encode()
    return seeds


# ---------------------------------------------------------------------------------------------
# AAMVA


def aamva_payload(version, iin, subfiles):
    """generate.rs's payload(): header, designators with true offsets and lengths, subfiles."""
    bodies = []
    for kind, elements in subfiles:
        bodies.append(kind + "\n".join(f"{i}{v}" for i, v in elements) + "\r")
    jurisdiction_version = "01" if version >= 2 else ""
    header = f"@\n\x1e\rANSI {iin}{version:02}{jurisdiction_version}{len(subfiles):02}"
    offset = len(header.encode("latin-1")) + 10 * len(subfiles)
    for (kind, _), body in zip(subfiles, bodies):
        length = len(body.encode("latin-1"))
        header += f"{kind}{offset:04}{length:04}"
        offset += length
    return (header + "".join(bodies)).encode("latin-1")


def aamva_seeds():
    seeds = {}
    barcode = ENGINE / "documents" / "barcode"
    specimens = barcode / "specimens.rs"
    payloads = []
    fronts = {}
    if specimens.exists():
        source = specimens.read_text(encoding="utf-8")
        consts = {}
        for name, body in re.findall(
            r"const (\w+): \[SubfileSpec<'static>; \d+\] = \[(.*?)\];", source, re.S
        ):
            subfiles = []
            for kind, elements in re.findall(r'\(\s*"([A-Z]{2})",\s*&\[(.*?)\]', body, re.S):
                pairs = re.findall(r'\("(\w+)",\s*"((?:[^"\\]|\\.)*)"\)', elements)
                subfiles.append(
                    (kind, [(i, rust_unescape(v).decode("latin-1")) for i, v in pairs])
                )
            consts[name] = subfiles
        for version, iin, name in re.findall(r'payload\((\d+),\s*"(\d+)",\s*&(\w+)\)', source):
            if name in consts:
                payloads.append((f"{name.lower()}", aamva_payload(int(version), iin, consts[name])))
                fronts[name.lower()] = licence_front(consts[name])
    else:
        warn("no barcode specimens found")
    tests = barcode / "parse_tests.rs"
    if tests.exists():
        for index, literal in enumerate(string_literals(tests.read_text(encoding="utf-8"))):
            if literal.startswith(b"@") or b"ANSI" in literal or b"AAMVA" in literal:
                payloads.append((f"test{index}", literal))
    default_front = "\n".join(
        ["DRIVER LICENSE", "4d DL I1234568", "4b EXP 08/31/2029", "1 SAMPLE", "2 ANNA MARIE",
         "3 DOB 08/31/1977"]
    ).encode()
    for name, data in payloads:
        seeds[f"{name}-bytes"] = b"\x00" + data
        seeds[f"{name}-text"] = b"\x01" + data
        front = fronts.get(name, default_front)
        seeds[f"{name}-front"] = b"\x02" + data + b"\x00" + front
    return seeds


def licence_front(subfiles):
    """The captioned fields a licence's front prints, from its barcode's elements."""
    elements = {i: v for _, pairs in subfiles for i, v in pairs}

    def printed(date):
        if len(date) == 8 and date.isdigit():
            if date[:2] in ("19", "20"):  # CCYYMMDD
                return f"{date[4:6]}/{date[6:]}/{date[:4]}"
            return f"{date[:2]}/{date[2:4]}/{date[4:]}"
        return date

    lines = ["DRIVER LICENSE"]
    if "DAQ" in elements:
        lines.append(f"4d DL {elements['DAQ']}")
    if "DBA" in elements:
        lines.append(f"4b EXP {printed(elements['DBA'])}")
    surname = elements.get("DCS") or elements.get("DAA", "").split(",")[0]
    if surname:
        lines += ["1", surname]
    if "DAC" in elements:
        lines.append(f"2 {elements['DAC']}")
    if "DBB" in elements:
        lines.append(f"3 DOB {printed(elements['DBB'])}")
    return "\n".join(lines).encode("latin-1")


# ---------------------------------------------------------------------------------------------
# PDF


def pdf_document(objects, version="1.5", trailer_extra=b"", root=1):
    """A PDF of `objects` (bytes, numbered from 1) with a classic cross-reference table."""
    out = bytearray(f"%PDF-{version}\n%\xe2\xe3\xcf\xd3\n".encode("latin-1"))
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R ".encode()
        + trailer_extra
        + f">>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def stream(dictionary, data, flate=False):
    if flate:
        data = zlib.compress(data)
        dictionary += b" /Filter /FlateDecode"
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def pdf_with_object_stream():
    """PDF 1.5: the page objects in a compressed object stream, found through a compressed
    cross-reference stream."""
    inner = [
        b"<< /Type /Catalog /Pages 3 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>",
    ]
    numbers = [2, 3, 4]
    header = b""
    body = b""
    for number, obj in zip(numbers, inner):
        header += b"%d %d " % (number, len(body))
        body += obj + b"\n"
    header += b"\n"
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    offsets[1] = len(out)
    out += b"1 0 obj\n" + stream(
        b"/Type /ObjStm /N 3 /First %d" % len(header), header + body, flate=True
    ) + b"\nendobj\n"
    offsets[5] = len(out)
    out += b"5 0 obj\n" + stream(b"", b"BT /F1 12 Tf 72 720 Td (verifyd) Tj ET", flate=True)
    out += b"\nendobj\n"
    xref_offset = len(out)
    rows = [(0, 0, 65535), (1, offsets[1], 0)]
    rows += [(2, 1, index) for index in range(3)]
    rows += [(1, offsets[5], 0), (1, xref_offset, 0)]
    data = b"".join(struct.pack(">BIH", kind, field2, field3) for kind, field2, field3 in rows)
    out += b"6 0 obj\n" + stream(
        b"/Type /XRef /Size 7 /W [1 4 2] /Root 2 0 R", data, flate=True
    ) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


def pdf_seeds():
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    # As the server tests' pdf(): lopdf's one page with "BT ET".
    one_page = pdf_document(
        [catalog, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, stream(b"", b"BT ET")]
    )
    flate = pdf_document(
        [
            catalog,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            page,
            stream(b"", b"BT /F1 24 Tf 100 700 Td (Proof of address) Tj ET\n" * 8, flate=True),
        ]
    )
    two_pages = pdf_document(
        [
            catalog,
            b"<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>",
            page,
            stream(b"", b"0 0 m 100 100 l S"),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [4 0 R 6 0 R] >>",
            stream(b"", b"q 1 0 0 1 0 0 cm Q", flate=True),
        ],
        version="1.4",
        trailer_extra=b"/Info << /Producer (verifyd fuzz) /CreationDate (D:20261122090000Z) >> ",
    )
    nested = pdf_document(
        [
            catalog,
            b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>",
            page,
            stream(b"", b"BT ET"),
            b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8 "
            b"/ColorSpace /DeviceGray /Length 1 >>\nstream\n\x80\nendstream",
            b"<< /Type /Pages /Parent 2 0 R /Kids [3 0 R] /Count 1 "
            b"/Resources << /XObject << /Im0 5 0 R >> >> >>",
        ]
    )
    no_pages = pdf_document([catalog, b"<< /Type /Pages /Kids [] /Count 0 >>"])
    # An incremental update: the page's contents replaced in a second revision.
    update_base = one_page
    previous = int(update_base.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    addition = b"4 0 obj\n" + stream(b"", b"BT ET\n", flate=True) + b"\nendobj\n"
    offset = len(update_base)
    xref = offset + len(addition)
    updated = (
        update_base
        + addition
        + b"xref\n4 1\n%010d 00000 n \ntrailer\n<< /Size 5 /Root 1 0 R /Prev %d >>\n"
        b"startxref\n%d\n%%%%EOF\n" % (offset, previous, xref)
    )
    seeds = {
        "one-page": one_page,
        "flate": flate,
        "two-pages": two_pages,
        "nested-pages": nested,
        "no-pages": no_pages,
        "object-stream": pdf_with_object_stream(),
        "incremental": updated,
        "truncated": one_page[: len(one_page) // 2],
        "no-xref": one_page.split(b"xref")[0] + b"%%EOF\n",
    }
    return seeds


def pdf_page_seeds(pdfs, jpeg):
    """The inspection's PDFs, and scans as Document Verification takes them apart: a page of a
    JPEG image, a page of an 8-bit RGB image inflated from Flate, a page of text, together."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"

    def scan_page(image_object, content_object):
        return (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /XObject << /Im0 %d 0 R >> /Font << /F1 << /Type /Font "
            b"/Subtype /Type1 /BaseFont /Helvetica >> >> >> >>" % (content_object, image_object)
        )

    draw = stream(b"", b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    jpeg_image = stream(
        b"/Type /XObject /Subtype /Image /Width 2 /Height 1 /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Filter /DCTDecode",
        jpeg,
    )
    rgb_image = stream(
        b"/Type /XObject /Subtype /Image /Width 2 /Height 1 /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8",
        bytes([255, 0, 0, 0, 0, 255]),
        flate=True,
    )
    text = stream(b"", b"BT /F1 12 Tf 72 700 Td (ACCOUNT HOLDER: JANE DOE) Tj ET")
    scans = pdf_document(
        [
            catalog,
            b"<< /Type /Pages /Kids [3 0 R 6 0 R 9 0 R] /Count 3 >>",
            scan_page(4, 5),
            jpeg_image,
            draw,
            scan_page(7, 8),
            rgb_image,
            draw,
            scan_page(4, 10),
            text,
        ]
    )
    return {**pdfs, "scans": scans}


# ---------------------------------------------------------------------------------------------
# Images


def png(width, height, colour_type, bit_depth=8, interlace=0, pixel=None, extra=b""):
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour_type]
    row_bytes = (width * channels * bit_depth + 7) // 8

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF
        )

    def scanlines(w, h, y0=0):
        rb = (w * channels * bit_depth + 7) // 8
        raw = bytearray()
        for y in range(h):
            raw.append(1 if y % 2 else 0)  # Sub and None filters
            raw += bytes(((x * 7 + (y + y0) * 3) & 0xFF) for x in range(rb))
        return bytes(raw)

    if interlace:
        # Adam7: the passes' sub-images, one after another.
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4),
                  (1, 0, 2, 2), (0, 1, 1, 2)]
        raw = b""
        for x0, y0, dx, dy in passes:
            w = (width - x0 + dx - 1) // dx if width > x0 else 0
            h = (height - y0 + dy - 1) // dy if height > y0 else 0
            if w and h:
                raw += scanlines(w, h, y0)
    else:
        raw = scanlines(width, height)
    out = b"\x89PNG\r\n\x1a\n"
    out += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, interlace))
    if colour_type == 3:
        out += chunk(b"PLTE", bytes(range(0, 48)))
        out += chunk(b"tRNS", b"\x00\x80")
    out += extra
    out += chunk(b"IDAT", zlib.compress(raw, 9))
    out += chunk(b"IEND", b"")
    return out


def image_seeds():
    seeds = {
        "rgb.png": png(320, 12, 2),
        "rgba.png": png(310, 8, 6),
        "grey.png": png(400, 10, 0),
        "grey-alpha.png": png(301, 6, 4),
        "palette.png": png(320, 10, 3, bit_depth=4),
        "grey-1bit.png": png(640, 8, 0, bit_depth=1),
        "rgb-16bit.png": png(301, 4, 2, bit_depth=16),
        "interlaced.png": png(320, 16, 2, interlace=1),
        "tall.png": png(4, 320, 0),
        "small.png": png(300, 300, 0, bit_depth=1),
        "text-chunk.png": png(320, 4, 0, extra=struct.pack(">I", 14) + b"tEXt" + b"Software\x00GIMP"
                              + struct.pack(">I", zlib.crc32(b"tEXtSoftware\x00GIMP") & 0xFFFFFFFF)),
    }
    # The test of a decompression bomb: a header claiming 60000x60000.
    bomb = bytearray(png(400, 4, 0))
    bomb[16:20] = struct.pack(">I", 60000)
    bomb[20:24] = struct.pack(">I", 60000)
    seeds["bomb-header.png"] = bytes(bomb)
    seeds["truncated.png"] = seeds["rgb.png"][: len(seeds["rgb.png"]) // 2]
    # Polyglots, as the server's hardening tests send them: what follows the image's own end
    # (a page for a sniffing browser, a ZIP's directory) is not stored.
    seeds["polyglot-html.png"] = seeds["grey.png"] + b"<html><script>alert(1)</script></html>"
    zip_tail = b"PK\x03\x04" + bytes(26) + b"PK\x05\x06" + bytes(18)
    for path in sorted((FUZZ / "seeds" / "image_header").glob("*.jpg"))[:2]:
        seeds[f"polyglot-zip-{path.name}"] = path.read_bytes() + zip_tail
    return seeds


# ---------------------------------------------------------------------------------------------
# Multipart

BOUNDARY = b"verifyd-fuzz-boundary"


def multipart(parts, preamble=b"", epilogue=b""):
    out = bytearray(preamble)
    for headers, data in parts:
        out += b"--" + BOUNDARY + b"\r\n"
        for header in headers:
            out += header + b"\r\n"
        out += b"\r\n" + data + b"\r\n"
    out += b"--" + BOUNDARY + b"--\r\n" + epilogue
    return bytes(out)


def multipart_seeds(images, pdfs):
    jpeg = next((data for name, data in sorted(images.items()) if name.endswith(".jpg")), None)
    file_bytes = jpeg or images["rgb.png"]
    bodies = {
        # reqwest's Form::new().part("file", Part::bytes(..).file_name("front.jpg"))
        "file": multipart(
            [([b'Content-Disposition: form-data; name="file"; filename="front.jpg"'], file_bytes)]
        ),
        "file-pdf": multipart(
            [([b'Content-Disposition: form-data; name="file"; filename="proof.pdf"',
               b"Content-Type: application/pdf"], pdfs["one-page"])]
        ),
        # acquisition.rs: Form::new().text("other", "x"): no file field.
        "other": multipart([([b'Content-Disposition: form-data; name="other"'], b"x")]),
        "other-then-file": multipart(
            [
                ([b'Content-Disposition: form-data; name="note"',
                  b"Content-Type: text/plain; charset=iso-8859-1"], b"caf\xe9"),
                ([b'Content-Disposition: form-data; name="file"; filename="back.png"',
                  b"Content-Type: image/png"], images["grey.png"]),
            ],
            preamble=b"This is the preamble.\r\n",
            epilogue=b"epilogue",
        ),
        "two-files": multipart(
            [
                ([b'Content-Disposition: form-data; name="file"; filename="a.png"'], images["rgba.png"]),
                ([b'Content-Disposition: form-data; name="file"; filename*=UTF-8\'\'b%C3%A4.png'],
                 images["palette.png"]),
            ]
        ),
        "boundary-in-data": multipart(
            [([b'Content-Disposition: form-data; name="file"; filename="x.bin"'],
              b"--verifyd-fuzz-boundar\r\n--verifyd-fuzz-boundary-not\r\n")]
        ),
        "unterminated": multipart(
            [([b'Content-Disposition: form-data; name="file"'], b"data")]
        )[:-len(BOUNDARY) - 6],
        "empty": b"--" + BOUNDARY + b"--\r\n",
    }
    seeds = {}
    for name, body in bodies.items():
        # Whole; in 1-byte and 7-byte chunks; fields other than file read as text; first file only.
        for selector in (0x00, 0x01, 0x06, 0x1B, 0x2D):
            seeds[f"{name}-{selector:02x}"] = bytes([selector]) + body
    return seeds


# ---------------------------------------------------------------------------------------------
# JSON bodies

CONSENT = {
    "userIp": "192.0.2.10",
    "userLocation": {"country": "USA", "state": "IL"},
    "consent": {"obtained": "yes", "obtainedAt": "2026-11-01T10:00:00.000Z"},
}

ACCOUNTS = [
    {
        "customerInternalReference": "order-4711",
        "userReference": "user-17",
        "workflowDefinition": {
            "key": 2,
            "credentials": [
                {
                    "category": "ID",
                    "type": {"values": ["PASSPORT", "ID_CARD"]},
                    "country": {"predefinedType": "RECOMMENDED", "values": ["NLD", "DEU"]},
                }
            ],
        },
        "callbackUrl": "https://example.com/callback",
        "tokenLifetime": "1h",
        "web": {"successUrl": "https://example.com/ok", "errorUrl": "https://example.com/ko", "locale": "de"},
    },
    {"customerInternalReference": "a", "workflowDefinition": {"key": 2}},
    {"customerInternalReference": "b", "workflowDefinition": {"key": "2"}},
    {
        "customerInternalReference": "ref",
        "workflowDefinition": {"key": 2, "credentials": [{"category": "ID"}, {"category": "DOCUMENT"}]},
    },
    {
        "customerInternalReference": "ref",
        "userReference": "user",
        "workflowDefinition": {
            "key": 3,
            "credentials": [{"category": "ID"}, {"category": "SELFIE"}, {"category": "FACEMAP"}],
            "capabilities": {"watchlistScreening": {"additionalProperties": "dob"}},
        },
        "userConsent": CONSENT,
        "reportingCriteria": "report 1",
        "tokenLifetime": "5m",
    },
    {
        "customerInternalReference": "ref",
        "workflowDefinition": {
            "key": 5,
            "credentials": [{"category": "ID", "id": "0b7a5d3e-8c1f-4e51-9a41-3f1a2b3c4d5e"},
                            {"category": "SELFIE"}],
        },
    },
    {
        "customerInternalReference": "ref",
        "userReference": "u",
        "workflowDefinition": {"key": 32},
        "callbackUrl": "http://127.0.0.1:8080/callback",
        "tokenLifetime": "60d",
    },
    {"customerInternalReference": "x" * 101, "workflowDefinition": {"key": 9}},
    {"customerInternalReference": "a<b>", "workflowDefinition": {"key": 16}, "tokenLifetime": "0s"},
    {"customerInternalReference": "a", "workflowDefinition": {"key": 20.5}},
]

INITIATES = [
    {
        "customerInternalReference": "transaction_1234",
        "userReference": "user_1234",
        "reportingCriteria": "myReport1234",
        "successUrl": "https://www.example.com/success",
        "errorUrl": "https://www.example.com/error",
        "callbackUrl": "http://127.0.0.1:9999/callback",
        "workflowId": 102,
        "presets": [{"index": 1, "country": "AUT", "type": "PASSPORT"}],
        "locale": "en-GB",
        "tokenLifetimeInMinutes": 60,
    },
    {"customerInternalReference": "t", "userReference": "u"},
    {"customerInternalReference": "t", "userReference": "u", "workflowId": 201, "tokenLifetimeInMinutes": 4.5},
    {"customerInternalReference": "t", "userReference": "u", "workflowId": "100",
     "presets": [{"index": 2, "country": "XKX", "type": "ID_CARD"}], "locale": "xx"},
]

PREPARED = [
    {"firstName": "JANE", "lastName": "DOE", "dateOfBirth": "1990-01-01", "sex": "F", "nationality": "NLD"},
    {"dateOfBirth": "01.01.1990"},
    {"sex": "X"},
    {"favouriteColour": "red"},
    {"nationality": "Netherlands"},
    {"lastName": "SOMEBODY ELSE", "dateOfBirth": "1901-01-01"},
    {"lastName": "eriksson", "dateOfBirth": "1974-08-12", "email": "a@example.com",
     "address": {"line1": "1 Main St", "postalCode": "12345"}, "id": {"idNumber": "L898902C3"},
     "kyc": {}, "bank": {"iban": "NL00"}, "business": {"name": "x", "nested": [1, 2.5, None, True]}},
]

WEB_DOCUMENTS = [
    {"credentialId": "0b7a5d3e-8c1f-4e51-9a41-3f1a2b3c4d5e", "country": "DEU", "idType": "PASSPORT"},
    {"credentialId": "not-a-uuid", "country": "USA", "idType": "DRIVING_LICENSE"},
    {"credentialId": "0B7A5D3E8C1F4E519A413F1A2B3C4D5E", "country": "NLD", "idType": "VISA"},
]

TOKEN_FORMS = [
    b"grant_type=client_credentials",
    b"grant_type=client_credentials&client_id=tenant&client_secret=s%C3%A9cret",
    b"grant_type=password&client_id=a+b",
]


def json_seeds():
    seeds = {}
    for selector, bodies in ((0, ACCOUNTS), (1, INITIATES), (2, PREPARED), (3, WEB_DOCUMENTS)):
        for index, body in enumerate(bodies):
            text = json.dumps(body, ensure_ascii=False).encode()
            seeds[f"{selector}-{index}"] = bytes([selector]) + text
            # The development setting that admits local URLs.
            seeds[f"{selector}-{index}-local"] = bytes([selector | 0x80]) + text
    for index, form in enumerate(TOKEN_FORMS):
        seeds[f"4-{index}"] = b"\x04" + form
    seeds["malformed"] = b'\x00{"customerInternalReference": "a", '
    return seeds


# ---------------------------------------------------------------------------------------------


def write(target, seeds):
    directory = FUZZ / "corpus" / target
    directory.mkdir(parents=True, exist_ok=True)
    written = 0
    for name, data in seeds.items():
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
        (directory / f"seed-{safe}").write_bytes(data)
        written += 1
    for extra in sorted((FUZZ / "seeds" / target).glob("*")):
        if extra.is_file():
            shutil.copyfile(extra, directory / f"seed-{extra.name}")
            written += 1
    for regression in sorted((FUZZ / "regressions").glob(f"{target}-*")):
        shutil.copyfile(regression, directory / f"regression-{regression.name}")
        written += 1
    total = sum(1 for path in directory.iterdir() if path.is_file())
    print(f"seed: {target}: {written} seeds, {total} files in {directory.relative_to(ROOT)}")


def main(argv):
    targets = argv or TARGETS
    images = image_seeds()
    pdfs = pdf_seeds()
    # Checked-in JPEGs are file seeds of image_header; the multipart bodies carry one too.
    checked_in = {
        path.name: path.read_bytes()
        for path in sorted((FUZZ / "seeds" / "image_header").glob("*.jpg"))
    }
    builders = {
        "mrz_parse": mrz_seeds,
        "aamva_parse": aamva_seeds,
        "pdf_inspect": lambda: pdfs,
        "pdf_pages": lambda: pdf_page_seeds(
            pdfs, next(iter(checked_in.values()), b"\xff\xd8\xff\xd9")
        ),
        "image_header": lambda: images,
        "multipart_body": lambda: multipart_seeds({**checked_in, **images}, pdfs),
        "json_bodies": json_seeds,
    }
    for target in targets:
        if target not in builders:
            warn(f"unknown target {target}")
            return 2
        write(target, builders[target]())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
