/* The container model and lifecycle rules that need no running container: create, names,
 * lookups, plans, filters, state errors, the per-container lock and hostile specs. (Running
 * containers are covered with real runc in tests/integration/containers.sh.) */
#include "check.h"
#include "container/container.h"
#include "core/fs.h"
#include "core/json.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static char root[256], rootfs[300];
static berth_t *b;

static char *spec_with(const char *extra)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "{\"rootfs\": \"%s\", \"cmd\": [\"/bin/true\"]%s%s}", rootfs, extra ? ", " : "", extra ? extra : "");
    return buf;
}

static int create(char **id_out, const char *extra)
{
    char *out = NULL;
    int rc = berth_container_create(&out, b, spec_with(extra));
    if (rc == 0 && id_out) {
        json_object *o = json_tokener_parse(out);
        *id_out = strdup(json_str(o, "id"));
        json_object_put(o);
    }
    berth_free(out);
    return rc;
}

static void test_create_and_inspect(void)
{
    char *out = NULL;
    CHECK_OK(berth_container_create(&out, b, spec_with("\"name\": \"first\", \"env\": [\"A=1\"], \"labels\": {\"tier\": \"web\"}")));
    json_object *o = out ? json_tokener_parse(out) : NULL;
    CHECK_STREQ(json_str(o, "name"), "first");
    CHECK_STREQ(json_str(o, "state"), "created");
    CHECK_STREQ(json_str(o, "status"), "Created");
    CHECK(strlen(json_str(o, "id") ? json_str(o, "id") : "") == 64);
    CHECK_STREQ(json_str(json_obj(o, "labels"), "tier"), "web");
    const char *hn = json_str(json_obj(o, "config"), "hostname"), *cid = json_str(o, "id");
    CHECK(hn && cid && strlen(hn) == 12 && strncmp(hn, cid, 12) == 0);   /* docker's default: the short id */
    json_object_put(o);
    berth_free(out);
    out = NULL;
    CHECK_OK(berth_container_inspect(&out, b, "first"));
    o = out ? json_tokener_parse(out) : NULL;
    const char *id = json_str(o, "id");
    char cfg[512];
    snprintf(cfg, sizeof cfg, "%s/containers/%s/config.json", root, id ? id : "x");
    CHECK(fs_exists(cfg));
    json_object_put(o);
    berth_free(out);
}

static void test_names(void)
{
    CHECK_RC(BERTH_EEXISTS, create(NULL, "\"name\": \"first\""));
    CHECK_MSG("already in use");
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"name\": \"bad/name\""));
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"name\": \"-x\""));
    char *id = NULL;
    CHECK_OK(create(&id, NULL));   /* a generated name */
    char *out = NULL;
    CHECK_OK(berth_container_inspect(&out, b, id));
    json_object *o = out ? json_tokener_parse(out) : NULL;
    CHECK(json_str(o, "name") && strchr(json_str(o, "name"), '_'));
    json_object_put(o);
    berth_free(out);
    char prefix[13];
    snprintf(prefix, sizeof prefix, "%.12s", id ? id : "");
    out = NULL;
    CHECK_OK(berth_container_inspect(&out, b, prefix));   /* a unique id prefix */
    berth_free(out);
    CHECK_RC(BERTH_ENOTFOUND, berth_container_inspect(&out, b, "nonexistent"));
    CHECK_MSG("no such container");
    CHECK_OK(berth_container_remove(b, id, 0));
    CHECK_RC(BERTH_ENOTFOUND, berth_container_inspect(&out, b, id));
    free(id);
}

