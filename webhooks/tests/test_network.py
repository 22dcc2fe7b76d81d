import pytest

from webhooks.network import Refused, address_refusal, resolve, url_refusal


@pytest.mark.parametrize(
    ("address", "refusal"),
    [
        ("127.0.0.1", "127.0.0.1 is a loopback address."),
        ("::1", "::1 is a loopback address."),
        ("::ffff:127.0.0.1", "::ffff:127.0.0.1 is a loopback address."),
        ("10.1.2.3", "10.1.2.3 is a private address."),
        ("192.168.0.10", "192.168.0.10 is a private address."),
        ("172.16.5.4", "172.16.5.4 is a private address."),
        ("169.254.169.254", "169.254.169.254 is a link-local address."),
        ("fe80::1", "fe80::1 is a link-local address."),
        ("224.0.0.251", "224.0.0.251 is a multicast address."),
        ("0.0.0.0", "0.0.0.0 is a unspecified address."),
        ("240.0.0.1", "240.0.0.1 is a reserved address."),
        ("100.64.0.1", "100.64.0.1 is a not public address."),
        ("93.184.215.14", None),
        ("2606:4700::6810:84e5", None),
    ],
)
def test_only_public_addresses_may_be_reached(address, refusal):
    assert address_refusal(address) == refusal


def test_urls_need_http_or_https_and_https_where_required():
    assert url_refusal("ftp://example.com/x", require_https=False) == "Use an http or https URL."
    assert url_refusal("http://example.com/x", require_https=True) == "Use an https URL."
    assert url_refusal("https://user:pw@example.com/x", require_https=True) == "Leave credentials out of the URL."
    assert url_refusal("https:///x", require_https=True) == "The URL has no host."
    assert url_refusal("https://example.com/x", require_https=True) is None
    assert url_refusal("http://127.0.0.1:9/x", require_https=False) is None


def test_a_name_that_resolves_to_loopback_is_refused_unless_private_is_allowed():
    with pytest.raises(Refused, match="is a loopback address"):
        resolve("localhost", 80, allow_private=False)
    assert resolve("localhost", 80, allow_private=True) in {"127.0.0.1", "::1"}
