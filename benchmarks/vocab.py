"""Word lists and names the benchmark corpus is drawn from.

Pure data: nothing here is random. Pairs are (Indonesian, English); names that
read the same in both languages (people, places, programme acronyms) are single
strings. The text built from these lists only needs to look like a press
release to a Markdown renderer and a template engine, not to a reader.
"""

from __future__ import annotations

LANGS: tuple[str, ...] = ("id", "en")

WORDS: dict[str, tuple[str, ...]] = {
    "id": tuple(
        """
        yang dan di ke dari untuk dengan dalam pada oleh bahwa ini itu akan telah sudah
        juga serta agar karena sehingga namun tetapi bagi para setiap seluruh semua
        kegiatan masyarakat pemerintah provinsi kabupaten kota daerah wilayah pusat desa
        pelayanan program pembangunan pelaksanaan peningkatan pengembangan penguatan
        koordinasi kerja sama informasi publik data laporan anggaran rencana kebijakan
        peraturan kepala dinas badan kantor bidang bagian sekretariat biro unit satuan
        pegawai aparatur staf pimpinan jajaran pejabat warga peserta narasumber tamu
        kesehatan pendidikan ekonomi pertanian perikanan pariwisata infrastruktur jalan
        jembatan irigasi air bersih listrik sekolah rumah sakit puskesmas pasar usaha
        kecil menengah petani nelayan pedagang pelajar mahasiswa guru tenaga medis
        bencana banjir longsor gempa kebakaran cuaca musim hujan kemarau lingkungan hutan
        sungai pantai laut sampah pengelolaan pengawasan evaluasi pemantauan verifikasi
        sosialisasi pelatihan bimbingan teknis rapat pertemuan forum diskusi seminar
        lokakarya upacara peresmian penandatanganan nota kesepahaman bantuan sosial
        penyaluran penerimaan pendaftaran persyaratan dokumen aplikasi layanan daring
        digital sistem teknologi inovasi transparan akuntabel efektif efisien cepat tepat
        baik tinggi rendah besar kecil baru lama utama penting khusus umum terpadu
        berkelanjutan strategis prioritas nasional regional lokal tahun bulan minggu hari
        pagi siang sore malam sejak hingga sampai selama sebelum sesudah kemudian lalu
        menyampaikan mengatakan menjelaskan menegaskan mengajak mengimbau meminta
        berharap mendukung meningkatkan mempercepat memastikan melaksanakan menyusun
        membahas meninjau menghadiri membuka menutup menerima memberikan menyerahkan
        mengikuti mengembangkan memperkuat menjaga mencegah menangani menyelesaikan
        target capaian realisasi persen jumlah orang unit paket kegiatan tahap tahapan
        """.split()
    ),
    "en": tuple(
        """
        the and in to from for with within on by that this will has have already also
        as well so because therefore however but all every each whole its their our
        activity community government province regency city region area central village
        service programme development implementation improvement growth strengthening
        coordination cooperation information public data report budget plan policy
        regulation head office agency department division bureau secretariat unit team
        employee official staff leader officer resident participant speaker guest
        health education economy agriculture fisheries tourism infrastructure road
        bridge irrigation clean water electricity school hospital clinic market business
        small medium farmer fisher trader student pupil teacher medical worker
        disaster flood landslide earthquake fire weather season rain drought environment
        forest river coast sea waste management supervision evaluation monitoring review
        outreach training technical guidance meeting gathering forum discussion seminar
        workshop ceremony inauguration signing memorandum understanding assistance social
        distribution intake registration requirement document application online
        digital system technology innovation transparent accountable effective efficient
        fast accurate good high low large new long main important special general
        integrated sustainable strategic priority national regional local year month week
        day morning noon afternoon evening since until through during before after then
        said stated explained stressed invited urged asked hoped supported improved
        accelerated ensured carried out drafted discussed reviewed attended opened closed
        received provided handed over followed developed strengthened maintained
        prevented handled completed target achievement realisation percent number people
        package stage phase progress result outcome
        """.split()
    ),
}

SPEECH_VERB: dict[str, tuple[str, ...]] = {
    "id": ("kata", "ujar", "jelas", "tegas"),
    "en": ("said", "explained", "stressed", "added"),
}

TABLE_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("Uraian", "Jumlah", "Satuan", "Keterangan", "Lokasi", "Target", "Realisasi"),
    "en": ("Item", "Amount", "Unit", "Remarks", "Location", "Target", "Actual"),
}

IMAGE_CAPTION: dict[str, str] = {"id": "Foto", "en": "Photo"}

