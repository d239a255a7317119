"""UserData: a user is pristine until the browser shows it holds or sent something a new user lacks."""

from __future__ import annotations

from auditor.explore.userdata import UserData

JAR = frozenset({("127.0.0.1", "/", "sid", "abc")})


def test_the_first_look_at_an_origin_and_the_first_jar_are_what_a_new_user_has() -> None:
    user = UserData()
    user.looked(["http://a.test 14:x1"], False)  # the start page writes a visit flag as it loads
    user.cookies(JAR)
    user.looked(["http://a.test 14:x1", "http://b.test 0:e"], False)  # a frame of another origin, first seen
    user.cookies(JAR)
    user.sent(["GET", "GET"])
    assert user.pristine and user.change is None


def test_a_changed_store_jar_or_a_request_that_is_not_get_is_a_change_until_the_next_fresh_start() -> None:
    for change in (
        lambda u: u.looked(["http://a.test 30:q7"], False),
        lambda u: u.looked(["http://a.test 14:x1"], True),  # IndexedDB, Cache Storage, a service worker
        lambda u: u.cookies(JAR | {("127.0.0.1", "/", "plan", "reading")}),
        lambda u: u.sent(["GET", "POST"]),
    ):
        user = UserData()
        user.looked(["http://a.test 14:x1"], False)
        user.cookies(JAR)
        change(user)
        assert not user.pristine, user.change
        user.looked(["http://a.test 14:x1"], False)  # back as it was: still not a new user's
        assert not user.pristine
        user.fresh()
        assert user.pristine
