import pytest

from prism_news.reading_time import (
    count_text,
    reading_minutes,
    reading_time_label,
)

from .factories import ArticlePageFactory

JA_SENTENCE = (
    "米国主導の技術同盟は、中国に依存しない供給網を目指して、レアアースからデータセンターまでを"
    "信頼できる国々で結び直そうとしている。"
)
EN_SENTENCE = (
    "The alliance wants supply chains that do not depend on China, from rare earths "
    "to data centres, rebuilt among partners it trusts. "
)


def japanese_text(characters):
    """Real Japanese prose with exactly ``characters`` countable characters."""
    text = ""
    while count_text(text)[0] < characters:
        text += JA_SENTENCE
    while count_text(text)[0] > characters:
        text = text[:-1]
    return text


def english_words(words):
    tokens = (EN_SENTENCE * (words // 10 + 1)).split()
    return " ".join(tokens[:words])


def test_counts_japanese_by_characters_and_ignores_punctuation():
    assert count_text("中国に依存しない。") == (8, 0)


def test_counts_words_by_spaces_and_ignores_markup():
    assert count_text('<p>Rare <a href="/x">earths</a> and data-centres.</p>') == (0, 4)


def test_mixed_text_is_counted_per_script():
    assert count_text("Pax Silica は AI と半導体の同盟") == (8, 3)


def test_1290_japanese_characters_take_three_minutes():
    assert reading_minutes([japanese_text(1290)], "ja") == 3


def test_1000_english_words_take_five_minutes():
    assert count_text(english_words(1000)) == (0, 1000)
    assert reading_minutes([english_words(1000)], "en") == 5


def test_rounds_up_and_never_below_one_minute():
    assert reading_minutes([""], "en") == 1
    assert reading_minutes([english_words(239)], "en") == 2


def test_speeds_come_from_settings(prism_settings):
    prism_settings(READING_WORDS_PER_MINUTE=100, READING_CHARACTERS_PER_MINUTE={"ja": 1000})
    assert reading_minutes([english_words(1000)], "en") == 10
    assert reading_minutes([japanese_text(1290)], "ja") == 2


def test_chinese_uses_its_own_speed_by_language_prefix(prism_settings):
    prism_settings(READING_CHARACTERS_PER_MINUTE={"ja": 500, "zh": 300})
    text = "人工智能与半导体联盟" * 60  # 600 characters
    assert reading_minutes([text], "zh-hans") == 2
    assert reading_minutes([text], "ja") == 2  # 600 / 500 rounds up too
    assert reading_minutes([text * 2], "zh-hans") == 4
    assert reading_minutes([text * 2], "ja") == 3


@pytest.mark.parametrize(
    ("language", "minutes", "expected"),
    [("ja", 3, "3分で読める"), ("en", 1, "1 min read"), ("en", 3, "3 min read")],
)
def test_label_is_localized(language, minutes, expected):
    assert reading_time_label(minutes, language) == expected


def test_article_counts_text_blocks_and_summary_but_not_images(category):
    prose = english_words(660)
    article = ArticlePageFactory(
        parent=category,
        summary=english_words(40),
        body=[
            ("heading", {"text": english_words(100), "level": "2"}),
            ("paragraph", f"<p>{prose}</p>"),
            ("list", {"style": "bulleted", "items": [english_words(50), english_words(50)]}),
            ("quote", {"text": english_words(50), "attribution": "Someone"}),
            ("key_points", {"title": "Key points", "points": [english_words(48)]}),
            ("embed", "https://www.youtube.com/watch?v=abc"),
        ],
    )
    # 40 + 100 + 660 + 100 + 51 + 50 = 1001 words in ja locale: 1001 / 238 = 4.2 -> 5
    assert article.reading_time == 5
    article.body = [("paragraph", f"<p>{english_words(10)}</p>")]
    article.save()
    assert article.reading_time == 1