PEOPLE: tuple[str, ...] = (
    "Amrizal", "Ramelan Suprihadi", "Hantor Sitomorang", "Siti Rahmawati", "Budi Santoso",
    "Dewi Lestari", "Andi Pratama", "Rina Marlina", "Yusuf Hidayat", "Nurul Aini",
    "Fajar Ramadhan", "Indah Permatasari", "Rahmat Hidayatullah", "Sri Wahyuni",
    "Agus Salim", "Mega Putri", "Hendra Gunawan", "Lina Marlina", "Zulkifli Harahap",
    "Maya Sari", "Irwan Syahputra", "Yuliana Dewi", "Ahmad Fauzi", "Ratna Juwita",
    "Teguh Wibowo", "Fitri Handayani", "Joko Susilo", "Wulan Sari", "Dedi Kurniawan",
    "Eka Saputra",
)

LOCATIONS: tuple[str, ...] = (
    "Padang", "Bukittinggi", "Payakumbuh", "Solok", "Sawahlunto", "Padang Panjang",
    "Pariaman", "Batusangkar", "Painan", "Lubuk Basung", "Sijunjung", "Pulau Punjung",
    "Arosuka", "Lubuk Sikaping", "Simpang Ampek", "Muaro Sijunjung", "Tuapejat",
    "Sarilamak", "Parik Malintang", "Padang Aro", "Jakarta", "Pekanbaru", "Medan",
    "Jambi", "Bengkulu",
)

# (Indonesian name, English name, short name used in headlines)
AGENCIES: tuple[tuple[str, str, str], ...] = (
    ("Dinas Komunikasi dan Informatika Provinsi Sumatera Barat",
     "West Sumatra Communication and Informatics Office", "Diskominfo Sumbar"),
    ("Dinas Kesehatan Provinsi Sumatera Barat", "West Sumatra Health Office", "Dinkes Sumbar"),
    ("Dinas Pendidikan Provinsi Sumatera Barat", "West Sumatra Education Office", "Disdik Sumbar"),
    ("Badan Penanggulangan Bencana Daerah Sumatera Barat",
     "West Sumatra Disaster Management Agency", "BPBD Sumbar"),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "Public Works and Spatial Planning Office", "PUPR"),
    ("Kantor Wilayah Kementerian Hukum Sumatera Barat",
     "West Sumatra Regional Office of the Ministry of Law", "Kanwil Kemenkum Sumbar"),
    ("Badan Perencanaan Pembangunan Daerah", "Regional Development Planning Agency", "Bappeda"),
    ("Dinas Pariwisata Provinsi Sumatera Barat", "West Sumatra Tourism Office", "Dispar Sumbar"),
    ("Dinas Pertanian Tanaman Pangan dan Hortikultura",
     "Food Crops and Horticulture Office", "Distanhorti"),
    ("Dinas Kelautan dan Perikanan", "Marine and Fisheries Office", "DKP"),
    ("Dinas Sosial Provinsi Sumatera Barat", "West Sumatra Social Affairs Office", "Dinsos Sumbar"),
    ("Biro Administrasi Pimpinan Setda Provinsi", "Provincial Leadership Administration Bureau",
     "Biro Adpim"),
    ("Dinas Lingkungan Hidup", "Environment Office", "DLH"),
    ("Dinas Perindustrian dan Perdagangan", "Industry and Trade Office", "Disperindag"),
    ("Badan Kepegawaian Daerah", "Regional Civil Service Agency", "BKD"),
)

HEADLINE_VERBS: tuple[tuple[str, str], ...] = (
    ("Gelar", "Holds"), ("Luncurkan", "Launches"), ("Tingkatkan", "Improves"),
    ("Sosialisasikan", "Promotes"), ("Evaluasi", "Evaluates"), ("Dukung", "Supports"),
    ("Percepat", "Accelerates"), ("Resmikan", "Inaugurates"), ("Bahas", "Discusses"),
    ("Ikuti", "Joins"), ("Perkuat", "Strengthens"), ("Tinjau", "Reviews"),
    ("Salurkan", "Distributes"), ("Siapkan", "Prepares"), ("Umumkan", "Announces"),
)

