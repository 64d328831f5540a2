/* User resolution like docker's (moby/sys/user): "name", "uid", "name:group", "uid:gid", looked
 * up in the image's own /etc/passwd and /etc/group, never the host's. A numeric uid that the
 * image does not list is fine (gid 0); an unknown name is an error that names it. */
#include "runtime/oci/oci.h"
#include "core/error.h"
#include "core/fs.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define USERDB_MAX (4u << 20)   /* a passwd file larger than 4 MiB is not one we trust */

static int parse_id(const char *s, uint32_t *out)
{
    if (!*s)
        return 0;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || errno || v > 0xfffffffeUL || s[0] == '-' || s[0] == '+')
        return 0;
    *out = (uint32_t)v;
    return 1;
}

/* Splits line into fields at ':' in place; returns the count. */
static int split_fields(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == ':') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

/* Walks the lines of a copy of text; cb returns 1 to stop. */
static int each_line(const char *text, int (*cb)(char **f, int n, void *arg), void *arg)
{
    if (!text)
        return 0;
    char *copy = strdup(text);
    if (!copy)
        return berth_fail_oom();
    int found = 0;
    for (char *save = NULL, *line = strtok_r(copy, "\n", &save); line && !found; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#')
            continue;
        char *f[8];
        int n = split_fields(line, f, 8);
        found = cb(f, n, arg);
    }
    free(copy);
    return found;
}

struct pw_q { const char *name; uint32_t uid; int by_uid; oci_user *u; int found; };

static int pw_match(char **f, int n, void *arg)
{
    struct pw_q *q = arg;
    uint32_t uid, gid;
    if (n < 7 || !parse_id(f[2], &uid) || !parse_id(f[3], &gid))
        return 0;
    if (q->by_uid ? uid != q->uid : strcmp(f[0], q->name) != 0)
        return 0;
    q->u->uid = uid;
    q->u->gid = gid;
    snprintf(q->u->home, sizeof q->u->home, "%s", f[5]);
    q->found = 1;
    return 1;
}

struct gr_q { const char *name; uint32_t gid; int found; };

static int gr_match(char **f, int n, void *arg)
{
    struct gr_q *q = arg;
    uint32_t gid;
    if (n < 3 || !parse_id(f[2], &gid) || strcmp(f[0], q->name) != 0)
        return 0;
    q->gid = gid;
    q->found = 1;
    return 1;
}

/* Supplementary groups: every group whose member list names the user. */
struct sup_q { const char *user; uint32_t primary; oci_user *u; };

static int sup_add(char **f, int n, void *arg)
{
    struct sup_q *q = arg;
    uint32_t gid;
    if (n < 4 || !parse_id(f[2], &gid) || gid == q->primary)
        return 0;
    char *members = f[3], *save = NULL;
    for (char *m = strtok_r(members, ",", &save); m; m = strtok_r(NULL, ",", &save))
        if (strcmp(m, q->user) == 0 && q->u->n_extra < sizeof q->u->extra_gids / sizeof q->u->extra_gids[0])
            q->u->extra_gids[q->u->n_extra++] = gid;
    return 0;
}

int oci_user_resolve_text(oci_user *out, const char *user, const char *passwd, const char *group)
{
    memset(out, 0, sizeof *out);
    snprintf(out->home, sizeof out->home, "/root");
    if (!user || !*user)
        user = "0";
    char spec[256];
    if (strlen(user) >= sizeof spec)
        return berth_fail(BERTH_EINVAL, "user \"%.40s…\": too long", user);
    strcpy(spec, user);
    char *grp = strchr(spec, ':');
    if (grp)
        *grp++ = '\0';
    if (!*spec)
        return berth_fail(BERTH_EINVAL, "user \"%s\": no user before the ':'", user);

    struct pw_q pq = { spec, 0, 0, out, 0 };
    pq.by_uid = parse_id(spec, &pq.uid);
    int rc = each_line(passwd, pw_match, &pq);
    if (rc < 0)
        return rc;
    if (!pq.found) {
        if (!pq.by_uid)
            return berth_fail(BERTH_EINVAL, "unable to find user %s: no matching entries in the image's /etc/passwd — use a numeric uid or a user the image defines", spec);
        out->uid = pq.uid;
        out->gid = 0;
        snprintf(out->home, sizeof out->home, "/");
    }
    if (pq.found && !pq.by_uid) {
        struct sup_q sq = { spec, out->gid, out };
        if ((rc = each_line(group, sup_add, &sq)) < 0)
            return rc;
    }
    if (grp) {
        if (!*grp)
            return berth_fail(BERTH_EINVAL, "user \"%s\": no group after the ':'", user);
        uint32_t gid;
        if (parse_id(grp, &gid)) {
            out->gid = gid;
        } else {
            struct gr_q gq = { grp, 0, 0 };
            if ((rc = each_line(group, gr_match, &gq)) < 0)
                return rc;
            if (!gq.found)
                return berth_fail(BERTH_EINVAL, "unable to find group %s: no matching entries in the image's /etc/group", grp);
            out->gid = gq.gid;
        }
        out->n_extra = 0;   /* an explicit group replaces the user's supplementary groups, as in docker */
    }
    return 0;
}

/* The image's view of a file: the topmost layer that has it; an overlay whiteout (a 0/0
 * character device) or a non-regular file hides it. *out stays NULL when absent. */
static int read_image_file(char **out, const runtime_layer *layers, size_t n, const char *rel)
{
    *out = NULL;
    for (size_t i = n; i-- > 0;) {
        char *p = fs_join(layers[i].path, rel);
        if (!p)
            return BERTH_ENOMEM;
        struct stat st;
        int rc = 0;
        if (lstat(p, &st) == 0) {
            if (S_ISREG(st.st_mode))
                rc = fs_read_file(out, NULL, p, USERDB_MAX);
            free(p);
            return rc;   /* found (or hidden by a whiteout / symlink we do not follow) */
        }
        free(p);
    }
    return 0;
}

int oci_user_resolve(oci_user *out, const char *user, const runtime_layer *layers, size_t n_layers)
{
    char *passwd = NULL, *group = NULL;
    int rc = read_image_file(&passwd, layers, n_layers, "etc/passwd");
    if (rc == 0)
        rc = read_image_file(&group, layers, n_layers, "etc/group");
    if (rc == 0)
        rc = oci_user_resolve_text(out, user, passwd, group);
    free(passwd);
    free(group);
    return rc;
}
