from portal.replies.rendering import fill, pick_body


def test_it_picks_the_members_language():
    assert pick_body({"en": "Hi", "pl": "Cześć"}, ["pl"]) == ("pl", "Cześć")


def test_it_falls_back_to_english_when_the_language_has_no_body():
    assert pick_body({"en": "Hi", "pl": "  "}, ["pl"]) == ("en", "Hi")
    assert pick_body({"en": "Hi", "pl": "Cześć"}, ["de"]) == ("en", "Hi")
    assert pick_body({"en": "Hi", "pl": "Cześć"}, []) == ("en", "Hi")


def test_it_tries_the_languages_in_order():
    assert pick_body({"en": "Hi", "pl": "Cześć"}, ["de", "pl"]) == ("pl", "Cześć")


def test_it_fills_known_placeholders_and_leaves_the_others_visible():
    values = {"first_name": "Ola", "agent": "Alex"}
    text = fill("Hi {first_name}, {agent} here about {ticket}.", values)
    assert text == "Hi Ola, Alex here about {ticket}."


def test_an_empty_value_leaves_its_placeholder():
    assert fill("Re {ticket}", {"ticket": ""}) == "Re {ticket}"
