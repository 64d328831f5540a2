/* Registry authentication: the WWW-Authenticate challenge from /v2/, Basic credentials, and
 * the Bearer token flow (GET realm?service=…&scope=repository:<name>:pull, with Basic
 * credentials when we have them). Tokens are cached per scope in the client — one client per
 * operation — and a 401 on a request fetches a fresh one once. */
#include "core/error.h"
#include "core/json.h"
#include "registry/client.h"
#include "registry/credentials.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void registry_challenge_clear(registry_challenge *ch)
{
    free(ch->realm);
    free(ch->service);
    free(ch->scope);
    free(ch->error);
    memset(ch, 0, sizeof *ch);
}

/* Reads one auth-param value (a token or a quoted string with \-escapes) at *p. */
static char *read_value(const char **p)
{
    const char *s = *p;
    size_t cap = strlen(s) + 1, n = 0;
    char *v = malloc(cap);
    if (!v)
        return NULL;
    if (*s == '"') {
        s++;
        while (*s && *s != '"') {
            if (*s == '\\' && s[1])
                s++;
            v[n++] = *s++;
        }
        if (*s == '"')
            s++;
    } else {
        while (*s && *s != ',' && !isspace((unsigned char)*s))
            v[n++] = *s++;
    }
    v[n] = '\0';
    *p = s;
    return v;
}

/* One challenge at *p: its scheme (lowercased into out->scheme; "" when longer than fits —
 * no scheme we speak is) and its auth-params, up to where the next challenge's scheme starts:
 * a bare token not followed by '=' (RFC 7235: challenges are a comma list, and a challenge's
 * params never are bare tokens). Leaves *p there. */
static int parse_one_challenge(registry_challenge *out, char *name, size_t name_len, const char **p)
{
    memset(out, 0, sizeof *out);
    const char *s = *p;
    size_t n = 0;
    while (s[n] && !isspace((unsigned char)s[n]) && s[n] != ',')
        n++;
    snprintf(name, name_len, "%.*s", (int)n, s);
    for (size_t i = 0; name[i]; i++)
        name[i] = (char)tolower((unsigned char)name[i]);
    if (n < sizeof out->scheme)
        memcpy(out->scheme, name, n + 1);
    s += n;
    for (;;) {
        while (*s == ',' || isspace((unsigned char)*s))
            s++;
        const char *k = s;
        while (*s && *s != '=' && *s != ',' && !isspace((unsigned char)*s))
            s++;
        size_t kl = (size_t)(s - k);
        while (isspace((unsigned char)*s))
            s++;
        if (*s != '=') {
            if (kl == 0)
                break;    /* the end */
            s = k;        /* the next challenge's scheme */
            break;
        }
        s++;
        while (isspace((unsigned char)*s))
            s++;
        char *v = read_value(&s);
        if (!v) {
            registry_challenge_clear(out);
            return berth_fail_oom();
        }
        char **slot = NULL;
        if (kl == 5 && registry_strncaseeq(k, "realm", 5))
            slot = &out->realm;
        else if (kl == 7 && registry_strncaseeq(k, "service", 7))
            slot = &out->service;
        else if (kl == 5 && registry_strncaseeq(k, "scope", 5))
            slot = &out->scope;
        else if (kl == 5 && registry_strncaseeq(k, "error", 5))
            slot = &out->error;
        if (slot) {
            free(*slot);
            *slot = v;
        } else {
            free(v);
        }
    }
    *p = s;
    return 0;
}

/* How much we want a challenge: Bearer with a realm, then Basic, then a Bearer without one. */
static int challenge_rank(const registry_challenge *ch)
{
    if (strcmp(ch->scheme, "bearer") == 0)
        return ch->realm && *ch->realm ? 3 : 1;
    return strcmp(ch->scheme, "basic") == 0 ? 2 : 0;
}

