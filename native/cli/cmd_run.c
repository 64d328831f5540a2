/* berth run: create + start, then (unless -d) stay attached like docker run: the container's
 * output is followed from its log, stdin (-i) is fed through its FIFO, Ctrl+C and SIGTERM are
 * passed to the container, and the exit status is the container's. */
#include "cli.h"
#include "container_args.h"
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

struct attach {
    const cli_globals *g;
    berth_t *b;
    char id[80];
    char fifo[4200];
};

static int print_line(const char *stream, const char *time, const char *line, size_t len, void *payload)
{
    (void)time; (void)payload;
    FILE *f = strcmp(stream, "stderr") == 0 ? stderr : stdout;
    fwrite(line, 1, len, f);
    fflush(f);
    return 0;
}

static void *pump_stdin(void *arg)
{
    struct attach *a = arg;
    int fd = open(a->fifo, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char buf[4096];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0 && write(fd, buf, (size_t)n) < 0)
            break;
    close(fd);
    return NULL;
}

/* Passes SIGINT/SIGTERM/SIGHUP to the container (docker's --sig-proxy). */
static void *proxy_signals(void *arg)
{
    struct attach *a = arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0)
            continue;
        berth_t *b2 = NULL;
        if (berth_open(&b2, berth_root(a->b)) == 0) {
            char name[16];
            snprintf(name, sizeof name, "%d", sig);
            berth_container_kill(b2, a->id, name);
            berth_close(b2);
        }
    }
    return NULL;
}

int cmd_run(const cli_globals *g, int argc, char **argv)
{
    container_args a;
    int st = container_args_parse(&a, "run", argc, argv);
    if (st) {
        json_object_put(a.req);
        return st;
    }
    berth_t *b = NULL;
    char *out = NULL;
    json_object *created = NULL;
    struct termios saved;
    int raw = 0, rc;
    if ((st = cli_open(&b, g, "run")) != 0)
        goto done;
    if ((rc = berth_container_create(&out, b, json_object_to_json_string(a.req))) != 0) {
        cli_fail("run", rc);
        st = 125;
        goto done;
    }
    created = json_tokener_parse(out);
    json_object *idv;
    struct attach at = { .g = g, .b = b };
    if (!created || !json_object_object_get_ex(created, "id", &idv)) {
        fprintf(stderr, "berth run: create returned no id\n");
        st = 125;
        goto done;
    }
    snprintf(at.id, sizeof at.id, "%s", json_object_get_string(idv));
    snprintf(at.fifo, sizeof at.fifo, "%s/containers/%s/stdin.fifo", berth_root(b), at.id);
    json_object *ar;
    int auto_remove = json_object_object_get_ex(created, "auto_remove", &ar) && json_object_get_boolean(ar);

    /* signals go to the container from the moment it starts */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    if (!a.detach)
        pthread_sigmask(SIG_BLOCK, &set, NULL);
    if ((rc = berth_container_start(b, at.id)) != 0) {
        cli_fail("run", rc);
        st = rc == BERTH_ENOTFOUND ? 127 : rc == BERTH_EINVAL ? 126 : 125;
        if (auto_remove)
            berth_container_remove(b, at.id, 1);
        goto done;
    }
    if (a.detach) {
        if (g->json) {
            char *j = NULL;
            if (berth_container_inspect(&j, b, at.id) == 0)
                cli_print_json(j);
            berth_free(j);
        } else {
            puts(at.id);
        }
        goto done;
    }
    pthread_t sigt, int_t;
    pthread_create(&sigt, NULL, proxy_signals, &at);
    pthread_detach(sigt);
    if (a.tty && a.interactive && isatty(0) && tcgetattr(0, &saved) == 0) {
        struct termios r = saved;
        cfmakeraw(&r);
        raw = tcsetattr(0, TCSANOW, &r) == 0;
    }
    if (a.interactive) {
        pthread_create(&int_t, NULL, pump_stdin, &at);
        pthread_detach(int_t);
    }
    berth_log_options lo = BERTH_LOG_OPTIONS_INIT;
    lo.follow = 1;
    lo.on_line = print_line;
    berth_container_logs(b, at.id, &lo);
    int code = 0;
    if ((rc = berth_container_wait(&code, b, at.id, -1)) != 0) {
        cli_fail("run", rc);
        st = 125;
    } else {
        st = code;
    }
done:
    if (raw)
        tcsetattr(0, TCSANOW, &saved);
    json_object_put(created);
    berth_free(out);
    berth_close(b);
    json_object_put(a.req);
    return st;
}
