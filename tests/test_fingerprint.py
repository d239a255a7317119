"""State identity: noise must not make new states, real differences must."""

from auditor.explore.fingerprint import path_template, screen_fingerprint, structure_key, template_key, unordered
from auditor.explore.observe import _assign_keys
from auditor.noise import normalise


def test_noise_is_stripped():
    a = normalise("Updated 2026-11-23 10:22:11 · session a8f3k29dke7 · 1,204 online")
    b = normalise("Updated 2026-12-01 09:01:59 · session zz91kq0s1m2 · 87 online")
    assert a == b


def test_uuid_and_case():
    assert normalise("ID 3f2a9c1b-1111-2222-3333-444455556666") == normalise("id 00000000-aaaa-bbbb-cccc-dddddddddddd")


def test_real_words_survive():
    assert normalise("Continue to cancel") != normalise("Keep my membership")
    assert normalise("Cancel") == "cancel"


def test_query_tokens_and_ids_do_not_split_pages():
    assert path_template("http://h/a/orders?page=2&t=x91k") == path_template("http://h/a/orders?page=3&t=p00q")
    assert path_template("http://h/item/123/edit") == path_template("http://h/item/987/edit")
    assert path_template("http://h/settings") != path_template("http://h/settings/plan")


def test_hash_routes_count_as_path():
    assert path_template("http://h/app#/plan") != path_template("http://h/app#/home")
    assert path_template("http://h/page#section-2") == path_template("http://h/page")


def test_fingerprint_sees_enabled_controls_and_dialogs():
    base = screen_fingerprint("http://h/x", "", "Why are you leaving?", ["button|continue|off|"])
    unlocked = screen_fingerprint("http://h/x", "", "Why are you leaving?", ["button|continue|on|"])
    dialog = screen_fingerprint("http://h/x", "Wait! 50% off", "Why are you leaving?", ["button|continue|off|"])
    assert len({base, unlocked, dialog}) == 3
    assert base == screen_fingerprint("http://h/x?t=1", "", "why are you  leaving?", ["button|continue|off|"])


def test_template_groups_pages_of_a_listing():
    assert template_key("http://h/deals?page=1", "", "Today's deals") == template_key(
        "http://h/deals?page=9", "", "Today's deals"
    )


def test_near_duplicates_absorb_random_words_not_messages():
    from auditor.explore.fingerprint import near_duplicate, word_bag

    page = "Tunely and our partners use cookies ref zlqdbcza Accept all Reject all"
    assert near_duplicate(word_bag(page), word_bag(page.replace("zlqdbcza", "pqowmxna")))
    toast = page + " Your subscription has been cancelled"
    assert not near_duplicate(word_bag(page), word_bag(toast))


def test_a_count_in_a_long_dialog_does_not_split_its_structure():
    # the cut of the dialog's words must not move with a number's length (the consent banner's partner count)
    words = "We value your privacy. Tunely and our {} partners use cookies to keep the service running and more"
    url, actions = "http://shop.test/spa/", ["button|accept all|on|", "button|reject all|on|"]
    assert structure_key(url, words.format(45), actions) == structure_key(url, words.format(187), actions)
    assert structure_key(url, words.format(45), actions) != structure_key(url, "Delete your account?", actions)


def test_a_shuffled_list_of_options_is_one_text_and_other_words_still_count():
    options = ["too expensive", "moving away", "something else"]
    one = unordered("why are you leaving? too expensive moving away something else continue", options)
    two = unordered("why are you leaving? something else too expensive moving away continue", options)
    assert one == two
    other = unordered("still sure? something else too expensive moving away continue", options)
    assert other != one
    # an option's words are taken out once, as a whole run: the same words elsewhere stay
    assert unordered("moving away soon moving away", ["moving away"]) == "soon moving away moving away"
    assert unordered("removing awayness", ["moving away"]) == "removing awayness"


def test_controls_that_share_a_name_are_keyed_by_their_row_not_their_order():
    def look(order):
        rows = [
            {"frame": "main", "kind": "click", "role": "button", "label": "Choose", "row": f"{m} Choose"} for m in order
        ]
        _assign_keys(rows)
        return {r["row"]: r["key"] for r in rows}

    assert look(["Maybe", "Not likely"]) == look(["Not likely", "Maybe"])
    assert len(set(look(["Maybe", "Not likely"]).values())) == 2
    single = [{"frame": "main", "kind": "click", "role": "button", "label": "Continue", "row": "Continue now"}]
    _assign_keys(single)
    assert single[0]["key"] == "main|click|button|continue#0"  # a name of its own keeps its plain key
