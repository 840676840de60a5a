"""Evidence files: accepted types are recognised by their content, never by their name."""

import hashlib
import struct
import zipfile
from dataclasses import dataclass

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
CHUNK = 64 * 1024
# DOCX and XLSX are ZIP packages: a real one has tens or hundreds of parts and expands to a few
# times its size. More parts, or more bytes once expanded, is a ZIP bomb (refused unread).
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_EXPANDED_BYTES = 200 * 1024 * 1024

PDF, PNG, JPEG, DOCX, XLSX = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
ACCEPTED_LABEL = "PDF, PNG, JPEG, DOCX, XLSX"


class PackageRefused(Exception):
    """A ZIP package over a limit: `code` is "entries" or "expands"."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


@dataclass(frozen=True)
class Inspected:
    content_type: str
    sha256: str
    size: int


def sniff(head: bytes, upload) -> str | None:
    """The content type the bytes really are, or None when it is not one we accept."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return office_type(upload)
    return None


def office_type(upload) -> str | None:
    """DOCX and XLSX are ZIP packages; tell them apart by their main part."""
    try:
        if not package_within_limits(upload):
            return None
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


END_RECORD = struct.Struct("<4s4H2LH")  # end of central directory, before the comment
DIRECTORY_ENTRY = struct.Struct("<4s6H3L5H2L")  # central directory file header
ZIP64_MARK = 0xFFFFFFFF


def package_within_limits(upload) -> bool:
    """Check a ZIP package from its central directory only, without decompressing anything.

    False when it is not a readable ZIP file; PackageRefused when it has more than
    MAX_ZIP_ENTRIES entries or expands to more than MAX_ZIP_EXPANDED_BYTES. The walk stops at
    the first entry over a limit, so 150,000 entries cost no more than 2,000 (the count in the
    end record is not trusted: the directory itself is counted). ZIP64, needed only for more
    than 65,535 entries or 4 GB, is refused outright.
    """
    directory = central_directory(upload)
    if directory is None:
        return False
    position, entries, expanded = 0, 0, 0
    while position < len(directory):
        if len(directory) - position < DIRECTORY_ENTRY.size:
            return False
        fields = DIRECTORY_ENTRY.unpack_from(directory, position)
        if fields[0] != b"PK\x01\x02":
            return False
        entries += 1
        if entries > MAX_ZIP_ENTRIES:
            raise PackageRefused("entries")
        expanded += fields[9]
        if fields[9] == ZIP64_MARK or expanded > MAX_ZIP_EXPANDED_BYTES:
            raise PackageRefused("expands")
        position += DIRECTORY_ENTRY.size + fields[10] + fields[11] + fields[12]
    return True


def central_directory(upload) -> bytes | None:
    """The bytes of the central directory, found from the end record (None when damaged)."""
    size = upload.seek(0, 2)
    tail_length = min(size, END_RECORD.size + 0xFFFF)  # the record and the longest comment
    upload.seek(size - tail_length)
    tail = upload.read(tail_length)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < END_RECORD.size:
        return None
    fields = END_RECORD.unpack_from(tail, at)
    entries, directory_size, offset = fields[4], fields[5], fields[6]
    if entries == 0xFFFF or ZIP64_MARK in (directory_size, offset):
        raise PackageRefused("entries")
    end = size - tail_length + at
    if directory_size > end:
        return None
    upload.seek(end - directory_size)
    return upload.read(directory_size)


def inspect_upload(upload) -> Inspected | None:
    """Hash and size the upload and recognise its type; None when the type is not accepted,
    PackageRefused when a DOCX or XLSX is a ZIP bomb."""
    upload.seek(0)
    head = upload.read(16)
    content_type = sniff(head, upload)
    upload.seek(0)
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: upload.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    if content_type is None:
        return None
    return Inspected(content_type=content_type, sha256=digest.hexdigest(), size=size)