static void test_plan_writes_nothing(void)
{
    char *out = NULL;
    size_t before = 0, after = 0;
    char *list = NULL;
    CHECK_OK(berth_container_list(&list, b, "{\"all\": true}"));
    json_object *a = list ? json_tokener_parse(list) : NULL;
    before = a ? json_object_array_length(a) : 0;
    json_object_put(a);
    berth_free(list);
    CHECK_OK(berth_container_plan(&out, b, spec_with("\"memory\": 67108864, \"read_only\": true")));
    json_object *o = out ? json_tokener_parse(out) : NULL;
    json_object *cfg = json_obj(o, "config");
    CHECK(json_int(json_obj(json_obj(json_obj(cfg, "linux"), "resources"), "memory"), "limit", 0) == 67108864);
    json_object_put(o);
    berth_free(out);
    CHECK_OK(berth_container_list(&list, b, "{\"all\": true}"));
    a = list ? json_tokener_parse(list) : NULL;
    after = a ? json_object_array_length(a) : 0;
    json_object_put(a);
    berth_free(list);
    CHECK(before == after);
}

static size_t count(const char *filter)
{
    char *list = NULL;
    size_t n = 999;
    if (berth_container_list(&list, b, filter) == 0) {
        json_object *a = json_tokener_parse(list);
        n = a ? json_object_array_length(a) : 998;
        json_object_put(a);
    }
    berth_free(list);
    return n;
}

static void test_filters(void)
{
    CHECK_OK(create(NULL, "\"name\": \"lab1\", \"labels\": {\"env\": \"prod\"}"));
    CHECK_OK(create(NULL, "\"name\": \"lab2\", \"labels\": {\"env\": \"dev\"}"));
    CHECK(count(NULL) == 0);   /* only running ones by default */
    CHECK(count("{\"all\": true, \"label\": \"env\"}") == 2);
    CHECK(count("{\"all\": true, \"label\": \"env=prod\"}") == 1);
    CHECK(count("{\"all\": true, \"name\": \"lab*\"}") == 2);
    CHECK(count("{\"all\": true, \"name\": \"ab2\"}") == 1);
    CHECK(count("{\"status\": \"created\", \"name\": \"lab\"}") == 2);
    CHECK(count("{\"status\": \"exited\"}") == 0);
    char *list = NULL;
    CHECK_RC(BERTH_EINVAL, berth_container_list(&list, b, "{\"status\": \"sleeping\"}"));
    CHECK_RC(BERTH_EINVAL, berth_container_list(&list, b, "{not json"));
}

static void test_state_rules(void)
{
    int code = -1;
    CHECK_RC(BERTH_ESTATE, berth_container_kill(b, "lab1", "TERM"));
    CHECK_MSG("not running");
    CHECK_RC(BERTH_EINVAL, berth_container_kill(b, "lab1", "SIGNOPE"));
    CHECK_OK(berth_container_stop(b, "lab1", 1));   /* stopping a stopped container succeeds */
    CHECK_OK(berth_container_wait(&code, b, "lab1", 0));
    CHECK(code == 0);
    CHECK_RC(BERTH_ESTATE, berth_container_exec(&code, b, "lab1", "{\"cmd\": [\"true\"]}", -1, -1, -1));
    CHECK_RC(BERTH_ENOTFOUND, berth_container_start(b, "ghost"));
}

static void test_start_lock(void)
{
    char *out = NULL;
    CHECK_OK(berth_container_inspect(&out, b, "lab2"));
    json_object *o = out ? json_tokener_parse(out) : NULL;
    char lp[512];
    snprintf(lp, sizeof lp, "%s/containers/%s/op.lock", root, json_str(o, "id") ? json_str(o, "id") : "x");
    json_object_put(o);
    berth_free(out);
    int fd = open(lp, O_RDWR | O_CREAT, 0600);
    CHECK(fd >= 0 && flock(fd, LOCK_EX) == 0);
    /* another process (here: another open file description) is starting it */
    CHECK_RC(BERTH_EBUSY, berth_container_start(b, "lab2"));
    CHECK_MSG("another berth process");
    CHECK_RC(BERTH_EBUSY, berth_container_remove(b, "lab2", 0));
    close(fd);
    CHECK_OK(berth_container_remove(b, "lab2", 0));
}

