"""The demo province: Lạng Sơn, as the 2023 plan (seeds/004) describes it."""

PROVINCE = {"name": "Lạng Sơn", "code": "20", "name_en": "Lang Son", "name_zh_hans": "谅山省"}

# (name, internal code, border?, communes)
DISTRICTS = [
    ("Cao Lộc", "20-CL", True, ["Đồng Đăng", "Bảo Lâm", "Thụy Hùng"]),
    ("Văn Lãng", "20-VL", True, ["Tân Thanh", "Na Sầm", "Thanh Long"]),
    ("Tràng Định", "20-TD", True, ["Quốc Khánh", "Đội Cấn"]),
    ("Lộc Bình", "20-LB", True, ["Tam Gia", "Xuân Dương"]),
]

DEPARTMENT = "Sở Thông tin và Truyền thông tỉnh Lạng Sơn"

TOPICS = [
    ("chu-quyen-bien-gioi", "Chủ quyền, an ninh biên giới",
     "Sovereignty and border security", "边境主权与安全"),
    ("chinh-sach-dan-toc", "Chính sách dân tộc, đại đoàn kết",
     "Ethnic policy and national unity", "民族政策与团结"),
    ("tiem-nang-du-lich", "Tiềm năng đầu tư, du lịch, văn hóa truyền thống",
     "Investment, tourism and traditional culture", "投资潜力、旅游与传统文化"),
    ("thanh-tuu-nhan-quyen", "Thành tựu quyền con người",
     "Human-rights achievements", "人权成就"),
    ("toi-pham-bien-gioi", "Cảnh báo tội phạm biên giới, tội phạm công nghệ cao",
     "Border and high-tech crime warnings", "边境犯罪与高科技犯罪警示"),
    ("tin-gia", "Đấu tranh với thông tin sai sự thật",
     "Countering false information online", "打击虚假信息"),
    ("le-hoi-phong-tuc", "Lễ hội, phong tục, di sản phi vật thể",
     "Festivals, customs and intangible heritage", "节日、习俗与非物质文化遗产"),
]

USERS = [
    # username, first name, last name, role, organisation key (None = province)
    ("admin", "Quản trị", "hệ thống", "admin", None),
    ("bientap.tinh", "Lan", "Nguyễn Thị", "editor", None),
    ("bientap.caoloc", "Hùng", "Hoàng Văn", "editor", "Cao Lộc"),
    ("bientap.vanlang", "Mai", "Lường Thị", "editor", "Văn Lãng"),
    ("duyet", "Minh", "Trần Quang", "reviewer", None),
]

SUBJECTS = [
    "Bảo vệ cột mốc biên giới Hữu Nghị",
    "Đồng bào Tày, Nùng chung tay giữ gìn đường biên giới",
    "Lễ hội Lồng tồng xuống đồng đầu xuân",
    "Cảnh giác với thủ đoạn lừa đảo qua mạng",
    "Nước sạch về bản vùng cao Văn Lãng",
    "Cửa khẩu Tân Thanh: tiềm năng giao thương",
    "Hát then, đàn tính – di sản của người Tày, Nùng",
    "Phòng chống mua bán người qua biên giới",
    "Trường học mới cho con em vùng biên",
    "Chính sách hỗ trợ nhà ở cho hộ nghèo",
    "Không nghe, không tin, không chia sẻ tin giả",
    "Du lịch cộng đồng ở Mẫu Sơn",
]

BODY = [
    "Thực hiện Dự án 10 thuộc Chương trình mục tiêu quốc gia phát triển kinh tế – xã hội "
    "vùng đồng bào dân tộc thiểu số và miền núi, tỉnh Lạng Sơn đẩy mạnh thông tin đối ngoại "
    "ở khu vực biên giới.",
    "Bà con các dân tộc ở đường biên giới là những cột mốc sống, cùng lực lượng Biên phòng "
    "giữ gìn an ninh trật tự, xây dựng biên giới hòa bình, hữu nghị, hợp tác và phát triển.",
]
