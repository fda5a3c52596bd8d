"""Data, not tests: the activity columns of the five samples as RawDocuments built by hand.

They let inference be tested without the readers: the roles are the header columns, the rows
carry the activity texts (and in 002 the symbol remnants) exactly as the samples write them.
"""

from __future__ import annotations

from converters.reading.raw import RawDocument, RawRow

Row = tuple[int | None, str, dict[str, str], str]


def raw(roles: list[str], rows: list[Row], fmt: str = "tabbed") -> RawDocument:
    return RawDocument(
        source_format=fmt,
        roles=list(roles),
        rows=[RawRow(number=n, activity=a, marks=dict(m), duration=d, line=10 + i)
              for i, (n, a, m, d) in enumerate(rows)],
    )


SINGKAWANG = raw(
    ["Kasubbag PEKK", "Pengadministrasian Umum", "Staf"],
    [
        (1, "Menerima konsep IKU dari masing-masing Seksi kemudian memeriksa bersama Tim, "
            "kemudian mengajukan Pengadministrasian Umum untuk merekapitulasi hasil pembahasan",
         {}, ""),
        (2, "Menghimpun hasil pembahasan IKU, selanjutnya diteruskan ke Kasubbag PEKK untuk "
            "koreksi", {}, ""),
        (3, "Menerima hasil IKU kemudian Koordinasi dengan Seksi dalam rangka perbaikan Konsep "
            "IKU, selanjutnya mengajukan Pengadministrasian Umum untuk direkapitulasi", {}, ""),
        (4, "Merekapitulasi Hasil Pembahasan IKU untuk kemudian menentukannya ke Kasubag PEKK "
            "untuk diperiksa dan paraf", {}, ""),
        (5, "Meneliti konsep IKU dan jika tidak setuju dikembalikan kepada Pengadministrasian "
            "Umum untuk diperbaiki, jika setuju diparaf dan menyerahkannya ke Kepala Kantor untuk "
            "koreksi dan ditanda tangani", {}, ""),
        (6, "Menerima dan meneliti Konsep IKU dan jika tidak setuju dikembalikan untuk "
            "diperbaiki, jika setuju ditanda tangani kemudian menyerahkan ke Kasubbag PEKK untuk "
            "didistribusikan", {}, ""),
        (7, "Menerima IKU, kemudian mengajukan Pengadministrasian Umum untuk mengagendakan dan "
            "menyampaikan ke Sekretariat Daerah Kota Singkawang", {}, ""),
        (8, "Menyampaikan Indikator Kinerja Utama ke Sekretariat Daerah Kota Singkawang", {}, ""),
    ],
)

KEMENKO = raw(
    ["Sesdep", "Kabag Program & Evaluasi", "Kasubbag Penyusunan Program", "Pelaksana (JP)"],
    [
        (1, "Memberikan arahan kepada Kabag untuk menyiapkan rencana kegiatan dan bahan-bahan "
            "terkait proses penyusunan Indikator Kinerja Utama (IKU) Deputi Bidang Koordinasi "
            "Komunikasi, Informasi, dan Aparatur", {}, "10 Menit"),
        (2, "Melakukan koordinasi dan konsultasi teknis dengan unit organisasi intern di Deputi "
            "Bidang Koordinasi Komunikasi, Informasi, dan Aparatur dan unit organisasi lain di "
            "lingkungan Kemenko Polhukam (Biro Perencanaan dan Organisasi) serta menugaskan "
            "Kasubbag dan Pelaksana untuk menyiapkan bahan-bahan atau data dukung", {}, "1 Hari"),
        (3, "Menyiapkan bahan-bahan dan data dukung beserta konsep awal Indikator Kinerja Utama "
            "(IKU) di Deputi Bidang Koordinasi Komunikasi, Informasi, dan Aparatur, kemudian "
            "menyampaiannya kepada Kabag untuk diteliti", {}, "1 Hari"),
        (4, "Meneliti bahan-bahan beserta konsep awal Indikator Kinerja Utama (IKU) di Deputi "
            "Bidang Koordinasi Komunikasi, Informasi, dan Aparatur, kemudian melaporkannya kepada "
            "Sesdep untuk diperiksa", {}, "60 Menit"),
        (5, "Memeriksa bahan/materi beserta konsep awal Indikator Kinerja Utama (IKU) di Deputi "
            "Bidang Koordinasi Komunikasi, Informasi, dan Aparatur, jika setuju maka akan "
            "disampaikan kepada Deputi, jika ada perbaikan maka akan disampaikan kembali ke Kabag "
            "untuk disempurnakan", {}, "20 Menit"),
    ],
)

