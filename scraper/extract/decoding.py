"""Turn a stored HTTP body into the text a browser would show, before extraction sees it.

Why this exists: trafilatura given bytes ignores the declared charset and guesses, which garbles
windows-1256 Arabic pages (and other single-byte Middle East encodings). So we undo the
Content-Encoding as stored in the WARC record, pick the charset the way a browser does (the
WHATWG HTML encoding sniffing algorithm and the Encoding Standard's labels), and hand the
extractor text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from scraper.extract.content_coding import DEFAULT_MAX_DECODED_BYTES, decode_content

__all__ = ["DEFAULT_MAX_DECODED_BYTES", "DecodedPage", "codec_for_label", "decode_content",
           "decode_html", "sniff_charset"]


# The WHATWG Encoding Standard's labels, as "python codec: labels". Where Python has no codec for
# an encoding, the nearest one: iso-8859-8-i decodes like iso-8859-8 (they differ only in display
# direction) and x-user-defined becomes windows-1252, as the HTML prescan does. Labels of the
# "replacement" encoding (iso-2022-kr, hz-gb-2312, ...) are left out, so they count as unknown.
_WHATWG_LABELS = """
utf-8: unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8
cp866: 866 cp866 csibm866 ibm866
iso8859-2: csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2
iso8859-2: latin2
iso8859-3: csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3
iso8859-3: latin3
iso8859-4: csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4
iso8859-4: latin4
iso8859-5: csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5
iso8859-5: iso_8859-5:1988
iso8859-6: arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6
iso8859-6: iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987
iso8859-7: csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597
iso8859-7: iso_8859-7 iso_8859-7:1987 sun_eu_greek
iso8859-8: csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8
iso8859-8: iso88598 iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical
iso8859-10: csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6
iso8859-13: iso-8859-13 iso8859-13 iso885913
iso8859-14: iso-8859-14 iso8859-14 iso885914
iso8859-15: csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9
iso8859-16: iso-8859-16
koi8-r: cskoi8r koi koi8 koi8-r koi8_r
koi8-u: koi8-ru koi8-u
mac-roman: csmacintosh mac macintosh x-mac-roman
cp874: dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874
cp1250: cp1250 windows-1250 x-cp1250
cp1251: cp1251 windows-1251 x-cp1251
cp1252: ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1
cp1252: iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252 x-user-defined
cp1253: cp1253 windows-1253 x-cp1253
cp1254: cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5
cp1254: latin5 windows-1254 x-cp1254
cp1255: cp1255 windows-1255 x-cp1255
cp1256: cp1256 windows-1256 x-cp1256
cp1257: cp1257 windows-1257 x-cp1257
cp1258: cp1258 windows-1258 x-cp1258
mac-cyrillic: x-mac-cyrillic x-mac-ukrainian
gb18030: chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk gb18030
big5hkscs: big5 big5-hkscs cn-big5 csbig5 x-x-big5
euc_jp: cseucpkdfmtjapanese euc-jp x-euc-jp
iso2022_jp: csiso2022jp iso-2022-jp
cp932: csshiftjis ms_kanji shift-jis shift_jis sjis windows-31j x-sjis
cp949: cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601
cp949: ksc_5601 windows-949
utf-16-be: unicodefffe utf-16be
utf-16-le: csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le
"""
_LABELS = {
    label: codec.strip()
    for line in _WHATWG_LABELS.strip().splitlines()
    for codec, _, labels in [line.partition(":")]
    for label in labels.split()
}


def codec_for_label(label: str) -> str | None:
    """The Python codec for a WHATWG encoding label, or None for a label the standard lacks."""
    return _LABELS.get(label.strip("\t\n\f\r ").lower())


_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_PRESCAN_BYTES = 1024
_SPACE = "\t\n\f\r "
_TAG_START = re.compile(r"<!--|<meta[\t\n\f\r /]|</?[a-z]|<[!/?]", re.IGNORECASE)
_ATTRIBUTE = re.compile(
    r"""[\t\n\f\r /]*(?P<name>=?[^\t\n\f\r />=]*)
        (?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\t\n\f\r >]*)))?""",
    re.VERBOSE,
)
_CONTENT_CHARSET = re.compile(
    r"""charset[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r ;"'][^\t\n\f\r ;]*))""",
    re.IGNORECASE,
)


def _bom_charset(body: bytes) -> str | None:
    """The codec a byte order mark at the start of body names, if there is one."""
    return next((codec for mark, codec in _BOMS if body.startswith(mark)), None)


def _header_charset(content_type: str | None) -> str | None:
    """The codec named by the charset parameter of a Content-Type header, if known."""
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return codec_for_label(value.strip().strip("\"'"))
    return None


def _next_attribute(head: str, pos: int) -> tuple[str, str, int] | None:
    """The WHATWG "get an attribute" step: (name, value, position after it), or None at '>'."""
    match = _ATTRIBUTE.match(head, pos)
    if match is None or not match.group("name"):
        return None
    value = next((v for v in match.group("dq", "sq", "uq") if v is not None), "")
    return match.group("name").lower(), value, match.end()


def _meta_charset(head: str, pos: int) -> tuple[str | None, int]:
    """The codec a <meta> tag declares (None if it declares none) and the position after it."""
    seen: set[str] = set()
    got_pragma, need_pragma, charset = False, None, None  # charset "" = unknown label
    while (attribute := _next_attribute(head, pos)) is not None:
        name, value, pos = attribute
        if name in seen:
            continue
        seen.add(name)
        if name == "http-equiv":
            got_pragma = got_pragma or value.lower() == "content-type"
        elif name == "content" and charset is None:
            match = _CONTENT_CHARSET.search(value)
            label = next((g for g in match.groups() if g is not None), "") if match else ""
            if (codec := codec_for_label(label)) is not None:
                charset, need_pragma = codec, True
        elif name == "charset":
            charset, need_pragma = codec_for_label(value) or "", False
    if need_pragma is None or (need_pragma and not got_pragma) or not charset:
        return None, pos
    # A page whose <meta> could be read as ASCII is not UTF-16, whatever it says.
    return ("utf-8" if charset.startswith("utf-16") else charset), pos


