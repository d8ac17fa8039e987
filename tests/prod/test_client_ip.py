"""X-Forwarded-For is believed only from the configured proxies (addresses or networks)."""

from __future__ import annotations

from typing import Any

from django.test import RequestFactory

from zhixing.lib.middleware import client_ip


def ip(remote: str, forwarded: str | None = None) -> str:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_header_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    assert ip("198.51.100.7", "203.0.113.1") == "198.51.100.7"


def test_a_trusted_proxy_supplies_the_client_address(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    # nginx replaces the header with the peer it saw.
    assert ip("127.0.0.1", "198.51.100.7") == "198.51.100.7"


def test_a_peer_that_is_not_a_proxy_cannot_set_it(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert ip("198.51.100.7", "203.0.113.1") == "198.51.100.7"


def test_appended_chains_take_the_right_most_untrusted_hop(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    # client forged "203.0.113.1"; the load balancer (10.1.2.3) appended the real peer 198.51.100.7.
    assert ip("10.1.2.3", "203.0.113.1, 198.51.100.7") == "198.51.100.7"
    assert ip("10.1.2.3", "203.0.113.1, 198.51.100.7, 10.9.9.9") == "198.51.100.7"


def test_networks_and_garbage(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "not-an-address"]
    assert ip("10.200.0.1", "2001:db8::5") == "2001:db8::5"
    assert ip("10.200.0.1", "<script>") == "10.200.0.1"  # unparsable: fall back to the peer
    assert ip("11.0.0.1", "198.51.100.7") == "11.0.0.1"
