from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind ``TRUSTED_PROXIES`` reverse proxies,
    the address the outermost of them saw, which is that many entries from the right of
    X-Forwarded-For (each proxy appends the address it saw; what stands further left is
    whatever the client chose to send, so it is never believed)."""
    proxies = settings.TRUSTED_PROXIES
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
