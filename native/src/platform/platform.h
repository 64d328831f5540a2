/* Platforms (os/architecture/variant and, for Windows, os.version) and the rules that pick an
 * image for a host out of a multi-platform index.
 * Windows rules, as Microsoft documents them: process isolation needs the image's build
 * (major.minor.build of os.version) to equal the host's, except that from build 20348 on a host
 * also runs images from 20348 up to its own build; Hyper-V isolation runs any build up to the
 * host's. Never an image newer than the host. The revision (4th number) never decides. */
#ifndef BERTH_PLATFORM_H
#define BERTH_PLATFORM_H
#include <stddef.h>

typedef struct {
    char os[32];          /* "linux", "windows" */
    char arch[32];        /* normalised: "amd64", "arm64", "arm", "386", … */
    char variant[16];     /* "v7", "v8", or "" */
    char os_version[48];  /* "10.0.20348.2113" or "" */
} berth_platform;

typedef enum {
    ISOLATION_DEFAULT = 0, /* the host's default: process on Windows Server, hyperv on client */
    ISOLATION_PROCESS,
    ISOLATION_HYPERV
} berth_isolation;

/* "os/arch[/variant][:os.version]" (e.g. "windows/amd64:10.0.20348"); normalises aliases
 * (x86_64 → amd64, aarch64 → arm64, armhf → arm/v7, …). */
int platform_parse(berth_platform *out, const char *s);
/* "process", "hyperv" (also "hyper-v"), NULL/"" → ISOLATION_DEFAULT. */
int platform_parse_isolation(berth_isolation *out, const char *s);
const char *platform_isolation_name(berth_isolation iso);
void platform_normalize(berth_platform *p);
/* "os/arch[/variant][:os.version]" into buf. */
void platform_format(const berth_platform *p, char *buf, size_t len);
/* This host (uname on POSIX; the registry's build + UBR on Windows, see runtime/hcs). */
int platform_host(berth_platform *out);
/* This host's default isolation: on Windows, process on Server editions and hyperv on client
 * editions (Microsoft's defaults; the decision is hcs_host_facts_decide); elsewhere process,
 * what Windows Server — the product's target — uses, so dry runs and pulls for
 * --platform windows/… match a Server host. */
int platform_host_isolation(berth_isolation *out);

/* Whether the host (want, with its isolation) can run cand. Returns 1 when it can; 0 when not,
 * with the rule that refused it written to why (e.g. "process isolation needs build 20348
 * (the host's); the image is 17763"). */
int platform_accepts(const berth_platform *want, berth_isolation iso, const berth_platform *cand,
                     char *why, size_t why_len);
/* Picks the best of n candidates: among accepted ones the closest build, then the highest
 * revision, then an exact variant. *index_out on success; BERTH_EPLATFORM with a message that
 * lists every candidate and the rule that refused it otherwise. */
int platform_choose(size_t *index_out, const berth_platform *want, berth_isolation iso,
                    const berth_platform *cands, size_t n);

#endif
