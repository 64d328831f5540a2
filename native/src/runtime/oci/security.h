/* Linux container security: capabilities and seccomp profiles. Pure data and JSON work (no
 * system calls), compiled on every platform so that create checks the options the same way
 * everywhere; runtime/oci/config.c puts the result into config.json for runc.
 *
 * Capability names are "CAP_X" in the output; the input may omit the prefix and use any case
 * ("chown", "CAP_CHOWN", "all"), like docker's --cap-add/--cap-drop. */
#ifndef BERTH_RUNTIME_OCI_SECURITY_H
#define BERTH_RUNTIME_OCI_SECURITY_H
#include <json-c/json.h>
#include <stddef.h>

/* docker's default capability set (moby oci/caps/defaults.go), in its order. */
extern const char *const sec_default_caps[];
extern const size_t sec_n_default_caps;

/* "chown" / "CAP_CHOWN" → "CAP_CHOWN" in out; "all" → "ALL". BERTH_EINVAL names the unknown
 * capability and how to list the known ones. */
int sec_cap_normalize(char *out, size_t n, const char *name);

/* The effective capability set (an array of "CAP_X"), docker's rules: privileged → every
 * capability; else the default set, minus drop (ALL: start empty), plus add (ALL: every one);
 * a capability both added and dropped is kept. "Every capability" means those of host_caps
 * (bit n = capability n: the engine's own bounding set, which no container can exceed; ~0 when
 * unknown). add/drop may be NULL; their entries must be strings. */
int sec_caps_resolve(json_object **out, json_object *add, json_object *drop, int privileged, unsigned long long host_caps);
int sec_caps_has(json_object *caps, const char *cap);

/* The host's architecture as uname -m names it ("x86_64", "aarch64", …), fixed at build time. */
const char *sec_host_arch(void);

/* Berth's default seccomp profile (an OCI linux.seccomp object) for a container holding caps on
 * an arch (uname -m name): allow everything except the listed dangerous calls, which fail with
 * EPERM unless the container holds the capability that makes them legitimate. */
json_object *sec_seccomp_default(json_object *caps, const char *arch);

/* A seccomp profile text — the OCI linux.seccomp object or Docker's profile format (names /
 * name, includes / excludes on caps, arches and minKernel, archMap) — as an OCI linux.seccomp
 * object for this container. what names the profile (its file) in every message; kernel is the
 * host's release ("6.1.0-13-amd64") for minKernel, NULL to treat every minKernel as met.
 * BERTH_EINVAL says what is wrong and where (e.g. "syscalls[3].action"). */
int sec_seccomp_convert(json_object **out, const char *text, size_t len, const char *what, json_object *caps,
                        const char *arch, const char *kernel);

/* The largest profile file accepted (Docker's own default profile is about 20 KiB). */
#define SEC_SECCOMP_MAX (1u << 20)

#endif