int registry_parse_challenge(registry_challenge *out, const char *header)
{
    memset(out, 0, sizeof *out);
    char first[40] = "";
    const char *s = header ? header : "";
    int best = 0;
    for (;;) {
        while (*s == ',' || isspace((unsigned char)*s))
            s++;
        if (!*s)
            break;
        registry_challenge ch;
        char name[40];
        int rc = parse_one_challenge(&ch, name, sizeof name, &s);
        if (rc) {
            registry_challenge_clear(out);
            return rc;
        }
        if (!first[0])
            memcpy(first, name, sizeof first);
        int rank = challenge_rank(&ch);
        if (rank > best) {
            registry_challenge_clear(out);
            *out = ch;
            best = rank;
        } else {
            registry_challenge_clear(&ch);
        }
    }
    if (!first[0])
        return 0; /* no challenge at all: an open registry */
    if (best == 0) {
        registry_challenge_clear(out);
        return berth_fail(BERTH_EUNSUPPORTED, "registry auth: the registry asks for \"%s\" authentication; "
                          "Berth speaks Basic and Bearer", first);
    }
    if (best == 1) {
        registry_challenge_clear(out);
        return berth_fail(BERTH_EAUTH, "registry auth: Bearer challenge without a realm");
    }
    return 0;
}

int client_load_credentials(registry_client *c)
{
    if (c->creds_ready)
        return 0;
    char *u = NULL, *p = NULL;
    int rc = credentials_lookup(&u, &p, c->cred_source, sizeof c->cred_source, c->b, c->domain);
    if (rc == BERTH_ENOTFOUND) {
        berth_error_clear();
        rc = 0;
    } else if (rc == 0) {
        c->user = u;
        c->pass = p;
    }
    if (rc == 0)
        c->creds_ready = 1;
    return rc;
}

static char *basic_header(registry_client *c)
{
    size_t n = strlen(c->user) + strlen(c->pass) + 2;
    char *pair = malloc(n), *b64 = NULL, *h = NULL;
    if (!pair) {
        berth_fail_oom();
        return NULL;
    }
    snprintf(pair, n, "%s:%s", c->user, c->pass);
    b64 = credentials_base64(pair, n - 1);
    memset(pair, 0, n);
    free(pair);
    if (!b64)
        return NULL;
    size_t hn = strlen(b64) + 32;
    if ((h = malloc(hn)))
        snprintf(h, hn, "Authorization: Basic %s", b64);
    else
        berth_fail_oom();
    free(b64);
    return h;
}

