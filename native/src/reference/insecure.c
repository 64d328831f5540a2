/* Which registries are spoken to over plain HTTP: loopback hosts (docker's default insecure
 * set) plus those the administrator lists in $BERTH_INSECURE_REGISTRIES (comma-separated,
 * "host" or "host:port"). Everything else uses TLS. */
#include "reference/reference.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Length of the host part of domain: "[::1]" of "[::1]:5000", "example" of "example:80". */
static size_t host_len(const char *domain)
{
    if (domain[0] == '[') {
        const char *close = strchr(domain, ']');
        return close ? (size_t)(close - domain) + 1 : strlen(domain);
    }
    const char *colon = strchr(domain, ':');
    return colon ? (size_t)(colon - domain) : strlen(domain);
}

static int is_loopback(const char *h, size_t n)
{
    if ((n == 9 && strncmp(h, "localhost", 9) == 0) || (n == 5 && strncmp(h, "[::1]", 5) == 0))
        return 1;
    /* 127.0.0.0/8 written as a dotted quad */
    if (n < 9 || strncmp(h, "127.", 4) != 0)
        return 0;
    int dots = 0;
    for (size_t i = 0; i < n; i++) {
        if (h[i] == '.')
            dots++;
        else if (!isdigit((unsigned char)h[i]))
            return 0;
    }
    return dots == 3;
}

static int listed(const char *domain, size_t hlen)
{
    const char *list = getenv("BERTH_INSECURE_REGISTRIES");
    if (!list)
        return 0;
    size_t dlen = strlen(domain);
    for (const char *p = list; *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        size_t n = strcspn(p, ", ");
        if (n && ((n == dlen && strncmp(p, domain, n) == 0) || (n == hlen && strncmp(p, domain, n) == 0)))
            return 1;
        p += n;
    }
    return 0;
}

int reference_is_insecure(const char *domain)
{
    if (!domain || !*domain)
        return 0;
    size_t h = host_len(domain);
    return is_loopback(domain, h) || listed(domain, h);
}
