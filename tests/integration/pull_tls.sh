#!/usr/bin/env bash
# TLS: a registry that is not loopback-by-name is spoken to over TLS, and TLS failures get
# messages that say what to do. Uses a host name that /etc/hosts maps to 127.0.0.1 (so it is
# not on the insecure list, yet still loopback): a docker-registry with a self-signed
# certificate (untrusted → clear error), a plain-HTTP registry (handshake fails → says how to
# allow plain HTTP), and BERTH_INSECURE_REGISTRIES opting that name into plain HTTP.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/pull_env.sh
pull_env_init

NAME=$(awk '$1 ~ /^127\./ { for (i = 2; i <= NF; i++) if ($i != "localhost" && $i !~ /^localhost\./) print $i }' /etc/hosts | head -n 1)
if [ -z "$NAME" ]; then
    skip "TLS errors" "no name other than localhost maps to 127.0.0.1 in /etc/hosts"; tap_done; exit 0
fi
diag "using $NAME (127.0.0.1 in /etc/hosts) as a registry name that is not on the insecure list"

# A TLS registry with a self-signed certificate for NAME.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/tls.key" -out "$T/tls.crt" -days 2 \
    -subj "/CN=$NAME" -addext "subjectAltName=DNS:$NAME" >/dev/null 2>&1
TLSPORT=$(free_port)
cat > "$T/tls.yml" <<YML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $T/tls-data
http:
  addr: 127.0.0.1:$TLSPORT
  tls:
    certificate: $T/tls.crt
    key: $T/tls.key
YML
bg_start tlsreg docker-registry serve "$T/tls.yml"
for i in $(seq 1 100); do curl -ks -o /dev/null "https://127.0.0.1:$TLSPORT/v2/" && break; sleep 0.1; done

berth_json "$T/t1" "$T/root" pull "$NAME:$TLSPORT/test/app:v1"
check "an untrusted certificate fails with BERTH_ENETWORK" grep -q BERTH_ENETWORK "$T/t1"
check "…and the message says TLS, not trusted, and what to do" \
    sh -c "grep -q 'TLS' '$T/t1.err' && grep -q 'not trusted' '$T/t1.err' && grep -q 'CA certificate' '$T/t1.err'"

# A plain-HTTP registry reached by that name: Berth speaks TLS to it and says why it failed.
start_registry PLAIN
PLAINPORT=${REG_PLAIN_ADDR##*:}
python3 tests/lib/mkimage.py "$T/app" --tag v1 >/dev/null && push_oci "$T/app:v1" "docker://$REG_PLAIN_ADDR/test/app:v1"
berth_json "$T/t2" "$T/root" pull "$NAME:$PLAINPORT/test/app:v1"
check "TLS to a plain-HTTP registry fails with a message naming BERTH_INSECURE_REGISTRIES" \
    sh -c "grep -q BERTH_ENETWORK '$T/t2' && grep -q 'BERTH_INSECURE_REGISTRIES' '$T/t2.err'"
BERTH_INSECURE_REGISTRIES="$NAME:$PLAINPORT" berth_json "$T/t3" "$T/root" pull "$NAME:$PLAINPORT/test/app:v1"
check "BERTH_INSECURE_REGISTRIES lets that registry be pulled over plain HTTP" test $? -eq 0

tap_done
