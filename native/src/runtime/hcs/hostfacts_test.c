/* Host facts with injected registry values (no Windows here), the feature hints, and the
 * readers of HCS/HNS answers. */
#include "check.h"
#include "runtime/hcs/hcs.h"
#include "runtime/hcs/hostfacts.h"
#include "core/error.h"
#include <stdlib.h>
#include <string.h>

static void server_runs_process_isolation(void)
{
    static const char *const server_types[] = { "Server", "Server Core", "Nano Server" };
    for (size_t i = 0; i < 3; i++) {
        hcs_host_raw raw = { 10, 0, "20348", 2113, 1, server_types[i], 3, "amd64" };
        hcs_host_facts f;
        CHECK_OK(hcs_host_facts_decide(&f, &raw));
        CHECK(f.is_server);
        CHECK(f.default_isolation == ISOLATION_PROCESS);
        CHECK(f.build == 20348);
        CHECK_STREQ(f.platform.os, "windows");
        CHECK_STREQ(f.platform.arch, "amd64");
        CHECK_STREQ(f.platform.os_version, "10.0.20348.2113");
    }
}

static void client_runs_hyperv_isolation(void)
{
    hcs_host_raw raw = { 10, 0, "22631", 4460, 1, "Client", 1, "arm64" };
    hcs_host_facts f;
    CHECK_OK(hcs_host_facts_decide(&f, &raw));
    CHECK(!f.is_server);
    CHECK(f.default_isolation == ISOLATION_HYPERV);
    CHECK_STREQ(f.platform.os_version, "10.0.22631.4460");
    CHECK_STREQ(f.platform.arch, "arm64");
}

/* Without InstallationType (old or stripped images) the product type decides. */
static void product_type_decides_without_installation_type(void)
{
    hcs_host_facts f;
    hcs_host_raw ws = { 10, 0, "17763", 0, 0, NULL, 1, NULL };
    CHECK_OK(hcs_host_facts_decide(&f, &ws));
    CHECK(f.default_isolation == ISOLATION_HYPERV);
    CHECK_STREQ(f.platform.os_version, "10.0.17763");   /* no UBR: three numbers */
    CHECK_STREQ(f.platform.arch, "amd64");
    hcs_host_raw dc = { 10, 0, "17763", 5, 1, "", 2, NULL };
    CHECK_OK(hcs_host_facts_decide(&f, &dc));
    CHECK(f.default_isolation == ISOLATION_PROCESS);
    CHECK_STREQ(f.platform.os_version, "10.0.17763.5");
    hcs_host_raw none = { 0, 0, "26100", 1, 1, NULL, 0, NULL };   /* unknown: the safer Hyper-V */
    CHECK_OK(hcs_host_facts_decide(&f, &none));
    CHECK(f.default_isolation == ISOLATION_HYPERV);
    CHECK_STREQ(f.platform.os_version, "10.0.26100.1");
}

static void bad_build_numbers_are_refused(void)
{
    const char *bad[] = { NULL, "", "20348a", " 20348", "-1", "1234567890" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hcs_host_raw raw = { 10, 0, bad[i], 1, 1, "Server", 3, "amd64" };
        hcs_host_facts f;
        CHECK_RC(BERTH_EINVAL, hcs_host_facts_decide(&f, &raw));
        CHECK_MSG("CurrentBuildNumber");
    }
    hcs_host_facts f;
    CHECK_RC(BERTH_EINVAL, hcs_host_facts_decide(&f, NULL));
}

static void feature_hints_say_how_to_install(void)
{
    char buf[512];
    hcs_feature_hint(buf, sizeof buf, "computecore.dll", 1, 0);
    CHECK(strstr(buf, "computecore.dll is missing") != NULL);
    CHECK(strstr(buf, "Install-WindowsFeature -Name Containers") != NULL);
    CHECK(strstr(buf, "Hyper-V") == NULL);
    hcs_feature_hint(buf, sizeof buf, "computestorage.dll", 0, 0);
    CHECK(strstr(buf, "Enable-WindowsOptionalFeature -Online -FeatureName Containers") != NULL);
    hcs_feature_hint(buf, sizeof buf, NULL, 1, 1);
    CHECK(strstr(buf, "Install-WindowsFeature -Name Hyper-V") != NULL);
    CHECK(strstr(buf, "Install-WindowsFeature -Name Containers") != NULL);
    hcs_feature_hint(buf, sizeof buf, NULL, 0, 1);
    CHECK(strstr(buf, "Microsoft-Hyper-V") != NULL);
    char tiny[8];
    hcs_feature_hint(tiny, sizeof tiny, "x", 1, 1);   /* truncates, never overflows */
    CHECK(strlen(tiny) == 7);
}

