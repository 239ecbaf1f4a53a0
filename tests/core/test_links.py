"""Argument-free addresses are reversed once, and stay right under a sub-path."""

from django.urls import reverse, set_script_prefix

from cunqi.core.links import url_of


def test_an_address_is_reverses_and_follows_the_script_prefix():
    assert url_of("registry:village_list") == reverse("registry:village_list")
    try:
        set_script_prefix("/cunqi/")
        assert url_of("registry:village_list").startswith("/cunqi/")
    finally:
        set_script_prefix("/")
    assert not url_of("registry:village_list").startswith("/cunqi/")
