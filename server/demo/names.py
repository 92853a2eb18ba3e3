"""Fake but plausible personal data: Chinese names, mobile numbers, ID numbers, village names."""

from __future__ import annotations

import random
from datetime import date, timedelta

# Common surnames in Luodian (Buyei and Han), roughly by frequency (weights are relative).
SURNAMES: tuple[tuple[str, int], ...] = (
    ("罗", 14), ("王", 10), ("杨", 9), ("李", 8), ("陈", 7), ("黄", 7), ("吴", 6), ("韦", 6),
    ("岑", 4), ("班", 4), ("蒙", 4), ("陆", 4), ("梁", 3), ("刘", 3), ("张", 3), ("周", 3),
    ("覃", 3), ("莫", 3), ("潘", 2), ("龙", 2), ("石", 2), ("何", 2), ("赵", 2), ("谢", 2),
    ("卢", 2), ("冉", 1), ("伍", 1), ("田", 1), ("邓", 1), ("胡", 1), ("姚", 1), ("邹", 1),
)
_SURNAME_CHARS = tuple(name for name, _ in SURNAMES)
_SURNAME_WEIGHTS = tuple(weight for _, weight in SURNAMES)

MALE_CHARS = "国明华军平勇志文建德光云忠顺发林海强兵成祥荣贵富学正永福高松金宏世开亮俊鹏"
FEMALE_CHARS = "秀英兰芳丽梅艳琴霞娟玲燕红珍凤美敏婷翠莲春花萍慧桂琼雪丹"

MOBILE_PREFIXES = ("138", "139", "135", "150", "151", "152", "157", "182", "187", "188", "189", "133", "153", "180", "181", "177")

# Regional prefix of every ID number issued in Luodian county (GB 11643 address code).
ID_REGION = "522728"
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_VILLAGE_FIRST = "板纳拉董麻坡弄岜冗交油凤龙红桥坝田塘河江山岩关高云上下中石羊马牛花竹松水平新大小金银翁者打八罗"
_VILLAGE_SECOND = "怀亭坪寨关庄阳岭湾坡洞林岸桥坝河沟田头边塘场堡旺乐安明星光兴发里坤榜外岗"
_COMMUNITY_NAMES = (
    "城东", "城西", "城南", "城北", "兴隆", "朝阳", "民族", "龙滩", "凤凰", "文昌", "新区", "滨河",
    "惠民", "和谐", "幸福", "安居", "振兴", "团结", "育才", "丰收",
)


def gb11643_check_digit(first17: str) -> str:
    """The GB 11643-1999 check character (0–9 or X) for the first 17 digits of an ID number."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_number_valid(value: str) -> bool:
    """True when an 18-character ID number has digits, a real birth date and the right check character."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return gb11643_check_digit(value[:17]) == value[17]


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 25 → 二十五, 100 → 一百 (for 1 ≤ n ≤ 999)."""
    digits = "零一二三四五六七八九"
    if not 1 <= n <= 999:
        raise ValueError(f"chinese_numeral supports 1..999, got {n}")
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    rest = n % 100
    head = digits[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + digits[rest]
    return head + (digits[rest // 10] + "十" + (digits[rest % 10] if rest % 10 else ""))


class Faker:
    """Makes names, phones, ID numbers and village names from one seeded random source."""

    def __init__(self, rng: random.Random) -> None:
        """Use `rng` for everything and remember what was handed out."""
        self.rng = rng
        self._phones: set[str] = set()
        self._ids: set[str] = set()
        self._villages: set[str] = set()

    def name(self, *, female: bool | None = None) -> str:
        """A surname plus a one- or two-character given name."""
        if female is None:
            female = self.rng.random() < 0.45
        pool = FEMALE_CHARS if female else MALE_CHARS
        surname = self.rng.choices(_SURNAME_CHARS, weights=_SURNAME_WEIGHTS)[0]
        length = 1 if self.rng.random() < 0.25 else 2
        return surname + "".join(self.rng.choice(pool) for _ in range(length))

    def phone(self) -> str:
        """A distinct 11-digit mobile number (fake)."""
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def id_number(self, *, female: bool | None = None, born_from: int = 1945, born_to: int = 2003) -> str:
        """A distinct 18-digit ID number of a Luodian resident with a valid check character."""
        if female is None:
            female = self.rng.random() < 0.45
        while True:
            start = date(born_from, 1, 1)
            span = (date(born_to, 12, 31) - start).days
            born = start + timedelta(days=self.rng.randrange(span + 1))
            order = self.rng.randrange(100) * 10 + self.rng.choice((0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9))
            first17 = f"{ID_REGION}{born:%Y%m%d}{order:03d}"
            value = first17 + gb11643_check_digit(first17)
            if value not in self._ids:
                self._ids.add(value)
                return value

    def village_name(self, *, community: bool = False, town: str | None = None) -> str:
        """A village (…村) or community (…社区) name not used before in the county."""
        if community and town is not None and f"{town}社区" not in self._villages:
            name = f"{town}社区"
            self._villages.add(name)
            return name
        while True:
            if community:
                name = self.rng.choice(_COMMUNITY_NAMES) + "社区"
            else:
                name = self.rng.choice(_VILLAGE_FIRST) + self.rng.choice(_VILLAGE_SECOND) + "村"
            if name not in self._villages:
                self._villages.add(name)
                return name

    def reserve_village(self, name: str) -> None:
        """Mark a fixed (real) village name as used."""
        self._villages.add(name)