static void result_messages(void)
{
    char m[256];
    CHECK(hcs_result_message(m, sizeof m, "{\"Error\":-2147024894,\"ErrorMessage\":\"The system cannot find "
                             "the file specified.\",\"ErrorEvents\":[{\"Message\":\"layer C:\\\\l\\\\x missing\"}]}"));
    CHECK_STREQ(m, "The system cannot find the file specified.; layer C:\\l\\x missing");
    CHECK(!hcs_result_message(m, sizeof m, ""));
    CHECK(!hcs_result_message(m, sizeof m, NULL));
    CHECK(hcs_result_message(m, sizeof m, "not json at all"));
    CHECK_STREQ(m, "not json at all");
    CHECK(!hcs_result_message(m, sizeof m, "{}"));
    CHECK(berth_errmsg()[0] == '\0');
}

static void enumerate_parse(void)
{
    hcs_system_info *v = NULL;
    size_t n = 0;
    CHECK_OK(hcs_enum_parse(&v, &n, "[{\"Id\":\"0123abcd\",\"SystemType\":\"Container\",\"Owner\":\"berth\","
                            "\"State\":\"Running\"},{\"Owner\":\"docker\"},{\"Id\":\"uvm\",\"Owner\":\"berth\","
                            "\"SystemType\":\"VirtualMachine\",\"State\":\"Stopped\"}]"));
    CHECK(n == 2);
    if (n == 2) {
        CHECK_STREQ(v[0].id, "0123abcd");
        CHECK_STREQ(v[0].owner, "berth");
        CHECK_STREQ(v[0].state, "Running");
        CHECK_STREQ(v[1].system_type, "VirtualMachine");
    }
    free(v);
    CHECK_OK(hcs_enum_parse(&v, &n, "[]"));
    CHECK(n == 0);
    free(v);
    CHECK_RC(BERTH_EINVAL, hcs_enum_parse(&v, &n, "{\"Id\":1}"));
    CHECK_RC(BERTH_EINVAL, hcs_enum_parse(&v, &n, "[{"));
    CHECK(v == NULL && n == 0);
}

static void layer_data_and_hns_queries(void)
{
    const char *ids[] = { "6f01dae8-55bd-5811-b95e-643968dca19b", "55eb683d-7997-54f2-ac8b-997328a1bdf1" };
    const char *paths[] = { "C:\\l\\top", "C:\\l\\base" };
    char *d = NULL;
    CHECK_OK(hcs_layer_data(&d, ids, paths, 2));
    CHECK_STREQ(d, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":1},\"Layers\":[{\"Id\":\"6f01dae8-55bd-5811-b95e-"
                   "643968dca19b\",\"Path\":\"C:\\\\l\\\\top\"},{\"Id\":\"55eb683d-7997-54f2-ac8b-997328a1bdf1\","
                   "\"Path\":\"C:\\\\l\\\\base\"}]}");
    free(d);
    d = NULL;
    const char *noid[] = { NULL };
    CHECK_RC(BERTH_EINVAL, hcs_layer_data(&d, noid, paths, 1));
    CHECK(d == NULL);

    char *q = NULL;
    CHECK_OK(hcn_network_query(&q, "nat"));
    CHECK_STREQ(q, "{\"SchemaVersion\":{\"Major\":2,\"Minor\":0},\"Filter\":\"{\\\"Name\\\":\\\"nat\\\"}\"}");
    free(q);

    char id[HCS_GUID_LEN + 1];
    CHECK_OK(hcn_first_id(id, "[\"{B1C2D3E4-0000-4000-8000-000000000001}\"]", "network nat"));
    CHECK_STREQ(id, "b1c2d3e4-0000-4000-8000-000000000001");
    CHECK_OK(hcn_first_id(id, "[{\"ID\":\"b1c2d3e4-0000-4000-8000-000000000002\"}]", "network nat"));
    CHECK_STREQ(id, "b1c2d3e4-0000-4000-8000-000000000002");
    CHECK_RC(BERTH_ENOTFOUND, hcn_first_id(id, "[]", "network nat"));
    CHECK_MSG("no such network");
    CHECK_RC(BERTH_EINVAL, hcn_first_id(id, "[\"../../x\"]", "network nat"));
    CHECK_RC(BERTH_EINVAL, hcn_first_id(id, "nope", "network nat"));
}