MENTAWAI = raw(
    ["Kasubag Program", "Staf", "Kabid/ Kasubag Terkait", "Sekretaris", "Kepala Dinas"],
    [
        (1, "Menginstruksikan staf untuk membuat surat edaran penyusunan indikator kerja utama",
         {}, "1 jam"),
        (2, "Membuat draft surat (Lanjut ke : SOP Pembuatan dan Pengesahan Surat dan/atau "
            "Telaahan Staf", {}, "1 jam"),
        (3, "Penyusunan program menggandakan surat edaran dan mendistribusikan ke semua bidang "
            "untuk penyusunan laporan indikator kerja utama", {}, "20 menit"),
        (4, "Menyusun laporan indikator kerja utama dan menyerahkan ke bagian penyusunan program",
         {}, "5 hari"),
        (5, "Menerima penyusunan indikator dari setiap bidang dan membuat menjadi sebuah laporan "
            "dan diserahkan ke kepala dinas", {}, "1 hari"),
        (6, "Berkordinasi dengan semua bidang untuk menindaklanjuti laporan penyusunan indikator "
            "kerja utama yang telah dibuat dan diserahkan ke kasubbag penyusunan program", {},
         "1 hari"),
        (7, "menerima laporan jika ada revisi maka diperbaiki jika benar maka kasubbag penyusunan "
            "program memberikan laporan ke staf", {}, "1 hari"),
        (8, "Penyusunan program mengarsip laporan penyusunan indikator kerja utama (IKU)", {},
         "10 mnt"),
    ],
)

REJANG = raw(
    ["Kepala Dinas", "Sekretaris", "Kabid", "Kasi", "Staf"],
    [
        (None, "Menugaskan Perencana Ahli Muda untuk membuat Indikator Kinerja Utama (IKU)", {},
         "5 Menit"),
        (None, "Menugaskan staf untuk membuat Indikator Kinerja Utama (IKU)", {}, "10 Menit"),
        (None, "Menyiapkan, mengumpulkan bahan - bahan / data untuk membuat IKU dan diserahkan "
               "ke Perencana Ahli Muda", {}, "2 jam"),
        (4, "Memverifikasi dan mengoreksi data", {}, "1 jam"),
        (5, "Membuat Indikator Kinerja Utama (IKU)", {}, "1 Minggu"),
        (6, "Mengoreksi dan menyerahkan ke Sekretaris", {"Sekretaris": "Г",
                                                         "Kasi": "$\\overline{}$"}, "1 jam"),
        (None, "Mengoreksi konsep dan menyerahkan ke Kepala Dinas",
         {"Sekretaris": "_<", "Kabid": ">"}, "1jam"),
        (8, "Menandatangani Indikator Kinerja Utama (IKU))", {}, "10 Menit"),
    ],
)

JATENG = raw(
    ["Kepala Badan", "Sekretaris", "Kasubag Program", "Staf Fungsional Umum"],
    [
        (1, "Memerintahkan penyusunan Indikator Kinerja Utama", {"Kepala Badan": "@"},
         "10 Menit"),
        (2, "Membuat format pengumpulan data dan informasi Indikator Kinerja Utama dari "
            "masing-masing bidang dan sekretariat", {"Staf Fungsional Umum": "v"}, "2 Jam"),
        (3, "Menyampaikan format pengumpulan data dan informasi Indikator Kinerja Utama kepada "
            "masing-masing bidang dan sekretariat", {"Staf Fungsional Umum": "v"}, "1 Jam"),
        (4, "Mengundang Kaban dan Pejabat Esselon III untuk rapat pembahasan Indikator Kinerja "
            "Utama", {}, "30 Menit"),
        (5, "Melaksanakan Rapat pembahasan Indikator Kinerja Utama", {"Kasubag Program": "v"},
         "2 Jam"),
        (6, "Menghimpun format data dan informasi Indikator Kinerja Utama dari masing-masing "
            "bidang dan secretariat", {}, "3 Jam"),
        (7, "Menganalisis data dan informasi Indikator Kinerja Utama yang telah terkumpul",
         {"Staf Fungsional Umum": "v"}, "4 Hari"),
        (8, "Membuat Konsep Indikator Kinerja Utama", {"Staf Fungsional Umum": "v"}, "2 Hari"),
        (9, "Mengoreksi Konsep Dokumen Indikator Kinerja Utama", {"Kasubag Program": "¢"},
         "1 Hari"),
        (10, "Menyampaikan Dokumen Indikator Kinerja Utama kepada Kaban untuk memintakan "
             "persetujuan", {"Sekretaris": "v"}, "1 Jam"),
        (11, "Penandatanganan dokumen Indikator Kinerja Utama oleh Kaban kemudian diteruskan ke "
             "Kasubbag Program", {"Kepala Badan": "I"}, "10 Menit"),
        (12, "Membuat surat pengantar pengiriman sekaligus penomoran surat, kemudian diserahakan "
             "ke staf untuk dikirimkan ke alamat yang dituju", {}, "15 Menit"),
        (13, "Mengantar surat, Menggandakan dan mengarsipkan Dokumen Indikator Kinerja Utama", {},
         "1 Jam"),
    ],
)