HEADLINE_TOPICS: tuple[tuple[str, str], ...] = (
    ("Program Vaksinasi", "Vaccination Programme"), ("Pelayanan Publik", "Public Services"),
    ("Rapat Koordinasi Kehumasan", "Public Relations Coordination Meeting"),
    ("Bantuan Sosial", "Social Assistance"), ("Perbaikan Jalan Provinsi", "Provincial Road Repairs"),
    ("Penerimaan Peserta Didik Baru", "New Student Admissions"),
    ("Festival Budaya Minangkabau", "Minangkabau Cultural Festival"),
    ("Kesiapsiagaan Bencana", "Disaster Preparedness"), ("Pasar Murah", "Affordable Market"),
    ("Pelatihan UMKM", "Small Business Training"), ("Aplikasi Layanan Daring", "Online Service App"),
    ("Penanganan Stunting", "Stunting Prevention"), ("Pengelolaan Sampah", "Waste Management"),
    ("Rekrutmen Aparatur", "Civil Servant Recruitment"), ("Keterbukaan Informasi", "Information Openness"),
    ("Musrenbang Daerah", "Regional Development Forum"), ("Irigasi Pertanian", "Farm Irrigation"),
    ("Bantuan Nelayan", "Support for Fishers"), ("Pemeriksaan Kesehatan Gratis", "Free Health Checks"),
    ("Penyuluhan Hukum", "Legal Awareness Outreach"), ("Digitalisasi Desa", "Village Digitalisation"),
    ("Promosi Pariwisata", "Tourism Promotion"), ("Penanaman Pohon", "Tree Planting"),
    ("Operasi Pasar Beras", "Rice Market Operation"), ("Perlindungan Anak", "Child Protection"),
)

# Tags: about 200. Topic tags are translated; names and acronyms are not.
TOPIC_TAGS: tuple[tuple[str, str], ...] = (
    ("kesehatan", "health"), ("pendidikan", "education"), ("ekonomi", "economy"),
    ("pertanian", "agriculture"), ("perikanan", "fisheries"), ("pariwisata", "tourism"),
    ("infrastruktur", "infrastructure"), ("jalan", "roads"), ("jembatan", "bridges"),
    ("air bersih", "clean water"), ("listrik", "electricity"), ("bencana", "disasters"),
    ("banjir", "floods"), ("longsor", "landslides"), ("gempa bumi", "earthquakes"),
    ("lingkungan", "environment"), ("sampah", "waste"), ("hutan", "forests"),
    ("kebudayaan", "culture"), ("olahraga", "sports"), ("pemuda", "youth"),
    ("perempuan", "women"), ("anak", "children"), ("lansia", "elderly"),
    ("disabilitas", "disability"), ("kemiskinan", "poverty"), ("bantuan sosial", "social assistance"),
    ("ketenagakerjaan", "employment"), ("investasi", "investment"), ("perdagangan", "trade"),
    ("industri", "industry"), ("umkm", "small business"), ("koperasi", "cooperatives"),
    ("inflasi", "inflation"), ("harga pangan", "food prices"), ("beras", "rice"),
    ("anggaran", "budget"), ("apbd", "regional budget"), ("pajak daerah", "regional tax"),
    ("pelayanan publik", "public services"), ("reformasi birokrasi", "bureaucratic reform"),
    ("aparatur sipil negara", "civil servants"), ("rekrutmen", "recruitment"),
    ("keterbukaan informasi", "information openness"), ("kehumasan", "public relations"),
    ("media sosial", "social media"), ("digitalisasi", "digitalisation"),
    ("transformasi digital", "digital transformation"), ("keamanan siber", "cyber security"),
    ("hukum", "law"), ("hak asasi manusia", "human rights"), ("penyuluhan hukum", "legal outreach"),
    ("antikorupsi", "anti-corruption"), ("pemilu", "elections"), ("ketertiban", "public order"),
    ("lalu lintas", "traffic"), ("transportasi", "transport"), ("perumahan", "housing"),
    ("tata ruang", "spatial planning"), ("irigasi", "irrigation"), ("peternakan", "livestock"),
    ("perkebunan", "plantations"), ("kelautan", "marine affairs"), ("energi", "energy"),
    ("stunting", "stunting"), ("imunisasi", "immunisation"), ("vaksinasi", "vaccination"),
    ("rumah sakit", "hospitals"), ("puskesmas", "community clinics"), ("gizi", "nutrition"),
    ("sekolah", "schools"), ("beasiswa", "scholarships"), ("perguruan tinggi", "universities"),
    ("literasi", "literacy"), ("perpustakaan", "libraries"), ("adat", "customary law"),
    ("nagari", "nagari villages"), ("desa", "villages"), ("musrenbang", "development planning forum"),
    ("ramadan", "ramadan"), ("idulfitri", "eid al-fitr"), ("hari kemerdekaan", "independence day"),
    ("upacara", "ceremonies"), ("penghargaan", "awards"), ("kerja sama", "cooperation"),
    ("kunjungan kerja", "working visits"), ("rapat koordinasi", "coordination meetings"),
    ("sosialisasi", "outreach"), ("pelatihan", "training"), ("inovasi", "innovation"),
    ("statistik", "statistics"), ("cuaca", "weather"), ("kebakaran hutan", "forest fires"),
    ("mudik", "homecoming travel"), ("pasar murah", "affordable markets"),
    ("perlindungan anak", "child protection"), ("kesetaraan gender", "gender equality"),
)