/* Asks the token service for scope (NULL: none, as login does). *out malloc'ed. */
static int fetch_token(registry_client *c, const char *scope, char **out)
{
    *out = NULL;
    client_response r = { 0 };
    berth_buf url = BERTH_BUF_INIT(8192);
    char *auth = NULL, *esc = NULL;
    json_object *o = NULL;
    int rc;
    if ((rc = client_url_allowed(c, c->ch.realm, "token service")) != 0)
        goto out;
    rc = buf_printf(&url, "%s", c->ch.realm);
    char sep = strchr(c->ch.realm, '?') ? '&' : '?';
    if (rc == 0 && c->ch.service) {
        esc = curl_easy_escape(c->easy, c->ch.service, 0);
        rc = esc ? buf_printf(&url, "%cservice=%s", sep, esc) : berth_fail_oom();
        sep = '&';
        curl_free(esc);
    }
    /* Several scopes (a push that mounts) go as repeated scope parameters, as docker sends them. */
    for (const char *sc = scope; rc == 0 && sc && *sc;) {
        size_t n = strcspn(sc, " ");
        esc = n ? curl_easy_escape(c->easy, sc, (int)n) : NULL;
        rc = !n ? 0 : esc ? buf_printf(&url, "%cscope=%s", sep, esc) : berth_fail_oom();
        sep = '&';
        curl_free(esc);
        sc += n;
        while (*sc == ' ')
            sc++;
    }
    if (rc != 0)
        goto out;
    if (c->user && !(auth = basic_header(c))) {
        rc = BERTH_ENOMEM;
        goto out;
    }
    if ((rc = client_get_raw(c, url.data, auth, REGISTRY_TOKEN_MAX, &r)) != 0)
        goto out;
    if (r.status == 401 || r.status == 403) {
        char st[512];
        client_describe_status(&r, st, sizeof st);
        if (c->user)
            rc = berth_fail(BERTH_EAUTH, "the token service of %s refused the credentials of user \"%s\" from %s (%s) — "
                            "run `berth login %s` with the right ones", c->domain, c->user, c->cred_source, st, c->domain);
        else
            rc = berth_fail(BERTH_EAUTH, "the token service of %s asks for credentials (%s) — run `berth login %s`",
                            c->domain, st, c->domain);
        goto out;
    }
    if (r.status != 200) {
        rc = client_fail_status(c, &r, "token service");
        goto out;
    }
    if ((rc = json_parse_limited(&o, r.body.data ? r.body.data : "", r.body.len, "token response")) != 0)
        goto out;
    const char *tok = json_str(o, "token");
    if (!tok || !*tok)
        tok = json_str(o, "access_token");
    if (!tok || !*tok) {
        rc = berth_fail(BERTH_EAUTH, "the token service of %s answered without a token", c->domain);
        goto out;
    }
    for (const char *t = tok; *t; t++)
        if ((unsigned char)*t < 0x21 || (unsigned char)*t > 0x7e) {
            rc = berth_fail(BERTH_EAUTH, "the token service of %s answered a token with invalid characters", c->domain);
            goto out;
        }
    if (!(*out = strdup(tok)))
        rc = berth_fail_oom();
out:
    if (rc)
        rc = berth_wrap(rc, "authenticate to %s", c->domain);
    json_object_put(o);
    free(auth);
    buf_free(&url);
    client_response_clear(&r);
    return rc;
}

/* "repository:<repo>:pull", or for a push "repository:<repo>:pull,push" plus, when mounting
 * from another repository, " repository:<from>:pull" (space-separated scopes, sent as
 * separate scope parameters by fetch_token). */
static char *repo_scope(registry_client *c, const char *repo)
{
    const char *from = c->push && c->mount_from && strcmp(c->mount_from, repo) != 0 ? c->mount_from : NULL;
    size_t n = strlen(repo) + (from ? strlen(from) : 0) + 64;
    char *s = malloc(n);
    if (!s) {
        berth_fail_oom();
        return NULL;
    }
    snprintf(s, n, "repository:%s:%s%s%s%s", repo, c->push ? "pull,push" : "pull", from ? " repository:" : "",
             from ? from : "", from ? ":pull" : "");
    return s;
}

int registry_client_set_push(registry_client *c, const char *mount_from)
{
    free(c->mount_from);
    c->mount_from = NULL;
    c->push = 1;
    if (mount_from && !(c->mount_from = strdup(mount_from)))
        return berth_fail_oom();
    return 0;
}

static client_token *find_token(registry_client *c, const char *scope)
{
    for (size_t i = 0; i < c->n_tokens; i++)
        if (strcmp(c->tokens[i].scope, scope) == 0)
            return &c->tokens[i];
    return NULL;
}

/* Stores token (taking ownership) for scope, replacing an old one. */
static int keep_token(registry_client *c, const char *scope, char *token)
{
    client_token *t = find_token(c, scope);
    if (!t) {
        if (c->n_tokens == CLIENT_MAX_TOKENS) {
            /* a pull touches one or two repositories; drop the oldest */
            free(c->tokens[0].scope);
            free(c->tokens[0].token);
            memmove(&c->tokens[0], &c->tokens[1], sizeof c->tokens[0] * (CLIENT_MAX_TOKENS - 1));
            c->n_tokens--;
        }
        t = &c->tokens[c->n_tokens];
        if (!(t->scope = strdup(scope))) {
            free(token);
            return berth_fail_oom();
        }
        t->token = NULL;
        c->n_tokens++;
    }
    free(t->token);
    t->token = token;
    return 0;
}

