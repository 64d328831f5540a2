/* A minimal reader of tar headers that follows the same bytes libarchive reads, only to pick
 * up the MSWINDOWS.* PAX records (libarchive keeps no unknown PAX keys). It never decides what
 * is extracted; if the stream stops making sense to it, it goes quiet ("lost") and
 * libarchive's verdict stands. Memory: one PAX block (at most 256 KiB) and a ring of the
 * entries it has read ahead of libarchive. */
#include "layer/pax_shadow.h"
#include <stdlib.h>
#include <string.h>

#define PAX_MAX (256 * 1024)   /* PAX record blocks we read for MSWINDOWS.*; larger are skipped */
#define WIN_RING 4096          /* entries the shadow reader may run ahead of libarchive */

typedef struct {
    uint64_t seq;
    stream_winattrs a;
} win_slot;

struct shadow_reader {
    unsigned char hdr[512];
    size_t hdr_fill;
    uint64_t skip;
    uint64_t pax_need;       /* PAX bytes still to read into pax */
    uint64_t pax_pad;
    char *pax;
    size_t pax_fill;
    int pax_keep;            /* 0: too large, skipped */
    stream_winattrs pending;
    uint64_t pending_size;
    int has_pending_size;
    uint64_t seq;            /* real entries seen */
    int lost;
    int saw_windows;
    win_slot ring[WIN_RING];
    size_t ring_head, ring_n;
};

static void winattrs_clear(stream_winattrs *a)
{
    free(a->rawsd);
    free(a->mountpoint);
    memset(a, 0, sizeof *a);
}

static uint64_t tar_number(const unsigned char *p, size_t n, int *bad)
{
    uint64_t v = 0;
    if (p[0] & 0x80) {           /* base-256 */
        for (size_t i = 1; i < n; i++) {
            if (v >> 56) {
                *bad = 1;
                return 0;
            }
            v = (v << 8) | p[i];
        }
        return v;
    }
    size_t i = 0;
    while (i < n && p[i] == ' ')
        i++;
    for (; i < n && p[i] >= '0' && p[i] <= '7'; i++)
        v = (v << 3) | (uint64_t)(p[i] - '0');
    return v;
}

static uint64_t pad512(uint64_t n) { return (512 - (n % 512)) % 512; }

static char *dup_n(const char *p, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, p, n);
        d[n] = '\0';
    }
    return d;
}

static void shadow_parse_pax(shadow_reader *sh)
{
    const char *p = sh->pax, *end = sh->pax + sh->pax_fill;
    while (p < end) {
        /* "<len> <key>=<value>\n", len counting the whole record */
        size_t len = 0;
        const char *q = p;
        while (q < end && *q >= '0' && *q <= '9' && len < PAX_MAX)
            len = len * 10 + (size_t)(*q++ - '0');
        /* the record must reach past "<len> " — else rec_end - key below goes negative and
         * memchr runs off the buffer (found by tests/fuzz/fuzz_layer_apply.c) */
        if (q >= end || *q != ' ' || len == 0 || len > (size_t)(end - p) || len < (size_t)(q - p) + 2)
            return;
        const char *rec_end = p + len;
        const char *key = q + 1;
        const char *eq = memchr(key, '=', (size_t)(rec_end - key));
        if (!eq || rec_end[-1] != '\n')
            return;
        size_t klen = (size_t)(eq - key), vlen = (size_t)(rec_end - 1 - (eq + 1));
        const char *val = eq + 1;
        if (klen == 18 && memcmp(key, "MSWINDOWS.fileattr", 18) == 0 && vlen < sizeof sh->pending.fileattr) {
            memcpy(sh->pending.fileattr, val, vlen);
            sh->pending.fileattr[vlen] = '\0';
            sh->pending.present = 1;
        } else if (klen == 15 && memcmp(key, "MSWINDOWS.rawsd", 15) == 0) {
            free(sh->pending.rawsd);
            sh->pending.rawsd = dup_n(val, vlen);
            sh->pending.present = 1;
        } else if (klen == 20 && memcmp(key, "MSWINDOWS.mountpoint", 20) == 0) {
            free(sh->pending.mountpoint);
            sh->pending.mountpoint = dup_n(val, vlen);
            sh->pending.present = 1;
        } else if (klen == 4 && memcmp(key, "size", 4) == 0) {
            uint64_t v = 0;
            for (size_t i = 0; i < vlen && val[i] >= '0' && val[i] <= '9'; i++)
                v = v * 10 + (uint64_t)(val[i] - '0');
            sh->pending_size = v;
            sh->has_pending_size = 1;
        }
        p = rec_end;
    }
}

