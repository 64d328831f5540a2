/* Progress events and the cancel flag shared by pull and push: see progress.h. */
#include "image/progress.h"
#include "core/error.h"
#include <time.h>

#define TICK_MS 250 /* a few events a second: enough to cancel, not enough to flood */

static long long ms_now(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int image_progress_say(image_progress *p, const char *phase, const char *id, uint64_t cur, uint64_t total,
                       const char *msg)
{
    if (!p->fn)
        return 0;
    berth_progress ev = { phase, id, cur, total, msg };
    if (p->fn(&ev, p->payload) != 0) {
        p->canceled = 1;
        return berth_fail(BERTH_ECANCELED, "%s %s: canceled", p->op, p->subject);
    }
    return 0;
}

int image_progress_tick(image_progress *p, const char *phase, const char *msg)
{
    if (p->canceled)
        return 1;
    long long now = ms_now();
    if (!p->fn || now - p->last_tick < TICK_MS)
        return 0;
    p->last_tick = now;
    berth_progress ev = { phase, p->subject, 0, 0, msg };
    if (p->fn(&ev, p->payload) != 0)
        p->canceled = 1;
    return p->canceled;
}

int image_progress_relay(image_progress *p, const berth_progress *ev)
{
    if (p->fn && p->fn(ev, p->payload) != 0)
        p->canceled = 1;
    return p->canceled;
}
