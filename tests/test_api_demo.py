"""The acceptance check: a front end renders the demo's Pax Silica story from one request."""

import os

import pytest
from django.core.management import call_command


@pytest.mark.slow
def test_pax_silica_in_one_request(client, db):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    found = client.get("/api/v2/pages/find/", {"html_path": "/politics/pax-silica-eurasia/"})
    assert found.status_code == 302
    story = client.get(found["Location"]).json()

    assert story["hero_image"]["alt"].startswith("イラスト")
    assert story["hero_image"]["renditions"]["large"]["url"]
    assert story["category"]["title"] == "政治"
    assert story["ai"]["label"] == "AI分析" and story["ai"]["reviewed"] is True
    assert story["reading_time"]["label"] == f"{story['reading_time']['minutes']}分で読める"
    assert story["reading_time"]["minutes"] >= 4
    assert story["sources"][0]["publisher"] == "The Diplomat"
    assert story["sources"][0]["url"].startswith("https://")
    assert "パックス・シリカ" in story["summary"]
    types = [block["type"] for block in story["body"]]
    assert {"heading", "paragraph", "key_points"} <= set(types)
    assert story["authors"][0]["role"] == "編集長"
    assert (
        story["disclaimer"]["kind"] == "ai" and story["disclaimer"]["url"] == "/ai-content-policy/"
    )
    related = story["related"]
    assert len(related) == 3  # the other Politics stories, pinned
    assert {card["language_label"] for card in related} == {"日本語"}
    assert all(
        card["hero_image"]["alt"] and card["url"].startswith("/politics/") for card in related
    )
    english = story["translations"]
    assert [(t["locale"], t["language_label"]) for t in english] == [("en", "English")]
    assert english[0]["url"] == "/en/politics/pax-silica-eurasia/"
    assert story["json_ld"]["publisher"]["name"] == "Prism News"
