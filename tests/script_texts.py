"""Realistic page-length text in the scripts the site serves web fonts for, made the same
way on every run (seeded): what a translated bulletin's body looks like to a font."""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import jieba

CHINESE_OPENING = (
    "谅山省边境地区各族群众积极参与保护国界线和界碑，与边防部队一起巡逻，"
    "及时发现并报告非法越境、走私等违法行为。省信息传媒厅编制了越南语、岱依语、侬语和汉语的"
    "宣传资料，通过广播站、扩音器和图书馆向村民介绍新的政策，帮助大家了解自己的权利和义务。"
)


@cache
def _jieba_words() -> tuple[list[str], list[int]]:
    words, weights = [], []
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as dictionary:
        for line in dictionary:
            word, frequency, *_tag = line.split()
            words.append(word)
            weights.append(int(frequency))
    return words, weights


def chinese(length: int = 1650, seed: int = 17) -> str:
    """A hand-written opening, then words drawn by their frequency in jieba's dictionary
    (about 700 different hanzi in 1,600 characters: more than a real bulletin of that
    length, which repeats its topic's words)."""
    words, weights = _jieba_words()
    rng = random.Random(seed)
    text = CHINESE_OPENING
    while len(text) < length:
        text += "".join(rng.choices(words, weights, k=rng.randint(6, 14))) + rng.choice("，，。")
    return text[:length].rstrip("，") + "。"


KHMER_PHRASEBOOK = (
    "ប្រទេស កម្ពុជា ព្រំដែន ខេត្ត ប្រជាជន សុខភាព កសិកម្ម ស្រូវ ទឹក ភូមិ "
    "សាលារៀន កុមារ គ្រូ ការអប់រំ ព័ត៌មាន រដ្ឋាភិបាល អាជ្ញាធរ សន្តិសុខ "
    "ការពារ ជំងឺ ថ្នាំ មន្ទីរពេទ្យ ផ្លូវ ភ្លៀង រដូវ ដំណាំ ពលរដ្ឋ វប្បធម៌ "
    "ប្រពៃណី ពុទ្ធសាសនា វត្ត បុណ្យ ឆ្នាំ ខែ ថ្ងៃ និង នៅ ដែល បាន ជា មាន "
    "ក្នុង សម្រាប់ ពី ទៅ របស់ ការ ធ្វើ ជួយ រៀន ការងារ ក្រុមគ្រួសារ សហគមន៍ "
    "អភិវឌ្ឍន៍ សេដ្ឋកិច្ច ទីផ្សារ តម្លៃ ព្រឹត្តិបត្រ ស្ថានីយ៍វិទ្យុ ឃុំ "
    "ស្រុក ច្បាប់ សិទ្ធិ កាតព្វកិច្ច បរិស្ថាន ព្រៃឈើ ត្រី សត្វ ចិញ្ចឹម "
    "ជីវភាព ប្រាក់ចំណូល ដឹកនាំ ស្ត្រី យុវជន ចាស់ទុំ "
)
KHMER_WORDS = KHMER_PHRASEBOOK.split()


def khmer(length: int = 1600, seed: int = 17) -> str:
    """Common Khmer words in phrases, each sentence ending with the khan (។)."""
    rng = random.Random(seed)
    text = ""
    while len(text) < length:
        text += "".join(rng.choices(KHMER_WORDS, k=rng.randint(3, 6))) + rng.choice("  ។ ")
    return text[:length].strip() + "។"


# Tai Viet is written in visual order: some vowels stand before their consonant.
TAI_VIET_CONSONANTS = "ꪀꪁꪂꪃꪄꪅꪆꪇꪈꪉꪊꪋꪌꪍꪎꪏꪐꪑꪒꪓꪔꪕꪖꪗꪘꪙꪚꪛꪜꪝꪞꪟꪠꪡꪢꪣꪤꪥꪦꪧꪨꪩꪪꪫꪬꪭꪮꪯ"
TAI_VIET_VOWELS_BEFORE = ("", "", "", "ꪵ", "ꪹ", "ꪻ", "ꪼ", "ꪶ")
TAI_VIET_VOWELS_AFTER = ("", "ꪱ", "ꪲ", "ꪳ", "ꪴ", "ꪸ", "ꪰ", "ꪾ", "ꪱ")
TAI_VIET_TONES = ("", "", "꪿", "꫁")
TAI_VIET_FINALS = ("", "", "ꪣ", "ꪙ", "ꪉ", "ꪀ", "ꪒ", "ꪚ", "ꪥ")


def tai_viet(length: int = 1900, seed: int = 17) -> str:
    """Syllables of the Tai Viet script's shape, in words and sentences."""
    rng = random.Random(seed)

    def syllable() -> str:
        return (rng.choice(TAI_VIET_VOWELS_BEFORE) + rng.choice(TAI_VIET_CONSONANTS)
                + rng.choice(TAI_VIET_VOWELS_AFTER) + rng.choice(TAI_VIET_TONES)
                + rng.choice(TAI_VIET_FINALS))

    text = ""
    while len(text) < length:
        words = [syllable() + (syllable() if rng.random() < 0.3 else "")
                 for _ in range(rng.randint(4, 9))]
        text += " ".join(words) + rng.choice((" ", " ꫞ "))
    return text[:length].strip()


def script_length(text: str, first: int, last: int) -> int:
    """How many characters of ``text`` lie in the block [first, last]."""
    return sum(1 for ch in text if first <= ord(ch) <= last)