def _prescan(head: str) -> str | None:
    """The WHATWG prescan for a <meta> charset declaration; head is the first bytes as latin-1."""
    pos = 0
    while (match := _TAG_START.search(head, pos)) is not None:
        token = match.group().lower()
        if token == "<!--":
            end = head.find("-->", match.start() + 2)
            pos = len(head) if end < 0 else end + 3
        elif token.startswith("<meta"):
            charset, pos = _meta_charset(head, match.end())
            if charset is not None:
                return charset
        elif token[-1].isalpha():  # another tag: skip its name and attributes
            pos = next((i for i in range(match.end(), len(head)) if head[i] in _SPACE + ">"),
                       len(head))
            while (attribute := _next_attribute(head, pos)) is not None:
                pos = attribute[2]
        else:  # <! <? </ followed by no letter
            end = head.find(">", match.end())
            pos = len(head) if end < 0 else end + 1
    return None


def _detected_charset(body: bytes) -> str | None:
    """charset_normalizer's best guess, as a Python codec name."""
    best = from_bytes(body).best()
    if best is None:
        return None
    codec = codecs.lookup(best.encoding).name
    return codec_for_label(codec) or codec  # e.g. its "ascii" is read as windows-1252


def sniff_charset(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Choose a body's charset as the WHATWG HTML encoding sniffing algorithm does.

    Args:
        body: the decoded (no Content-Encoding) HTTP payload.
        content_type: the Content-Type header value, or None.

    Returns:
        (Python codec name, source), source being "bom", "http-header", "meta", "detected" or
        "default" (windows-1252, the fallback of most browser locales, when detection fails).
    """
    if (codec := _bom_charset(body)) is not None:
        return codec, "bom"
    if (codec := _header_charset(content_type)) is not None:
        return codec, "http-header"
    if (codec := _prescan(body[:_PRESCAN_BYTES].decode("latin-1"))) is not None:
        return codec, "meta"
    if (codec := _detected_charset(body)) is not None:
        return codec, "detected"
    return "cp1252", "default"


@dataclass(frozen=True)
class DecodedPage:
    """An HTML page as text, with the charset used and where that choice came from."""

    text: str
    encoding: str
    encoding_source: str


def decode_html(body: bytes, content_type: str | None) -> DecodedPage:
    """Decode an HTML body to text with the sniffed charset; bad bytes become U+FFFD.

    A declared charset (header or meta) that the bytes contradict is overruled, with source
    ``detected-over-declared``: see ``overruled_charset``.

    Args:
        body: the decoded (no Content-Encoding) HTTP payload.
        content_type: the Content-Type header value, or None.

    Returns:
        The text without its byte order mark, the Python codec used and its source.
    """
    encoding, source = sniff_charset(body, content_type)
    if source in ("http-header", "meta"):
        actual = overruled_charset(body, encoding)
        if actual is not None:
            encoding, source = actual, "detected-over-declared"
    text = body.decode(encoding, errors="replace")
    if source == "bom":
        text = text.removeprefix("\ufeff")
    return DecodedPage(text, encoding, source)


#: Share of the non-ASCII bytes in invalid UTF-8 above which a page declared UTF-8 is taken not
#: to be: real UTF-8 pages with a stray byte stay far below, legacy-encoded text far above.
UTF8_ERROR_SHARE = 0.1
_HIGH_BYTES = bytes(range(0x80, 0x100))


def overruled_charset(body: bytes, declared: str) -> str | None:
    """The charset the bytes are really in, when they contradict the declared one; else None.

    * Declared a legacy charset (windows-1256, ...) but the non-ASCII bytes are valid UTF-8:
      UTF-8 (legacy text is practically never valid UTF-8 by chance; single-byte charsets
      decode anything, so "decodes cleanly" alone cannot tell).
    * Declared UTF-8 but many non-ASCII bytes are invalid UTF-8: the detected charset, if it
      decodes the bytes cleanly.
    """
    if body.isascii():
        return None
    declared = codecs.lookup(declared).name
    if declared != "utf-8":
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "utf-8"
    errors = body.decode("utf-8", errors="replace").count("\ufffd")
    if errors == 0:
        return None
    high = len(body) - len(body.translate(None, _HIGH_BYTES))
    if errors < UTF8_ERROR_SHARE * high:
        return None
    detected = _detected_charset(body)
    if detected is None or codecs.lookup(detected).name == "utf-8":
        return None
    try:
        body.decode(detected)
    except UnicodeDecodeError:
        return None
    return detected


#: Every byte but the C0 controls that text never holds: deleting them (in C) leaves those.
_NOT_CONTROL = bytes(byte for byte in range(256)
                     if not (byte < 0x20 and byte not in b"\t\n\r\x0c"))


def looks_binary(body: bytes, sample: int = 4096) -> bool:
    """True for bytes no text format holds: NUL bytes, or many C0 control characters.

    Text in any charset we read (UTF-8, UTF-16 aside, legacy single-byte) has neither; images,
    archives and compressed data served as ``text/html`` have both.
    """
    head = body[:sample]
    if not head or head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 has NULs
        return False
    controls = len(head.translate(None, _NOT_CONTROL))
    return b"\x00" in head or controls > len(head) * 0.05