int client_auth_header(registry_client *c, const char *repo, char **out)
{
    *out = NULL;
    if (!c->pinged || !c->ch.scheme[0])
        return 0;
    int rc = client_load_credentials(c);
    if (rc)
        return rc;
    if (strcmp(c->ch.scheme, "basic") == 0) {
        if (!c->user)
            return 0;
        return (*out = basic_header(c)) ? 0 : BERTH_ENOMEM;
    }
    if (!repo)
        return 0;
    char *scope = repo_scope(c, repo), *tok = NULL;
    if (!scope)
        return BERTH_ENOMEM;
    client_token *t = find_token(c, scope);
    if (!t) {
        if ((rc = fetch_token(c, scope, &tok)) != 0 || (rc = keep_token(c, scope, tok)) != 0)
            goto out;
        t = find_token(c, scope);
    }
    size_t n = strlen(t->token) + 32;
    if (!(*out = malloc(n))) {
        rc = berth_fail_oom();
        goto out;
    }
    snprintf(*out, n, "Authorization: Bearer %s", t->token);
out:
    free(scope);
    return rc;
}

int client_reauth(registry_client *c, const char *repo, const char *www_authenticate)
{
    registry_challenge ch;
    int rc = registry_parse_challenge(&ch, www_authenticate);
    if (rc)
        return rc;
    char *scope = NULL, *tok = NULL;
    if (strcmp(ch.scheme, "basic") == 0 && !c->ch.scheme[0]) {
        /* /v2/ was open but this repository wants Basic: send credentials from now on. */
        registry_challenge_clear(&c->ch);
        c->ch = ch;
        return 0;
    }
    if (strcmp(ch.scheme, "bearer") != 0 || !repo) {
        /* Basic credentials were refused (or none were sent): nothing to refresh. */
        registry_challenge_clear(&ch);
        return 0;
    }
    /* The registry may name another realm or service than /v2/ did: follow what it asks now. */
    if (strcmp(c->ch.scheme, "bearer") != 0 || strcmp(c->ch.realm, ch.realm) != 0 ||
        (ch.service && (!c->ch.service || strcmp(c->ch.service, ch.service) != 0))) {
        registry_challenge_clear(&c->ch);
        c->ch = ch;
        memset(&ch, 0, sizeof ch);
    }
    if ((rc = client_load_credentials(c)) != 0)
        goto out;
    if (!(scope = repo_scope(c, repo))) {
        rc = BERTH_ENOMEM;
        goto out;
    }
    const char *want = ch.scope ? ch.scope : (c->ch.scope ? c->ch.scope : scope);
    if ((rc = fetch_token(c, want, &tok)) == 0)
        rc = keep_token(c, scope, tok);
out:
    free(scope);
    registry_challenge_clear(&ch);
    return rc;
}

int registry_check_login(registry_client *c)
{
    int rc = registry_ping(c);
    if (rc)
        return rc;
    if ((rc = client_load_credentials(c)) != 0)
        return rc;
    if (!c->ch.scheme[0])
        return 0; /* an open registry: any credentials are "valid" */
    if (!c->user)
        return berth_fail(BERTH_EAUTH, "login to %s: no credentials given", c->domain);
    if (strcmp(c->ch.scheme, "bearer") == 0) {
        char *tok = NULL;
        rc = fetch_token(c, NULL, &tok);
        free(tok);
        return rc;
    }
    client_response r = { 0 };
    rc = client_get(c, NULL, "/v2/", NULL, REGISTRY_ERRBODY_MAX, &r);
    if (rc == 0 && r.status != 200)
        rc = client_fail_status(c, &r, "login");
    client_response_clear(&r);
    return rc;
}
