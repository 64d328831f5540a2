/* Times for the CLI: "3 days ago", as docker's units.HumanDuration words it, from an RFC 3339
 * time; UTC broken-down time and "now" in the log's format on both platforms. */
#include "cli.h"
#include <stdio.h>
#include <time.h>

void cli_utc(struct tm *out, time_t t)
{
#ifdef _WIN32
    gmtime_s(out, &t);
#else
    gmtime_r(&t, out);
#endif
}

void cli_now(char *buf, size_t len)
{
    struct timespec ts;
    struct tm tm;
    timespec_get(&ts, TIME_UTC);
    cli_utc(&tm, ts.tv_sec);
    char base[32];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, len, "%s.%09ldZ", base, (long)ts.tv_nsec);   /* the log's own format: compared as text */
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm): a portable timegm. */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* RFC 3339 ("2024-01-02T03:04:05.123Z", "…+02:00") to unix seconds; -1 when unreadable. */
static long long parse_time(const char *s)
{
    int y, mo, d, h, mi, se, n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) != 6)
        return -1;
    const char *p = s + n;
    while (*p == '.' || (*p >= '0' && *p <= '9'))
        p++;
    long long t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    int oh = 0, om = 0;
    if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d", &oh, &om) == 2)
        t -= (*p == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    return t;
}

const char *cli_time_ago(char *buf, size_t len, const char *rfc3339)
{
    long long t = parse_time(rfc3339);
    if (t < 0)
        return "N/A";
    long long s = (long long)time(NULL) - t;
    if (s < 1)
        snprintf(buf, len, "Less than a second ago");
    else if (s < 60)
        snprintf(buf, len, "%lld second%s ago", s, s == 1 ? "" : "s");
    else if (s < 120)
        snprintf(buf, len, "About a minute ago");
    else if (s < 3600)
        snprintf(buf, len, "%lld minutes ago", s / 60);
    else if (s < 7200)
        snprintf(buf, len, "About an hour ago");
    else if (s < 2 * 86400)
        snprintf(buf, len, "%lld hours ago", s / 3600);
    else if (s < 14 * 86400)
        snprintf(buf, len, "%lld days ago", s / 86400);
    else if (s < 60 * 86400)
        snprintf(buf, len, "%lld weeks ago", s / (7 * 86400));
    else if (s < 2 * 365 * 86400)
        snprintf(buf, len, "%lld months ago", s / (30 * 86400));
    else
        snprintf(buf, len, "%lld years ago", s / (365 * 86400));
    return buf;
}