NAME_TAGS: tuple[str, ...] = (
    "Sumatera Barat", "Kota Padang", "Bukittinggi", "Payakumbuh", "Kota Solok", "Sawahlunto",
    "Padang Panjang", "Pariaman", "Kabupaten Agam", "Tanah Datar", "Pesisir Selatan",
    "Kabupaten Solok", "Solok Selatan", "Sijunjung", "Dharmasraya", "Pasaman", "Pasaman Barat",
    "Lima Puluh Kota", "Padang Pariaman", "Kepulauan Mentawai", "Danau Singkarak", "Danau Maninjau",
    "Lembah Harau", "Jam Gadang", "Pantai Air Manis", "Bandara Minangkabau", "Teluk Bayur",
    "Jalan Tol Padang-Pekanbaru", "Sitinjau Lauik", "Kelok Sembilan",
    "BPJS Kesehatan", "BPJS Ketenagakerjaan", "BPS", "BMKG", "BNPB", "BPBD", "Bappeda", "Bank Nagari",
    "Bank Indonesia", "OJK", "KPU", "Bawaslu", "Ombudsman", "KPK", "Polda Sumbar", "Korem 032",
    "Kemenkum", "Kemendagri", "Kominfo", "Kemenkes", "Kemendikbud", "Kementan", "KKP", "PUPR",
    "DPRD Sumbar", "Gubernur Sumbar", "Wakil Gubernur", "Sekda", "Universitas Andalas",
    "Universitas Negeri Padang", "UIN Imam Bonjol", "PLN", "PDAM", "Pertamina", "Telkom",
    "E-Lapor", "P2MA", "SP4N-LAPOR", "PPID", "SPBE", "JDIH", "LPSE", "Satu Data", "PPDB", "KIP",
    "PKH", "BLT", "KUR", "Dana Desa", "Tour de Singkarak", "Pacu Jawi", "Tabuik",
    "Festival Siti Nurbaya", "Pekan Budaya", "Hari Jadi Provinsi", "MTQ", "Porprov", "Pramuka",
    "PKK", "Posyandu", "Jampersal", "Germas", "Adipura", "Proklim", "TP2DD", "TPID", "Nagari Digital",
    "Smart City", "Command Center", "Satgas",
)

# (Indonesian, English); about a third of releases leave the category to default.
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("Pemerintahan", "Government"), ("Kesehatan", "Health"), ("Pendidikan", "Education"),
    ("Ekonomi", "Economy"), ("Infrastruktur", "Infrastructure"), ("Pariwisata", "Tourism"),
    ("Hukum", "Law"), ("Sosial", "Social Affairs"), ("Lingkungan", "Environment"),
    ("Pertanian", "Agriculture"), ("Kebencanaan", "Disaster Management"), ("Olahraga", "Sports"),
)

# section key -> name per language
SECTIONS: dict[str, dict[str, str]] = {
    "berita": {"id": "Berita", "en": "News"},
    "siaran-pers": {"id": "Siaran Pers", "en": "Press Releases"},
    "pengumuman": {"id": "Pengumuman", "en": "Announcements"},
}
SECTION_SHARES: dict[str, float] = {"berita": 0.55, "siaran-pers": 0.35, "pengumuman": 0.10}

SITE: dict[str, dict[str, str]] = {
    "id": {
        "name": "Bahasa Indonesia",
        "locale": "id_ID",
        "title": "Humas Pemerintah Provinsi Contoh",
        "description": "Berita dan siaran pers resmi Pemerintah Provinsi Contoh",
    },
    "en": {
        "name": "English",
        "locale": "en_US",
        "title": "Example Province Government Newsroom",
        "description": "Official news and press releases of the Example Province Government",
    },
}

IMAGE_ALT: dict[str, tuple[str, ...]] = {
    "id": ("Suasana kegiatan", "Kepala dinas memberikan sambutan", "Peserta mengikuti acara",
           "Penyerahan bantuan secara simbolis", "Foto bersama usai kegiatan"),
    "en": ("The event in progress", "The office head delivers remarks", "Participants at the event",
           "Symbolic handover of assistance", "Group photo after the event"),
}
