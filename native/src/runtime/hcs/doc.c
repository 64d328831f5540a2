/* HCS v2 documents (SchemaVersion 2.1) built from a runtime_spec, shaped field for field as
 * hcsshim builds them, so that what we send is what Microsoft's own tooling sends. Each part
 * names the hcsshim type (internal/hcs/schema2, hcn/) and the code that fills it. Keys are
 * only written when hcsshim's encoding/json would write them (omitempty drops false, 0, "",
 * nil and empty maps/slices; it never drops a struct value, hence the HNS "Dns": {}). */
#include "runtime/hcs/hcs.h"
#include "runtime/hcs/doc.h"
#include "core/error.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UVM_DEFAULT_MEMORY_MB 1024   /* hcsshim uvm.newDefaultOptions: MemorySizeInMB */
#define UVM_SCSI_CONTROLLER "0"      /* hcsshim (2021, internal GCS) keyed the controller "0" */
#define VSMB_PREFIX "\\\\?\\VMSMB\\VSMB-{dcc079ae-60ba-4d07-847c-3493609c0870}\\"  /* uvm/vsmb.go */
#define UVM_CONTAINER_ROOT "C:\\c\\1"  /* hcsoci wcowRootInUVM, first container of its UVM */
#define HVSOCKET_BIND_SD "D:P(A;;FA;;;SY)(A;;FA;;;BA)"  /* uvm/create_wcow.go */
#define PIPE_PREFIX "\\\\.\\pipe\\"

/* ---- small json-c helpers that fail with a message instead of returning NULL ---------- */

typedef struct { int rc; } jb;   /* first failure wins; every helper is a no-op after it */

static json_object *jobj(jb *j)
{
    json_object *o = json_object_new_object();
    if (!o && j->rc == 0)
        j->rc = berth_fail_oom();
    return o;
}

static json_object *jarr(jb *j)
{
    json_object *o = json_object_new_array();
    if (!o && j->rc == 0)
        j->rc = berth_fail_oom();
    return o;
}

static void put(jb *j, json_object *o, const char *k, json_object *v)
{
    if (!o || !v) {
        json_object_put(v);
        if (j->rc == 0)
            j->rc = berth_fail_oom();
        return;
    }
    if (json_object_object_add(o, k, v) != 0 && j->rc == 0)
        j->rc = berth_fail_oom();
}

static void push(jb *j, json_object *a, json_object *v)
{
    if (!a || !v || json_object_array_add(a, v) != 0) {
        json_object_put(v);
        if (j->rc == 0)
            j->rc = berth_fail_oom();
    }
}

static void put_str(jb *j, json_object *o, const char *k, const char *v)  /* omitempty */
{
    if (v && *v)
        put(j, o, k, json_object_new_string(v));
}

static void put_bool(jb *j, json_object *o, const char *k, int v)        /* omitempty */
{
    if (v)
        put(j, o, k, json_object_new_boolean(1));
}

static void put_int(jb *j, json_object *o, const char *k, int64_t v)     /* omitempty */
{
    if (v)
        put(j, o, k, json_object_new_int64(v));
}

/* hcsschema.Version; schemaversion.SchemaV21() */
static json_object *schema_v21(jb *j)
{
    json_object *v = jobj(j);
    put_int(j, v, "Major", 2);
    put_int(j, v, "Minor", 1);
    return v;
}

/* ---- paths -------------------------------------------------------------------------- */

/* Joins with the separator the base already uses, so dry runs on Linux stay readable. */
static char *path_join(jb *j, const char *a, const char *b)
{
    if (j->rc)
        return NULL;
    int win = strchr(a, '\\') || (a[0] && a[1] == ':');
    size_t la = strlen(a);
    while (la > 1 && (a[la - 1] == '\\' || a[la - 1] == '/'))
        la--;
    size_t n = la + 1 + strlen(b) + 1;
    char *p = malloc(n);
    if (!p) {
        j->rc = berth_fail_oom();
        return NULL;
    }
    snprintf(p, n, "%.*s%c%s", (int)la, a, win ? '\\' : '/', b);
    if (win)
        for (char *s = p; *s; s++)
            if (*s == '/')
                *s = '\\';
    return p;
}

/* strndup is POSIX, not C11 (cl.exe lacks it). */
static char *dup_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static int is_pipe(const char *path)
{
    return path && strncmp(path, PIPE_PREFIX, strlen(PIPE_PREFIX)) == 0;
}

