"""The page files of an admin upload: `.txt` files, or the members of one `.zip`, read within
limits, then numbered.

Limits (settings): NEWSARCHIVE_MAX_PAGE_BYTES per page, NEWSARCHIVE_MAX_UPLOAD_BYTES for all
pages of one upload once decompressed, NEWSARCHIVE_MAX_ZIP_BYTES and NEWSARCHIVE_MAX_ZIP_MEMBERS
for the archive. Zip members are streamed in chunks and never trusted for their size: the
reading stops at the first byte over a limit, and a member whose CRC-32 or length disagrees
with its header is refused by name. Messages are for newsroom staff, in Chinese.
"""

from __future__ import annotations

import dataclasses
import datetime
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings

from articles.page_images import is_scan_name
from articles.page_names import PAGE_FILE_NAME

CHUNK = 64 * 1024


class UploadError(Exception):
    """Problems with the upload as a whole; each message is shown to staff in the form."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("；".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class PageFile:
    name: str
    data: bytes
    page_number: int | None = None
    key: int | None = None  # the staged UploadFile's pk
    layout: tuple[dict, ...] = ()  # layout corrections staff made in the preview
    scan_name: str = ""  # the page's PDF or image, alone (data empty) or beside its .txt
    scan: bytes = b""


def staged_page(file) -> PageFile:
    """A staged UploadFile as the page file it was uploaded as, with its key and corrections."""
    return PageFile(
        file.name,
        bytes(file.data),
        file.page_number,
        file.pk,
        tuple(file.layout_corrections),
        file.scan_name,
        bytes(file.scan_data or b""),
    )


def _page_file(name: str, data: bytes) -> PageFile:
    return (
        PageFile(name, b"", scan_name=name, scan=data)
        if is_scan_name(name)
        else PageFile(name, data)
    )


def _file_limit(name: str) -> int:
    if is_scan_name(name):
        return settings.NEWSARCHIVE_MAX_SCAN_BYTES
    return settings.NEWSARCHIVE_MAX_PAGE_BYTES


class _Budget:
    """What the upload may still hold, decompressed, across all its files."""

    def __init__(self) -> None:
        self.total = settings.NEWSARCHIVE_MAX_UPLOAD_BYTES
        self.left = self.total

    def take(self, name: str, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise UploadError(
                [f"{name}：本次上传的文件解压后合计超过 {self.total:,} 字节的上限，已停止读取"]
            )


def read_page_files(uploads: list, archive=None) -> list[PageFile]:
    """The `.txt` files (and page PDFs or images) uploaded one by one and those inside an
    uploaded `.zip`."""
    budget = _Budget()
    problems, files = [], []
    for upload in uploads:
        limit = _file_limit(upload.name)
        if not (upload.name.lower().endswith(".txt") or is_scan_name(upload.name)):
            problems.append(
                f"{upload.name}：只接受 .txt 版面文件、版面 PDF 或图片（.pdf .jpg .png），"
                "或一个 .zip 压缩包"
            )
        elif upload.size > limit:
            problems.append(
                f"{upload.name}：文件 {upload.size:,} 字节，超过每版 {limit:,} 字节的上限"
            )
        else:
            budget.take(upload.name, upload.size)
            files.append(_page_file(upload.name, upload.read()))
    if archive is not None:
        try:
            files.extend(_zip_members(archive, budget))
        except UploadError as error:
            problems.extend(error.messages)
    if problems:
        raise UploadError(problems)
    if not files:
        raise UploadError(["请选择版面文件（.txt）或一个 .zip 压缩包"])
    return files


def _zip_members(archive, budget: _Budget) -> list[PageFile]:
    zip_limit = settings.NEWSARCHIVE_MAX_ZIP_BYTES
    max_members = settings.NEWSARCHIVE_MAX_ZIP_MEMBERS
    if archive.size > zip_limit:
        raise UploadError(
            [f"{archive.name}：压缩包 {archive.size:,} 字节，超过 {zip_limit:,} 字节的上限"]
        )
    try:
        # The uploaded file itself (in memory or a temporary file), not a copy of its bytes.
        bundle = zipfile.ZipFile(archive)
        members = [info for info in bundle.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError):
        raise UploadError([f"{archive.name}：不是有效的 zip 压缩包"]) from None
    # Files that archivers add on their own are not pages; a path out of the zip is never
    # taken for one of them (`..\01.txt` names a file outside, not a hidden one).
    members = [m for m in members if _outside_the_zip(m) or not _added_by_an_archiver(m)]
    if len(members) > max_members:
        raise UploadError(
            [f"{archive.name}：压缩包内有 {len(members)} 个文件，最多 {max_members} 个"]
        )
    problems, files = [], []
    for member in members:
        problem = _refused_member(member)
        if problem:
            problems.append(f"{member.filename}：{problem}")
            continue
        data = _read_member(bundle, member, budget)
        files.append(_page_file(_member_path(member).name, data))
    if problems:
        raise UploadError(problems)
    return files


def _member_path(member: zipfile.ZipInfo) -> PurePosixPath:
    """The member's path with Windows' separators read as separators."""
    return PurePosixPath(member.filename.replace("\\", "/"))


def _outside_the_zip(member: zipfile.ZipInfo) -> bool:
    """An absolute path, a `..` step or a drive letter (`C:`), with either separator."""
    path = _member_path(member)
    return path.is_absolute() or ".." in path.parts or ":" in path.parts[0]


def _added_by_an_archiver(member: zipfile.ZipInfo) -> bool:
    path = _member_path(member)
    return path.parts[0] == "__MACOSX" or path.name.startswith(".")


def _refused_member(member: zipfile.ZipInfo) -> str:
    """Why a member cannot be a page, from its name and header; "" when it may be one."""
    page_limit = _file_limit(member.filename)
    path = _member_path(member)
    if _outside_the_zip(member):
        return "压缩包内的路径指向包外，已拒绝"
    if path.suffix.lower() == ".zip":
        return "压缩包里不能再套压缩包"
    if path.suffix.lower() != ".txt" and not is_scan_name(path.name):
        return "压缩包内只能有 .txt 版面文件和版面 PDF 或图片（.pdf .jpg .png）"
    if member.flag_bits & 0x1:
        return "文件已加密，无法读取"
    if member.file_size > page_limit:
        return f"文件 {member.file_size:,} 字节，超过每版 {page_limit:,} 字节的上限"
    return ""


def _read_member(bundle: zipfile.ZipFile, member: zipfile.ZipInfo, budget: _Budget) -> bytes:
    """The member's bytes, read in chunks up to the limits; zipfile checks the CRC-32 at its
    end, so a header that under-states the member (a zip bomb's trick) fails here."""
    page_limit = _file_limit(member.filename)
    chunks, size = [], 0
    try:
        with bundle.open(member) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > page_limit:
                    raise UploadError(
                        [f"{member.filename}：解压后超过每版 {page_limit:,} 字节的上限"]
                    )
                budget.take(member.filename, len(chunk))
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise UploadError(
            [f"{member.filename}：压缩包内的文件已损坏（校验和或长度与文件头不符），已拒绝"]
        ) from None
    return b"".join(chunks)


def number_pages(
    files: list[PageFile], issue_date: datetime.date, page_number: int | None = None
) -> list[PageFile]:
    """Each file with its page number: from `PP.txt` or `YYYY-MM-DD_PP.txt`, or `page_number`
    for a single file; a file whose name gives none keeps None, for staff to enter on the
    preview (`renumber_upload`). The date in a name must be the issue's; no page may come twice."""
    if page_number is not None and len(files) != 1:
        raise UploadError(
            ["“版次”只能用于上传单个文件；多个文件请按 02.txt 或 2024-03-12_02.txt 命名"]
        )
    problems, numbered = [], []
    for file in files:
        match = PAGE_FILE_NAME.match(file.name)
        number = page_number if page_number is not None else (int(match["page"]) if match else None)
        if match and match["date"] and match["date"] != issue_date.isoformat():
            problems.append(
                f"{file.name}：文件名中的日期与本期日期 {issue_date.isoformat()} 不一致"
            )
        elif number is not None and number < 1:
            problems.append(f"{file.name}：版次必须从 1 开始")
        else:
            numbered.append(dataclasses.replace(file, page_number=number))
    numbered = _paired(numbered)
    counts = Counter(file.page_number for file in numbered if file.page_number is not None)
    for number, count in sorted(counts.items()):
        if count > 1:
            names = "、".join(f.name for f in numbered if f.page_number == number)
            problems.append(f"第 {number} 版上传了 {count} 次（{names}）")
    if problems:
        raise UploadError(problems)
    return sorted(numbered, key=lambda file: (file.page_number is None, file.page_number or 0))


def _paired(files: list[PageFile]) -> list[PageFile]:
    """A page's .txt and its PDF or image become one page: the text from the .txt, the
    image and the regions from the other."""
    groups: dict[int | None, list[PageFile]] = {}
    for file in files:
        groups.setdefault(file.page_number, []).append(file)
    paired = []
    for file in files:
        group = groups[file.page_number]
        scans = [f for f in group if f.scan_name]
        if file.page_number is None or len(group) != 2 or len(scans) != 1:
            paired.append(file)
        elif not file.scan_name:
            paired.append(dataclasses.replace(file, scan_name=scans[0].name, scan=scans[0].scan))
    return paired
