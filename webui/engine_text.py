"""Engine messages in the reader's language.

The engine speaks Indonesian only (``engine.errors``: one sentence per refusal, so the CLI and
the web say the same thing) and has no idea of a request's language. The web UI shows those
sentences in flashes and error pages; here each known sentence is matched once and said again
through Flask-Babel, so an English reader never gets an Indonesian refusal ("Kata sandi baru
harus berbeda dari yang lama") while the Indonesian text stays the message id. A sentence not
listed is shown as the engine wrote it (Indonesian is the default language; never worse than
before). Where the engine appended a library's own words (lxml's "Start tag expected, '<' not
found"), the translation keeps only our sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _


@dataclass(frozen=True)
class _Known:
    """An engine sentence (a full match, named groups for its values) and how it is said."""

    pattern: re.Pattern[str]
    say: Callable[[dict[str, str]], str]


def _known(pattern: str, say: Callable[[dict[str, str]], str]) -> _Known:
    return _Known(re.compile(pattern, re.S), say)


KNOWN: tuple[_Known, ...] = (
    # engine/users.py: own password, profile
    _known(r"Kata sandi baru minimal (?P<n>\d+) karakter",
           lambda v: _("Kata sandi baru minimal %(n)s karakter.", n=v["n"])),
    _known(r"Kata sandi baru harus berbeda dari yang lama",
           lambda v: _("Kata sandi baru harus berbeda dari yang lama.")),
    _known(r"Kata sandi tidak boleh kosong", lambda v: _("Kata sandi tidak boleh kosong.")),
    _known(r"Kata sandi saat ini salah", lambda v: _("Kata sandi saat ini salah.")),
    _known(r"NIP harus 18 angka \(atau dikosongkan\)",
           lambda v: _("NIP harus 18 angka (atau dikosongkan).")),
    _known(r"Nama lengkap dan jabatan paling panjang (?P<n>\d+) karakter",
           lambda v: _("Nama lengkap dan jabatan paling panjang %(n)s karakter.", n=v["n"])),
    _known(r"Pengguna (?P<u>\S+) sudah ada", lambda v: _("Pengguna %(u)s sudah ada.", u=v["u"])),
    _known(r"Pengguna (?P<u>\S+) tidak ditemukan",
           lambda v: _("Pengguna %(u)s tidak ditemukan.", u=v["u"])),
    # engine/task_notes.py: delegation and notes
    _known(r"Hanya pemegang tugas yang dapat menyerahkannya; ambil dulu",
           lambda v: _("Hanya pemegang tugas yang dapat menyerahkannya; ambil tugas dulu.")),
    _known(r"Pilih rekan lain sebagai penerima tugas",
           lambda v: _("Pilih rekan lain sebagai penerima tugas.")),
    _known(r"(?P<u>\S+) tidak memegang peran (?P<r>.+); tugas hanya dapat diserahkan kepada "
           r"rekan dengan peran yang sama",
           lambda v: _("%(u)s tidak memegang peran %(r)s; tugas hanya dapat diserahkan kepada "
                       "rekan dengan peran yang sama.", u=v["u"], r=v["r"])),
    _known(r"Tugas ini baru saja berubah; muat ulang halaman",
           lambda v: _("Tugas ini baru saja berubah; muat ulang halaman.")),
    _known(r"Tulis catatan atau pilih lampiran", lambda v: _("Tulis catatan atau pilih lampiran.")),
    _known(r"Catatan paling panjang (?P<n>\d+) karakter",
           lambda v: _("Catatan paling panjang %(n)s karakter.", n=v["n"])),
    _known(r"Catatan hanya dapat ditambahkan oleh pemegang peran (?P<r>.+)",
           lambda v: _("Catatan hanya dapat ditambahkan oleh pemegang peran %(r)s.", r=v["r"])),
    _known(r"Tugas ini sudah tidak terbuka", lambda v: _("Tugas ini sudah tidak terbuka.")),
    # engine/commands.py: claim, complete, reassign
    _known(r"Tugas ini sudah diselesaikan oleh (?P<u>.+)",
           lambda v: _("Tugas ini sudah diselesaikan oleh %(who)s.", who=v["u"])),
    _known(r"Tugas ini untuk peran (?P<r>.+); Anda tidak memegang peran itu",
           lambda v: _("Tugas ini untuk peran %(r)s; Anda tidak memegang peran itu.", r=v["r"])),
    _known(r"Tugas ini sedang ditangani oleh (?P<u>\S+)",
           lambda v: _("Tugas ini sedang ditangani oleh %(u)s.", u=v["u"])),
    _known(r"Tugas ini sudah diambil oleh (?P<u>\S+)",
           lambda v: _("Tugas ini sudah diambil oleh %(u)s.", u=v["u"])),
    _known(r"Keputusan “(?P<d>.+)” memerlukan komentar \(alasan/perbaikan\)",
           lambda v: _("Keputusan “%(d)s” memerlukan komentar (alasan/perbaikan).",
                       d=v["d"])),
    # engine/sop_drafts.py: the SOP editor's optimistic lock
    _known(r"Draf SOP (?P<id>\d+) sudah tidak terbuka; tidak dapat diubah",
           lambda v: _("Draf SOP %(id)s sudah tidak terbuka; tidak dapat diubah.", id=v["id"])),
    _known(r"Draf SOP (?P<id>\d+) telah diubah oleh (?P<u>\S+) \(revisi (?P<r>\d+)\); "
           r"muat ulang halaman lalu ulangi perubahan",
           lambda v: _("Draf SOP %(id)s telah diubah oleh %(u)s (revisi %(r)s) sebelum "
                       "perubahan Anda disimpan; halaman ini sudah memuat revisi terbaru, "
                       "ulangi perubahan Anda.", id=v["id"], u=v["u"], r=v["r"])),
    _known(r"Draf SOP (?P<id>\d+) tidak ditemukan",
           lambda v: _("Draf SOP %(id)s tidak ditemukan.", id=v["id"])),
    # engine/bpmn_drafts.py and converters/bpmn/xml.py: the embedded modeler's drafts
    _known(r"Draf BPMN kosong", lambda v: _("Draf BPMN kosong.")),
    _known(r"Draf bukan XML yang sah: .*",
           lambda v: _("Draf bukan XML yang sah; simpan ulang dari modeler.")),
    _known(r"Draf bukan dokumen BPMN \(elemen akar bukan bpmn:definitions\)",
           lambda v: _("Draf bukan dokumen BPMN (elemen akar bukan bpmn:definitions).")),
    _known(r"Draf tidak dapat disimpan; coba lagi",
           lambda v: _("Draf tidak dapat disimpan; coba lagi.")),
    _known(r"Dokumen memuat DOCTYPE; ditolak demi keamanan.*",
           lambda v: _("Dokumen memuat DOCTYPE; ditolak demi keamanan.")),
    # engine/notifications.py
    _known(r"Ringkasan harian hanya dikirim lewat surel",
           lambda v: _("Ringkasan harian hanya dikirim lewat surel.")),
    _known(r"Alamat surel tidak sah: .*",
           lambda v: _("Alamat surel tidak sah. Contoh: nama@instansi.go.id")),
)


def shown(message: str) -> str:
    """``message`` (an engine error's text) as the current request's language says it."""
    text = message.strip().rstrip(".")
    for known in KNOWN:
        found = known.pattern.fullmatch(text)
        if found:
            return known.say(found.groupdict())
    return message