/* The host side of a mount: a bind source as given, a named volume under <root>/volumes. */
static char *mount_source(jb *j, const runtime_spec *spec, const runtime_mount *m)
{
    if (!m->is_volume) {
        char *p = strdup(m->source);
        if (!p && j->rc == 0)
            j->rc = berth_fail_oom();
        return p;
    }
    /* bundle_dir is <root>/containers/<id>: drop two elements to reach the root */
    size_t n = strlen(spec->bundle_dir);
    for (int up = 0; up < 2; up++) {
        while (n > 0 && (spec->bundle_dir[n - 1] == '\\' || spec->bundle_dir[n - 1] == '/'))
            n--;
        while (n > 0 && spec->bundle_dir[n - 1] != '\\' && spec->bundle_dir[n - 1] != '/')
            n--;
    }
    while (n > 1 && (spec->bundle_dir[n - 1] == '\\' || spec->bundle_dir[n - 1] == '/'))
        n--;
    char *root = n ? dup_n(spec->bundle_dir, n) : strdup(".");
    if (!root) {
        if (j->rc == 0)
            j->rc = berth_fail_oom();
        return NULL;
    }
    char *vols = path_join(j, root, "volumes");
    char *p = vols ? path_join(j, vols, m->source) : NULL;
    free(root);
    free(vols);
    return p;
}

/* ---- the pieces ----------------------------------------------------------------------- */

/* hcsschema.RegistryChanges as hcsoci.createWindowsContainerDocument always adds it: the
 * service-shutdown timeout is raised so that a graceful shutdown is not cut short. */
static json_object *container_registry(jb *j)
{
    json_object *rc = jobj(j), *add = jarr(j), *v = jobj(j), *key = jobj(j);
    put_str(j, key, "Hive", "System");
    put_str(j, key, "Name", "ControlSet001\\Control");
    put(j, v, "Key", key);
    put_str(j, v, "Name", "WaitToKillServiceTimeout");
    put_str(j, v, "StringValue", "2147483647");
    put_str(j, v, "Type", "String");
    push(j, add, v);
    put(j, rc, "AddValues", add);
    return rc;
}

/* hcsschema.Processor {Count, Maximum, Weight}: hcsshim always writes the object, even empty.
 * A CPU limit is a share of the processors, as docker's --cpus on Windows sets it
 * (daemon/oci_windows.go: CPU.Maximum = NanoCPUs / NumCPU / (1e9 / 10000), in hundredths of a
 * percent, at least 1); hcsoci.ConvertCPULimits passes it on as Maximum. Without the host's
 * processor count (a dry run elsewhere) the limit is shown as a whole Count instead. */
static json_object *container_processor(jb *j, const runtime_spec *spec, int host)
{
    json_object *p = jobj(j);
    if (spec->cpu_millis <= 0)
        return p;
    if (host <= 0) {
        put_int(j, p, "Count", (spec->cpu_millis + 999) / 1000);
    } else {
        int64_t max = spec->cpu_millis * 10 / host;
        put_int(j, p, "Maximum", max < 1 ? 1 : max > 10000 ? 10000 : max);
    }
    return p;
}

/* oci.ParseAnnotationsMemory: the limit in whole MiB, rounded down (check_spec refuses a
 * limit under 1 MiB, which hcsshim would silently drop). */
static int64_t memory_mb(const runtime_spec *spec)
{
    return spec->memory_bytes > 0 ? spec->memory_bytes >> 20 : 0;
}

/* The utility VM's processors: the container's CPUs rounded up, else
 * vmutils.DefaultProcessorCountForUVM (2, or 1 on a one-processor host); never more than the host. */
static int64_t uvm_processors(const runtime_spec *spec, int host)
{
    int64_t count = spec->cpu_millis > 0 ? (spec->cpu_millis + 999) / 1000 : (host == 1 ? 1 : 2);
    return host > 0 && count > host ? host : count;
}

/* hcsschema.Layer list, newest first (spec->layers is base first). */
static json_object *layer_list(jb *j, const runtime_spec *spec, const hcs_docs_options *o, int in_uvm)
{
    json_object *a = jarr(j);
    for (size_t i = spec->n_layers; i-- > 0 && j->rc == 0;) {
        char id[HCS_GUID_LEN + 1];
        const char *lid = o && o->layer_ids ? o->layer_ids[i] : NULL;
        if (!lid) {
            int rc = hcs_layer_id(id, spec->layers[i].path);
            if (rc) {
                j->rc = rc;
                break;
            }
            lid = id;
        }
        json_object *l = jobj(j);
        put_str(j, l, "Id", lid);
        if (in_uvm) {
            /* uvm.AddVSMB names shares s1, s2, … in mount order, newest layer first */
            char path[sizeof VSMB_PREFIX + 24];
            snprintf(path, sizeof path, VSMB_PREFIX "s%zx", spec->n_layers - i);
            put_str(j, l, "Path", path);
        } else {
            put_str(j, l, "Path", spec->layers[i].path);
        }
        push(j, a, l);
    }
    return a;
}