static void test_hostile_specs(void)
{
    char *out = NULL;
    static const char *const bad[] = {
        "not json", "[1,2]", "{}", "{\"image\": 5}",
        NULL,
    };
    for (size_t i = 0; bad[i]; i++)
        CHECK(berth_container_create(&out, b, bad[i]) != 0);
    CHECK_RC(BERTH_EINVAL, berth_container_create(&out, b, NULL));
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"volumes\": [\"relative:/x\", \"/a:/b:maybe\"]"));
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"volumes\": [\"/host:relative\"]"));
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"volumes\": [\"..:/x\"]"));
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"volumes\": [\"/nonexistent/host/dir:/x\"]"));
    CHECK_MSG("does not exist");
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"memory\": 1000"));
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"memory\": -5"));
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"cpus\": -1"));
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"network\": \"weird\""));
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"network\": \"host\", \"ports\": [\"80:80\"]"));
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"stop_signal\": \"SIGWHAT\""));
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"workdir\": \"relative\""));
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"user\": \"ghost\""));
    CHECK_MSG("ghost");
    CHECK_RC(BERTH_EINVAL, berth_container_create(&out, b, "{\"rootfs\": \"relative/dir\", \"cmd\": [\"x\"]}"));
    CHECK_RC(BERTH_EINVAL, berth_container_create(&out, b, spec_with("\"entrypoint\": [], \"cmd\": []")));
    /* a failed create leaves no row and no bundle behind */
    CHECK(count("{\"all\": true}") == 2);   /* "first" and "lab1" */
    char cdir[300];
    snprintf(cdir, sizeof cdir, "%s/containers", root);
    size_t entries = 0;
    FILE *p = NULL;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "ls %s | wc -l", cdir);
    if ((p = popen(cmd, "r"))) {
        if (fscanf(p, "%zu", &entries) != 1)
            entries = 99;
        pclose(p);
    }
    CHECK(entries == 2);
}

static void test_signals_and_names(void)
{
    CHECK(container_signal_number("SIGTERM") == 15);
    CHECK(container_signal_number("term") == 15);
    CHECK(container_signal_number("9") == 9);
    CHECK(container_signal_number("0") == -1);
    CHECK(container_signal_number("99") == -1);
    CHECK(container_signal_number("") == -1);
    CHECK(container_name_valid("web-1.a_b"));
    CHECK(!container_name_valid("a"));
    CHECK(!container_name_valid("_x"));
    CHECK(!container_name_valid("a b"));
}

/* The restart policy in the spec and the row; the monitor's use of it needs runc
 * (tests/integration/containers_restart.sh). */
