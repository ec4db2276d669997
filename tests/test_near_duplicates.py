"""Near-duplicate flags on texts written for the tests: wire copies link, same-subject ones don't.

Labels come from the fixture names (``<story>__<outlet>.txt``, see the fixture README): two
files of the same story are a positive pair, every other pair a negative one.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from trafilatura.deduplication import Simhash

from scraper.export.near_duplicates import (
    MIN_WORDS,
    NearDuplicateIndex,
    apply_near_duplicates,
    normalized_words,
)

FIXTURES = Path(__file__).parent / "fixtures" / "near_duplicates"
REPO = Path(__file__).resolve().parent.parent


def text_of(name: str) -> str:
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")


def record(name: str, text: str | None = None) -> dict[str, object]:
    """A minimal article record: a schema-shaped id and the text."""
    return {"id": hashlib.sha256(name.encode()).hexdigest()[:32], "url": f"https://{name}/",
            "text": text_of(name) if text is None else text}


def fixture_names() -> list[str]:
    return sorted(path.stem for path in FIXTURES.glob("*.txt"))


def story(name: str) -> str:
    return name.split("__")[0]


def links(names: list[str]) -> list[str | None]:
    index = NearDuplicateIndex()
    return [index.find_or_add(record(name)) for name in names]


# ---------------------------------------------------------------------------- the fixture stories


def test_one_wire_story_on_three_outlets_links_to_the_first_copy() -> None:
    outlets = ["en-aqaba-desalination__gulfwire", "en-aqaba-desalination__levant-daily",
               "en-aqaba-desalination__nile-post"]
    first = record(outlets[0])["id"]
    assert links(outlets) == [None, first, first]


@pytest.mark.parametrize("first", ["en-aqaba-desalination__levant-daily",
                                   "en-aqaba-desalination__nile-post"])
def test_any_copy_seen_first_becomes_the_root(first: str) -> None:
    others = [n for n in fixture_names() if story(n) == "en-aqaba-desalination" and n != first]
    assert links([first, *others]) == [None] + [record(first)["id"]] * len(others)


def test_arabic_copies_with_and_without_hamza_harakat_and_indic_digits_link() -> None:
    pair = ["ar-unaizah-dates__sahil-news", "ar-unaizah-dates__al-mirsad"]
    assert links(pair) == [None, record(pair[0])["id"]]


def test_a_copy_cut_after_five_paragraphs_links_to_the_full_story() -> None:
    pair = ["en-beirut-port-crane__levant-daily", "en-beirut-port-crane__cedar-times"]
    assert links(pair) == [None, record(pair[0])["id"]]
    assert links(pair[::-1]) == [None, record(pair[1])["id"]]


@pytest.mark.parametrize("pair", [
    ("en-jeddah-floods__gulfwire", "en-jeddah-floods-cleanup__gulfwire"),
    ("en-aqaba-desalination__gulfwire", "en-aqaba-desalination-delay__gulfwire"),
    ("en-egypt-rates-hold__nile-post", "en-egypt-rates-cut__nile-post"),
    ("en-beirut-port-crane__levant-daily", "en-beirut-port-traffic__cedar-times"),
    ("ar-unaizah-dates__sahil-news", "ar-unaizah-dates-closing__sahil-news"),
    ("ar-wahda-faisaly-preview__al-mirsad", "ar-wahda-faisaly-report__al-mirsad"),
])
def test_different_stories_on_the_same_subject_do_not_link(pair: tuple[str, str]) -> None:
    assert links(list(pair)) == [None, None]
    assert links(list(pair[::-1])) == [None, None]


def test_precision_and_recall_over_every_labelled_pair() -> None:
    names = fixture_names()
    true_pos = false_pos = positives = 0
    for earlier, later in itertools.combinations(names, 2):
        same_story = story(earlier) == story(later)
        linked = links([earlier, later])[1] is not None
        positives += same_story
        true_pos += linked and same_story
        false_pos += linked and not same_story
    pairs = len(names) * (len(names) - 1) // 2
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    recall = true_pos / positives
    print(f"\nnear-duplicate fixture pairs: {pairs} ({positives} positive): "
          f"precision {precision:.2f}, recall {recall:.2f}")
    assert positives >= 6
    assert precision == 1.0
    assert true_pos == positives


def test_all_fixtures_in_one_stream_point_at_their_story_root() -> None:
    records = [record(name) for name in fixture_names()]
    roots: dict[str, str] = {}
    for name, flagged in zip(fixture_names(), apply_near_duplicates(records)):
        root = roots.setdefault(story(name), flagged["id"])
        assert flagged["near_duplicate_of"] == (None if root == flagged["id"] else root), name


# ---------------------------------------------------------------------------- edge cases and API


def test_short_texts_never_link_nor_are_remembered() -> None:
    brief = " ".join(text_of("en-jeddah-floods__gulfwire").split()[:MIN_WORDS - 5])
    index = NearDuplicateIndex()
    assert [index.find_or_add(record(f"brief-{i}", brief)) for i in range(3)] == [None] * 3
    assert len(index) == 0
    assert index.find_or_add(record("empty", "")) is None


def test_a_linked_record_is_not_remembered() -> None:
    index = NearDuplicateIndex()
    for name in ("en-jeddah-floods__gulfwire", "en-jeddah-floods__arab-ledger"):
        index.find_or_add(record(name))
    assert len(index) == 1


def test_apply_near_duplicates_copies_records_and_keeps_their_fields() -> None:
    originals = [record("ar-unaizah-dates__sahil-news"), record("ar-unaizah-dates__al-mirsad")]
    flagged = list(apply_near_duplicates(iter(originals)))
    assert [r["near_duplicate_of"] for r in flagged] == [None, originals[0]["id"]]
    assert all("near_duplicate_of" not in r for r in originals)
    assert [{k: v for k, v in r.items() if k != "near_duplicate_of"} for r in flagged] == originals


def test_normalized_words_fold_arabic_spelling_variants_digits_and_case() -> None:
    assert normalized_words("أكثرُ من ١٥٠٠ مِهرجـــان، إلى المئة") == \
        normalized_words("اكثر من 1500 مهرجان الي المئه")
    assert normalized_words("Café MAJOR Al-Qahtani") == ["cafe", "major", "al", "qahtani"]


def test_results_do_not_depend_on_the_hash_seed() -> None:
    script = ("from tests.test_near_duplicates import fixture_names, links\n"
              "print(links(fixture_names()))\n")
    outputs = {subprocess.run([sys.executable, "-c", script], cwd=REPO, check=True,
                              capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2")}
    assert len(outputs) == 1
    assert outputs.pop().strip() == str(links(fixture_names()))


def test_trafilatura_simhash_cannot_separate_these_pairs() -> None:
    """Why shingles: Simhash scores two different rate decisions above the Arabic copies."""
    def similarity(a: str, b: str) -> float:
        return Simhash(text_of(a)).similarity(Simhash(text_of(b)))

    different = similarity("en-egypt-rates-hold__nile-post", "en-egypt-rates-cut__nile-post")
    copies = similarity("ar-unaizah-dates__sahil-news", "ar-unaizah-dates__al-mirsad")
    assert different > copies


# ---------------------------------------------------------------------------- scale


def synthetic_texts(count: int, seed: int = 7) -> list[str]:
    """Distinct article-like texts: 80-400 words drawn from a Zipf-like pseudo-vocabulary."""
    rng = random.Random(seed)
    syllables = ["ka", "ri", "mo", "tel", "sa", "dun", "be", "lor", "qi", "ha", "zen", "fa"]
    vocabulary = sorted({"".join(rng.choices(syllables, k=rng.randint(1, 4)))
                         for _ in range(8000)})
    weights = list(itertools.accumulate(1 / rank for rank in range(1, len(vocabulary) + 1)))
    return [" ".join(rng.choices(vocabulary, cum_weights=weights, k=rng.randint(80, 400)))
            for _ in range(count)]


@pytest.mark.slow
def test_twenty_thousand_distinct_records_are_not_linked_and_planted_copies_are() -> None:
    texts = synthetic_texts(20_000)
    planted = {i: i - 1_234 for i in range(2_000, 20_000, 1_000)}  # copy of an earlier text
    for copy, source in planted.items():
        texts[copy] = "CAIRO (AFP) - " + texts[source].rsplit(" ", 12)[0]
    records = ({"id": f"{i:032x}", "text": text} for i, text in enumerate(texts))
    flagged = {int(r["id"], 16): r["near_duplicate_of"]
               for r in apply_near_duplicates(records) if r["near_duplicate_of"]}
    assert flagged == {copy: f"{source:032x}" for copy, source in planted.items()}


def test_same_wire_story_on_three_sites_is_linked_end_to_end(tmp_path: Path) -> None:
    """Crawl pages we build around the fixture texts, each with its own site boilerplate,
    then export: the three copies link to the first, the same-topic story does not."""
    import json as json_module

    from tests.conftest import crawl, run_scraper
    from tests.support.fault_server import FaultServer, RawResponse
    from tests.test_capture import link_page

    stories = {"/levant/aqaba": "en-aqaba-desalination__levant-daily.txt",
               "/nile/aqaba": "en-aqaba-desalination__nile-post.txt",
               "/gulf/aqaba": "en-aqaba-desalination__gulfwire.txt",
               "/gulf/aqaba-delay": "en-aqaba-desalination-delay__gulfwire.txt"}
    boilerplate = {"levant": ("<nav>Home | Politics | Economy</nav>", "<footer>Levant Daily"
                              " 2026. Subscribe to our newsletter.</footer>"),
                   "nile": ("<div class='share-bar'>Share on X</div>", "<aside>Most read: "
                            "Cairo traffic plan; Nile cruise prices</aside>"),
                   "gulf": ("<header>GulfWire</header>", "<div class='related'>Related: "
                            "Oil prices steady</div>")}
    with FaultServer() as server:
        for path, name in stories.items():
            text = (FIXTURES / name).read_text(encoding="utf-8")
            top, bottom = boilerplate[path.split("/")[1]]
            paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
            page = (f"<html><head><title>{path}</title><meta property='og:type' "
                    f"content='article'></head><body>{top}<article>{paragraphs}</article>"
                    f"{bottom}</body></html>").encode()
            server.route(path, lambda r, page=page: RawResponse(
                200, [("Content-Type", "text/html; charset=utf-8")], page))
        server.route("/start", lambda r: link_page(*stories))
        crawl(server, tmp_path, "/start", "--concurrency", "1")
    result = run_scraper("export", "--format", "jsonl", "--data", str(tmp_path), "-o", "-")
    assert result.returncode == 0, result.stderr
    records = {r["url"].split(":", 2)[2].split("/", 1)[1]: r
               for r in map(json_module.loads, result.stdout.splitlines())}
    first = min((records[p.lstrip("/")] for p in list(stories)[:3]),
                key=lambda r: r["capture"]["fetched_at"])
    for path in list(stories)[:3]:
        record = records[path.lstrip("/")]
        assert record["near_duplicate_of"] == (None if record is first else first["id"]), path
    assert records["gulf/aqaba-delay"]["near_duplicate_of"] is None


def test_window_forgets_the_oldest_texts() -> None:
    from scraper.export.near_duplicates import NearDuplicateIndex

    text = (FIXTURES / "en-aqaba-desalination__levant-daily.txt").read_text(encoding="utf-8")
    others = [(FIXTURES / name).read_text(encoding="utf-8") for name in (
        "en-beirut-port-crane__cedar-times.txt", "en-egypt-rates-cut__nile-post.txt",
        "en-jeddah-floods__gulfwire.txt")]
    index = NearDuplicateIndex(window=2)
    assert index.find_or_add({"id": "a" * 32, "text": text}) is None
    for number, other in enumerate(others):
        assert index.find_or_add({"id": str(number) * 32, "text": other}) is None
    assert len(index) == 2
    assert index.find_or_add({"id": "b" * 32, "text": text}) is None  # "a" is forgotten
    wide = NearDuplicateIndex(window=None)
    wide.find_or_add({"id": "a" * 32, "text": text})
    for number, other in enumerate(others):
        wide.find_or_add({"id": str(number) * 32, "text": other})
    assert wide.find_or_add({"id": "b" * 32, "text": text}) == "a" * 32