/* hcsschema.MappedDirectory / MappedPipe, as hcsoci.createMountsConfig fills them. In a
 * utility VM the host path is the VSMB share that carries the directory into the VM. */
static void container_mounts(jb *j, json_object *c, const runtime_spec *spec, size_t first_share)
{
    json_object *dirs = jarr(j), *pipes = jarr(j);
    size_t share = first_share;
    for (size_t i = 0; i < spec->n_mounts && j->rc == 0; i++) {
        const runtime_mount *m = &spec->mounts[i];
        char *src = mount_source(j, spec, m);
        if (!src)
            break;
        json_object *e = jobj(j);
        if (is_pipe(m->destination)) {
            if (first_share) {   /* uvm.ParseNamedPipe: host pipes reach the VM over VSMB's IPC$ */
                char *ipc = path_join(j, VSMB_PREFIX "IPC$", src + strlen(PIPE_PREFIX));
                put_str(j, e, "HostPath", ipc);
                free(ipc);
            } else {
                put_str(j, e, "HostPath", src);
            }
            put_str(j, e, "ContainerPipeName", m->destination + strlen(PIPE_PREFIX));
            push(j, pipes, e);
        } else {
            if (first_share) {
                char path[sizeof VSMB_PREFIX + 24];
                snprintf(path, sizeof path, VSMB_PREFIX "s%zx", share++);
                put_str(j, e, "HostPath", path);
            } else {
                put_str(j, e, "HostPath", src);
            }
            put_str(j, e, "ContainerPath", m->destination);
            put_bool(j, e, "ReadOnly", m->read_only);
            push(j, dirs, e);
        }
        free(src);
    }
    if (dirs && json_object_array_length(dirs))
        put(j, c, "MappedDirectories", dirs);
    else
        json_object_put(dirs);
    if (pipes && json_object_array_length(pipes))
        put(j, c, "MappedPipes", pipes);
    else
        json_object_put(pipes);
}

/* hcsschema.Container, as hcsoci.createWindowsContainerDocument builds it (v2 Argon, or the
 * hosted container of a v2 Xenon when in_uvm). */
static json_object *container_doc(jb *j, const runtime_spec *spec, const hcs_docs_options *o,
                                  const char *scratch, const char *netns, int in_uvm)
{
    json_object *c = jobj(j);
    if (spec->hostname && *spec->hostname) {
        json_object *g = jobj(j);
        put_str(j, g, "HostName", spec->hostname);
        put(j, c, "GuestOs", g);
    }
    json_object *st = jobj(j);
    if (spec->n_layers)
        put(j, st, "Layers", layer_list(j, spec, o, in_uvm));
    put_str(j, st, "Path", in_uvm ? UVM_CONTAINER_ROOT : scratch);
    put(j, c, "Storage", st);
    container_mounts(j, c, spec, in_uvm ? spec->n_layers + 1 : 0);
    int64_t mb = memory_mb(spec);
    if (mb > 0) {
        json_object *m = jobj(j);
        put_int(j, m, "SizeInMB", mb);
        put(j, c, "Memory", m);
    }
    /* in a utility VM the container's share is of the VM's processors (hcsoci.ConvertCPULimits
     * with maxCPUCount = the UVM's count) */
    int host = o ? o->host_processors : 0;
    put(j, c, "Processor", container_processor(j, spec, in_uvm ? (int)uvm_processors(spec, host) : host));
    if (netns) {
        json_object *n = jobj(j);
        put_str(j, n, "Namespace", netns);
        put(j, c, "Networking", n);
    }
    put(j, c, "RegistryChanges", container_registry(j));
    return c;
}

/* hcsschema.VirtualSmbShareOptions from uvm.DefaultVSMBOptions (+ TakeBackupPrivilege for
 * layers and the OS share, as layers.MountContainerLayers and prepareConfigDoc set it). */
static json_object *vsmb_options(jb *j, int read_only, int backup)
{
    json_object *o = jobj(j);
    put_bool(j, o, "ReadOnly", read_only);
    put_bool(j, o, "ShareRead", read_only);
    put_bool(j, o, "CacheIo", read_only);
    put_bool(j, o, "TakeBackupPrivilege", backup);
    put_bool(j, o, "PseudoOplocks", read_only);
    return o;
}

