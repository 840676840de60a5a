"""Evidence files: accepted types are recognised by their content, never by their name."""

import hashlib
import zipfile
from dataclasses import dataclass

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
CHUNK = 64 * 1024

PDF, PNG, JPEG, DOCX, XLSX = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
ACCEPTED_LABEL = "PDF, PNG, JPEG, DOCX, XLSX"


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


def inspect_upload(upload) -> Inspected | None:
    """Hash and size the upload and recognise its type; None when the type is not accepted."""
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
