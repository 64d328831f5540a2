/* Restart policies: the parser (good and hostile text), docker's restart rules and the back-off
 * arithmetic. The monitor's use of them runs against real runc in
 * tests/integration/containers_restart.sh. */
#include "check.h"
#include "container/restart.h"
#include "core/json.h"
#include <stdio.h>
#include <string.h>

static restart_policy parse_ok(const char *text)
{
    restart_policy p = { RESTART_ALWAYS, 99 };
    CHECK_OK(restart_policy_parse(&p, text));
    return p;
}

static void test_parse_names(void)
{
    restart_policy p = parse_ok("no");
    CHECK(p.kind == RESTART_NO && p.max_retries == 0);
    p = parse_ok(NULL);
    CHECK(p.kind == RESTART_NO);
    p = parse_ok("");
    CHECK(p.kind == RESTART_NO);
    p = parse_ok("always");
    CHECK(p.kind == RESTART_ALWAYS);
    p = parse_ok("unless-stopped");
    CHECK(p.kind == RESTART_UNLESS_STOPPED);
    p = parse_ok("on-failure");
    CHECK(p.kind == RESTART_ON_FAILURE && p.max_retries == 0);
    p = parse_ok("on-failure:5");
    CHECK(p.kind == RESTART_ON_FAILURE && p.max_retries == 5);
    p = parse_ok("on-failure:0");
    CHECK(p.kind == RESTART_ON_FAILURE && p.max_retries == 0);
}

static void test_parse_rejects(void)
{
    const char *bad[] = { "sometimes", "On-Failure", "always:3", "unless-stopped:1", "no:0", "on-failure:", "on-failure:-1",
                          "on-failure:x", "on-failure:3x", "on-failure: 3", "on-failure:+3", "on-failure:99999999999",
                          "on-failure:3:4", "alwaysx", "alway", " always", ":" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        restart_policy p;
        int rc = restart_policy_parse(&p, bad[i]);
        if (rc != BERTH_EINVAL)
            printf("#   \"%s\" accepted (rc %d)\n", bad[i], rc);
        CHECK(rc == BERTH_EINVAL);
        CHECK(strstr(berth_errmsg(), "restart policy") != NULL);
    }
    restart_policy p;
    CHECK_RC(BERTH_EINVAL, restart_policy_parse(&p, "sometimes"));
    CHECK_MSG("use no, on-failure[:max-retries], always or unless-stopped");
    CHECK_RC(BERTH_EINVAL, restart_policy_parse(&p, "always:2"));
    CHECK_MSG("only with on-failure");
}

static void test_format_round_trip(void)
{
    const char *names[] = { "no", "always", "unless-stopped", "on-failure", "on-failure:7" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        restart_policy p = parse_ok(names[i]);
        char buf[64];
        restart_policy_format(buf, sizeof buf, &p);
        CHECK_STREQ(buf, names[i]);
    }
    json_object *spec = json_tokener_parse("{\"restart_policy\": \"on-failure:2\"}");
    restart_policy p = restart_policy_of_spec(spec);
    CHECK(p.kind == RESTART_ON_FAILURE && p.max_retries == 2);
    json_object_put(spec);
    spec = json_tokener_parse("{\"restart_policy\": \"garbage\"}");
    p = restart_policy_of_spec(spec);
    CHECK(p.kind == RESTART_NO);
    json_object_put(spec);
    p = restart_policy_of_spec(NULL);
    CHECK(p.kind == RESTART_NO);
}

static void test_after_exit(void)
{
    restart_policy no = parse_ok("no"), al = parse_ok("always"), us = parse_ok("unless-stopped"), of = parse_ok("on-failure"),
                   of2 = parse_ok("on-failure:2");
    CHECK(!restart_after_exit(&no, 1, 0, 0));
    CHECK(restart_after_exit(&al, 0, 0, 0));
    CHECK(restart_after_exit(&al, 1, 0, 1000));
    CHECK(!restart_after_exit(&al, 137, 1, 0));   /* stopped by the user */
    CHECK(restart_after_exit(&us, 0, 0, 5));
    CHECK(!restart_after_exit(&us, 0, 1, 5));
    CHECK(!restart_after_exit(&of, 0, 0, 0));     /* success is not a failure */
    CHECK(restart_after_exit(&of, 3, 0, 100000)); /* no limit */
    CHECK(!restart_after_exit(&of, 3, 1, 0));
    CHECK(restart_after_exit(&of2, 3, 0, 0));
    CHECK(restart_after_exit(&of2, 3, 0, 1));
    CHECK(!restart_after_exit(&of2, 3, 0, 2));    /* two restarts done: give up */
}

static void test_at_boot(void)
{
    restart_policy no = parse_ok("no"), al = parse_ok("always"), us = parse_ok("unless-stopped"), of2 = parse_ok("on-failure:2");
    CHECK(!restart_at_boot(&no, 255, 0, 0));
    CHECK(restart_at_boot(&al, 0, 1, 0));         /* docker: always comes back at daemon start even after a stop */
    CHECK(restart_at_boot(&us, 255, 0, 0));
    CHECK(!restart_at_boot(&us, 143, 1, 0));      /* the difference of unless-stopped */
    CHECK(restart_at_boot(&of2, 255, 0, 1));
    CHECK(!restart_at_boot(&of2, 255, 0, 2));
    CHECK(!restart_at_boot(&of2, 0, 0, 0));
    CHECK(!restart_at_boot(&of2, 137, 1, 0));
}

static void test_backoff(void)
{
    CHECK(restart_backoff_ms(0, 0) == 100);
    CHECK(restart_backoff_ms(100, 50) == 200);
    CHECK(restart_backoff_ms(200, 50) == 400);
    int64_t d = 0;
    for (int i = 0; i < 40; i++)
        d = restart_backoff_ms(d, 0);
    CHECK(d == RESTART_BACKOFF_MAX_MS);           /* capped, and no overflow after many exits */
    CHECK(restart_backoff_ms(40000, 0) == RESTART_BACKOFF_MAX_MS);
    CHECK(restart_backoff_ms(51200, 9999) == RESTART_BACKOFF_MAX_MS);
    CHECK(restart_backoff_ms(RESTART_BACKOFF_MAX_MS, 10000) == 100);   /* a run of 10 s resets it */
    CHECK(restart_backoff_ms(-5, 0) == 100);
    /* 100, 200, 400, ..., 51200, 60000 */
    d = 0;
    int steps = 0;
    while (d < RESTART_BACKOFF_MAX_MS && steps < 100) {
        d = restart_backoff_ms(d, 1);
        steps++;
    }
    CHECK(steps == 11);
}

int main(void)
{
    RUN(test_parse_names);
    RUN(test_parse_rejects);
    RUN(test_format_round_trip);
    RUN(test_after_exit);
    RUN(test_at_boot);
    RUN(test_backoff);
    return check_done();
}
