"""The client's address behind the TLS proxy, trusting forwarded headers only from known proxies.

A header such as `X-Forwarded-For` is whatever the sender wrote, so it is believed only when the
connection comes from an address in `TRUSTED_PROXIES` (settings). Without trusted proxies every
client is its connection address; behind one proxy every client would otherwise share the
proxy's address, and five failed sign-ins from anywhere would lock everybody out.
"""

import ipaddress

from django.conf import settings

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


def parse_address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    parsed = parse_address(address or "")
    return parsed is not None and any(parsed in net for net in settings.TRUSTED_PROXIES)


def client_ip(request) -> str | None:
    """The first address, walking `X-Forwarded-For` from the right, that is not a trusted proxy.

    Each proxy appends the address it received the request from, so the right-most entries are
    written by our own proxies and anything to the left of the first untrusted one is the
    client's claim and ignored. Used by django-axes (AXES_CLIENT_IP_CALLABLE).
    """
    address = request.META.get("REMOTE_ADDR") or None
    if not is_trusted_proxy(address):
        return address
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        parsed = parse_address(hop)
        if parsed is None:
            break
        address = str(parsed)
        if not is_trusted_proxy(address):
            break
    return address