static void queries_exit_codes_and_log_lines(void)
{
    char *q = NULL;
    CHECK_OK(hcs_enum_query(&q, "0123abcd", "berth"));
    CHECK_STREQ(q, "{\"Ids\":[\"0123abcd\"],\"Owners\":[\"berth\"]}");
    free(q);
    CHECK_OK(hcs_enum_query(&q, NULL, "berth"));
    CHECK_STREQ(q, "{\"Owners\":[\"berth\"]}");
    free(q);

    int code = 7;
    CHECK_OK(hcs_exit_code(&code, "{\"ProcessId\":1234,\"Exited\":true,\"ExitCode\":3}"));
    CHECK(code == 3);
    CHECK_OK(hcs_exit_code(&code, "{\"ExitCode\":3221225477}"));   /* 0xC0000005 stays that bit pattern */
    CHECK((unsigned)code == 0xC0000005u);
    CHECK_RC(BERTH_EINVAL, hcs_exit_code(&code, "{\"Exited\":true}"));
    CHECK_RC(BERTH_EINVAL, hcs_exit_code(&code, "{\"ExitCode\":\"3\"}"));
    CHECK_RC(BERTH_EINVAL, hcs_exit_code(&code, "garbage"));

    char *line = NULL;
    static const char raw[] = "a \"quote\", a \\ and\r\n\x01 control\0nul";
    CHECK_OK(hcs_log_line(&line, "stdout", "2026-11-23T23:40:00.1234567Z", raw, sizeof raw - 1));
    CHECK_STREQ(line, "{\"log\":\"a \\\"quote\\\", a \\\\ and\\r\\n\\u0001 control\\u0000nul\","
                      "\"stream\":\"stdout\",\"time\":\"2026-11-23T23:40:00.1234567Z\"}\n");
    free(line);
}

static void hresults_map_to_codes(void)
{
    CHECK(hcs_hresult_code(0xC037010Eu) == BERTH_ENOTFOUND);
    CHECK(hcs_hresult_code(0x80070002u) == BERTH_ENOTFOUND);
    CHECK(hcs_hresult_code(0x80070490u) == BERTH_ENOTFOUND);
    CHECK(hcs_hresult_code(0xC037010Fu) == BERTH_EEXISTS);
    CHECK(hcs_hresult_code(0x800700B7u) == BERTH_EEXISTS);
    CHECK(hcs_hresult_code(0xC0370110u) == BERTH_ESTATE);
    CHECK(hcs_hresult_code(0x80370110u) == BERTH_ESTATE);
    CHECK(hcs_hresult_code(0x80004001u) == BERTH_EUNSUPPORTED);
    CHECK(hcs_hresult_code(0x80004005u) == BERTH_ERROR);   /* E_FAIL */
    CHECK(hcs_hresult_code(0) == BERTH_ERROR);
}

int main(void)
{
    RUN(server_runs_process_isolation);
    RUN(client_runs_hyperv_isolation);
    RUN(product_type_decides_without_installation_type);
    RUN(bad_build_numbers_are_refused);
    RUN(feature_hints_say_how_to_install);
    RUN(result_messages);
    RUN(enumerate_parse);
    RUN(layer_data_and_hns_queries);
    RUN(queries_exit_codes_and_log_lines);
    RUN(hresults_map_to_codes);
    return check_done();
}
