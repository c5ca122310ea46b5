"""An upload's files are read within their limits, and a lying zip is a clear refusal."""

import datetime
import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.upload_files import UploadError, read_page_files

from .conftest import DATA
from .test_admin_upload import nothing_stored, post_upload, txt, zipped

SEED = (DATA / "seed_page.txt").read_bytes()


def lying_zip(data: bytes, *, stated_size: int | None = None, crc: int | None = None) -> bytes:
    """A zip of one deflated page whose headers state another size or checksum."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("02.txt", data)
    raw = bytearray(buffer.getvalue())
    for signature, crc_at, size_at in ((b"PK\x03\x04", 14, 22), (b"PK\x01\x02", 16, 24)):
        offset = raw.index(signature)
        if stated_size is not None:
            raw[offset + size_at : offset + size_at + 4] = struct.pack("<I", stated_size)
        if crc is not None:
            raw[offset + crc_at : offset + crc_at + 4] = struct.pack("<I", crc)
    return bytes(raw)


@pytest.mark.parametrize(
    "archive",
    [
        pytest.param(lying_zip(b"a" * 50_000, stated_size=100), id="under-stated size"),
        pytest.param(lying_zip(SEED, crc=0x12345678), id="wrong CRC-32"),
    ],
)
def test_a_zip_member_that_disagrees_with_its_header_is_refused_by_name(archive):
    with pytest.raises(UploadError) as refused:
        read_page_files([], SimpleUploadedFile("issue.zip", archive))
    assert refused.value.messages == [
        "02.txt：压缩包内的文件已损坏（校验和或长度与文件头不符），已拒绝"
    ]


@pytest.mark.django_db
def test_a_lying_zip_is_a_form_error_not_a_server_error(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", None))
    archive = SimpleUploadedFile("issue.zip", lying_zip(b"a" * 50_000, stated_size=100))
    response = post_upload(client, archive=archive)
    assert response.status_code == 200
    assert "压缩包内的文件已损坏" in response.content.decode()
    assert nothing_stored()


def test_the_pages_of_one_upload_together_stay_under_the_upload_limit(settings):
    settings.NEWSARCHIVE_MAX_UPLOAD_BYTES = 20_000
    # Each page is under the page limit; together they are not.
    archive = zipped({f"{n:02d}.txt": b"a" * 6_000 for n in range(1, 5)})
    with pytest.raises(UploadError, match="合计超过 20,000 字节的上限"):
        read_page_files([], archive)
    files = [txt(f"{n:02d}.txt", b"a" * 6_000) for n in range(1, 5)]
    with pytest.raises(UploadError, match="合计超过 20,000 字节的上限"):
        read_page_files(files)
    assert len(read_page_files(files[:3])) == 3


def test_an_encrypted_member_is_refused_by_name():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("02.txt", SEED)
    raw = bytearray(buffer.getvalue())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        offset = raw.index(signature)
        raw[offset + flags_at] |= 0x1
    with pytest.raises(UploadError, match=r"02\.txt：文件已加密"):
        read_page_files([], SimpleUploadedFile("issue.zip", bytes(raw)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("date", "message"),
    [
        (datetime.date(1, 1, 1), "出版日期不能早于 1949年10月01日"),
        (datetime.date(1949, 9, 30), "出版日期不能早于 1949年10月01日"),
    ],
)
def test_issue_dates_before_the_first_issue_are_refused(client, django_user_model, date, message):
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", None))
    response = post_upload(client, [txt("02.txt", SEED)], date=date)
    assert message in response.content.decode()
    assert nothing_stored()


@pytest.mark.django_db
def test_the_first_issue_date_is_configurable(client, django_user_model, settings):
    settings.NEWSARCHIVE_FIRST_ISSUE_DATE = datetime.date(2024, 3, 13)
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", None))
    response = post_upload(client, [txt("02.txt", SEED)], date=datetime.date(2024, 3, 12))
    assert "出版日期不能早于 2024年03月13日" in response.content.decode()
