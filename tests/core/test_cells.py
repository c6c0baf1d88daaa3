"""The one spreadsheet-cell rule (portfolio/cells.py) that every CSV and XLSX writer uses."""

from __future__ import annotations

from datetime import date

import pytest

from portfolio.cells import FORMULA_TRIGGERS, neutralise, neutralise_row, unneutralise


@pytest.mark.parametrize("text", ["=1+1", '=HYPERLINK("http://x.example","go")', "+44 7700",
                                  "-A1", "-3", "@SUM(A1:A2)", "\tcmd", "\r=1", "'quoted"])
def test_text_a_spreadsheet_could_run_gets_an_apostrophe_and_comes_back_unchanged(text):
    assert neutralise(text) == "'" + text
    assert unneutralise(neutralise(text)) == text


@pytest.mark.parametrize("text", ["Sam Jones", "", "3 - 2", "1=1", " =1", "O'Neil", "Zoë",
                                  "2025-26"])
def test_ordinary_text_is_left_alone(text):
    assert neutralise(text) == text
    assert unneutralise(text) == text


def test_numbers_dates_and_empty_cells_stay_data_while_the_text_minus_three_is_defused():
    assert neutralise_row([-3, 2.5, date(2026, 1, 5), None, "-3"]) == [
        -3, 2.5, date(2026, 1, 5), None, "'-3"]


def test_the_triggers_are_the_owasp_list():
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}


def test_an_apostrophe_alone_is_kept_as_written():
    assert unneutralise("'") == "'" and unneutralise("'Sam") == "'Sam"
