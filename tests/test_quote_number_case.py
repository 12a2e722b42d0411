"""Quote numbers people can tell apart (issue 26, F11, F12): unique whatever the letter case, never ending like a
revision (`-r1`, `_R1`, `.R1`), never the name of a page of the web desk; on both backends."""

import pytest

from registers import REQUEST, issued


def numbered(number: str) -> str:
    return REQUEST.replace("[customer]", f'[quote]\nnumber = "{number}"\n\n[customer]')


def refused(result, *words):
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_a_number_taken_in_another_letter_case_is_taken(desk):
    assert issued(desk.issue(numbered("Q-2026-0205"))) == "Q-2026-0205"
    refused(desk.issue(numbered("q-2026-0205")), "q-2026-0205 is taken", "remove [quote] number")


@pytest.mark.parametrize("number", ["PQ-7-R1", "PQ-7-r1", "PQ-7_R1", "PQ-7.R1", "pq-7.r12"])
def test_a_number_ending_like_a_revision_is_refused(desk, number):
    refused(desk.issue(numbered(number)), f"{number} ends like a revision number")


@pytest.mark.parametrize("number", ["new", "NEW", "verify", "request"])
def test_a_number_that_names_a_page_of_the_desk_is_refused(desk, number):
    refused(desk.issue(numbered(number)), f"{number} is the name of a page of the web desk")


def test_the_sequence_passes_over_a_number_taken_in_another_case(desk):
    from registers import YEAR

    assert issued(desk.issue(numbered(f"q-{YEAR}-0001"))) == f"q-{YEAR}-0001"
    assert issued(desk.issue()) == f"Q-{YEAR}-0002"