static void vsmb_share(jb *j, json_object *shares, const char *name, const char *path, int ro, int backup)
{
    json_object *s = jobj(j);
    put_str(j, s, "Name", name);
    put_str(j, s, "Path", path);
    put(j, s, "Options", vsmb_options(j, ro, backup));
    push(j, shares, s);
}

/* hcsschema.ComputeSystem with a VirtualMachine: the utility VM, as uvm/create_wcow.go's
 * prepareConfigDoc built it while HCS's own guest connection was used (hcsshim before
 * cd895b4d1, 2021) — Berth has no GCS bridge of its own, so it keeps GuestConnection {}. */
static json_object *uvm_doc(jb *j, const runtime_spec *spec, const hcs_docs_options *o)
{
    const char *owner = o && o->owner ? o->owner : HCS_OWNER;
    json_object *d = jobj(j), *vm = jobj(j);
    put_str(j, d, "Owner", owner);
    put(j, d, "SchemaVersion", schema_v21(j));
    put_bool(j, d, "ShouldTerminateOnLastHandleClosed", 1);

    put_bool(j, vm, "StopOnReset", 1);
    json_object *chip = jobj(j), *uefi = jobj(j), *boot = jobj(j);
    put_str(j, boot, "DevicePath", "\\EFI\\Microsoft\\Boot\\bootmgfw.efi");
    put_str(j, boot, "DeviceType", "VmbFs");
    put(j, uefi, "BootThis", boot);
    put(j, chip, "Uefi", uefi);
    put(j, vm, "Chipset", chip);

    json_object *reg = jobj(j), *add = jarr(j), *v = jobj(j), *key = jobj(j);
    put_str(j, key, "Hive", "System");
    put_str(j, key, "Name", "CurrentControlSet\\Services\\gns");
    put(j, v, "Key", key);
    put_str(j, v, "Name", "EnableCompartmentNamespace");
    put_int(j, v, "DWordValue", 1);
    put_str(j, v, "Type", "DWord");
    push(j, add, v);
    put(j, reg, "AddValues", add);
    put(j, vm, "RegistryChanges", reg);

    /* hcsschema.Topology: the VM gets the container's limits (memory aligned to 2 MB by
     * vmutils.NormalizeMemorySize), else hcsshim's defaults: 1024 MB, 2 processors. */
    json_object *topo = jobj(j), *mem = jobj(j), *proc = jobj(j);
    int64_t mb = memory_mb(spec);
    mb = mb > 0 ? (mb + 1) & ~(int64_t)1 : UVM_DEFAULT_MEMORY_MB;
    put_int(j, mem, "SizeInMB", mb);
    put_bool(j, mem, "AllowOvercommit", 1);
    put_bool(j, mem, "EnableHotHint", 1);
    put_int(j, proc, "Count", uvm_processors(spec, o ? o->host_processors : 0));
    put(j, topo, "Memory", mem);
    put(j, topo, "Processor", proc);
    put(j, vm, "ComputeTopology", topo);

    json_object *dev = jobj(j), *scsi = jobj(j), *ctl = jobj(j), *att = jobj(j), *a0 = jobj(j);
    char *uvmdir = path_join(j, spec->bundle_dir, HCS_UVM_SCRATCH_DIR);
    char *vhd = uvmdir ? path_join(j, uvmdir, "sandbox.vhdx") : NULL;
    char *scratch = path_join(j, spec->bundle_dir, HCS_SCRATCH_DIR);
    char *cvhd = scratch ? path_join(j, scratch, "sandbox.vhdx") : NULL;
    put_str(j, a0, "Path", vhd);
    put_str(j, a0, "Type", "VirtualDisk");
    put(j, att, "0", a0);
    json_object *a1 = jobj(j);   /* the container's own scratch, mounted at C:\c\1 */
    put_str(j, a1, "Path", cvhd);
    put_str(j, a1, "Type", "VirtualDisk");
    put(j, att, "1", a1);
    put(j, ctl, "Attachments", att);
    put(j, scsi, UVM_SCSI_CONTROLLER, ctl);
    put(j, dev, "Scsi", scsi);
    free(uvmdir);
    free(vhd);
    free(scratch);
    free(cvhd);

    json_object *hv = jobj(j), *hvc = jobj(j);
    put_str(j, hvc, "DefaultBindSecurityDescriptor", HVSOCKET_BIND_SD);
    put(j, hv, "HvSocketConfig", hvc);
    put(j, dev, "HvSocket", hv);

    /* hcsschema.VirtualSmb: the OS share boots the VM from the base layer's UtilityVM\Files;
     * the layers (newest first) and the mounts follow as s1, s2, … */
    json_object *smb = jobj(j), *shares = jarr(j);
    char *files = spec->n_layers ? path_join(j, spec->layers[0].path, "UtilityVM") : NULL;
    char *osfiles = files ? path_join(j, files, "Files") : NULL;
    vsmb_share(j, shares, "os", osfiles, 1, 1);
    free(files);
    free(osfiles);
    size_t n = 0;
    for (size_t i = spec->n_layers; i-- > 0;) {
        char name[24];
        snprintf(name, sizeof name, "s%zx", ++n);
        vsmb_share(j, shares, name, spec->layers[i].path, 1, 1);
    }
    for (size_t i = 0; i < spec->n_mounts && j->rc == 0; i++) {
        if (is_pipe(spec->mounts[i].destination))
            continue;
        char name[24], *src = mount_source(j, spec, &spec->mounts[i]);
        snprintf(name, sizeof name, "s%zx", ++n);
        vsmb_share(j, shares, name, src, spec->mounts[i].read_only, 0);
        free(src);
    }
    put(j, smb, "Shares", shares);
    put_int(j, smb, "DirectFileMappingInMB", 1024);
    put(j, dev, "VirtualSmb", smb);
    put(j, vm, "Devices", dev);
    put(j, vm, "GuestConnection", jobj(j));
    put(j, d, "VirtualMachine", vm);
    return d;
}

