"""Word lists for the synthetic corpus: Indonesian (and some English) civil-service talk.

Written for the benchmark; sentences are assembled from these pieces at random, so the text
reads like interview speech about a regional personnel agency without being real testimony.
"""

from __future__ import annotations

import random

ID_OPENERS = (
    "Jadi", "Nah", "Ya", "Sebenarnya", "Memang", "Kalau menurut saya", "Terus terang",
    "Pada dasarnya", "Selama ini", "Sejauh ini", "Dulu", "Sekarang", "Intinya", "Jujur saja",
    "Sebetulnya", "Kalau dilihat dari pengalaman kami", "Untuk tahun ini", "Biasanya",
)
ID_SUBJECTS = (
    "kami di bidang mutasi", "pegawai di sini", "para pejabat struktural", "kepala bidang",
    "staf pelayanan", "atasan langsung", "tim verifikasi", "bagian kepegawaian", "sekretariat",
    "pimpinan badan", "rekan-rekan ASN", "pengelola data", "petugas loket", "tenaga honorer",
    "analis kepegawaian", "kepala subbagian umum", "bendahara pengeluaran", "tim penilai kinerja",
    "para pegawai muda", "pegawai-pegawai senior", "masyarakat yang datang", "operator SIMPEG",
    "pejabat pembina kepegawaian", "inspektorat daerah", "bidang pengembangan kompetensi",
    "kasubbid pengadaan", "tim reformasi birokrasi", "pengelola arsip", "koordinator lapangan",
    "Bapak kepala dinas", "Ibu sekretaris", "masing-masing bidang", "unit layanan terpadu",
)
ID_VERBS = (
    "sudah berusaha menindaklanjuti", "masih kesulitan menyelesaikan", "selalu mengutamakan",
    "belum sepenuhnya memahami", "rutin mengevaluasi", "sering menunda", "diminta menyusun",
    "harus memverifikasi", "mulai menerapkan", "terus memperbaiki", "jarang membahas",
    "wajib melaporkan", "ikut mengawasi", "perlu menyederhanakan", "berhasil mempercepat",
    "kurang memperhatikan", "bertanggung jawab atas", "menyampaikan keluhan tentang",
    "mengusulkan perubahan pada", "mengoordinasikan", "mendokumentasikan", "memantau",
    "mengarsipkan", "menandatangani", "mengunggah", "menyesuaikan", "membagikan informasi tentang",
    "mempertanyakan", "menyiapkan", "mengembangkan", "menginventarisasi", "menelaah",
)
ID_OBJECTS = (
    "usulan kenaikan pangkat", "berkas mutasi pegawai", "laporan kinerja tahunan",
    "standar operasional prosedur", "data SIMPEG", "pengaduan masyarakat",
    "sasaran kinerja pegawai", "rencana strategis", "anggaran pelatihan", "surat keputusan",
    "jadwal pelayanan", "aplikasi layanan daring", "formasi jabatan fungsional",
    "daftar hadir elektronik", "hasil survei kepuasan masyarakat", "uraian tugas jabatan",
    "program pendidikan dan pelatihan", "usulan pensiun", "berkas cuti", "peta jabatan",
    "analisis beban kerja", "laporan keuangan", "target kinerja bidang", "disposisi pimpinan",
    "penilaian perilaku kerja", "tunjangan kinerja", "inovasi pelayanan publik",
    "arsip kepegawaian", "nota dinas", "rapat koordinasi mingguan", "kebutuhan diklat",
    "sistem antrean", "kotak saran", "maklumat pelayanan", "indikator kinerja utama",
)
ID_COMPLEMENTS = (
    "tepat waktu", "sesuai aturan yang berlaku", "dengan cukup baik", "tanpa koordinasi yang jelas",
    "karena keterbatasan anggaran", "setiap triwulan", "meskipun jumlah pegawai terbatas",
    "sebelum akhir tahun anggaran", "melalui rapat koordinasi", "dengan dukungan pimpinan",
    "walaupun sistemnya sering gangguan", "sejak aturan baru keluar", "secara bertahap",
    "karena beban kerja menumpuk", "tanpa menunggu perintah atasan", "di luar jam kerja",
    "dengan memanfaatkan aplikasi", "supaya masyarakat tidak menunggu lama",
    "agar tidak terjadi kesalahan data", "pada tahun 2023", "sekitar 40 persen",
    "sampai sekarang", "bersama bidang lain", "kalau ada arahan dari Drs. Hartono",
    "sesuai Peraturan Pemerintah No. 11", "dengan biaya sekitar Rp. 5 juta",
    "untuk urusan cuti, mutasi, dll. di bidang kami", "dengan hasil yang belum memuaskan",
)
ID_TAILS = (", Pak", ", Bu", ", ya", ", begitu", " sih", ", kan", " juga", ", menurut saya")
ID_ASPECTS = (
    "produktivitas kerja", "kualitas layanan", "responsivitas pegawai", "akuntabilitas laporan",
    "kreativitas staf", "inovasi di unit ini", "disiplin pegawai", "koordinasi antarbidang",
    "transparansi informasi", "kemampuan beradaptasi", "kepemimpinan kepala bidang",
    "pembagian tugas", "sarana dan prasarana", "budaya kerja", "pengembangan kompetensi",
)
ID_QUESTIONS = (
    "Bagaimana pendapat Bapak tentang {obj}?", "Apa kendala utama dalam mengelola {obj}?",
    "Menurut Ibu, bagaimana {asp} di kantor ini?", "Bisa diceritakan bagaimana proses {obj}?",
    "Lalu bagaimana dengan {asp}?", "Siapa yang biasanya menangani {obj}?",
    "Apakah {subj} dilibatkan dalam penyusunan {obj}?", "Sejak kapan {obj} mulai diterapkan?",
    "Boleh diberi contoh konkret soal {asp}?", "Apa harapan Bapak ke depan terkait {asp}?",
    "Baik, terima kasih. Kalau soal {obj} bagaimana?", "Oh begitu. Ada tambahan lain?",
)