static void shadow_header(shadow_reader *sh)
{
    const unsigned char *h = sh->hdr;
    int zero = 1;
    for (size_t i = 0; i < 512 && zero; i++)
        zero = h[i] == 0;
    if (zero)
        return;
    unsigned sum = 0;
    for (size_t i = 0; i < 512; i++)
        sum += (i >= 148 && i < 156) ? ' ' : h[i];
    int bad = 0;
    if (tar_number(h + 148, 8, &bad) != sum) {
        sh->lost = 1;
        return;
    }
    uint64_t size = tar_number(h + 124, 12, &bad);
    if (bad) {
        sh->lost = 1;
        return;
    }
    char type = (char)h[156];
    if (type == 'x') {
        sh->pax_need = size;
        sh->pax_pad = pad512(size);
        sh->pax_fill = 0;
        sh->pax_keep = size <= PAX_MAX;
        if (sh->pax_keep && !sh->pax && !(sh->pax = malloc(PAX_MAX)))
            sh->pax_keep = 0;
        return;
    }
    if (type == 'g' || type == 'L' || type == 'K') {
        sh->skip = size + pad512(size);
        return;
    }
    if (type == 'S' && h[482]) {
        sh->lost = 1;            /* old GNU sparse with extension headers: not in Windows layers */
        return;
    }
    if (sh->has_pending_size)
        size = sh->pending_size;
    int has_data = type == '0' || type == '\0' || type == '7' || type == 'S' || type == '1';
    if (type == '1' && !sh->has_pending_size)
        has_data = size > 0;
    sh->skip = has_data ? size + pad512(size) : 0;
    if (sh->pending.present) {
        sh->saw_windows = 1;
        if (sh->ring_n == WIN_RING) {
            sh->lost = 1;
            winattrs_clear(&sh->pending);
        } else {
            win_slot *slot = &sh->ring[(sh->ring_head + sh->ring_n) % WIN_RING];
            slot->seq = sh->seq;
            slot->a = sh->pending;
            memset(&sh->pending, 0, sizeof sh->pending);
            sh->ring_n++;
        }
    }
    sh->has_pending_size = 0;
    sh->seq++;
}

void shadow_feed(shadow_reader *sh, const unsigned char *p, size_t n)
{
    while (n > 0 && !sh->lost) {
        if (sh->skip) {
            size_t k = sh->skip < n ? (size_t)sh->skip : n;
            sh->skip -= k;
            p += k;
            n -= k;
        } else if (sh->pax_need) {
            size_t k = sh->pax_need < n ? (size_t)sh->pax_need : n;
            if (sh->pax_keep) {
                memcpy(sh->pax + sh->pax_fill, p, k);
                sh->pax_fill += k;
            }
            sh->pax_need -= k;
            p += k;
            n -= k;
            if (sh->pax_need == 0) {
                if (sh->pax_keep)
                    shadow_parse_pax(sh);
                sh->skip = sh->pax_pad;
            }
        } else {
            size_t k = 512 - sh->hdr_fill < n ? 512 - sh->hdr_fill : n;
            memcpy(sh->hdr + sh->hdr_fill, p, k);
            sh->hdr_fill += k;
            p += k;
            n -= k;
            if (sh->hdr_fill == 512) {
                sh->hdr_fill = 0;
                shadow_header(sh);
            }
        }
    }
}

const stream_winattrs *shadow_attrs_for(shadow_reader *sh, uint64_t index)
{
    /* libarchive reads entries in order: slots for earlier entries are done with. */
    while (sh->ring_n && sh->ring[sh->ring_head].seq < index) {
        winattrs_clear(&sh->ring[sh->ring_head].a);
        sh->ring_head = (sh->ring_head + 1) % WIN_RING;
        sh->ring_n--;
    }
    if (sh->ring_n && sh->ring[sh->ring_head].seq == index)
        return &sh->ring[sh->ring_head].a;
    return NULL;
}

int shadow_saw_windows(const shadow_reader *sh) { return sh->saw_windows; }

shadow_reader *shadow_new(void) { return calloc(1, sizeof(shadow_reader)); }

void shadow_free(shadow_reader *sh)
{
    if (!sh)
        return;
    free(sh->pax);
    winattrs_clear(&sh->pending);
    for (size_t i = 0; i < sh->ring_n; i++)
        winattrs_clear(&sh->ring[(sh->ring_head + i) % WIN_RING].a);
    free(sh);
}