/* hcsschema.ProcessParameters as internal/cmd.Cmd.Start fills them for a Windows host. */
static json_object *process_doc(jb *j, const runtime_spec *spec)
{
    json_object *p = jobj(j);
    char *cmd = NULL;
    if (j->rc == 0) {
        int rc = hcs_command_line(&cmd, spec->args, spec->n_args);
        if (rc)
            j->rc = rc;
    }
    put_str(j, p, "CommandLine", cmd);
    free(cmd);
    put_str(j, p, "User", spec->user);
    /* containerd's default working directory for Windows containers; "/" is the Linux default a
     * generic caller may fill in, and no Windows directory */
    const char *wd = spec->workdir;
    put_str(j, p, "WorkingDirectory", wd && *wd && strcmp(wd, "/") != 0 ? wd : "C:\\");
    json_object *env = jobj(j);
    for (size_t i = 0; i < spec->n_env && j->rc == 0; i++) {
        const char *kv = spec->env[i], *eq = kv ? strchr(kv, '=') : NULL;
        if (!eq || eq == kv || !eq[1])
            continue;   /* hcsshim keeps only K=V with a non-empty value */
        char *k = dup_n(kv, (size_t)(eq - kv));
        if (!k) {
            j->rc = berth_fail_oom();
            break;
        }
        put(j, env, k, json_object_new_string(eq + 1));
        free(k);
    }
    if (env && json_object_object_length(env))
        put(j, p, "Environment", env);
    else
        json_object_put(env);
    put_bool(j, p, "EmulateConsole", spec->tty);
    put_bool(j, p, "CreateStdInPipe", spec->open_stdin);
    put_bool(j, p, "CreateStdOutPipe", 1);
    put_bool(j, p, "CreateStdErrPipe", !spec->tty);  /* a console merges stderr into stdout */
    if (spec->tty) {
        json_object *cs = jarr(j);   /* []int32{Height, Width} */
        push(j, cs, json_object_new_int(HCS_CONSOLE_HEIGHT));
        push(j, cs, json_object_new_int(HCS_CONSOLE_WIDTH));
        put(j, p, "ConsoleSize", cs);
    }
    return p;
}

/* ---- networking (HNS v2: hcsshim hcn/) ------------------------------------------------- */