EN_OPENERS = ("Well", "Honestly", "To be fair", "In my experience", "Actually", "These days",
              "Last year", "Basically", "As far as I can tell", "Frankly")
EN_SUBJECTS = (
    "the staff in our division", "the section heads", "my supervisor", "the service desk",
    "the verification team", "the personnel office", "the younger employees", "the secretariat",
    "the head of the agency", "the data administrators", "people who come to the counter",
)
EN_VERBS = (
    "have tried to process", "still struggle to finish", "always prioritise", "rarely discuss",
    "are asked to prepare", "must verify", "started to apply", "keep improving", "often delay",
    "report on", "are responsible for", "complained about", "proposed changes to", "monitor",
)
EN_OBJECTS = (
    "promotion requests", "transfer files", "the annual performance report", "the standard "
    "operating procedures", "the personnel database", "public complaints", "training budgets",
    "performance targets", "the online service application", "leave requests", "job maps",
    "the satisfaction survey results", "the workload analysis", "the queue system",
)
EN_COMPLEMENTS = (
    "on time", "according to the regulations", "fairly well", "without clear coordination",
    "because the budget is limited", "every quarter", "even though we are short-staffed",
    "before the end of the fiscal year", "through coordination meetings", "step by step",
    "since the new regulation came out", "with support from the leadership", "in 2023",
)
EN_QUESTIONS = (
    "How do you see {obj} in this office?", "What is the main obstacle with {obj}?",
    "Could you give an example?", "Who usually handles {obj}?", "And what about {obj}?",
    "Thank you. Anything else you would like to add?",
)

ROLES = ("head", "secretary", "section_head", "staff", "public")
ROLE_COUNTS = {"head": 2, "secretary": 3, "section_head": 10, "staff": 17, "public": 8}
FIRST_NAMES = (
    "Budi", "Sari", "Agus", "Dewi", "Hendra", "Rina", "Joko", "Wulan", "Bambang", "Lestari",
    "Yusuf", "Ratna", "Eko", "Indah", "Fajar", "Nur", "Wahyu", "Sri", "Dimas", "Ayu",
    "Rudi", "Maya", "Arif", "Fitri", "Teguh", "Siti", "Irfan", "Yanti", "Hadi", "Putri",
)
LAST_NAMES = (
    "Santoso", "Wijaya", "Hartono", "Purwanto", "Lubis", "Siregar", "Nasution", "Saputra",
    "Handayani", "Kusuma", "Rahmawati", "Setiawan", "Simanjuntak", "Pratama", "Hidayat",
)
UNITS = (
    "Bidang Mutasi dan Promosi", "Bidang Pengembangan Kompetensi", "Sekretariat",
    "Bidang Pengadaan dan Informasi", "Bidang Penilaian Kinerja", "Unit Layanan Kepegawaian",
    "Subbagian Keuangan",
)


def id_sentence(rng: random.Random) -> str:
    """One Indonesian declarative sentence, capitalised, with end punctuation."""
    parts = []
    if rng.random() < 0.4:
        parts.append(rng.choice(ID_OPENERS) + ",")
    parts.append(rng.choice(ID_SUBJECTS))
    parts.append(rng.choice(ID_VERBS))
    parts.append(rng.choice(ID_OBJECTS))
    if rng.random() < 0.7:
        parts.append(rng.choice(ID_COMPLEMENTS))
    if rng.random() < 0.25:
        parts.append("karena " + rng.choice(ID_ASPECTS) + " masih perlu ditingkatkan")
    text = " ".join(parts)
    if rng.random() < 0.2:
        text += rng.choice(ID_TAILS)
    end = rng.choices((".", "...", "!", "?"), (0.9, 0.05, 0.03, 0.02))[0]
    return text[0].upper() + text[1:] + end


def en_sentence(rng: random.Random) -> str:
    """One English declarative sentence."""
    parts = []
    if rng.random() < 0.35:
        parts.append(rng.choice(EN_OPENERS) + ",")
    parts += [rng.choice(EN_SUBJECTS), rng.choice(EN_VERBS), rng.choice(EN_OBJECTS)]
    if rng.random() < 0.7:
        parts.append(rng.choice(EN_COMPLEMENTS))
    text = " ".join(parts)
    return text[0].upper() + text[1:] + rng.choices((".", "!", "?"), (0.93, 0.04, 0.03))[0]


def question(rng: random.Random, english: bool) -> str:
    """An interviewer question."""
    if english:
        return rng.choice(EN_QUESTIONS).format(obj=rng.choice(EN_OBJECTS))
    return rng.choice(ID_QUESTIONS).format(
        obj=rng.choice(ID_OBJECTS), asp=rng.choice(ID_ASPECTS), subj=rng.choice(ID_SUBJECTS))
