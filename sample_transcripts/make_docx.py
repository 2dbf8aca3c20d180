"""Regenerate the sample transcript 02-sekretaris.docx (fictional interview, Indonesian).

Run: cd /work/main && uv run python sample_transcripts/make_docx.py
Each turn becomes one paragraph, prefixed "P: " (researcher) or "I: " (informant).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.shared import Pt

OUTPUT = Path(__file__).with_name("02-sekretaris.docx")

TURNS: list[tuple[str, str]] = [
    ("P", "Selamat siang, Bu. Terima kasih sudah meluangkan waktu di tengah persiapan laporan."),
    (
        "I",
        "Iya, siang, Mas. Maaf ya ruangannya berantakan, ini lagi musim laporan, LKJIP harus "
        "masuk ke Bagian Organisasi paling lambat akhir Februari. Silakan, mau mulai dari mana?",
    ),
    ("P", "Sebagai sekretaris, bagaimana Ibu melihat keahlian pegawai BKPSDM secara umum?"),
    (
        "I",
        "Kalau yang lama-lama, yang sudah belasan tahun di kepegawaian, itu menguasai pekerjaan, "
        "tahu seluk beluk tugas sampai ke pasal-pasalnya. Kita punya enam analis kepegawaian yang "
        "sudah bersertifikat, dan staf keuangan kami juga mahir di SIPD, laporan keuangan kami "
        "tiga tahun berturut-turut tidak ada temuan material. Tapi jujur saja, Mas, dari 54 "
        "pegawai, yang benar-benar paham SIASN itu bisa dihitung dengan jari sebelah tangan. "
        "Semua larinya ke Pak Joko. Pak Joko lagi cuti, lagi sakit, atau lagi dipanggil ke "
        "Kanreg, ya sudah, layanan yang pakai SIASN tersendat. Itu berbahaya buat organisasi, "
        "tergantung pada satu orang.",
    ),
    ("P", "Bapak Kepala menyampaikan bahwa sekarang semua pegawai sudah lancar memakai SIASN."),
    (
        "I",
        "(tersenyum) Ya, Pak Kaban kan dapat laporannya dari kepala bidang. Di atas kertas "
        "memang semua sudah ikut Bimtek SIASN. Tapi ikut Bimtek kan belum tentu bisa. Coba Mas "
        "lihat sendiri di ruang layanan, kalau ada kasus data riwayat jabatan ganda, staf depan "
        "pasti bilang 'tunggu sebentar ya, Bu, saya tanyakan dulu ke Pak Joko'. Itu faktanya.",
    ),
    ("P", "Bagaimana dengan kemandirian pegawai, Bu?"),
    (
        "I",
        "Nah, ini juga. Budaya menunggu disposisi itu masih kuat sekali. Surat masuk, sudah "
        "jelas isinya permintaan data rutin, tetap saja didiamkan sampai ada disposisi Kaban. "
        "Kalau Pak Kaban ke Jakarta seminggu, kerjaan menumpuk. Banyak yang belum berani "
        "mengambil keputusan sendiri, takut salah, takut ditegur. Padahal sebenarnya mereka tahu "
        "jawabannya. Tapi ada juga yang mandiri, misalnya Bu Yanti di Subbagian Keuangan. Beliau "
        "tidak tergantung orang lain, kalau ada masalah pencairan, dia langsung telepon BPKAD, "
        "selesaikan, baru lapor. Punya pendirian juga; pernah ada kepala bidang minta kuitansi "
        "dimundurkan tanggalnya, dia tolak. Saya senang punya staf seperti itu.",
    ),
    ("P", "Kalau tanggung jawab terhadap pekerjaan?"),
    (
        "I",
        "Sebagian besar bertanggung jawab. Minggu lalu anak-anak perencanaan dan keuangan "
        "lembur sampai jam sepuluh malam menyelesaikan LKJIP dan laporan keuangan. Tidak ada "
        "yang mengeluh, mereka bekerja sepenuh kemampuan karena tahu tenggatnya. Itu "
        "kesungguhan yang saya hargai. Tapi ada juga yang kerjanya asal selesai. Contoh kecil: "
        "surat keluar salah ketik nama pejabat, NIP kurang satu digit, sampai tiga kali revisi. "
        "Laporan SKP bulanan ada yang isinya disalin dari bulan sebelumnya, tanggalnya saja "
        "diganti. Yang seperti itu kan menunjukkan kurangnya kesungguhan.",
    ),
    ("P", "Bagaimana dengan disiplin kerja pegawai?"),
    (
        "I",
        "Absen pagi bagus, karena ada SiHadir, orang takut TPP-nya dipotong. Apel juga ramai, "
        "seragam rapi, itu dari luar kelihatan profesional. Tapi setelah istirahat siang, "
        "wah, banyak yang 'hilang'. Oktober kemarin saya sidak jam dua siang bersama Kasubbag "
        "Umum, dari 54 pegawai, 11 tidak ada di tempat tanpa keterangan. Ada yang di kantin, ada "
        "yang jemput anak, ada yang katanya ke bank. Absen pulangnya tetap lengkap, karena SiHadir "
        "cuma cek jam datang dan jam pulang. Jadi angka kehadiran 97 persen itu perlu dibaca "
        "hati-hati.",
    ),
    ("P", "Bagaimana dengan etika, misalnya kejujuran dan mendahulukan kepentingan instansi?"),
    (
        "I",
        "Kejujuran umumnya baik. Sisa uang perjalanan dinas dikembalikan, itu sudah jadi budaya. "
        "Tahun lalu waktu pemeriksaan BPK, ada staf kami, Mbak Laras, yang membatalkan cutinya "
        "karena dokumen pertanggungjawaban harus disiapkan. Dia dahulukan kepentingan instansi. "
        "Tapi masih ada juga yang memakai fasilitas kantor untuk urusan pribadi. Mobil dinas "
        "operasional layanan pernah dipakai untuk antar keluarga kondangan ke luar kota di hari "
        "Sabtu. Ketahuan karena bensinnya diklaim. Sudah kami tegur tertulis. Hal-hal begitu "
        "kan kecil, tapi menunjukkan kepentingan pribadi masih didahulukan.",
    ),
    ("P", "Bagaimana hubungan kerja antarbidang dan dengan pihak luar?"),
    (
        "I",
        "Dengan pihak luar, misalnya Inspektorat, Kanreg BKN, BPKAD, hubungan kami baik, "
        "koordinasinya lancar, WA dibalas cepat. Yang kurang justru di dalam. Antarbidang itu "
        "masih ego sektoral. Bidang Mutasi punya data sendiri, Pengembangan Kompetensi punya "
        "data sendiri, tidak saling berbagi. Pernah ada pegawai yang baru dimutasi ke kecamatan "
        "lain tetap dipanggil Bimtek dengan alamat unit lama, karena datanya tidak nyambung. "
        "Guru yang jadi korban, datang ke tempat yang salah. Interaksi antarpegawai perlu "
        "diperbaiki, tidak cukup hanya ngopi hari Jumat.",
    ),
    ("P", "Apakah ada inovasi yang menurut Ibu berjalan baik, atau justru tidak?"),
    (
        "I",
        "SIPEKA itu bagus idenya. Tapi setelah dapat penghargaan, kita cepat puas. Kontrak "
        "dengan vendornya habis Juni 2025, sejak itu tidak ada pembaruan. Ada fitur lacak berkas "
        "yang error sejak Agustus, belum diperbaiki sampai sekarang. Jadi inovasinya berhenti di "
        "peluncuran. Yang justru jalan itu inovasi-inovasi kecil dari staf, misalnya daftar "
        "periksa berkas yang dibuat Dewi di depan, atau format surat otomatis di Excel yang "
        "dibuat anak keuangan. Kreativitas itu ada, tapi tidak dipelihara.",
    ),
    ("P", "Bagaimana dengan kecepatan menanggapi keluhan masyarakat?"),
    (
        "I",
        "Itu masih jadi masalah. Keluhan masuk lewat tiga pintu: WA Halo BKPSDM, kotak saran, "
        "dan aplikasi pengaduan kabupaten. Yang pegang WA praktis cuma satu orang di depan, "
        "padahal pesan masuk bisa seratus lebih sehari waktu musim kenaikan pangkat. Jadi "
        "belum bisa dibilang cepat tanggap. Standar Pak Kaban 1 x 24 jam, tapi dari rekap kami "
        "rata-rata tindak lanjutnya dua sampai tiga hari. Ada juga contoh yang responsif: waktu "
        "server SIASN pusat mati dua hari bulan November, teman-teman PPI langsung buat "
        "pengumuman di Instagram dan grup admin OPD, jadi orang tidak datang sia-sia.",
    ),
    ("P", "Untuk pengembangan pegawai internal sendiri, bagaimana kesempatan Bimtek dan sekolah?"),
    (
        "I",
        "Ironis ya, kami yang mengurus pengembangan ASN se-kabupaten, tapi pegawai kami sendiri "
        "jarang ikut pelatihan di luar. Anggaran perjalanan dinas dipangkas, jadi Bimtek ke "
        "provinsi atau ke Jakarta paling dua-tiga orang setahun, dan biasanya orangnya itu-itu "
        "juga. Izin belajar kami permudah, sekarang ada empat staf yang kuliah S1 dan S2 sore "
        "hari dengan biaya sendiri. Tapi setelah lulus, belum tentu ditempatkan sesuai ilmunya, "
        "karena formasi terbatas. Ada yang lulus S2 manajemen SDM tetap saja mengetik surat.",
    ),
    ("P", "Faktor apa yang menurut Ibu paling berpengaruh?"),
    (
        "I",
        "Struktur organisasi dulu, ya. Setelah penyetaraan jabatan tahun 2024, kasubbid jadi "
        "fungsional, sehingga banyak pekerjaan yang dulu jelas penanggung jawabnya sekarang "
        "mengambang. Kedua, penghargaan. TPP tahun 2025 turun sekitar 15 persen karena APBD, "
        "sementara beban kerja naik terus, PPPK bertambah ribuan. Yang rajin dan yang malas "
        "TPP-nya hampir sama, hanya beda potongan keterlambatan. Itu tidak memotivasi. Ketiga, "
        "kepemimpinan. Pak Kaban itu terbuka, tapi keputusan teknis masih banyak yang ditarik "
        "ke atas. Keempat, visi-misi. Coba Mas tanya staf, visi BKPSDM apa, saya yakin separuhnya "
        "tidak hafal. Tidak hafal tidak apa-apa, asal paham maksudnya, tapi ini paham juga belum.",
    ),
    ("P", "Kalau Ibu memberi nilai 1 sampai 4 untuk profesionalisme pegawai, berapa?"),
    (
        "I",
        "Jujur, saya kasih dua setengah. Di antara cukup dan baik. Untuk tanggung jawab dan "
        "kejujuran saya beri tiga, tapi keahlian SIASN dan kemandirian masih dua. Mohon maaf "
        "kalau beda dengan Pak Kaban, saya yang tiap hari di bawah, jadi lihatnya dari dekat.",
    ),
    ("P", "Baik, Bu. Terima kasih banyak atas keterbukaannya."),
    ("I", "Sama-sama, Mas. Kalau perlu data sidak atau rekap SiHadir, nanti minta ke Subbag Umum."),
]


def build(path: Path = OUTPUT) -> Path:
    """Write the transcript as a .docx file, one paragraph per turn, and return its path."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    for speaker, text in TURNS:
        document.add_paragraph(f"{speaker}: {text}")
    document.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