int hcs_port_parse(hcs_port *out, const char *s)
{
    memset(out, 0, sizeof *out);
    out->protocol = 6;
    char buf[128];
    if (!s || strlen(s) >= sizeof buf)
        goto bad;
    strcpy(buf, s);
    char *proto = strchr(buf, '/');
    if (proto) {
        *proto++ = '\0';
        if (strcmp(proto, "tcp") == 0)
            out->protocol = 6;
        else if (strcmp(proto, "udp") == 0)
            out->protocol = 17;
        else
            return berth_fail(BERTH_EINVAL, "publish \"%s\": protocol \"%s\" is not tcp or udp", s, proto);
    }
    /* split from the right: container port last, host port before it, the rest is the ip */
    char *last = strrchr(buf, ':');
    if (!last)
        goto bad;
    *last = '\0';
    char *cport = last + 1, *hport = buf, *ip = NULL;
    char *mid = strrchr(buf, ':');
    if (mid) {
        *mid = '\0';
        ip = buf;
        hport = mid + 1;
    }
    if (strspn(hport, "0123456789") != strlen(hport) || strspn(cport, "0123456789") != strlen(cport) ||
        strlen(hport) > 5 || strlen(cport) > 5)
        goto bad;
    char *end;
    unsigned long h = strtoul(hport, &end, 10);
    if (!*hport || *end || h == 0 || h > 65535)
        goto bad;
    unsigned long c = strtoul(cport, &end, 10);
    if (!*cport || *end || c == 0 || c > 65535)
        goto bad;
    if (ip) {
        if (ip[0] == '[' && ip[strlen(ip) - 1] == ']') {
            ip++;
            ip[strlen(ip) - 1] = '\0';
        } else if (strchr(ip, ':')) {
            goto bad;   /* an IPv6 address needs brackets: [::1]:8080:80 */
        }
        if (!*ip)
            goto bad;
        if (strlen(ip) >= sizeof out->vip)
            goto bad;
        strcpy(out->vip, ip);
    }
    out->host_port = (unsigned)h;
    out->container_port = (unsigned)c;
    return 0;
bad:
    return berth_fail(BERTH_EINVAL, "publish \"%s\": want [ip:]hostPort:containerPort[/tcp|udp] "
                      "with ports 1-65535, e.g. 8080:80", s ? s : "(null)");
}

/* hcn.Version, hcn.V2SchemaVersion() */
static json_object *hcn_v2(jb *j)
{
    json_object *v = jobj(j);
    put(j, v, "Major", json_object_new_int(2));
    put(j, v, "Minor", json_object_new_int(0));
    return v;
}

/* hcn.HostComputeEndpoint with one hcn.EndpointPolicy{Type: "PortMapping"} per published port.
 * Dns and Health are struct values: encoding/json writes them even when empty. */
static json_object *endpoint_doc(jb *j, const runtime_spec *spec, const hcs_docs_options *o)
{
    json_object *e = jobj(j);
    put_str(j, e, "HostComputeNetwork", o ? o->network_id : NULL);
    json_object *pol = jarr(j);
    for (size_t i = 0; i < spec->n_ports && j->rc == 0; i++) {
        hcs_port p;
        int rc = hcs_port_parse(&p, spec->ports[i]);
        if (rc) {
            j->rc = rc;
            break;
        }
        json_object *pp = jobj(j), *set = jobj(j);
        put_str(j, pp, "Type", "PortMapping");
        put_int(j, set, "Protocol", p.protocol);
        put_int(j, set, "InternalPort", p.container_port);
        put_int(j, set, "ExternalPort", p.host_port);
        put_str(j, set, "VIP", p.vip);
        put(j, pp, "Settings", set);
        push(j, pol, pp);
    }
    if (pol && json_object_array_length(pol))
        put(j, e, "Policies", pol);
    else
        json_object_put(pol);
    put(j, e, "Dns", jobj(j));
    json_object *h = jobj(j);
    put(j, h, "Extra", jobj(j));
    put(j, e, "Health", h);
    put(j, e, "SchemaVersion", hcn_v2(j));
    return e;
}

/* hcn.NewNamespace(hcn.NamespaceTypeHostDefault) for a process-isolated container; a
 * Hyper-V container's namespace lives in its utility VM (GuestDefault). */
static json_object *namespace_doc(jb *j, int guest)
{
    json_object *n = jobj(j);
    put_str(j, n, "Type", guest ? "GuestDefault" : "HostDefault");
    put(j, n, "SchemaVersion", hcn_v2(j));
    return n;
}

/* hcn.ModifyNamespaceSettingRequest adding the endpoint (hcn.AddNamespaceEndpoint). */
static json_object *namespace_add_doc(jb *j, const char *endpoint_id)
{
    json_object *r = jobj(j), *s = jobj(j);
    put_str(j, r, "ResourceType", "Endpoint");
    put_str(j, r, "RequestType", "Add");
    put_str(j, s, "EndpointId", endpoint_id);
    put(j, r, "Settings", s);
    return r;
}

/* NULL: no network; else the HNS network name to attach to. */
static int network_name(const char **out, const runtime_spec *spec)
{
    const char *n = spec->network;
    if (n && strcmp(n, "none") == 0) {
        *out = NULL;
        return 0;
    }
    if (n && strcmp(n, "host") == 0)
        return berth_fail(BERTH_EUNSUPPORTED, "container %s: Windows containers cannot share the "
                          "host's network stack; use the default (nat) network with -p to publish ports",
                          spec->name ? spec->name : spec->id);
    *out = (!n || !*n || strcmp(n, "bridge") == 0 || strcmp(n, "default") == 0) ? "nat" : n;
    return 0;
}

