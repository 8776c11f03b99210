"""``runtime.jobs.Slots``: at most N holders at once, and a holder that waits gives its slot back."""

from __future__ import annotations

import threading

from runtime.jobs import Slots


def test_a_second_holder_waits_until_the_first_leaves():
    slots = Slots(1)
    entered = threading.Event()

    def second():
        with slots:
            entered.set()

    with slots:
        thread = threading.Thread(target=second)
        thread.start()
        assert not entered.wait(0.2)  # the only slot is taken
    assert entered.wait(10)
    thread.join(10)


def test_a_holder_that_gives_its_slot_back_lets_another_in_and_takes_it_again():
    slots = Slots(1)
    entered, leave = threading.Event(), threading.Event()

    def other():
        with slots:
            entered.set()
            leave.wait(10)

    with slots:
        with slots.given_back():
            thread = threading.Thread(target=other)
            thread.start()
            assert entered.wait(10)  # while we wait (a Retry-After), the other holder runs
            leave.set()
        # back in our slot only once the other has left it
        thread.join(10)
        assert not thread.is_alive()