static void test_restart_policy(void)
{
    char *id = NULL, *out = NULL;
    CHECK_OK(create(&id, "\"name\": \"svc\", \"restart_policy\": \"on-failure:4\""));
    CHECK_OK(berth_container_inspect(&out, b, "svc"));
    json_object *o = out ? json_tokener_parse(out) : NULL;
    CHECK_STREQ(json_str(o, "restart_policy"), "on-failure:4");
    CHECK_STREQ(json_str(json_obj(o, "config"), "restart_policy"), "on-failure:4");
    CHECK(json_int(o, "restart_count", -1) == 0);
    CHECK_STREQ(json_str(o, "state"), "created");
    json_object_put(o);
    berth_free(out);
    out = NULL;
    /* the row's marks: a stop by the user, then a start forgets it and the count */
    CHECK(id && container_db_manual_stop(b, id) == 0);
    CHECK_OK(container_db_set_manual_stop(b, id, 1));
    CHECK(id && container_db_manual_stop(b, id) == 1);
    CHECK_OK(container_db_set_manual_stop(b, id, 0));
    CHECK(id && container_db_manual_stop(b, id) == 0);
    CHECK(container_db_manual_stop(b, "0000000000000000000000000000000000000000000000000000000000000000") == 1);
    /* "restarting" is only recorded for a running row (a monitor that lost a race changes nothing) */
    CHECK_OK(container_db_set_restarting(b, id, 3, 1));
    container_rec r = { 0 };
    CHECK_OK(container_db_get(&r, b, id));
    CHECK(r.restarting == 0 && r.restart_count == 0 && strcmp(r.state, "created") == 0);
    container_rec_free(&r);
    /* never started: a boot leaves it alone, as docker's daemon does */
    CHECK_OK(berth_container_boot(&out, b));
    CHECK_STREQ(out, "[]");
    berth_free(out);
    out = NULL;
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"restart_policy\": \"always\", \"auto_remove\": true"));
    CHECK_MSG("--rm");
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"restart_policy\": \"whenever\""));
    CHECK_MSG("whenever");
    CHECK_RC(BERTH_EINVAL, create(NULL, "\"restart_policy\": 3"));
    CHECK_MSG("give a string");
    CHECK_OK(create(NULL, "\"name\": \"norestart\", \"restart_policy\": \"no\", \"auto_remove\": true"));
    /* docker update --restart */
    CHECK_OK(berth_container_update(&out, b, "svc", "{\"restart_policy\": \"unless-stopped\"}"));
    o = out ? json_tokener_parse(out) : NULL;
    CHECK_STREQ(json_str(o, "restart_policy"), "unless-stopped");
    json_object_put(o);
    berth_free(out);
    out = NULL;
    CHECK_OK(berth_container_update(&out, b, "svc", "{\"restart_policy\": null}"));
    o = out ? json_tokener_parse(out) : NULL;
    CHECK_STREQ(json_str(o, "restart_policy"), "no");
    json_object_put(o);
    berth_free(out);
    out = NULL;
    CHECK_RC(BERTH_EINVAL, berth_container_update(&out, b, "svc", "{\"restart_policy\": \"always:1\"}"));
    CHECK_MSG("update container svc");
    CHECK_RC(BERTH_EINVAL, berth_container_update(&out, b, "svc", "{\"memory\": 1}"));
    CHECK_MSG("\"memory\" cannot be changed");
    CHECK_RC(BERTH_EINVAL, berth_container_update(&out, b, "svc", "[1]"));
    CHECK(berth_container_update(&out, b, "svc", "{\"restart_policy\": ") != 0);
    CHECK_RC(BERTH_EINVAL, berth_container_update(&out, b, "norestart", "{\"restart_policy\": \"always\"}"));
    CHECK_MSG("--rm");
    CHECK_RC(BERTH_ENOTFOUND, berth_container_update(&out, b, "nosuch", "{\"restart_policy\": \"always\"}"));
    CHECK(out == NULL);
    CHECK_OK(berth_container_remove(b, "norestart", 1));
    CHECK_OK(berth_container_remove(b, "svc", 1));
    CHECK(berth_container_boot(NULL, b) == BERTH_EINVAL);
    free(id);
}

int main(void)
{
    snprintf(root, sizeof root, "/tmp/berth-container-test-XXXXXX");
    if (!mkdtemp(root))
        return 1;
    snprintf(rootfs, sizeof rootfs, "%s-rootfs", root);
    fs_mkdir_p(rootfs, 0755);
    if (berth_open(&b, root) != 0) {
        printf("not ok 1 - open store: %s\n", berth_errmsg());
        return 1;
    }
    RUN(test_create_and_inspect);
    RUN(test_names);
    RUN(test_plan_writes_nothing);
    RUN(test_filters);
    RUN(test_state_rules);
    RUN(test_start_lock);
    RUN(test_hostile_specs);
    RUN(test_signals_and_names);
    RUN(test_restart_policy);
    berth_close(b);
    fs_remove_tree(root);
    fs_remove_tree(rootfs);
    return check_done();
}