const char *hcs_network_name(const runtime_spec *spec)
{
    const char *n = NULL;
    if (network_name(&n, spec) != 0) {
        berth_error_clear();
        return NULL;
    }
    return n;
}

/* ---- the whole plan ------------------------------------------------------------------- */

static int check_spec(const runtime_spec *spec)
{
    if (!spec || !spec->id || !*spec->id || !spec->bundle_dir || !*spec->bundle_dir)
        return berth_fail(BERTH_EINVAL, "HCS documents: the spec lacks the container id or bundle directory");
    if (spec->n_layers == 0)
        return berth_fail(BERTH_EINVAL, "container %s: a Windows container needs at least its base "
                          "layer; pull the image again if its layers are missing", spec->id);
    for (size_t i = 0; i < spec->n_layers; i++)
        if (!spec->layers[i].path || !*spec->layers[i].path)
            return berth_fail(BERTH_EINVAL, "container %s: layer %zu has no folder", spec->id, i);
    for (size_t i = 0; i < spec->n_mounts; i++) {
        const runtime_mount *m = &spec->mounts[i];
        if (!m->source || !*m->source || !m->destination || !*m->destination)
            return berth_fail(BERTH_EINVAL, "container %s: mount %zu needs a source and a destination",
                              spec->id, i);
        /* a container path is absolute (X:\\…, not the bare drive root) or a named pipe */
        const char *d = m->destination;
        int drive = ((d[0] >= 'A' && d[0] <= 'Z') || (d[0] >= 'a' && d[0] <= 'z')) && d[1] == ':' &&
                    (d[2] == '\\' || d[2] == '/');
        if (!is_pipe(d) && (!drive || d[3] == '\0' || strstr(d, "..")))
            return berth_fail(BERTH_EINVAL, "container %s: mount destination \"%s\" must be an absolute "
                              "path inside the container such as C:\\data (not C:\\ itself, no ..), or "
                              "a named pipe \\\\.\\pipe\\name", spec->id, d);
        if (is_pipe(m->destination) != is_pipe(m->source))
            return berth_fail(BERTH_EINVAL, "container %s: mount %s -> %s: a named pipe (\\\\.\\pipe\\…) "
                              "can only be mapped to a named pipe", spec->id, m->source, m->destination);
        if (m->is_volume && (strpbrk(m->source, "/\\:") || strcmp(m->source, "..") == 0 ||
                             strcmp(m->source, ".") == 0))
            return berth_fail(BERTH_EINVAL, "container %s: volume name \"%s\" may not contain a path "
                              "separator, a colon or be . or ..", spec->id, m->source);
    }
    if (spec->memory_bytes < 0 || spec->cpu_millis < 0)
        return berth_fail(BERTH_EINVAL, "container %s: negative memory or CPU limit", spec->id);
    if (spec->memory_bytes > 0 && spec->memory_bytes < (1 << 20))
        return berth_fail(BERTH_EINVAL, "container %s: a memory limit of %lld bytes is under 1 MiB, the "
                          "smallest HCS can set; give at least 1m (Windows containers want some hundred MB)",
                          spec->id, (long long)spec->memory_bytes);
    return 0;
}

