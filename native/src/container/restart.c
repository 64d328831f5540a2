/* Restart policies: the parser and docker's restart-manager rules (see restart.h). */
#include "container/restart.h"
#include "core/error.h"
#include "core/json.h"
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = { "no", "on-failure", "always", "unless-stopped" };

int restart_policy_parse(restart_policy *out, const char *text)
{
    out->kind = RESTART_NO;
    out->max_retries = 0;
    if (!text || !*text)
        return 0;
    const char *colon = strchr(text, ':');
    size_t nlen = colon ? (size_t)(colon - text) : strlen(text);
    int kind = -1;
    for (int k = 0; k < 4; k++)
        if (strlen(kind_names[k]) == nlen && strncmp(text, kind_names[k], nlen) == 0)
            kind = k;
    if (kind < 0)
        return berth_fail(BERTH_EINVAL, "restart policy \"%s\": use no, on-failure[:max-retries], always or unless-stopped", text);
    if (colon && kind != RESTART_ON_FAILURE)
        return berth_fail(BERTH_EINVAL, "restart policy \"%s\": a maximum retry count goes only with on-failure (on-failure:3)", text);
    if (colon) {
        const char *n = colon + 1;
        char *end = NULL;
        errno = 0;
        long v = strtol(n, &end, 10);
        if (!*n || *end || errno || v < 0 || v > INT_MAX || (*n < '0' || *n > '9'))
            return berth_fail(BERTH_EINVAL, "restart policy \"%s\": the maximum retry count must be a whole number >= 0 (0: no limit)", text);
        out->max_retries = (int)v;
    }
    out->kind = (restart_kind)kind;
    return 0;
}

void restart_policy_format(char *buf, size_t len, const restart_policy *p)
{
    if (p->kind == RESTART_ON_FAILURE && p->max_retries > 0)
        snprintf(buf, len, "on-failure:%d", p->max_retries);
    else
        snprintf(buf, len, "%s", kind_names[p->kind]);
}

restart_policy restart_policy_of_spec(json_object *spec)
{
    restart_policy p = { RESTART_NO, 0 };
    if (restart_policy_parse(&p, json_str(spec, "restart_policy")) != 0) {
        berth_error_clear();
        p.kind = RESTART_NO;
        p.max_retries = 0;
    }
    return p;
}

int restart_after_exit(const restart_policy *p, int exit_code, int manual_stop, int restart_count)
{
    if (manual_stop)
        return 0;
    switch (p->kind) {
    case RESTART_ALWAYS:
    case RESTART_UNLESS_STOPPED:
        return 1;
    case RESTART_ON_FAILURE:
        return exit_code != 0 && (p->max_retries == 0 || restart_count < p->max_retries);
    default:
        return 0;
    }
}

int restart_at_boot(const restart_policy *p, int exit_code, int manual_stop, int restart_count)
{
    if (p->kind == RESTART_ALWAYS)
        return 1;
    return restart_after_exit(p, exit_code, manual_stop, restart_count);
}

int64_t restart_backoff_ms(int64_t previous_ms, int64_t ran_ms)
{
    if (ran_ms >= RESTART_BACKOFF_RESET_MS || previous_ms <= 0)
        return RESTART_BACKOFF_FIRST_MS;
    if (previous_ms >= RESTART_BACKOFF_MAX_MS / 2)
        return RESTART_BACKOFF_MAX_MS;
    return previous_ms * 2;
}
