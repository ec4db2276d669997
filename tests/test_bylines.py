"""The byline parser: names out of what pages say about their authors, in the corpus' languages."""

from __future__ import annotations

import pytest

from scraper.extract.bylines import normalize_authors


@pytest.mark.parametrize("raw, expected", [
    # English prefixes, several authors
    ("By John Smith and Jane Doe", ["John Smith", "Jane Doe"]),
    ("By John Smith, Jane Doe and Ali Hassan", ["John Smith", "Jane Doe", "Ali Hassan"]),
    ("Words by Sarah Connor", ["Sarah Connor"]),
    ("By: Omar Khalil & Lina Saad", ["Omar Khalil", "Lina Saad"]),
    ("John Smith • Jane Doe", ["John Smith", "Jane Doe"]),
    # date and verb fragments never become names
    ("Published January", []),
    ("Updated Dec", []),
    ("By John Smith Published January 5, 2026", ["John Smith"]),
    ("Jane DoeUpdated Dec 3, 2025", ["Jane Doe"]),
    ("John Smith | Updated: 12:30 GMT", ["John Smith"]),
    ("John Smith on 5 January 2026", ["John Smith"]),
    ("Last updated Monday", []),
    ("Jane Doe; Posted 2 hours ago", ["Jane Doe"]),
    ("June Carter", ["June Carter"]),  # a month as a first name stays
    ("Ron Johnson", ["Ron Johnson"]),  # "on" inside a word is no stamp
    # places and datelines glued on
    ("Jane Doe, Beirut", ["Jane Doe"]),
    ("John SmithBEIRUT", ["John Smith"]),
    ("By Ali Hassan in Baghdad", ["Ali Hassan"]),
    ("Smith, John", ["Smith, John"]),
    # agency credits and staff bylines
    ("John Smith | Reuters", ["John Smith"]),
    ("By Jane Doe (AFP)", ["Jane Doe"]),
    ("Reuters", ["Reuters"]),
    ("Al Jazeera Staff", ["Al Jazeera Staff"]),
    ("Jane Doe, Staff Writer", ["Jane Doe"]),
    ("Staff writer", ["Staff writer"]),  # a role alone is all the page says: kept as given
    ("Reporting by Ali Hassan; Editing by Mark Heinrich", ["Ali Hassan"]),
    # Arabic
    ("بقلم: أحمد علي", ["أحمد علي"]),
    ("بقلم أحمد علي ومحمد حسن", ["أحمد علي ومحمد حسن"]),  # attached و: one name, not split
    ("بقلم أحمد علي و محمد حسن", ["أحمد علي", "محمد حسن"]),
    ("كتبت: سارة خالد", ["سارة خالد"]),
    ("أحمد علي - بيروت", ["أحمد علي"]),
    ("أحمد علي - أ ف ب", ["أحمد علي"]),
    ("وكالات", ["وكالات"]),
    ("أحمد علي نشر في 5 يناير 2026", ["أحمد علي"]),
    ("آخر تحديث: 12 مارس", []),
    # Persian
    ("نویسنده: علی رضایی", ["علی رضایی"]),
    ("نویسنده علی رضایی و مریم احمدی", ["علی رضایی", "مریم احمدی"]),
    ("خبرنگار: حسین محمدی", ["حسین محمدی"]),
    ("ایرنا", ["ایرنا"]),
    # Hebrew
    ("מאת יוסי כהן", ["יוסי כהן"]),
    ("מאת יוסי כהן ודנה לוי", ["יוסי כהן", "דנה לוי"]),
    ("מאת: רונית לוי, רויטרס", ["רונית לוי"]),
    ("עודכן 12:30", []),
    # Turkish
    ("Yazar: Ahmet Yılmaz", ["Ahmet Yılmaz"]),
    ("Ahmet Yılmaz ve Ayşe Kaya", ["Ahmet Yılmaz", "Ayşe Kaya"]),
    ("Mehmet Can Toptaş |", ["Mehmet Can Toptaş"]),
    ("Sehernur Karsu | 05.04.2025", ["Sehernur Karsu"]),
    ("Anadolu Ajansı", ["Anadolu Ajansı"]),
    ("Ayşe Kaya - AA", ["Ayşe Kaya"]),
    ("Son Güncelleme : 30.04.2024 - 16:49", []),
    ("Muhabir: Ali Demir, İstanbul", ["Ali Demir"]),
    # JSON-LD shapes
    ([{"@type": "Person", "name": "By John Smith"}, {"name": "Published January"}],
     ["John Smith"]),
])
def test_byline(raw: object, expected: list[str]) -> None:
    assert normalize_authors(raw) == expected