int hcs_plan_object(json_object **out, const runtime_spec *spec, const hcs_docs_options *o)
{
    int rc = check_spec(spec);
    if (rc)
        return rc;
    berth_isolation iso = spec->isolation;
    if (iso == ISOLATION_DEFAULT)
        return berth_fail(BERTH_EINVAL, "container %s: the isolation must be resolved (process or "
                          "hyperv) before the documents are built", spec->id);
    const char *net = NULL;
    if ((rc = network_name(&net, spec)) != 0)
        return rc;
    if (!net && spec->n_ports)
        return berth_fail(BERTH_EINVAL, "container %s: ports cannot be published with --network none",
                          spec->id);
    jb j = { 0 };
    char nsid[HCS_GUID_LEN + 1] = "", epid[HCS_GUID_LEN + 1] = "", uvmid[HCS_GUID_LEN + 1] = "";
    if (net && ((rc = hcs_derived_id(nsid, "namespace", spec->id)) != 0 ||
                (rc = hcs_derived_id(epid, "endpoint", spec->id)) != 0))
        return rc;
    if (iso == ISOLATION_HYPERV && (rc = hcs_derived_id(uvmid, "uvm", spec->id)) != 0)
        return rc;

    char *scratch_dir = path_join(&j, spec->bundle_dir, HCS_SCRATCH_DIR);
    const char *scratch = o && o->scratch_volume ? o->scratch_volume : scratch_dir;
    const char *owner = o && o->owner ? o->owner : HCS_OWNER;
    json_object *plan = jobj(&j);
    put_str(&j, plan, "runtime", "hcs");
    put_str(&j, plan, "isolation", iso == ISOLATION_HYPERV ? "hyperv" : "process");

    /* hcsschema.ComputeSystem: v2 Argon (hcsoci/create.go) or, under Hyper-V, the hosted
     * container created in the utility VM (HostingSystemId + HostedSystem, uvm/create.go). */
    json_object *cs = jobj(&j);
    put_str(&j, cs, "Owner", owner);
    put(&j, cs, "SchemaVersion", schema_v21(&j));
    if (iso == ISOLATION_HYPERV) {
        put_str(&j, cs, "HostingSystemId", uvmid);
        json_object *hs = jobj(&j);
        put(&j, hs, "SchemaVersion", schema_v21(&j));
        put(&j, hs, "Container", container_doc(&j, spec, o, scratch, net ? nsid : NULL, 1));
        put(&j, cs, "HostedSystem", hs);
    } else {
        put(&j, cs, "Container", container_doc(&j, spec, o, scratch, net ? nsid : NULL, 0));
    }
    put_bool(&j, cs, "ShouldTerminateOnLastHandleClosed", 1);
    put(&j, plan, "compute_system", cs);
    if (iso == ISOLATION_HYPERV) {
        put_str(&j, plan, "utility_vm_id", uvmid);
        put(&j, plan, "utility_vm", uvm_doc(&j, spec, o));
    }
    put(&j, plan, "process", process_doc(&j, spec));
    if (net) {
        json_object *n = jobj(&j);
        put_str(&j, n, "name", net);
        put_str(&j, n, "endpoint_id", epid);
        put_str(&j, n, "namespace_id", nsid);
        put(&j, n, "endpoint", endpoint_doc(&j, spec, o));
        put(&j, n, "namespace", namespace_doc(&j, iso == ISOLATION_HYPERV));
        put(&j, n, "namespace_add_endpoint", namespace_add_doc(&j, epid));
        put(&j, plan, "network", n);
    }
    put(&j, plan, "layers", layer_list(&j, spec, o, 0));
    put_str(&j, plan, "scratch", scratch_dir);
    free(scratch_dir);
    if (j.rc) {
        json_object_put(plan);
        return berth_wrap(j.rc, "build the HCS documents of container %s", spec->id);
    }
    *out = plan;
    return 0;
}

static int take(char **dst, json_object *plan, const char *key, const char *sub)
{
    json_object *o = json_obj(plan, key);
    if (o && sub)
        o = json_obj(o, sub);
    if (!o && strcmp(key, "layers") == 0)
        o = json_arr(plan, key);
    if (!o)
        return 0;
    *dst = json_dup_string(o);
    return *dst ? 0 : BERTH_ENOMEM;
}

int hcs_process_doc(char **out, const runtime_spec *proc)
{
    jb j = { 0 };
    json_object *p = process_doc(&j, proc);
    if (j.rc) {
        json_object_put(p);
        return j.rc;
    }
    return json_hand_out(out, p);
}

int hcs_docs_build(hcs_docs *out, const runtime_spec *spec, const hcs_docs_options *opts)
{
    memset(out, 0, sizeof *out);
    json_object *plan = NULL;
    int rc = hcs_plan_object(&plan, spec, opts);
    if (rc)
        return rc;
    if ((rc = take(&out->compute_system, plan, "compute_system", NULL)) == 0 &&
        (rc = take(&out->utility_vm, plan, "utility_vm", NULL)) == 0 &&
        (rc = take(&out->process, plan, "process", NULL)) == 0 &&
        (rc = take(&out->network_endpoint, plan, "network", "endpoint")) == 0 &&
        (rc = take(&out->network_namespace, plan, "network", "namespace")) == 0 &&
        (rc = take(&out->namespace_add_endpoint, plan, "network", "namespace_add_endpoint")) == 0)
        rc = take(&out->layer_ids, plan, "layers", NULL);
    json_object_put(plan);
    if (rc)
        hcs_docs_free(out);
    return rc;
}

void hcs_docs_free(hcs_docs *d)
{
    if (!d)
        return;
    free(d->compute_system);
    free(d->utility_vm);
    free(d->process);
    free(d->network_endpoint);
    free(d->network_namespace);
    free(d->namespace_add_endpoint);
    free(d->layer_ids);
    memset(d, 0, sizeof *d);
}
